"""Calibration: every numeric fact of the published record beside what the design gives.

The facts live in the dataset (``calibration_facts.csv``: kind, region_id, year,
facility_type, facility, value, unit, source, note, finding). For each fact the design of
that county at that year's standard is computed and the two are compared as a ratio
(design / record). The summary gives, per kind of fact, the median and the worst absolute
log ratio. A fact the design is known not to meet carries its reason in ``finding``.
"""

from __future__ import annotations

import csv
import functools
import math
import statistics
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from twentyten.design._common import PREFIX
from twentyten.domain.package import Package
from twentyten.domain.region import Region
from twentyten.schema_errors import error_lines, not_utf8
from twentyten.standards.model import Standards

FACTS_FILE = "calibration_facts.csv"
#: The goal: the median |log(design / record)| of a kind with at least MIN_FACTS facts.
GOAL_MEDIAN = 0.15
MIN_FACTS = 3
#: A fact farther off than this (a factor of about 1.5) must say why, as a finding.
FINDING_LOG_RATIO = 0.4


class CalibrationError(ValueError):
    """The facts file cannot be read: the file, the row and the reason."""


class Fact(BaseModel):
    """One numeric fact of the record (a row of ``calibration_facts.csv``)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    kind: str = Field(min_length=1)
    region_id: str
    year: int
    facility_type: str
    facility: str
    value: float = Field(gt=0)
    unit: str
    source: str = Field(min_length=1)
    note: str
    finding: str

    @property
    def group(self) -> str:
        """The kind of fact as summarised: build months are told apart by facility type."""
        base = self.kind.split(".")[0]
        return f"{base}:{self.facility_type}" if base == "build_months" else base


@dataclass(frozen=True)
class Comparison:
    """A fact beside the design's figure."""

    fact: Fact
    county: str
    design: float | None
    basis: str  # how the design's figure was read from the package

    @property
    def ratio(self) -> float | None:
        return self.design / self.fact.value if self.design else None

    @property
    def log_ratio(self) -> float | None:
        r = self.ratio
        return abs(math.log(r)) if r else None


@dataclass(frozen=True)
class KindSummary:
    kind: str
    facts: int
    median_abs_log: float
    worst_abs_log: float
    worst_county: str
    goal_met: bool | None  # None: fewer than MIN_FACTS facts, no goal


