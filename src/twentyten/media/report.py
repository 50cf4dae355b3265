"""A self-contained HTML report of a trend: inline SVG charts and the tables.

No external CSS, fonts or JavaScript; the file opens offline and can be mailed.
"""

from __future__ import annotations

import html
import math
from pathlib import Path

from twentyten.media.trend import Measure, Trend

COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf")
W, H = 860, 360
LEFT, RIGHT, TOP, BOTTOM = 64, 240, 24, 48
# Korean fonts first: group labels and terms are often Hangul, and a generic
# sans-serif on a machine without a CJK default shows them as boxes
FONT_STACK = (
    '"Noto Sans CJK KR", "Noto Sans KR", "Source Han Sans K", "Malgun Gothic", '
    '"Apple SD Gothic Neo", "NanumGothic", "Helvetica Neue", Arial, sans-serif'
)
TITLES = {
    Measure.SHARE: "Share of articles (%)",
    Measure.ARTICLES: "Matching articles",
    Measure.OCCURRENCES: "Occurrences",
}


def _esc(x: object) -> str:
    return html.escape(str(x), quote=True)


def _nice_step(raw: float) -> float:
    """1, 2 or 5 times a power of ten, at least ``raw``: readable axis ticks."""
    if raw <= 0 or not math.isfinite(raw):
        return 1.0
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def svg_chart(trend: Trend, measure: Measure | str = Measure.SHARE) -> str:
    """An SVG line chart of one measure per period, one ``g.series`` per group.

    Shares are drawn in percent. Peaks are filled dots, on the chart of the measure
    they were found on; a period without articles has no dot and breaks the line.
    """
    m = Measure(measure)
    periods = trend.periods
    n = len(periods)
    scale = 100.0 if m is Measure.SHARE else 1.0
    series = [(s, s.values(m) * scale) for s in trend.series]
    totals = trend.totals
    finite = [v for _, vals in series for v in vals if math.isfinite(v)]
    peak = max(finite) if finite and max(finite) > 0 else 1.0
    step = _nice_step(peak / 4)
    if m is not Measure.SHARE:
        step = max(1.0, step)  # counts: whole-number ticks
    top = step * math.ceil(peak / step)
    pw, ph = W - LEFT - RIGHT, H - TOP - BOTTOM

    def x(i: int) -> float:
        return LEFT + (pw * i / (n - 1) if n > 1 else pw / 2)

    def y(v: float) -> float:
        return TOP + ph * (1 - v / top)

    out = [
        f'<svg class="chart" data-measure="{m}" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {W} {H}" width="{W}" height="{H}" role="img" '
        f'aria-label="{_esc(TITLES[m])} by {_esc(trend.by)}" font-size="11">',
        f"<title>{_esc(TITLES[m])} by {_esc(trend.by)}</title>",
        f'<rect x="{LEFT}" y="{TOP}" width="{pw}" height="{ph}" fill="none" stroke="#999"/>',
    ]
    unit = "%" if m is Measure.SHARE else ""
    for k in range(round(top / step) + 1):
        v = step * k
        out.append(
            f'<line x1="{LEFT}" x2="{LEFT + pw}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#eee"/>'
        )
        out.append(
            f'<text class="tick" x="{LEFT - 6}" y="{y(v) + 4:.1f}" text-anchor="end">{v:.3g}{unit}</text>'
        )
    every = max(1, math.ceil(n / 12))
    for i in range(0, n, every):
        out.append(
            f'<text class="period" x="{x(i):.1f}" y="{TOP + ph + 16}" text-anchor="middle">'
            f"{_esc(periods[i])}</text>"
        )
    mark_peaks = m is trend.peak_on
    for j, (s, vals) in enumerate(series):
        colour = COLOURS[j % len(COLOURS)]
        path, pen = [], "M"
        for i, v in enumerate(vals):
            # a period without articles has no value, not zero: the line breaks there
            if math.isfinite(v) and totals[i] > 0:
                path.append(f"{pen}{x(i):.1f},{y(v):.1f}")
                pen = "L"
            else:
                pen = "M"
        out.append(f'<g class="series" data-group="{_esc(s.group)}">')
        out.append(f'<path d="{" ".join(path)}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for i, (v, p) in enumerate(zip(vals, s.points, strict=True)):
            if math.isfinite(v) and totals[i] > 0:
                is_peak = mark_peaks and p.peak
                r, fill = (4.5, colour) if is_peak else (2.5, "white")
                shown = f"{v:.3g}%" if m is Measure.SHARE else f"{v:.0f}"
                out.append(
                    f'<circle class="point{" peak" if is_peak else ""}" data-period="{_esc(p.period)}" '
                    f'cx="{x(i):.1f}" cy="{y(v):.1f}" r="{r}" fill="{fill}" stroke="{colour}">'
                    f"<title>{_esc(s.label or s.group)} {_esc(p.period)}: {shown} "
                    f"({p.articles}/{p.total} articles, {p.occurrences} occurrences)"
                    f"{' (peak)' if is_peak else ''}</title></circle>"
                )
        out.append("</g>")
        ly = TOP + 14 + 18 * j
        out.append(
            f'<line x1="{LEFT + pw + 12}" x2="{LEFT + pw + 32}" y1="{ly - 4}" y2="{ly - 4}" stroke="{colour}" stroke-width="2"/>'
        )
        out.append(
            f'<text class="legend" x="{LEFT + pw + 38}" y="{ly}">{_esc(s.label or s.group)}</text>'
        )
    out.append("</svg>")
    return "\n".join(out)


def _cell(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "yes" if v else ""
    if isinstance(v, float):
        return f"{v:.3f}"
    if isinstance(v, int):
        return f"{v:,}"
    return _esc(v)


def _table(rows: list[dict], caption: str) -> str:
    if not rows:
        return ""
    cols = list(rows[0])
    head = "".join(f"<th>{_esc(c)}</th>" for c in cols)
    body = "\n".join(
        "<tr>" + "".join(f"<td>{_cell(r[c])}</td>" for c in cols) + "</tr>" for r in rows
    )
    return (
        f'<div class="scroll"><table><caption>{_esc(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>\n{body}\n</tbody></table></div>"
    )


def render_html(trend: Trend, title: str = "Media attention") -> str:
    """The whole report as one HTML string."""
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
    groups = "".join(
        f"<li><b>{_esc(s.group)}</b> ({_esc(s.label)}): {_esc(s.query)}</li>" for s in trend.series
    )
    rule = (
        "optional whitespace between Hangul syllables" if trend.space_tolerant else "exact spacing"
    )
    measures = [Measure.SHARE]
    if trend.peak_on is not Measure.SHARE:
        # peaks were found on counts: show those too, where the filled dots belong
        measures.append(trend.peak_on)
    charts = "".join(f"<h2>{_esc(TITLES[m])}</h2>\n{svg_chart(trend, m)}\n" for m in measures)
    star = "occ." if trend.peak_on is Measure.OCCURRENCES else str(trend.peak_on)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{_esc(title)}</title>
<style>
body, svg {{ font-family: {FONT_STACK}; }}
body {{ margin: 2em; max-width: 70em; color: #222; }}
table {{ border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }}
td, th {{ border: 1px solid #ccc; padding: 2px 8px; text-align: right; }}
td {{ white-space: nowrap; }}
.scroll {{ overflow-x: auto; }}
caption {{ text-align: left; font-weight: bold; padding: 4px 0; }}
h2 {{ font-size: 1.1em; margin-top: 1.5em; }}
.note {{ color: #555; font-size: 0.9em; }}
</style></head><body>
<h1>{_esc(title)}</h1>
<p>Share of articles per {_esc(trend.by)} that match each term group; the denominator is all
articles in the same period with the same filters ({_esc(filters)}). Matching: substring, {_esc(rule)}.
Peaks are found on {_esc(trend.peak_on)} and drawn as filled dots.</p>
<ul>{groups}</ul>
{charts}
{_table(trend.wide_rows(), f"Counts per {trend.by} (* = peak on {star})")}
{_table(trend.correlation_rows(), "Correlation of shares: a at t against b at t + lag")}
<p class="note">Generated by twentyten media trend. Correlations on fewer than 10 periods are fragile.</p>
</body></html>
"""


def write_report(trend: Trend, path: str | Path, title: str = "Media attention") -> Path:
    p = Path(path)
    p.write_text(render_html(trend, title), encoding="utf-8")
    return p
