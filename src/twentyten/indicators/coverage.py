"""What a plan, a simulated state or the record gives each county by a year, and how evenly.

The county frame (counties, provinces, populations, package sizes) comes from a saved plan;
what is built comes from the plan itself or from a state file (CSV: ``county_id,
facility_type, year``: the record, or a simulated year). The capital is a dataset attribute
(``indicators.yaml``: ``capital.region``, a province or county id), never a name in code.

Values per county:

* ``access``: facility types in service (built in or before the year), 0..K; the balance
  indices are computed over it, population-weighted.
* ``effort_per_1000``: designed labour of the packages in service (regiment-months) per
  1,000 people -- the plan's measure of what was put into a county, a proxy for capacity
  per head (the plan does not carry beds or tonnes).
"""

from __future__ import annotations

import csv
import dataclasses
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, ValidationError

from twentyten.domain.facility import FACILITY_TYPES
from twentyten.indicators import balance
from twentyten.plan.inputs import PlanInputs
from twentyten.plan.schema import Basis

INDICATORS_FILE = "indicators.yaml"
STATE_COLUMNS = ("county_id", "facility_type", "year")


class IndicatorError(ValueError):
    """A state file or dataset attribute that cannot be used: one line naming it and why."""


class CapitalSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    region: str
    basis: Basis


