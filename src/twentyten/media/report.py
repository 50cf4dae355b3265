"""A self-contained HTML report of a trend: inline SVG charts and the tables.

The chart geometry is computed here; the markup comes from the shared templates
(``twentyten/report/templates/media_trend.html``). No external CSS, fonts or
JavaScript; the file opens offline and can be mailed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from twentyten.media.trend import Measure, Trend

COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf")
W, H = 860, 360
LEFT, RIGHT, TOP, BOTTOM = 64, 240, 24, 48
TITLES = {
    Measure.SHARE: "Share of articles (%)",
    Measure.ARTICLES: "Matching articles",
    Measure.OCCURRENCES: "Occurrences",
    Measure.PER10K: "Occurrences per 10,000 characters",
}


def _nice_step(raw: float) -> float:
    """1, 2 or 5 times a power of ten, at least ``raw``: readable axis ticks."""
    if raw <= 0 or not math.isfinite(raw):
        return 1.0
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


@dataclass(frozen=True)
class ChartPoint:
    period: str
    x: float
    y: float
    peak: bool
    tooltip: str


@dataclass(frozen=True)
class ChartSeries:
    group: str
    label: str
    colour: str
    path: str
    points: tuple[ChartPoint, ...]
    legend_y: float


@dataclass(frozen=True)
class ChartView:
    """A line chart laid out in SVG coordinates, for the ``line_chart`` template macro."""

    measure: str
    title: str
    width: int
    height: int
    left: int
    top: int
    plot_width: int
    plot_height: int
    ticks: tuple[tuple[float, str], ...]  # (y, label)
    periods: tuple[tuple[float, str], ...]  # (x, label)
    series: tuple[ChartSeries, ...]


def chart(trend: Trend, measure: Measure | str = Measure.SHARE) -> ChartView:
    """The line chart of one measure per period, one series per group.

    Shares are drawn in percent. Peaks are filled dots, on the chart of the measure
    they were found on; a period without articles has no dot and breaks the line.
    """
    m = Measure(measure)
    periods = trend.periods
    n = len(periods)
    scale = 100.0 if m is Measure.SHARE else 1.0
    values = [(s, s.values(m) * scale) for s in trend.series]
    totals = trend.totals
    finite = [v for _, vals in values for v in vals if math.isfinite(v)]
    peak = max(finite) if finite and max(finite) > 0 else 1.0
    step = _nice_step(peak / 4)
    if m in (Measure.ARTICLES, Measure.OCCURRENCES):
        step = max(1.0, step)  # counts: whole-number ticks
    top = step * math.ceil(peak / step)
    pw, ph = W - LEFT - RIGHT, H - TOP - BOTTOM

    def x(i: int) -> float:
        return round(LEFT + (pw * i / (n - 1) if n > 1 else pw / 2), 1)

    def y(v: float) -> float:
        return round(TOP + ph * (1 - v / top), 1)

    unit = "%" if m is Measure.SHARE else ""
    ticks = tuple((y(step * k), f"{step * k:.3g}{unit}") for k in range(round(top / step) + 1))
    every = max(1, math.ceil(n / 12))
    axis = tuple((x(i), periods[i]) for i in range(0, n, every))
    mark_peaks = m is trend.peak_on
    series = []
    for j, (s, vals) in enumerate(values):
        path, pen, points = [], "M", []
        for i, (v, p) in enumerate(zip(vals, s.points, strict=True)):
            # a period without articles has no value, not zero: the line breaks there
            if not (math.isfinite(v) and totals[i] > 0):
                pen = "M"
                continue
            path.append(f"{pen}{x(i):.1f},{y(v):.1f}")
            pen = "L"
            is_peak = mark_peaks and p.peak
            shown = f"{v:.3g}%" if m is Measure.SHARE else f"{v:.3g}" if m is Measure.PER10K else f"{v:.0f}"
            tip = (f"{s.label or s.group} {p.period}: {shown} ({p.articles}/{p.total} articles, "
                   f"{p.occurrences} occurrences){' (peak)' if is_peak else ''}")
            points.append(ChartPoint(p.period, x(i), y(v), is_peak, tip))
        series.append(ChartSeries(s.group, s.label or s.group, COLOURS[j % len(COLOURS)], " ".join(path),
                                  tuple(points), TOP + 14 + 18 * j))
    return ChartView(str(m), f"{TITLES[m]} by {trend.by}", W, H, LEFT, TOP, pw, ph, ticks, axis, tuple(series))


def svg_chart(trend: Trend, measure: Measure | str = Measure.SHARE) -> str:
    """The chart of :func:`chart` as SVG markup."""
    from twentyten.report.page import render

    return render("chart.svg", chart=chart(trend, measure))


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
    """The whole report as one HTML string."""
    from twentyten.report.page import render

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
    star = "occ." if trend.peak_on is Measure.OCCURRENCES else str(trend.peak_on)
    return render(
        "media_trend.html", env,
        title=title,
        subtitle=f"{len(trend.periods)} periods by {trend.by}, {sum(trend.totals):,} articles",
        trend=trend,
        filters=filters,
        rule="optional whitespace between Hangul syllables" if trend.space_tolerant else "exact spacing",
        charts=[(TITLES[m], chart(trend, m)) for m in measures],
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
