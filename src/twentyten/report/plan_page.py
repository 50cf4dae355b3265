"""The plan as a page: ``report.html`` of ``twentyten plan --out``.

Everything shown is computed here from the :class:`PlanResult` (a view model of plain
values); the markup is ``templates/plan_report.html``. The map colours counties by the
year of their package on a sequential ramp (earlier = darker), with the years of the
record marked; the plan table sorts and filters in the page (small inline script).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from twentyten.domain.facility import BY_KEY
from twentyten.plan.inputs import RESOURCE_FAMILY, RESOURCE_UNIT, PlanInputs
from twentyten.plan.solve import PlanResult, binding_capacities
from twentyten.report import svgmap

BAR_PX = 300  # length of a full load bar (the larger of the year's load and capacity)
ROW_NAME = re.compile(r"^(?P<family>[\w-]+)\[(?P<labels>[^\]]*)\]$")


def facility_label(key: str) -> str:
    """A facility type as a reader names it (the registry's label; the key if unregistered)."""
    return BY_KEY[key].label if key in BY_KEY else key.replace("_", " ")


def readable(row: str) -> str:
    """A short label for a model row name: ``year-cap[factory,2027]`` -> "factory cap full",
    ``construction-capacity[2027]`` -> "construction capacity full"."""
    m = ROW_NAME.match(row)
    if m is None:
        return row
    family, labels = m["family"], m["labels"].split(",")
    if family == "year-cap" and labels:
        return f"{facility_label(labels[0]).lower()} cap full"
    return f"{family.replace('-', ' ')} full"


def record_years(inp: PlanInputs) -> set[int]:
    """Years whose builds come from the record: any year with a commitment, and every
    year before the re-plan year (the record is complete there)."""
    years = {cm.year for cm in inp.commitments}
    if inp.replan_from is not None:
        years |= {y for y in inp.years if y < inp.replan_from}
    return years


@dataclass(frozen=True)
class YearStyle:
    year: int
    colour: str
    record: bool

    @property
    def label(self) -> str:
        return f"{self.year} (record)" if self.record else str(self.year)


def year_styles(inp: PlanInputs) -> list[YearStyle]:
    """One colour per year of the horizon, dark to light, and whether it is a record year."""
    rec = record_years(inp)
    return [YearStyle(y, c, y in rec) for y, c in zip(inp.years, svgmap.ramp(len(inp.years)), strict=True)]


def _lead_type(inp: PlanInputs) -> int:
    return inp.type_index("factory") if "factory" in inp.types else 0


def _polygons(shapes: dict[str, Any] | None) -> dict[str, Any]:
    """County id -> GeoJSON geometry, from features or geometries keyed by id."""
    out = {}
    for rid, f in (shapes or {}).items():
        geom = f.get("geometry") if f.get("type") == "Feature" else f
        if geom:
            out[rid] = geom
    return out


def plan_map(result: PlanResult, shapes: dict[str, Any] | None = None) -> svgmap.MapView | None:
    """Counties coloured by the year of their lead package (shapes, else points); ``None``
    when no county has a place to draw."""
    inp = result.inputs
    k = _lead_type(inp)
    styles = year_styles(inp)
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
            svgmap.NO_DATA if y < 0 else styles[y].colour,
            f"{inp.county_names[c]}: {styles[y].label if y >= 0 else 'not built'}",
            attrs={"data-county": cid, "data-year": year}))
    if not layers:
        return None
    items = [(s.colour, s.label) for s in styles] + [(svgmap.NO_DATA, "not built")]
    attrs = [{"data-year": str(s.year), "data-record": "yes" if s.record else "no"} for s in styles]
    legend = svgmap.Legend("year", items, attrs + [{"data-year": ""}])
    return svgmap.layout(layers, legend=legend, width=560, height=640, title="counties by planned year")


@dataclass(frozen=True)
class LoadBar:
    year: int
    used: float
    capacity: float  # inf = unlimited
    width: float  # px
    cap_left: float | None  # px, None = no capacity mark


@dataclass(frozen=True)
class LoadChart:
    resource: str
    title: str
    unit: str
    bars: tuple[LoadBar, ...]


def load_charts(result: PlanResult) -> list[LoadChart]:
    """Each resource's yearly load against its capacity (resources neither used nor capped are left out)."""
    inp = result.inputs
    out = []
    for r, capa in inp.capacity.items():
        load = result.load(r)
        if not np.isfinite(capa).any() and not load.any():
            continue
        top = max(float(np.nanmax(np.where(np.isfinite(capa), capa, 0))), float(load.max()), 1e-9)
        bars = tuple(
            LoadBar(y, float(load[j]), float(capa[j]), round(BAR_PX * float(load[j]) / top, 1),
                    round(BAR_PX * float(capa[j]) / top, 1) if np.isfinite(capa[j]) else None)
            for j, y in enumerate(inp.years))
        out.append(LoadChart(r, RESOURCE_FAMILY.get(r, r), RESOURCE_UNIT.get(r, ""), bars))
    return out


