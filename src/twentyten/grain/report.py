"""A self-contained HTML report of a season simulation: tables and inline SVG charts, no
outside requests (no CDN, no fonts, no scripts)."""

from __future__ import annotations

from html import escape

import numpy as np

from twentyten.grain.simulate import SimResult

COLOURS = {"ambient": "#999999", "continuous": "#1b6ca8", "temperature": "#d1495b", "rh_limited": "#2e933c",
           "combined": "#8f5bb5"}


def _chart(series: list[tuple[str, np.ndarray]], title: str, unit: str, w: int = 760, h: int = 260) -> str:
    pad_l, pad_r, pad_t, pad_b = 48, 150, 24, 28
    allv = np.concatenate([s for _, s in series if len(s)]) if series else np.zeros(1)
    lo, hi = float(np.nanmin(allv)), float(np.nanmax(allv))
    if hi - lo < 1e-9:
        lo, hi = lo - 1, hi + 1
    n = max(len(s) for _, s in series)
    X = lambda i: pad_l + (w - pad_l - pad_r) * i / max(n - 1, 1)  # noqa: E731
    Y = lambda v: pad_t + (h - pad_t - pad_b) * (hi - v) / (hi - lo)  # noqa: E731
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" role="img" '
             f'aria-label="{escape(title)}"><title>{escape(title)}</title>',
             f'<text x="{pad_l}" y="14" font-size="13">{escape(title)} ({escape(unit)})</text>']
    for k in range(5):
        v = lo + (hi - lo) * k / 4
        parts.append(f'<line x1="{pad_l}" x2="{w - pad_r}" y1="{Y(v):.1f}" y2="{Y(v):.1f}" stroke="#ddd"/>'
                     f'<text x="{pad_l - 4}" y="{Y(v) + 4:.1f}" font-size="11" text-anchor="end">{v:.1f}</text>')
    for j, (name, s) in enumerate(series):
        pts = " ".join(f"{X(i):.1f},{Y(v):.1f}" for i, v in enumerate(s))
        col = COLOURS.get(name, "#333333")
        parts.append(f'<polyline fill="none" stroke="{col}" stroke-width="1.6" points="{pts}" '
                     f'data-series="{escape(name)}"/>')
        parts.append(f'<text x="{w - pad_r + 8}" y="{pad_t + 16 * j + 10}" font-size="12" fill="{col}">'
                     f'{escape(name)}</text>')
    parts.append(f'<text x="{pad_l}" y="{h - 6}" font-size="11">day 0</text>'
                 f'<text x="{w - pad_r}" y="{h - 6}" font-size="11" text-anchor="end">day {n - 1}</text></svg>')
    return "".join(parts)


def season_html(r: SimResult) -> str:
    cfg = r.config
    first = [(i, x) for i, x in enumerate(r.results) if x.airflow_m3_min_per_t == cfg.airflow_m3_min_per_t]
    temp = _chart([("ambient", r.daily_ambient_c)] + [(x.strategy, r.daily_temp_c[i]) for i, x in first],
                  f"Daily mean grain temperature by fan strategy at {cfg.airflow_m3_min_per_t:g} m3/min per t", "C")
    moist = _chart([(x.strategy, r.daily_moisture_wb_pct[i]) for i, x in first],
                   f"Daily mean grain moisture at {cfg.airflow_m3_min_per_t:g} m3/min per t", "% w.b.")
    from markupsafe import Markup

    from twentyten.report.page import render

    return render("grain_season.html", title=f"Grain season simulation: {r.crop}", subtitle="",
                  r=r, cfg=cfg, nan=float("nan"), temp_chart=Markup(temp), moisture_chart=Markup(moist))
