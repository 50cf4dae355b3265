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
import os
import shutil
import tempfile
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


TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Simulation: can {{ s.horizon[-1] }} still be met?</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:980px;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border-bottom:1px solid #ddd;padding:3px 8px;text-align:right}
th:first-child,td:first-child{text-align:left}.headline{font-size:1.25em;font-weight:600}
svg text{font-size:11px;fill:#444}.grid{stroke:#eee}.outer{fill:#c6dbef}.inner{fill:#6baed6}
.median{fill:none;stroke:#08306b;stroke-width:2}.plan{fill:none;stroke:#d62728;stroke-width:2;stroke-dasharray:6 4}
.bar{fill:#6baed6}.base{stroke:#d62728;stroke-width:1.5}.note{color:#666}
</style></head><body>
<h1>Can {{ s.horizon[-1] }} still be met?</h1>
<p class="headline">P(every county in the plan finished by {{ s.horizon[-1] }}) =
{{ "%.4f"|format(s.finish_all.p) }} <span class="note">(Monte Carlo s.e. {{ "%.4f"|format(s.finish_all.se) }};
95 % interval {{ "%.4f"|format(s.finish_all.low) }}-{{ "%.4f"|format(s.finish_all.high) }})</span></p>
<p>{{ "{:,}".format(s.runs) }} runs, seed {{ s.seed }}, re-planning: {{ s.replan }}; simulated years
{{ s.simulated_years[0] }}-{{ s.simulated_years[-1] }} (earlier years are the record);
{{ s.counties_in_plan }} counties in the plan.</p>
{% for n in s.notes %}<p class="note">Note: {{ n }}</p>{% endfor %}
<h2>Counties finished by the end of each year</h2>
{{ fan|safe }}
<table><tr><th>year</th><th>plan</th><th>5 %</th><th>25 %</th><th>median</th><th>75 %</th><th>95 %</th><th>mean</th></tr>
{% for r in s.years %}<tr><td>{{ r.year }}</td><td>{{ r.planned }}</td><td>{{ r.p5 }}</td><td>{{ r.p25 }}</td>
<td>{{ r.p50 }}</td><td>{{ r.p75 }}</td><td>{{ r.p95 }}</td><td>{{ r.mean }}</td></tr>{% endfor %}</table>
<h2>What moves the probability most</h2>
{% if s.sensitivity %}<p>Bars run from the uncertainty switched off to {{ s.scenario.sensitivity_factor }}
times as severe. First the probability of finishing every county, then the expected number of counties
finished by {{ s.horizon[-1] }} (which still moves when the probability is near 0 or 1).</p>
{{ tornado|safe }}
{{ tornado_counties|safe }}
<table><tr><th>uncertainty</th><th>P, off</th><th>P, base</th><th>P, &times;{{ s.scenario.sensitivity_factor }}</th><th>swing</th>
<th>counties, off</th><th>counties, base</th><th>counties, &times;{{ s.scenario.sensitivity_factor }}</th></tr>
{% for r in s.sensitivity %}<tr><td>{{ r.uncertainty }}</td><td>{{ r.p_off }}</td><td>{{ r.p_base }}</td>
<td>{{ r.p_high }}</td><td>{{ r.swing }}</td><td>{{ r.counties_off }}</td><td>{{ r.counties_base }}</td>
<td>{{ r.counties_high }}</td></tr>{% endfor %}</table>
<p class="note">{{ "{:,}".format(s.sensitivity_runs) }} runs per bar, with the same random numbers as each other.</p>
{% else %}<p class="note">Not computed (--sensitivity-runs 0).</p>{% endif %}
<h2>Bottlenecks</h2>
<p class="note">Share of simulated run-years in which each constraint left a due package waiting.</p>
<table><tr><th>constraint</th><th>all years</th>{% for y in s.simulated_years %}<th>{{ y }}</th>{% endfor %}</tr>
{% for r in s.bottlenecks %}<tr><td>{{ r.constraint }}</td><td>{{ r.share_of_run_years }}</td>
{% for y in s.simulated_years %}<td>{{ r[y|string] }}</td>{% endfor %}</tr>{% endfor %}</table>
<h2>Provinces</h2>
<table><tr><th>province</th><th>counties</th><th>P(all finished)</th><th>expected unfinished</th><th>expected slip (years)</th></tr>
{% for r in s.provinces %}<tr><td>{{ r.province }}</td><td>{{ r.counties }}</td><td>{{ r.p_all_finished }}</td>
<td>{{ r.expected_unfinished }}</td><td>{{ r.expected_slip }}</td></tr>{% endfor %}</table>
<h2>Counties most likely to slip</h2>
<p class="note">Slip: finish year minus planned year; a county not finished by {{ s.horizon[-1] }} counts as
finishing the year after (so its slip is a lower bound).</p>
<table><tr><th>county</th><th>province</th><th>planned</th><th>P(finished)</th><th>expected slip</th></tr>
{% for r in worst %}<tr><td>{{ r.county }}</td><td>{{ r.province_id }}</td><td>{{ r.planned_year }}</td>
<td>{{ r.p_finished }}</td><td>{{ r.expected_slip }}</td></tr>{% endfor %}</table>
<h2>Scenario</h2>
<pre>{{ scenario }}</pre>
</body></html>
"""


def html_report(s: SimulationSummary) -> str:
    import jinja2

    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    worst = sorted(s.counties, key=lambda r: (-r["expected_slip"], r["county_id"]))[:25]
    return env.from_string(TEMPLATE).render(
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
    """Write every output into ``out_dir``, whole or not at all: a new folder appears by one
    rename; in an existing one each file is replaced, and on failure the old ones come back.
    Files in the folder that this run does not write are left alone."""
    d = Path(out_dir)
    content = texts(s)
    exists = d.exists()
    if exists and not d.is_dir():
        raise NotADirectoryError(f"{d} is a file, not a folder")
    if not exists:
        d.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{d.name}.partial-", dir=d if exists else d.parent))
    try:
        for name in OUTPUTS:
            (tmp / name).write_text(content[name], encoding="utf-8")
        if not exists:
            mask = os.umask(0)
            os.umask(mask)
            os.chmod(tmp, 0o777 & ~mask)
            os.rename(tmp, d)
        else:
            _replace_all(tmp, d)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)  # our own temporary folder
    return [d / n for n in OUTPUTS]


def _replace_all(tmp: Path, d: Path) -> None:
    done: list[str] = []
    kept = tmp / ".old"
    kept.mkdir()
    try:
        for name in OUTPUTS:
            if (d / name).exists():
                shutil.copy2(d / name, kept / name)
            os.replace(tmp / name, d / name)
            done.append(name)
    except OSError:
        for name in done:
            if (kept / name).exists():
                os.replace(kept / name, d / name)
            else:
                os.unlink(d / name)  # written by this run, no old version
        raise
