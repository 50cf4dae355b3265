"""Write a plan: plan.csv, plan.json, plan.geojson and a self-contained report.html
(inline SVG map, yearly load against each capacity, per-province progress, the table;
no CDN, no JavaScript)."""

from __future__ import annotations

import csv
import html
import io
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from twentyten.plan import saved
from twentyten.plan.inputs import RESOURCE_FAMILY, RESOURCE_UNIT
from twentyten.plan.solve import PlanResult, binding_capacities

PALETTE = ["#b2182b", "#d6604d", "#f4a582", "#fddbc7", "#d1e5f0", "#92c5de", "#4393c3",
           "#2166ac", "#053061", "#542788", "#8073ac", "#b2abd2"]


def plan_rows(result: PlanResult) -> list[dict[str, Any]]:
    """One row per county × facility type that the county may get (:class:`saved.PlanRow`)."""
    return [r.model_dump() for r in saved.plan_rows(result)]


def summary(result: PlanResult) -> dict[str, Any]:
    """Solver hygiene and yearly figures, as written to plan.json (:class:`saved.Summary`)."""
    return saved.summary(result).model_dump()


def csv_text(rows: list[saved.PlanRow]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(saved.PlanRow.model_fields), lineterminator="\n")
    w.writeheader()
    w.writerows(r.model_dump() for r in rows)
    return buf.getvalue()


def json_text(plan: saved.SavedPlan) -> str:
    return plan.model_dump_json(indent=None) + "\n"


def county_years(result: PlanResult, facility_type: str = "factory") -> dict[str, int | None]:
    inp = result.inputs
    k = inp.type_index(facility_type)
    return {cid: (None if result.year[c, k] < 0 else inp.years[result.year[c, k]])
            for c, cid in enumerate(inp.counties)}


def geojson(result: PlanResult, rows: list[saved.PlanRow] | None = None) -> dict[str, Any]:
    """Counties as points with each facility's year and status (from the plan's rows)."""
    inp = result.inputs
    by_county: dict[str, dict[str, Any]] = {}
    for r in rows if rows is not None else saved.plan_rows(result):
        d = by_county.setdefault(r.county_id, {})
        d[f"{r.facility_type}_year"] = r.year
        d[f"{r.facility_type}_status"] = None if r.status == "not built" else r.status
    feats = []
    for c, cid in enumerate(inp.counties):
        if inp.lon is None or inp.lat is None or not (np.isfinite(inp.lon[c]) and np.isfinite(inp.lat[c])):
            continue
        props: dict[str, Any] = {"id": cid, "name": inp.county_names[c],
                                 "province": inp.provinces[inp.county_province[c]]}
        for t in inp.types:
            props[f"{t}_year"] = by_county.get(cid, {}).get(f"{t}_year")
            props[f"{t}_status"] = by_county.get(cid, {}).get(f"{t}_status")
        feats.append({"type": "Feature", "properties": props,
                      "geometry": {"type": "Point", "coordinates": [float(inp.lon[c]), float(inp.lat[c])]}})
    return {"type": "FeatureCollection", "features": feats}


def _polygons(shapes: dict[str, Any] | None) -> dict[str, Any]:
    """County id -> GeoJSON geometry, from features or geometries keyed by id."""
    out = {}
    for rid, f in (shapes or {}).items():
        geom = f.get("geometry") if f.get("type") == "Feature" else f
        if geom:
            out[rid] = geom
    return out


def _map_svg(result: PlanResult, shapes: dict[str, Any] | None = None) -> str:
    """Counties coloured by the planned year of their factory package (shapes, else points)."""
    from twentyten.report import svgmap

    inp = result.inputs
    k = inp.type_index("factory") if "factory" in inp.types else 0
    polys = _polygons(shapes)
    layers = []
    for c, cid in enumerate(inp.counties):
        y = result.year[c, k]
        geom = polys.get(cid)
        if not (geom and geom.get("type") in ("Polygon", "MultiPolygon")):
            if inp.lon is None or inp.lat is None or not (np.isfinite(inp.lon[c]) and np.isfinite(inp.lat[c])):
                continue
            geom = {"type": "Point", "coordinates": [float(inp.lon[c]), float(inp.lat[c])]}
        year = "" if y < 0 else str(inp.years[y])
        layers.append(svgmap.MapLayer(
            cid, inp.county_names[c], geom,
            svgmap.NO_DATA if y < 0 else PALETTE[y % len(PALETTE)],
            f"{inp.county_names[c]}: {year or 'not built'}",
            attrs={"data-county": cid, "data-year": year}))
    if not layers:
        return "<p>No coordinates.</p>"
    items = [(PALETTE[j % len(PALETTE)], str(yr)) for j, yr in enumerate(inp.years)] + [(svgmap.NO_DATA, "not built")]
    attrs = [{"data-year": str(yr)} for yr in inp.years] + [{"data-year": ""}]
    legend = svgmap.Legend("factory package", items, attrs)
    return svgmap.render(layers, legend=legend, width=560, height=640, title="counties by planned year")


