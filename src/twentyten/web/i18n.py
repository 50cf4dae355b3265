"""Interface languages: gettext catalogues compiled by Babel under ``web/locale``. One Jinja2
environment per language, built once per app (nothing shared is changed per request)."""

from __future__ import annotations

import gettext
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import jinja2

LOCALE = Path(__file__).parent / "locale"
LANGUAGES = {"en": "English", "ko": "한국어"}
DEFAULT = "en"


def translations(lang: str) -> gettext.NullTranslations:
    """The compiled catalogue of ``lang`` (a missing .mo is an error, not a silent English page)."""
    return gettext.translation("messages", localedir=str(LOCALE), languages=[lang])


def environment(lang: str) -> jinja2.Environment:
    """The report layer's environment, with the web templates first and ``lang``'s catalogue."""
    import jinja2

    from twentyten.report.page import environment as report_environment

    env = report_environment()
    env.loader = jinja2.ChoiceLoader([jinja2.PackageLoader("twentyten.web", "templates"), env.loader])
    env.add_extension("jinja2.ext.i18n")
    catalogue = translations(lang)
    env.install_gettext_translations(catalogue, newstyle=True)  # type: ignore[attr-defined]
    env.filters["tr"] = lambda text: service_text(text, catalogue.gettext, lang)
    env.globals["lang"] = lang
    env.globals["languages"] = LANGUAGES
    return env


def pick(cookie: str | None, accept: str | None) -> str:
    """The language from the cookie, else the browser's Accept-Language, else English."""
    if cookie in LANGUAGES:
        return cookie
    for part in (accept or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return DEFAULT


_FIELDS = re.compile(r"\{[^{}]*\}")
_LATIN = re.compile(r"[A-Za-z]")


def service_text(text, gettext_: Callable[[str], str], lang: str):
    """A sentence a service wrote (a :class:`~twentyten.domain.message.Msg`) in the page's
    language, as HTML: the template through the catalogue, numbers formatted by the template,
    and on a page not in English, data inside it (names, sources, row ids, the standards' own
    English text) and any sentence the catalogue lacks marked ``lang="en"``. Text that is not a
    message is data: shown in the page's language where the dataset gives it
    (:class:`~twentyten.domain.message.Text`), else escaped and marked the same way when it has
    Latin letters.

    >>> from twentyten.domain.message import Msg
    >>> str(service_text(Msg("{n:,.1f} of {row}", n=1234.5, row="year-cap[x,2027]"), {}.get, "ko"))
    '<span lang="en">1,234.5 of <span lang="en">year-cap[x,2027]</span></span>'
    """
    from markupsafe import Markup, escape

    from twentyten.domain.message import Msg

    if not isinstance(text, Msg):
        return _data(text, lang)
    template = gettext_(text.template) or text.template
    params = {k: service_text(v, gettext_, lang) if isinstance(v, str) else v for k, v in text.params.items()}
    html = escape(template).format(**params)
    if lang != "en" and template == text.template and _LATIN.search(_FIELDS.sub("", template)):
        return Markup('<span lang="en">{}</span>').format(html)
    return html


def _data(text, lang: str):
    from markupsafe import Markup, escape

    from twentyten.domain.message import Text

    if isinstance(text, Text) and lang in text.variants:  # the dataset's own translation
        return escape(text.variants[lang])
    if lang != "en" and isinstance(text, str) and _LATIN.search(text):
        return Markup('<span lang="en">{}</span>').format(text)
    return escape(text)
