"""Write a plan: plan.csv, plan.json, plan.geojson and a self-contained report.html
(rendered by ``twentyten.report.plan_page``: inline SVG map, yearly load against each
capacity, per-province progress, the table; no CDN, no outside request)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import numpy as np

from twentyten.plan.solve import PlanResult, binding_capacities


def plan_rows(result: PlanResult) -> list[dict[str, Any]]:
    """One row per county × facility type that the county may get."""
    inp = result.inputs
    fixed = inp.fixed_year()
    rows = []
    for c, cid in enumerate(inp.counties):
        for k, t in enumerate(inp.types):
            if not inp.eligible[c, k, :].any() and fixed[c, k] < 0:
                continue
            y = result.year[c, k]
            rows.append({
                "county_id": cid,
                "county": inp.county_names[c],
                "province_id": inp.provinces[inp.county_province[c]],
                "facility_type": t,
                "year": None if y < 0 else inp.years[y],
                "status": "fixed" if fixed[c, k] >= 0 else ("planned" if y >= 0 else "not built"),
                "need": round(float(inp.need[c]), 4),
                "benefit_per_year": round(float(inp.weight[c, k]), 4),
            })
    return rows


def summary(result: PlanResult) -> dict[str, Any]:
    """Solver hygiene and yearly figures, as written to plan.json."""
    inp = result.inputs
    counts = result.counts()
    caps = binding_capacities(result)
    years = []
    for j, y in enumerate(inp.years):
        d: dict[str, Any] = {"year": y}
        for k, t in enumerate(inp.types):
            d[t] = int(counts[k, j])
        for r, capa in inp.capacity.items():
            d[f"{r}_used"] = round(float(result.load(r)[j]), 3)
            d[f"{r}_capacity"] = None if not np.isfinite(capa[j]) else float(capa[j])
        d["binding"] = caps[y]
        years.append(d)
    return {
        "status": result.status.value,
        "proven_optimal": result.is_proven_optimal,
        "method": result.method,
        "solver": result.solver,
        "objective": result.objective,
        "dual_bound": result.dual_bound,
        "mip_gap": result.gap,
        "solve_seconds": round(result.solve_seconds, 3),
        "build_seconds": round(result.build_seconds, 3),
        "greedy_objective": result.greedy_objective,
        "gain_over_greedy": result.gain_over_greedy,
        "time_to_gap": {g: result.time_to_gap(v) for g, v in (("1%", 0.01), ("0.1%", 1e-3), ("0.01%", 1e-4))},
        "model_size": result.model_size,
        "notes": list(inp.notes),
        "years": years,
    }


def write_csv(result: PlanResult, path: Path) -> None:
    rows = plan_rows(result)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()) if rows else ["county_id"])
        w.writeheader()
        w.writerows(rows)


def write_json(result: PlanResult, path: Path) -> None:
    data = {"summary": summary(result), "plan": plan_rows(result)}
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1, default=_jsonable), encoding="utf-8")


def _jsonable(v: Any) -> Any:
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.floating):
        return float(v)
    return str(v)


def county_years(result: PlanResult, facility_type: str = "factory") -> dict[str, int | None]:
    inp = result.inputs
    k = inp.type_index(facility_type)
    return {cid: (None if result.year[c, k] < 0 else inp.years[result.year[c, k]])
            for c, cid in enumerate(inp.counties)}


def geojson(result: PlanResult) -> dict[str, Any]:
    """Counties as points with each facility's year and status."""
    inp = result.inputs
    fixed = inp.fixed_year()
    feats = []
    for c, cid in enumerate(inp.counties):
        if inp.lon is None or inp.lat is None or not np.isfinite(inp.lon[c]):
            continue
        props: dict[str, Any] = {"id": cid, "name": inp.county_names[c],
                                 "province": inp.provinces[inp.county_province[c]]}
        for k, t in enumerate(inp.types):
            y = result.year[c, k]
            props[f"{t}_year"] = None if y < 0 else inp.years[y]
            props[f"{t}_status"] = "fixed" if fixed[c, k] >= 0 else ("planned" if y >= 0 else None)
        feats.append({"type": "Feature", "properties": props,
                      "geometry": {"type": "Point", "coordinates": [float(inp.lon[c]), float(inp.lat[c])]}})
    return {"type": "FeatureCollection", "features": feats}


def html_report(result: PlanResult, shapes: dict[str, Any] | None = None) -> str:
    """The self-contained HTML report (rendered by :func:`twentyten.report.plan_page.plan_page`)."""
    from twentyten.report.plan_page import plan_page

    return plan_page(result, shapes)


def write_all(result: PlanResult, out_dir: str | Path, shapes: dict[str, Any] | None = None) -> list[Path]:
    """Write plan.csv, plan.json, plan.geojson and report.html to ``out_dir``."""
    d = Path(out_dir)
    d.mkdir(parents=True, exist_ok=True)
    paths = [d / "plan.csv", d / "plan.json", d / "plan.geojson", d / "report.html"]
    write_csv(result, paths[0])
    write_json(result, paths[1])
    paths[2].write_text(json.dumps(geojson(result), ensure_ascii=False), encoding="utf-8")
    paths[3].write_text(html_report(result, shapes), encoding="utf-8")
    return paths