def _bars(result: PlanResult) -> str:
    inp = result.inputs
    out = []
    for r, capa in inp.capacity.items():
        load = result.load(r)
        if not np.isfinite(capa).any() and not load.any():
            continue
        top = max(float(np.nanmax(np.where(np.isfinite(capa), capa, 0))), float(load.max()), 1e-9)
        out.append(f"<h3>{html.escape(RESOURCE_FAMILY.get(r, r))} ({html.escape(RESOURCE_UNIT.get(r, ''))})</h3>"
                   f"<table class='bars' data-resource='{html.escape(r)}'>")
        for j, y in enumerate(inp.years):
            w = 300 * load[j] / top
            cap_txt = "unlimited" if not np.isfinite(capa[j]) else f"{capa[j]:,.1f}"
            cap_mark = "" if not np.isfinite(capa[j]) else f'<div class="cap" style="left:{300 * capa[j] / top:.0f}px"></div>'
            out.append(f"<tr data-year='{y}'><td>{y}</td><td><div class='track'><div class='bar' style='width:{w:.0f}px'></div>{cap_mark}</div></td>"
                       f"<td>{load[j]:,.1f} / {cap_txt}</td></tr>")
        out.append("</table>")
    counts = result.counts()
    out.append("<h3>packages per year against year-cap</h3><table><tr><th>year</th>"
               + "".join(f"<th>{html.escape(t)}</th>" for t in inp.types) + "<th>binding</th></tr>")
    binding = binding_capacities(result)
    for j, y in enumerate(inp.years):
        cells = "".join(
            f"<td>{counts[k, j]}" + ("" if inp.cap[k, j] >= 10**8 else f" / {inp.cap[k, j]}") + "</td>"
            for k in range(len(inp.types)))
        out.append(f"<tr><td>{y}</td>{cells}<td>{html.escape(', '.join(binding[y]))}</td></tr>")
    out.append("</table>")
    return "".join(out)


def _provinces(result: PlanResult) -> str:
    inp = result.inputs
    k = inp.type_index("factory") if "factory" in inp.types else 0
    P = len(inp.provinces)
    n_p = np.bincount(inp.county_province, minlength=P)
    rows = ["<table><tr><th>province</th><th>counties</th>" + "".join(f"<th>{y}</th>" for y in inp.years) + "</tr>"]
    for p in range(P):
        sel = inp.county_province == p
        if not sel.any():
            continue
        ys = result.year[sel, k]
        cum = [(int(((ys >= 0) & (ys <= j)).sum())) for j in range(len(inp.years))]
        cells = "".join(f"<td>{v} ({100 * v / n_p[p]:.0f}%)</td>" for v in cum)
        rows.append(f"<tr><td>{html.escape(inp.province_name(p))}</td><td>{n_p[p]}</td>{cells}</tr>")
    rows.append("</table>")
    return "".join(rows)


