"""A county's package for a year: every facility type of the catalogue, designed."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from twentyten.design._common import Designed, DesignError
from twentyten.design.factory import design_factories
from twentyten.design.grain import design_grain_storage
from twentyten.design.hospital import design_hospital
from twentyten.design.leisure import design_leisure_complex
from twentyten.design.offshore import design_offshore_farm
from twentyten.domain.package import Package
from twentyten.domain.region import Level, Region
from twentyten.standards.model import Standard, Standards

#: One designer per facility type (the fixed keys the planner schedules by).
DESIGNERS: Mapping[str, Callable[[Region, Standard, bool], Designed]] = {
    "factory": design_factories,
    "hospital": design_hospital,
    "leisure_complex": design_leisure_complex,
    "grain_storage": design_grain_storage,
    "offshore_farm": design_offshore_farm,
}


def _standard(year: int, standard: Standards | Standard) -> Standard:
    if isinstance(standard, Standard):
        if standard.year != year:
            raise ValueError(f"the standard given is for {standard.year}, not {year}")
        return standard
    return standard.for_year(year)


def design_package(region: Region, year: int, standard: Standards | Standard, *, explain: bool = True) -> Package:
    """The package of one county at the standard of one year.

    Parameters
    ----------
    region
        A county (its population is required; area, coast, physiography and raw
        materials refine the design).
    year
        Year of the standard (the year the package is built).
    standard
        The loaded :class:`~twentyten.standards.Standards` (or one year's
        :class:`~twentyten.standards.Standard`).
    explain
        Fill each facility's ``basis`` (the formula, values and sources behind every
        number). Reasons are always given; ``explain=False`` is about twice as fast.

    Examples
    --------
    >>> from twentyten.domain import Level, Region
    >>> from twentyten.standards import load_standards
    >>> county = Region("X-a", Level.COUNTY, "A", population=40_000, area_km2=600,
    ...                 physiography="mountainous", raw_materials=("wild fruit", "timber"))
    >>> p = design_package(county, 2025, load_standards())
    >>> sorted({f.facility_type for f in p.facilities})
    ['factory', 'grain_storage', 'hospital', 'leisure_complex']
    """
    if region.level is not Level.COUNTY:
        raise DesignError(f"{region.id} is a {region.level.value}; packages are designed for cities and counties")
    std = _standard(year, standard)
    facilities = []
    notes: list[str] = [std.held] if std.held else []
    for ftype in std.standards.facility_types:
        designed = DESIGNERS[ftype](region, std, explain)
        facilities.extend(designed.facilities)
        notes.extend(designed.notes)
    return Package(region.id, int(year), tuple(facilities), tuple(notes))


def design_all(
    regions: Iterable[Region],
    year: int,
    standard: Standards | Standard,
    *,
    skip_missing: bool = False,
    explain: bool = True,
) -> dict[str, Package]:
    """Packages of many counties for one year, keyed by county id.

    With ``skip_missing`` counties that cannot be designed (no population) are left out
    instead of raising :class:`DesignError`. Provinces are always skipped.
    """
    std = _standard(year, standard)
    out: dict[str, Package] = {}
    for region in regions:
        if region.level is not Level.COUNTY:
            continue
        try:
            out[region.id] = design_package(region, year, std, explain=explain)
        except DesignError:
            if not skip_missing:
                raise
    return out


def design_years(
    regions: Iterable[Region],
    years: Iterable[int],
    standards: Standards,
    *,
    skip_missing: bool = False,
    explain: bool = False,
) -> dict[tuple[str, int], Package]:
    """Packages for every county and every year, keyed by ``(county_id, year)`` — what the
    planner needs to cost a county in whichever year it is scheduled. Without ``explain``
    (the default here) the ``basis`` strings are skipped for speed."""
    regions = list(regions)
    out: dict[tuple[str, int], Package] = {}
    for year in years:
        for cid, pkg in design_all(regions, year, standards, skip_missing=skip_missing, explain=explain).items():
            out[(cid, year)] = pkg
    return out


def package_dict(package: Package, standard: Standards | None = None) -> dict[str, Any]:
    """A package as plain JSON-ready data (totals, then each facility in full)."""
    facilities = []
    for f in package.facilities:
        facilities.append({
            "facility_type": f.facility_type,
            "name": f.name,
            "lines": list(f.lines),
            "capacity": dict(f.capacity),
            "outputs": dict(f.outputs),
            "cost": f.cost,
            "labour_regiment_months": f.labour_regiment_months,
            "materials_t": f.materials_t,
            "build_months": f.build_months,
            "workforce": f.workforce,
            "payer_split": (
                {"centre": f.payer_split.centre, "province": f.payer_split.province, "county": f.payer_split.county}
                if f.payer_split else None
            ),
            "reasons": list(f.reasons),
            "basis": dict(f.basis),
            "sources": list(f.sources),
        })
    d: dict[str, Any] = {
        "county_id": package.county_id,
        "year": package.year,
        "cost": round(package.cost, 1),
        "cost_unit": standard.cost_unit if standard else "",
        "labour_regiment_months": round(package.labour_regiment_months, 2),
        "materials_t": round(package.materials_t, 1),
        "build_months": max((f.build_months for f in package.facilities), default=0.0),
        "workforce": sum(f.workforce for f in package.facilities),
        "cost_by_payer": cost_by_payer(package),
        "facilities": facilities,
        "notes": list(package.notes),
    }
    return d


def cost_by_payer(package: Package) -> dict[str, float]:
    """The package's cost split between centre, province and county."""
    out = {"centre": 0.0, "province": 0.0, "county": 0.0}
    for f in package.facilities:
        if f.payer_split is None:
            continue
        out["centre"] += f.cost * f.payer_split.centre
        out["province"] += f.cost * f.payer_split.province
        out["county"] += f.cost * f.payer_split.county
    return {k: round(v, 1) for k, v in out.items()}


def package_frame(packages: Iterable[Package]) -> Any:
    """One row per facility of each package (a :class:`pandas.DataFrame`): county_id, year,
    facility_type, name, cost, labour_regiment_months, materials_t, build_months,
    workforce and the payer shares — the planner's table."""
    import pandas as pd

    rows = []
    for p in packages:
        for f in p.facilities:
            split = f.payer_split
            rows.append({
                "county_id": p.county_id, "year": p.year, "facility_type": f.facility_type, "name": f.name,
                "cost": f.cost, "labour_regiment_months": f.labour_regiment_months, "materials_t": f.materials_t,
                "build_months": f.build_months, "workforce": f.workforce,
                "payer_centre": split.centre if split else None,
                "payer_province": split.province if split else None,
                "payer_county": split.county if split else None,
            })
    return pd.DataFrame(rows)