@dataclass(frozen=True)
class Binding:
    label: str
    row: str  # the model's row name


@dataclass(frozen=True)
class CapCell:
    built: int
    cap: int | None  # None = uncapped
    full: Binding | None  # the year-cap row when it binds


def yearly_counts(result: PlanResult) -> list[dict[str, Any]]:
    """Per year: packages of each type against the year-cap, which caps are full, and which
    resource capacities are used up (short labels; the model's row names kept for tooltips)."""
    inp = result.inputs
    counts = result.counts()
    binding = binding_capacities(result)
    rec = record_years(inp)
    out = []
    for j, y in enumerate(inp.years):
        rows = set(binding[y])
        cells = []
        for k, t in enumerate(inp.types):
            row = f"year-cap[{t},{y}]"
            cells.append(CapCell(int(counts[k, j]), None if inp.cap[k, j] >= 10**8 else int(inp.cap[k, j]),
                                 Binding(readable(row), row) if row in rows else None))
        others = [Binding(readable(b), b) for b in binding[y] if not b.startswith("year-cap[")]
        out.append({"year": y, "record": y in rec, "cells": cells, "resources": others})
    return out


@dataclass(frozen=True)
class Segment:
    year: int
    count: int
    colour: str
    percent: float  # of the province's counties


@dataclass(frozen=True)
class ProvinceProgress:
    name: str
    counties: int
    built: int
    segments: tuple[Segment, ...]
    cumulative: tuple[int, ...]  # built by the end of each year

    @property
    def percent(self) -> float:
        return 100 * self.built / self.counties if self.counties else 0.0

    @property
    def summary(self) -> str:
        years = ", ".join(f"{s.year}: {s.count}" for s in self.segments)
        return f"{self.name}: {self.built} of {self.counties} counties ({years or 'none'})"


def province_progress(result: PlanResult) -> list[ProvinceProgress]:
    """Lead packages of each province by year: the segments of its progress bar."""
    inp = result.inputs
    k = _lead_type(inp)
    styles = year_styles(inp)
    out = []
    for p in range(len(inp.provinces)):
        sel = inp.county_province == p
        n = int(sel.sum())
        if not n:
            continue
        per_year = np.bincount(result.year[sel, k][result.year[sel, k] >= 0], minlength=len(inp.years))
        segs = tuple(Segment(s.year, int(per_year[j]), s.colour, round(100 * per_year[j] / n, 2))
                     for j, s in enumerate(styles) if per_year[j])
        out.append(ProvinceProgress(inp.province_name(p), n, int(per_year.sum()), segs,
                                    tuple(int(v) for v in np.cumsum(per_year))))
    return out


def plan_table(result: PlanResult) -> list[dict[str, Any]]:
    """The rows of the plan table as shown: names, not ids."""
    from twentyten.plan.report import plan_rows

    inp = result.inputs
    pname = {pid: inp.province_name(p) for p, pid in enumerate(inp.provinces)}
    rec = record_years(inp)
    return [{"county": r["county"], "county_id": r["county_id"],
             "province": pname.get(r["province_id"], r["province_id"]),
             "facility": facility_label(r["facility_type"]), "year": r["year"],
             "record": r["year"] in rec and r["status"] == "fixed",
             "status": r["status"], "need": r["need"]}
            for r in plan_rows(result)]


def _gap_times(result: PlanResult) -> list[tuple[str, float | None]]:
    return [(g, result.time_to_gap(v)) for g, v in (("1%", 0.01), ("0.1%", 1e-3), ("0.01%", 1e-4))]


def plan_page(result: PlanResult, shapes: dict[str, Any] | None = None, env: Any = None) -> str:
    """The self-contained HTML report; ``shapes`` (county id -> GeoJSON feature or geometry,
    e.g. ``Atlas.shapes()``) draws counties as areas, else as points."""
    from twentyten.report.page import render

    inp = result.inputs
    k = _lead_type(inp)
    return render(
        "plan_report.html", env,
        title=f"Rollout plan {inp.years[0]}–{inp.years[-1]}",
        subtitle=f"{len(inp.counties)} counties in {len(inp.provinces)} provinces, "
                 f"{len(inp.types)} facility type{'s' if len(inp.types) != 1 else ''}",
        result=result,
        gap_times=_gap_times(result),
        lead=facility_label(inp.types[k]).lower(),
        types=[facility_label(t) for t in inp.types],
        map=plan_map(result, shapes),
        years=year_styles(inp),
        loads=load_charts(result),
        bar_px=BAR_PX,
        yearly=yearly_counts(result),
        provinces=province_progress(result),
        rows=plan_table(result),
    )
