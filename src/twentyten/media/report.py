"""The media-attention chart, one Vega-Lite specification for the dashboard's media page
and for the self-contained HTML report of ``twentyten media trend --html``.

:func:`chart_rows` turns a :class:`~twentyten.media.trend.Trend` into the chart's rows (one
per group and period, with the chosen measure as ``value``); :func:`trend_spec` builds the
specification from those rows. The web page and the report both draw it with the vendored
vega-embed (``twentyten/web/static``); the report carries the libraries inline, so the file
opens offline, loads nothing from anywhere else and can be mailed.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

from twentyten.media.trend import Measure, Trend

#: An identifier of the specification's language only: never fetched.
SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
#: Colour-blind-safe series colours (Okabe-Ito), in group order.
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")


def _same(text: str) -> str:
    return text


def measure_titles(gettext: Callable[[str], str] = _same) -> dict[Measure, str]:
    """Each measure's axis title (``gettext`` translates; the dashboard passes its catalogue's)."""
    return {Measure.SHARE: gettext("Share of articles (%)"), Measure.ARTICLES: gettext("Articles"),
            Measure.OCCURRENCES: gettext("Occurrences"),
            Measure.PER10K: gettext("Occurrences per 10,000 characters")}


def chart_rows(trend: Trend, measure: Measure | str = Measure.SHARE) -> list[dict[str, Any]]:
    """The trend's long rows (:meth:`Trend.rows`) with each group's ``label`` and the
    ``value`` of ``measure`` (shares in percent). A period without articles has no value,
    not zero: the chart's line breaks there."""
    m = Measure(measure)
    labels = {s.group: s.label or s.group for s in trend.series}
    key = {Measure.SHARE: "share", Measure.ARTICLES: "articles", Measure.OCCURRENCES: "occurrences",
           Measure.PER10K: "per10k"}[m]
    out = []
    for r in trend.rows():
        v = r[key] if r["total"] else None
        if v is not None and not math.isfinite(v):
            v = None
        if v is not None and m is Measure.SHARE:
            v = round(100 * v, 6)
        out.append({**r, "label": labels.get(r["group"], r["group"]), "value": v})
    return out


def trend_spec(rows: list[dict[str, Any]], measure: Measure | str, *, peaks: bool = True,
               gettext: Callable[[str], str] = _same) -> dict[str, Any]:
    """The Vega-Lite chart of :func:`chart_rows`: the measure per period, one line per group,
    peaks (``peaks``: the trend's peaks were found on this measure) as larger filled dots.

    Examples
    --------
    >>> spec = trend_spec([{"period": "2020", "group": "g", "label": "G", "value": 5.0,
    ...                     "articles": 1, "total": 2, "occurrences": 1, "peak": False}], "share")
    >>> spec["layer"][0]["encoding"]["y"]["title"]
    'Share of articles (%)'
    """
    from twentyten.report.page import FONT_STACK

    _ = gettext
    m = Measure(measure)
    title = measure_titles(gettext)[m]
    groups = list(dict.fromkeys(r["label"] for r in rows))
    enc = {"x": {"field": "period", "type": "ordinal", "title": _("Period"), "axis": {"labelAngle": 0}},
           "y": {"field": "value", "type": "quantitative", "title": title},
           "color": {"field": "label", "type": "nominal", "title": _("Group"), "legend": {"orient": "top"},
                     "scale": {"domain": groups, "range": [COLOURS[i % len(COLOURS)] for i in range(len(groups))]}},
           "tooltip": [{"field": "label", "title": _("Group")}, {"field": "period", "title": _("Period")},
                       {"field": "value", "title": title, "format": ",.3~f"},
                       {"field": "articles", "title": _("Articles")}, {"field": "total", "title": _("All articles")},
                       {"field": "occurrences", "title": _("Occurrences")}]}
    size: dict[str, Any] = {"value": 30}
    if peaks:
        size = {"condition": {"test": "datum.peak", "value": 130}, "value": 30}
    return {"$schema": SCHEMA, "description": _("Media attention per group and period"),
            "width": "container", "height": 280, "data": {"values": rows},
            "config": {"font": FONT_STACK},
            "usermeta": {"measure": str(m), "peaks": peaks},
            "layer": [
                # a missing value breaks the line instead of joining its neighbours
                {"mark": {"type": "line", "invalid": "break-paths-show-path-domains"}, "encoding": enc},
                {"mark": {"type": "point", "filled": True, "opacity": 1},
                 "transform": [{"filter": "datum.value != null"}],
                 "encoding": {**enc, "size": size}}]}


def _cell(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "yes" if v else ""
    if isinstance(v, float):
        return f"{v:.3f}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


def _shown(rows: list[dict[str, Any]]) -> list[dict[str, str]]:
    return [{k: _cell(v) for k, v in r.items()} for r in rows]


def render_html(
    trend: Trend, title: str = "Media attention", env: Any = None, measure: Measure | str = Measure.SHARE
) -> str:
    """The whole report as one HTML string: the charts of :func:`trend_spec` (the measure,
    and the one the peaks were found on when that is another), the counts and correlations."""
    from twentyten.report.page import chart_licences, chart_scripts, render

    f = trend.filters
    filters = ", ".join(
        x
        for x in (
            f"outlets: {', '.join(f.outlets)}" if f.outlets else "all outlets",
            f"languages: {', '.join(f.langs)}" if f.langs else "",
            f"from {f.date_from}" if f.date_from else "",
            f"to {f.date_to}" if f.date_to else "",
        )
        if x
    )
    measures = [Measure(measure)]
    if trend.peak_on not in measures:
        # peaks were found on another measure: show it too, where the filled dots belong
        measures.append(trend.peak_on)
    titles = measure_titles()
    charts = [(f"{titles[m]} by {trend.by}", f"chart-{m}",
               trend_spec(chart_rows(trend, m), m, peaks=m is trend.peak_on)) for m in measures]
    star = "occ." if trend.peak_on is Measure.OCCURRENCES else str(trend.peak_on)
    return render(
        "media_trend.html", env,
        title=title,
        subtitle=f"{len(trend.periods)} periods by {trend.by}, {sum(trend.totals):,} articles",
        trend=trend,
        filters=filters,
        rule="optional whitespace between Hangul syllables" if trend.space_tolerant else "exact spacing",
        charts=charts,
        scripts=chart_scripts(),
        licences=chart_licences(),
        counts=_shown(trend.wide_rows(measure)),
        counts_caption=f"Counts per {trend.by} (* = peak on {star})",
        correlations=_shown(trend.correlation_rows()),
    )


def write_report(
    trend: Trend, path: str | Path, title: str = "Media attention", measure: Measure | str = Measure.SHARE
) -> Path:
    """Write the report to ``path`` whole: a temporary file beside it, then a rename."""
    from twentyten.outputs import write_file

    return write_file(path, render_html(trend, title, measure=measure))
