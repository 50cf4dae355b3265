"""Write a plan: plan.csv, plan.json, plan.geojson and a self-contained report.html
(rendered by ``twentyten.report.plan_page``: inline SVG map, yearly load against each
capacity, per-province progress, the table; no CDN, no outside request)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import numpy as np

from twentyten.outputs import OutputError, check_writable, write_folder  # noqa: F401  (OutputError: part of this module's API)
from twentyten.plan import saved
from twentyten.plan.solve import PlanResult


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


def html_report(result: PlanResult, shapes: dict[str, Any] | None = None) -> str:
    """The self-contained HTML report (rendered by :func:`twentyten.report.plan_page.plan_page`)."""
    from twentyten.report.plan_page import plan_page

    return plan_page(result, shapes)


OUTPUTS = ("plan.csv", "plan.json", "plan.geojson", "report.html")


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
    check_writable(d)  # before the report is rendered
    rows = saved.plan_rows(result)
    plan = saved.SavedPlan(format=saved.FORMAT, identity=identity, summary=saved.summary(result), plan=rows,
                           inputs=saved.inputs_model(result.inputs), result=saved.result_model(result))
    texts = {
        "plan.csv": csv_text(rows),
        "plan.json": json_text(plan),
        "plan.geojson": json.dumps(geojson(result, rows), ensure_ascii=False),
        "report.html": html_report(result, shapes),
    }
    return write_folder(d, {name: texts[name] for name in OUTPUTS})
