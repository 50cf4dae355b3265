"""The one template layer for every HTML page: a Jinja2 environment over
``twentyten/report/templates`` (``base.html`` plus one template per page).

Pages are single self-contained files: inline CSS and JavaScript, no CDN, no
request to anywhere. The web dashboard extends the same templates, so build the
environment with :func:`environment` (a factory, no module-level state) and keep
it for as long as you like; :func:`render` makes one when it is not given one.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # jinja2 is imported where pages are rendered: `import twentyten` stays cheap
    import jinja2

PACKAGE = "twentyten.report"
TEMPLATES = "templates"
# Korean fonts first: group labels, terms and county names are often Hangul, and a
# generic sans-serif on a machine without a CJK default shows them as boxes
FONT_STACK = (
    '"Noto Sans CJK KR", "Noto Sans KR", "Source Han Sans K", "Malgun Gothic", '
    '"Apple SD Gothic Neo", "NanumGothic", system-ui, "Segoe UI", Roboto, '
    '"Helvetica Neue", Arial, sans-serif'
)


def number(value: Any, digits: int = 0) -> str:
    """A number as a reader sees it: thousands separated, ``digits`` decimals; "" for none/NaN."""
    if value is None or isinstance(value, bool):
        return "" if value is None else ("yes" if value else "no")
    if isinstance(value, float) and not math.isfinite(value):
        return "" if math.isnan(value) else ("∞" if value > 0 else "−∞")
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.{digits}f}"


def cell(value: Any) -> str:
    """A table cell's text: ints with separators, floats to one decimal, none as empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return number(value, 1)
    if isinstance(value, int):
        return number(value)
    return str(value)


def environment() -> jinja2.Environment:
    """A fresh Jinja2 environment for twentyten's pages.

    Autoescaping is on for every template (HTML and SVG alike) and an undefined
    name is an error, never an empty string.

    Examples
    --------
    >>> env = environment()
    >>> "base.html" in env.list_templates()
    True
    """
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader(PACKAGE, TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["number"] = number
    env.filters["cell"] = cell
    env.globals["font_stack"] = FONT_STACK
    from twentyten import __version__

    env.globals["version"] = __version__
    return env


#: The chart libraries a static page carries inline, in load order: the vendored copies the
#: dashboard serves from ``web/static`` (see ``scripts/fetch_web_assets.py``), then the one
#: script that draws every ``[data-vega-id]`` chart on the page.
CHART_SCRIPTS = ("vendor/vega/vega.min.js", "vendor/vega-lite/vega-lite.min.js",
                 "vendor/vega-embed/vega-embed.min.js", "charts.js")


def chart_scripts() -> list[str]:
    """The chart libraries' text, for ``<script>`` elements inside a self-contained page.

    Read from the package's ``web/static`` folder (the same files the dashboard serves), so
    a report opened from disk needs no network and draws exactly what the web draws.
    """
    from importlib import resources

    from markupsafe import Markup

    static = resources.files("twentyten").joinpath("web", "static")
    out = []
    for name in CHART_SCRIPTS:
        text = static.joinpath(*name.split("/")).read_text(encoding="utf-8")
        if "</script" in text.lower():  # would end the inline element early
            raise ValueError(f"web/static/{name} contains '</script' and cannot be inlined")
        out.append(Markup(text))
    return out


def chart_licences() -> list[tuple[str, str]]:
    """(library, licence text) of every library :func:`chart_scripts` inlines, including what
    vega-embed bundles: a page that carries their code carries their notices too."""
    from importlib import resources

    vendor = resources.files("twentyten").joinpath("web", "static", "vendor")
    out = []
    for lib in ("vega", "vega-lite", "vega-embed"):
        out.append((lib, vendor.joinpath(lib, "LICENSE").read_text(encoding="utf-8")))
    bundled = vendor.joinpath("vega-embed", "bundled")
    for d in sorted(bundled.iterdir(), key=lambda x: x.name):
        for f in sorted(d.iterdir(), key=lambda x: x.name):
            if f.name.upper().startswith("LICENSE"):
                out.append((f"{d.name} (in vega-embed)", f.read_text(encoding="utf-8")))
    return out


def render(template: str, env: jinja2.Environment | None = None, /, **context: Any) -> str:
    """Render one page template (e.g. ``"plan_report.html"``) with ``context``."""
    return (env or environment()).get_template(template).render(**context)