def html_report(result: PlanResult, shapes: dict[str, Any] | None = None) -> str:
    """The self-contained HTML report; ``shapes`` (county id -> GeoJSON feature or geometry,
    e.g. ``Atlas.shapes()``) draws counties as areas, else as points."""
    s = summary(result)
    gap = "n/a" if result.gap is None else f"{100 * result.gap:.3f} %"
    ttg = ", ".join(f"{g}: {'not reached' if v is None else f'{v:.1f} s'}" for g, v in s["time_to_gap"].items())
    label = "" if result.is_proven_optimal else " (NOT proven optimal)"
    inp = result.inputs
    pname = {pid: inp.province_name(p) for p, pid in enumerate(inp.provinces)}
    table = ["<table id='plan-table'><tr><th>county</th><th>province</th><th>facility</th><th>year</th>"
             "<th>status</th><th>need</th></tr>"]
    for r in plan_rows(result):
        r = {**r, "province_id": pname.get(r["province_id"], r["province_id"])}
        table.append("<tr class='plan-row'>" + "".join(
            f"<td>{html.escape(str(r[c] if r[c] is not None else '-'))}</td>"
            for c in ("county", "province_id", "facility_type", "year", "status", "need")) + "</tr>")
    table.append("</table>")
    notes = "".join(f"<li>{html.escape(n)}</li>" for n in result.inputs.notes)
    css = ("body{font-family:sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse;font-size:12px}"
           "td,th{border:1px solid #ccc;padding:2px 6px}.track{position:relative;width:310px;height:12px;background:#f3f3f3}"
           ".bar{height:12px;background:#4393c3}.cap{position:absolute;top:-2px;width:2px;height:16px;background:#b2182b}"
           ".bars td{border:none}")
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>twentyten rollout plan</title>
<style>{css}</style></head><body>
<h1>Rollout plan {result.inputs.years[0]}–{result.inputs.years[-1]}</h1>
<p><b>Status: {html.escape(result.status.value)}{label}</b>. Objective {result.objective:,.2f};
dual bound {'n/a' if result.dual_bound is None else f'{result.dual_bound:,.2f}'}; MIP gap reached {gap};
solve {result.solve_seconds:.1f} s ({html.escape(result.solver)}). Time to gap: {ttg}.
Greedy baseline {result.greedy_objective:,.2f}: the optimiser gains {100 * result.gain_over_greedy:+.2f} %.</p>
<ul>{notes}</ul>
<h2>Map: counties by planned factory-package year</h2><div id="map">{_map_svg(result, shapes)}</div>
<h2>Yearly load against each capacity</h2><div id="load">{_bars(result)}</div>
<h2>Per-province progress (factory packages, cumulative)</h2>{_provinces(result)}
<h2>The plan</h2>{''.join(table)}
</body></html>"""


OUTPUTS = ("plan.csv", "plan.json", "plan.geojson", "report.html")


class OutputError(OSError):
    """The output folder cannot be written: one line naming it and the reason."""


def check_writable(out_dir: str | Path) -> None:
    """Refuse (OutputError) an output folder that cannot be written, before any work is done:
    a file in its place, or a folder (or the nearest existing parent) where a probe file
    cannot be created."""
    d = Path(out_dir)
    probe_in = d
    if d.exists():
        if not d.is_dir():
            raise OutputError(f"{d}: exists and is not a folder")
    else:
        probe_in = d.parent
        while not probe_in.exists():
            probe_in = probe_in.parent
        if not probe_in.is_dir():
            raise OutputError(f"{d}: cannot be created: {probe_in} is not a folder")
    try:
        fd, name = tempfile.mkstemp(prefix=".twentyten-probe-", dir=probe_in)
    except OSError as e:
        raise OutputError(f"{d}: cannot write in {probe_in}: {e.strerror or e}") from None
    os.close(fd)
    os.unlink(name)  # our own probe


def write_all(result: PlanResult, out_dir: str | Path, shapes: dict[str, Any] | None = None,
              identity: saved.Identity | None = None) -> list[Path]:
    """Write plan.csv, plan.json, plan.geojson and report.html to ``out_dir``, whole or not at all.

    The files are written into a temporary folder first (inside ``out_dir`` when it exists,
    else beside it). A new ``out_dir`` is then renamed into place in one step; in an existing
    one each file replaces its old version, and if a replacement fails the ones already
    replaced are put back, so the folder holds the old plan or the new one. Nothing else in
    ``out_dir`` is touched.
    """
    d = Path(out_dir)
    check_writable(d)
    rows = saved.plan_rows(result)
    plan = saved.SavedPlan(format=saved.FORMAT, identity=identity, summary=saved.summary(result), plan=rows,
                           inputs=saved.inputs_model(result.inputs), result=saved.result_model(result))
    texts = {
        "plan.csv": csv_text(rows),
        "plan.json": json_text(plan),
        "plan.geojson": json.dumps(geojson(result, rows), ensure_ascii=False),
        "report.html": html_report(result, shapes),
    }
    exists = d.exists()
    if not exists:
        d.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{d.name}.partial-", dir=d if exists else d.parent))
    try:
        for name in OUTPUTS:
            (tmp / name).write_text(texts[name], encoding="utf-8")
        if not exists:
            mask = os.umask(0)
            os.umask(mask)
            os.chmod(tmp, 0o777 & ~mask)  # mkdtemp makes it private; a new folder gets the usual mode
            os.rename(tmp, d)
            return [d / n for n in OUTPUTS]
        _replace_all(tmp, d)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)  # our own temporary folder
    return [d / n for n in OUTPUTS]


def _replace_all(tmp: Path, d: Path) -> None:
    """Move the new files from ``tmp`` into ``d``; on failure put the old ones back."""
    done: list[str] = []
    kept = tmp / ".old"
    kept.mkdir()
    try:
        for name in OUTPUTS:
            if (d / name).exists():
                try:
                    os.link(d / name, kept / name)  # a second name for the old file, to restore it
                except OSError:
                    shutil.copy2(d / name, kept / name)
            os.replace(tmp / name, d / name)
            done.append(name)
    except OSError:
        for name in done:
            if (kept / name).exists():
                os.replace(kept / name, d / name)
            else:
                os.unlink(d / name)  # new in this run, no old version
        raise