def read_facts(path: Path) -> list[Fact]:
    """The facts of a dataset; a bad row raises :class:`CalibrationError` naming it."""
    facts = []
    try:
        with path.open(newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            for line, row in enumerate(reader, start=2):
                if None in row or None in row.values():
                    raise CalibrationError(f"{path}:{line}: the row has {len(row)} fields, not {len(reader.fieldnames or [])}")
                try:
                    year = int(row["year"])
                    value = float(row["value"])
                except (KeyError, ValueError) as exc:
                    raise CalibrationError(f"{path}:{line}: year and value must be numbers ({exc})") from None
                if not math.isfinite(value):
                    raise CalibrationError(f"{path}:{line}: value {row['value']!r} is not a finite number")
                try:
                    facts.append(Fact.model_validate({**row, "year": year, "value": value}))
                except ValidationError as exc:
                    raise CalibrationError(error_lines(f"{path}:{line}", exc, Fact)[0]) from None
                if facts[-1].facility_type and facts[-1].facility_type not in PREFIX:
                    raise CalibrationError(f"{path}:{line}: facility_type {row['facility_type']!r} is not a facility type")
    except UnicodeDecodeError as e:
        raise CalibrationError(not_utf8(path, e)) from None
    return facts


def _regiments(pkg: Package, std: Standards) -> tuple[float | None, str]:
    """Regiments on the factory site: labour over the months the crews work (build less set-up)."""
    factories = pkg.by_type("factory")
    if not factories:
        return None, "no factory"
    setup = std.for_year(pkg.year).value("construction.setup_months")
    labour = sum(f.labour_regiment_months for f in factories)
    months = factories[0].build_months - setup
    return labour / months, f"{labour:.1f} regiment-months / ({factories[0].build_months:g} − {setup:g} set-up) months"


def design_value(fact: Fact, pkg: Package, std: Standards) -> tuple[float | None, str]:
    """The design's figure for ``fact`` from the county's package, and how it was read."""
    of_type = pkg.by_type(fact.facility_type) if fact.facility_type else pkg.facilities
    kind = fact.kind
    if kind == "build_months":
        if not of_type:
            return None, f"the design has no {fact.facility_type}"
        return max(f.build_months for f in of_type), f"{fact.facility_type} build_months"
    if kind == "factory_count":
        return float(len(of_type)), "number of factories designed"
    if kind == "products":
        hit = [f for f in of_type if f.name == fact.facility]
        if not hit:
            return None, f"the design has no {fact.facility}"
        return float(hit[0].capacity["products"]), f"{fact.facility} products"
    if kind == "site_area_m2":
        floor = sum(float(f.capacity["floor_m2"]) for f in of_type)
        cover = std.for_year(pkg.year).value("factory.site_coverage")
        return floor / cover, f"factory floor {floor:,.0f} m² / site coverage {cover:g}"
    if kind.startswith("payer_share."):
        payer = kind.split(".", 1)[1]
        if not of_type or of_type[0].payer_split is None:
            return None, "no payer split"
        return float(getattr(of_type[0].payer_split, payer)), f"{fact.facility_type} payer_{payer}"
    if kind == "regiments_on_site":
        return _regiments(pkg, std)
    raise CalibrationError(f"{FACTS_FILE}: unknown kind of fact {kind!r}")


def compare(
    facts: Iterable[Fact],
    regions: Mapping[str, Region],
    std: Standards,
    design: Callable[[Region, int], Package],
    cohort: Mapping[int, list[str]],
) -> list[Comparison]:
    """Each fact beside the design. A fact without a county (a figure said of a whole
    year's sites) is compared with the median over that year's recorded sites (``cohort``)."""
    out = []
    for fact in facts:
        if fact.region_id:
            if fact.region_id not in regions:
                raise CalibrationError(f"{FACTS_FILE}: region {fact.region_id!r} is not in the atlas")
            pkg = design(regions[fact.region_id], fact.year)
            value, how = design_value(fact, pkg, std)
            out.append(Comparison(fact, regions[fact.region_id].name, value, how))
            continue
        ids = [i for i in cohort.get(fact.year, []) if i in regions]
        values = [design_value(fact, design(regions[i], fact.year), std)[0] for i in ids]
        values = [v for v in values if v is not None]
        median = statistics.median(values) if values else None
        out.append(Comparison(fact, f"{fact.year} sites", median, f"median over {len(values)} recorded sites"))
    return out


def summarise(rows: Iterable[Comparison]) -> list[KindSummary]:
    """Median and worst |log ratio| per kind of fact."""
    groups: dict[str, list[Comparison]] = {}
    for r in rows:
        if r.log_ratio is not None:
            groups.setdefault(r.fact.group, []).append(r)
    out = []
    for kind, items in sorted(groups.items()):
        logs = [r.log_ratio or 0.0 for r in items]
        worst = max(items, key=lambda r: r.log_ratio or 0.0)
        median = statistics.median(logs)
        out.append(KindSummary(
            kind, len(items), round(median, 3), round(worst.log_ratio or 0.0, 3), worst.county,
            median <= GOAL_MEDIAN if len(items) >= MIN_FACTS else None,
        ))
    return out


def cohorts(dataset_dir: Path) -> dict[int, list[str]]:
    """Recorded factory sites by year (``rollout_sites.csv``), for facts said of a whole year."""
    out: dict[int, list[str]] = {}
    path = dataset_dir / "rollout_sites.csv"
    if not path.exists():
        return out
    try:
        with path.open(newline="", encoding="utf-8") as fh:
            for line, row in enumerate(csv.DictReader(fh), start=2):
                if row.get("region_id") and "foodstuff" in (row.get("facilities") or ""):
                    try:
                        year = int(row["year"])
                    except (TypeError, ValueError):
                        raise CalibrationError(f"{path}:{line}: year {row.get('year')!r} is not a year") from None
                    out.setdefault(year, []).append(row["region_id"])
    except UnicodeDecodeError as e:
        raise CalibrationError(not_utf8(path, e)) from None
    return out


def calibrate(dataset_dir: Path, regions: Mapping[str, Region], std: Standards) -> list[Comparison]:
    """The calibration of the design against the dataset's record."""

    from twentyten.design.package import design_package

    @functools.cache
    def design(region_id: str, year: int) -> Package:
        return design_package(regions[region_id], year, std, explain=False)

    facts = read_facts(dataset_dir / FACTS_FILE)
    return compare(facts, regions, std, lambda r, y: design(r.id, y), cohorts(dataset_dir))


def rows(comparisons: Iterable[Comparison]) -> list[dict[str, object]]:
    """The report as plain rows (table, CSV, JSON)."""
    out = []
    for c in comparisons:
        f = c.fact
        out.append({
            "kind": f.group, "county": c.county, "year": f.year,
            "facility": f.facility or f.facility_type, "record": f.value,
            "design": None if c.design is None else round(c.design, 2), "unit": f.unit,
            "ratio": None if c.ratio is None else round(c.ratio, 2),
            "abs_log_ratio": None if c.log_ratio is None else round(c.log_ratio, 3),
            "finding": f.finding, "design_basis": c.basis, "source": f.source, "record_note": f.note,
        })
    return out
