"""The simulation's outputs: CSV tables, JSON, and one self-contained HTML page.

The page is built by a small Jinja2 template held here, with its charts as inline SVG
(fan chart of counties finished per year, tornado of the finish probability): no scripts,
no fonts or styles from elsewhere, no outside requests. ``write_outputs`` writes a folder
whole or not at all.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from twentyten.simulate.results import SimulationSummary

OUTPUTS = ("summary.json", "years.csv", "counties.csv", "provinces.csv", "bottlenecks.csv",
           "sensitivity.csv", "state_median.csv", "report.html")


def to_json(s: SimulationSummary) -> str:
    """The summary as JSON: sorted keys, so the same seed gives the same bytes."""
    return json.dumps(s.to_dict(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def to_csv(rows: list[dict[str, Any]]) -> str:
    buf = io.StringIO()
    if rows:
        w = csv.DictWriter(buf, fieldnames=list(rows[0].keys()), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return buf.getvalue()


# charts -------------------------------------------------------------------------------
W, H, PAD = 640, 300, 48


def fan_svg(years: list[dict[str, Any]]) -> str:
    """Counties finished by the end of each year: 5-95 % and 25-75 % bands, median, plan."""
    if not years:
        return ""
    n = len(years)
    top = max(max(r["p95"] for r in years), max(r["planned"] for r in years), 1)

    def x(i: int) -> float:
        return PAD + (W - 2 * PAD) * (i / max(n - 1, 1))

    def y(v: float) -> float:
        return H - PAD - (H - 2 * PAD) * (v / top)

    def band(lo: str, hi: str) -> str:
        pts = [f"{x(i):.1f},{y(r[hi]):.1f}" for i, r in enumerate(years)]
        pts += [f"{x(i):.1f},{y(r[lo]):.1f}" for i, r in reversed(list(enumerate(years)))]
        return " ".join(pts)

    def line(key: str) -> str:
        return " ".join(f"{x(i):.1f},{y(r[key]):.1f}" for i, r in enumerate(years))

    parts = [f'<svg viewBox="0 0 {W} {H}" width="{W}" height="{H}" role="img" '
             f'aria-label="Counties finished per year: fan chart">']
    for frac in (0, 0.25, 0.5, 0.75, 1):
        v = top * frac
        parts.append(f'<line x1="{PAD}" x2="{W - PAD}" y1="{y(v):.1f}" y2="{y(v):.1f}" class="grid"/>'
                     f'<text x="{PAD - 6}" y="{y(v) + 4:.1f}" text-anchor="end">{v:.0f}</text>')
    for i, r in enumerate(years):
        parts.append(f'<text x="{x(i):.1f}" y="{H - PAD + 16}" text-anchor="middle">{r["year"]}</text>')
    parts.append(f'<polygon points="{band("p5", "p95")}" class="outer"/>')
    parts.append(f'<polygon points="{band("p25", "p75")}" class="inner"/>')
    parts.append(f'<polyline points="{line("p50")}" class="median"/>')
    parts.append(f'<polyline points="{line("planned")}" class="plan"/>')
    parts.append(f'<text x="{W - PAD}" y="{PAD - 16}" text-anchor="end">dashed: plan; line: median; '
                 f'bands: 25-75 %, 5-95 % of runs</text>')
    parts.append("</svg>")
    return "".join(parts)


def tornado_svg(rows: list[dict[str, Any]], key: str = "p", top: float = 1.0, label: str = "P") -> str:
    """One bar per uncertainty from its value switched off (``{key}_off``) to more severe
    (``{key}_high``), around the base; the axis runs from 0 to ``top``."""
    if not rows:
        return ""
    h = 34 * len(rows) + 2 * PAD
    left, right = 170, W - 30
    top = top or 1.0

    def x(p: float) -> float:
        return left + (right - left) * p / top

    base = rows[0][f"{key}_base"]
    parts = [f'<svg viewBox="0 0 {W} {h}" width="{W}" height="{h}" role="img" '
             f'aria-label="Sensitivity of the finish probability: tornado chart">']
    for frac in (0, 0.25, 0.5, 0.75, 1):
        p = top * frac
        parts.append(f'<line x1="{x(p):.1f}" x2="{x(p):.1f}" y1="{PAD - 10}" y2="{h - PAD + 4}" class="grid"/>'
                     f'<text x="{x(p):.1f}" y="{h - PAD + 20}" text-anchor="middle">{p:.4g}</text>')
    for i, r in enumerate(rows):
        yy = PAD + 34 * i
        off, high = r[f"{key}_off"], r[f"{key}_high"]
        lo, hi = sorted((off, high))
        parts.append(f'<text x="{left - 8}" y="{yy + 16}" text-anchor="end">{r["uncertainty"]}</text>')
        parts.append(f'<rect x="{x(lo):.1f}" y="{yy + 4}" width="{max(x(hi) - x(lo), 1.5):.1f}" height="18" '
                     f'class="bar"><title>{r["uncertainty"]}: {label} off {off:.4g}, '
                     f'x{r["factor"]:g} {high:.4g}</title></rect>')
    parts.append(f'<line x1="{x(base):.1f}" x2="{x(base):.1f}" y1="{PAD - 10}" y2="{h - PAD + 4}" class="base"/>')
    parts.append(f'<text x="{x(base):.1f}" y="{PAD - 16}" text-anchor="middle">{label}, base {base:.4g}</text>')
    parts.append("</svg>")
    return "".join(parts)




def html_report(s: SimulationSummary) -> str:
    from twentyten.report.page import render

    worst = sorted(s.counties, key=lambda r: (-r["expected_slip"], r["county_id"]))[:25]
    return render(
        "simulate_report.html", title=f"Can {s.horizon[-1]} still be met?",
        subtitle=f"Monte Carlo over a saved plan: {s.runs:,} runs, seed {s.seed}",
        s=s, fan=fan_svg(s.years), tornado=tornado_svg(s.sensitivity),
        tornado_counties=tornado_svg(s.sensitivity, "counties", float(s.counties_in_plan), "counties finished"),
        worst=worst,
        scenario=json.dumps(s.scenario, indent=2, ensure_ascii=False, sort_keys=True),
    )


def texts(s: SimulationSummary) -> dict[str, str]:
    return {
        "summary.json": to_json(s), "years.csv": to_csv(s.years), "counties.csv": to_csv(s.counties),
        "provinces.csv": to_csv(s.provinces), "bottlenecks.csv": to_csv(s.bottlenecks),
        "sensitivity.csv": to_csv(s.sensitivity), "report.html": html_report(s),
        "state_median.csv": to_csv(s.median_state) or "county_id,facility_type,year\n",
    }


def write_outputs(s: SimulationSummary, out_dir: str | Path) -> list[Path]:
    """Write every output into ``out_dir``, whole or not at all (:func:`twentyten.outputs.write_folder`):
    a new folder appears by one rename; in an existing one each file is replaced, and on
    failure the old ones come back. Files that this run does not write are left alone."""
    from twentyten.outputs import write_folder

    d = Path(out_dir)
    if d.exists() and not d.is_dir():
        raise NotADirectoryError(f"{d} is a file, not a folder")
    return write_folder(d, texts(s))