class IndicatorsSpec(BaseModel):
    """A dataset's ``indicators.yaml``: the capital, and per facility type the design capacity
    reported per head (``capacity``)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    capital: CapitalSpec
    capacity: dict[Literal[FACILITY_TYPES], str] = {}  # type: ignore[valid-type]


def load_spec(dataset: str | Path | None = None) -> IndicatorsSpec:
    from twentyten.atlas.loader import dataset_folder
    from twentyten.schema_errors import error_lines, read_yaml

    path = dataset_folder(dataset) / INDICATORS_FILE
    if not path.is_file():
        raise IndicatorError(f"{path}: cannot read: no such file (the dataset names its capital there)")
    raw = read_yaml(path, IndicatorError)
    try:
        return IndicatorsSpec.model_validate(raw)
    except ValidationError as e:
        raise IndicatorError(error_lines(str(path), e, IndicatorsSpec)[0]) from None


def built_from_plan(inp: PlanInputs, year_index: np.ndarray) -> np.ndarray:
    """Build year per county × type (C, K) as calendar years, 0 where never built."""
    years = np.asarray(inp.years)
    return np.where(year_index >= 0, years[np.clip(year_index, 0, None)], 0)


def read_state(path: str | Path, inp: PlanInputs) -> np.ndarray:
    """A state file as build year per county × type (C, K), 0 where not built. Each bad row
    is refused with the file, line and reason."""
    p = Path(path)
    out = np.zeros(inp.shape[:2], int)
    ci = inp.county_index
    try:
        with p.open(encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            cols = tuple(reader.fieldnames or ())
            missing = [c for c in STATE_COLUMNS if c not in cols]
            if missing:
                raise IndicatorError(f"{p}: line 1: missing column {missing[0]} (expected {', '.join(STATE_COLUMNS)})")
            for line, row in enumerate(reader, start=2):
                c = ci.get(row["county_id"])
                if c is None:
                    raise IndicatorError(f"{p}: line {line}: county_id {row['county_id']!r} is not a county of the plan")
                t = row["facility_type"]
                if t not in inp.types:
                    raise IndicatorError(f"{p}: line {line}: facility_type {t!r}: expected one of {', '.join(inp.types)}")
                try:
                    y = int(row["year"])
                except (TypeError, ValueError):
                    raise IndicatorError(f"{p}: line {line}: year {row['year']!r} is not a whole year") from None
                k = inp.type_index(t)
                if out[c, k] and out[c, k] != y:
                    raise IndicatorError(f"{p}: line {line}: {row['county_id']} {t} given twice "
                                         f"({out[c, k]} and {y})")
                out[c, k] = y
    except OSError as e:
        raise IndicatorError(f"{p}: cannot read: {e.strerror or e}") from None
    except UnicodeDecodeError as e:
        raise IndicatorError(f"{p}: not UTF-8 text ({e.reason} at byte {e.start})") from None
    return out


@dataclass(frozen=True)
class Indicators:
    """Everything ``twentyten indicators`` reports (plain data, JSON-ready)."""

    year: int
    source: str
    capital: str
    coverage: list[dict[str, Any]]
    counties: list[dict[str, Any]]
    balance: dict[str, Any]
    notes: list[str] = field(default_factory=list)
    capacity: list[dict[str, Any]] = field(default_factory=list)  # with --capacity

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _r(x: float | None, nd: int = 6) -> float | None:
    return None if x is None else float(round(float(x), nd))


def indicators(inp: PlanInputs, built: np.ndarray, year: int, capital: str, source: str) -> Indicators:
    """Coverage and balance by the end of ``year`` given build years (C, K; 0 = not built)."""
    C, K, Y = inp.shape
    pop = np.asarray(inp.population, float)
    in_service = (built > 0) & (built <= year)
    access = in_service.sum(axis=1).astype(float)
    effort = np.zeros(C)
    for c, k in zip(*np.nonzero(in_service), strict=True):
        t = inp.year_index(int(built[c, k])) if int(built[c, k]) in inp.years else 0
        effort[c] += float(inp.use["labour"][c, k, t]) if "labour" in inp.use else 0.0
    per1000 = np.divide(effort * 1000.0, pop, out=np.zeros(C), where=pop > 0)
    provinces = np.asarray(inp.county_province)
    is_cap = np.array([cid == capital or inp.provinces[provinces[i]] == capital
                       for i, cid in enumerate(inp.counties)])
    if not is_cap.any():
        raise IndicatorError(f"capital {capital!r} (indicators.yaml capital.region) is neither a county "
                             f"nor a province of the plan")
    total = pop.sum()
    coverage = [{"facility_type": t, "counties": int(in_service[:, k].sum()),
                 "population": int(round(pop[in_service[:, k]].sum())),
                 "share_of_population": _r(pop[in_service[:, k]].sum() / total)} for k, t in enumerate(inp.types)]
    counties = [{"county_id": inp.counties[c], "county": inp.county_names[c],
                 "province_id": inp.provinces[provinces[c]], "population": int(round(pop[c])),
                 "capital": bool(is_cap[c]), "access": int(access[c]),
                 "types": ";".join(t for k, t in enumerate(inp.types) if in_service[c, k]),
                 "effort_per_1000": _r(per1000[c], 4)} for c in range(C)]
    notes = []
    out: dict[str, Any] = {"measure": "access (facility types in service), population-weighted"}
    tt = balance.theil_t_decomposition(access, pop, provinces)
    tl = balance.theil_l_decomposition(access, pop, provinces)
    out["theil_t"] = {"total": _r(tt.total), "within_province": _r(tt.within), "between_province": _r(tt.between)}
    out["theil_l"] = {"total": _r(tl.total), "within_province": _r(tl.within), "between_province": _r(tl.between)}
    if tl.total is None:
        n0 = int(((access == 0) & (pop > 0)).sum())
        notes.append(f"Theil L is undefined: {n0} counties have no facility in service (ln 0)")
    out["williamson"] = _r(balance.williamson(access, pop))
    out["gini"] = _r(balance.gini(access, pop))
    gap = balance.capital_gap(access, pop, is_cap)
    out["capital_gap"] = {"capital": _r(gap.capital), "regions": _r(gap.regions), "ratio": _r(gap.ratio),
                          "difference": _r(gap.difference)}
    out["effort_per_1000"] = {"williamson": _r(balance.williamson(per1000, pop)),
                              "gini": _r(balance.gini(per1000, pop))}
    return Indicators(year=year, source=source, capital=capital, coverage=coverage, counties=counties,
                      balance=out, notes=notes)


def design_capacity(inp: PlanInputs, built: np.ndarray, year: int, keys: dict[str, str],
                    dataset: str | Path | None = None) -> np.ndarray:
    """Design capacity in service by the end of ``year`` (C, K): for each county and type in
    service, the design's ``keys[type]`` capacity of its package at its build year (summed
    over the type's facilities); NaN for a type with no key given. Designs with the bundled
    standards; raises :class:`IndicatorError` for a county the dataset's atlas lacks."""
    from twentyten.atlas import load_atlas
    from twentyten.design import design_package
    from twentyten.design.inputs import InputsError, designed_regions
    from twentyten.standards import StandardsError, load_standards

    try:
        std = load_standards(None, None)
    except StandardsError as e:
        raise IndicatorError(f"standards: {e}") from None
    try:
        regions = designed_regions(load_atlas(dataset), dataset)
    except InputsError as e:
        raise IndicatorError(str(e)) from None
    C, K, _ = inp.shape
    out = np.full((C, K), np.nan)
    for k, t in enumerate(inp.types):
        if t in keys:
            out[:, k] = 0.0
    in_service = (built > 0) & (built <= year)
    for c in np.nonzero(in_service.any(axis=1))[0]:
        reg = regions.get(inp.counties[c])
        if reg is None:
            raise IndicatorError(f"county {inp.counties[c]} of the plan is not in the dataset's atlas")
        for y in np.unique(built[c][in_service[c]]):
            try:
                pkg = design_package(reg, int(y), std, explain=False)
            except (ValueError, LookupError) as e:
                raise IndicatorError(f"design of {reg.name} ({reg.id}) for {y} failed: {e}") from None
            for k in np.nonzero(in_service[c] & (built[c] == y))[0]:
                t = inp.types[k]
                if t in keys:
                    out[c, k] = sum(float(f.capacity.get(keys[t], 0.0)) for f in pkg.by_type(t))
    return out


def add_capacity(ind: Indicators, inp: PlanInputs, capacity: np.ndarray, keys: dict[str, str]) -> Indicators:
    """The indicators with capacity per 1,000 people: per county, and per type for the country
    and for the people of the counties that have it."""
    pop = np.asarray(inp.population, float)
    counties = []
    for c, row in enumerate(ind.counties):
        extra = {f"{t}.{keys[t]}_per_1000": _r(capacity[c, k] * 1000.0 / pop[c], 4) if pop[c] > 0 else None
                 for k, t in enumerate(inp.types) if t in keys}
        counties.append({**row, **extra})
    rows = []
    for k, t in enumerate(inp.types):
        if t not in keys:
            continue
        has = capacity[:, k] > 0
        total = float(np.nansum(capacity[:, k]))
        rows.append({"facility_type": t, "capacity": keys[t], "total": _r(total, 1),
                     "per_1000_people": _r(total * 1000.0 / pop.sum(), 4),
                     "per_1000_served": _r(total * 1000.0 / pop[has].sum(), 4) if has.any() else None,
                     "williamson": _r(balance.williamson(capacity[:, k] / np.where(pop > 0, pop, 1), pop))})
    return dataclasses.replace(ind, counties=counties, capacity=rows)
