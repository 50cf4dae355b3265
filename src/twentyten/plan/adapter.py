"""Build :class:`PlanInputs` from the atlas, the design and the record.

This is the only part of ``twentyten.plan`` that reads files. It computes

* the **need score** of each county from atlas attributes (documented in docs/plan.md):
  ``need = (a·remoteness + b·sparsity + c·mountainous) / (a + b + c)`` with
  remoteness = great-circle distance from the most populous county (the dataset's centre;
  no place is named in code) / the largest such distance,
  sparsity = 1 − percentile rank of population density, mountainous = 1 if the county's
  physiography is ``mountainous``; the weights a, b, c are the scenario's ``need`` terms;
* resource use of every county × facility × year from ``twentyten.design`` when it is
  available, else from the labelled fallback table ``fallback_resources.csv``;
* commitments from the dataset's record ``rollout_sites.csv`` (bundled:
  ``data/dprk/rollout_sites.csv``; the dataset is the ``dataset`` setting).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Sequence
from importlib import resources

import numpy as np

from twentyten.plan.inputs import (
    FACILITY_TYPES,
    RESOURCE_UNIT,
    UNCAPPED,
    Balance,
    Commitment,
    PlanInputs,
    benefit_weights,
)
from twentyten.plan.scenario import Scenario

RESOURCE_FIELDS = {"labour": "labour_regiment_months", "budget": "cost", "materials": "materials_t"}


def centre_of(regions: Sequence) -> tuple[float, float]:
    """(lon, lat) of the most populous region with coordinates: where remoteness is 0."""
    located = [r for r in regions if r.lon is not None and r.lat is not None]
    if not located:
        return (0.0, 0.0)
    top = max(located, key=lambda r: r.population or 0)
    return (float(top.lon), float(top.lat))


def need_scores(
    regions: Sequence, terms: dict[str, float], centre: tuple[float, float] | None = None
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Need score in [0, 1] per county (1 = most backward) and its terms.

    ``centre`` (lon, lat) is where remoteness is 0; default :func:`centre_of` the regions.
    A county without coordinates counts as at the centre.
    """
    n = len(regions)
    c_lon, c_lat = centre if centre is not None else centre_of(regions)
    lon = np.array([r.lon if r.lon is not None else c_lon for r in regions], float)
    lat = np.array([r.lat if r.lat is not None else c_lat for r in regions], float)
    lo0, la0 = np.radians((c_lon, c_lat))
    lo, la = np.radians(lon), np.radians(lat)
    d = 2 * np.arcsin(np.sqrt(np.sin((la - la0) / 2) ** 2 + np.cos(la) * np.cos(la0) * np.sin((lo - lo0) / 2) ** 2))
    remoteness = d / d.max() if n and d.max() > 0 else np.zeros(n)
    dens = np.array([r.density if r.density is not None else np.nan for r in regions], float)
    dens = np.where(np.isnan(dens), np.nanmedian(dens) if np.isfinite(dens).any() else 0.0, dens)
    rank = dens.argsort().argsort() / max(n - 1, 1)
    sparsity = 1.0 - rank
    mountainous = np.array([1.0 if (r.physiography or "") == "mountainous" else 0.0 for r in regions])
    comp = {"remoteness": remoteness, "sparsity": sparsity, "mountainous": mountainous}
    wsum = sum(terms.get(k, 0.0) for k in comp)
    if wsum <= 0:
        return np.zeros(n), comp
    need = sum(terms.get(k, 0.0) * v for k, v in comp.items()) / wsum
    return need, comp


def fallback_table() -> dict[str, dict[str, float]]:
    """Per-type resource use of the fallback table (estimates, not from design)."""
    text = resources.files("twentyten.plan").joinpath("fallback_resources.csv").read_text("utf-8")
    out: dict[str, dict[str, float]] = {}
    for row in csv.DictReader(io.StringIO(text)):
        out[row["facility_type"]] = {r: float(row[f]) for r, f in RESOURCE_FIELDS.items()}
    return out


def fallback_use(regions: Sequence, years: Sequence[int]) -> dict[str, np.ndarray]:
    """Resource use (C, K, Y) from the fallback table, scaled by sqrt(population / mean)."""
    tab = fallback_table()
    pop = np.array([r.population or 0 for r in regions], float)
    scale = np.sqrt(pop / pop.mean()) if pop.mean() > 0 else np.ones(len(regions))
    C, K, Y = len(regions), len(FACILITY_TYPES), len(years)
    out = {r: np.zeros((C, K, Y)) for r in RESOURCE_FIELDS}
    for k, t in enumerate(FACILITY_TYPES):
        s = np.ones(C) if t == "offshore_farm" else scale
        for r in RESOURCE_FIELDS:
            out[r][:, k, :] = (tab[t][r] * s)[:, None]
    return out


def design_use(
    regions: Sequence, years: Sequence[int], design: Callable
) -> dict[str, np.ndarray]:
    """Resource use (C, K, Y) from a design function ``design(region, year) -> Package``."""
    C, K, Y = len(regions), len(FACILITY_TYPES), len(years)
    out = {r: np.zeros((C, K, Y)) for r in RESOURCE_FIELDS}
    for c, reg in enumerate(regions):
        for t, y in enumerate(years):
            pkg = design(reg, y)
            for k, ft in enumerate(FACILITY_TYPES):
                for f in pkg.by_type(ft):
                    for r, attr in RESOURCE_FIELDS.items():
                        out[r][c, k, t] += float(getattr(f, attr) or 0.0)
    return out


def _default_design() -> Callable | None:
    """``twentyten.design.design_package`` with the bundled standards, if installed."""
    try:
        from twentyten.design import design_package
        from twentyten.standards import load_standards
    except ImportError:
        return None
    std = load_standards()

    def design(region, year: int):
        return design_package(region, year, std, explain=False)

    return design


# record -> facility types ---------------------------------------------------------------
def record_types(programme: str, facilities: str, year: int) -> tuple[str, ...]:
    """Facility types of one record row (see docs/plan.md, "Commitments")."""
    text = f"{programme} {facilities}".lower()
    out: list[str] = []
    if "regional-industry" in text or "regional development" in text or "factor" in text:
        out.append("factory")
    if "hospital" in text:
        out.append("hospital")
    if "leisure" in text or "service centre" in text or "service complex" in text:
        out.append("leisure_complex")
    if "grain" in text:
        out.append("grain_storage")
    if "offshore" in text or "aquaculture" in text:
        out.append("offshore_farm")
    return tuple(dict.fromkeys(out))


def record_commitments(
    county_ids: Sequence[str], years: Sequence[int], text: str | None = None
) -> tuple[list[Commitment], list[str]]:
    """Commitments from a ``rollout_sites.csv`` text (default: the default dataset's record)
    and notes on rows left out."""
    if text is None:
        text = _record_text(None)
    known = set(county_ids)
    if not text.strip():
        return [], ["no record of sites: nothing is fixed"]
    out: dict[tuple[str, str], Commitment] = {}
    notes: list[str] = []
    for row in csv.DictReader(io.StringIO(text)):
        rid = (row.get("region_id") or row.get("census_id") or "").strip()
        y = int(row["year"])
        if not rid or rid not in known:
            notes.append(f"record {y} {row.get('county', '')!r}: no county id in the atlas, left out")
            continue
        if y not in years:
            continue
        for t in record_types(row.get("programme", ""), row.get("facilities", ""), y):
            key = (rid, t)
            if key in out:
                notes.append(f"record {rid} {t}: listed in {out[key].year} and {y}; kept {out[key].year}")
                continue
            out[key] = Commitment(rid, t, y, source=f"rollout_sites.csv {y} ({row.get('confidence', '')})")
    return list(out.values()), notes


def large_package_notes(
    regions: Sequence, labour: np.ndarray, capacity: np.ndarray, bundles: Sequence, share: float = 0.25
) -> list[str]:
    """A note for each county whose factory package (with its bundle members) takes more than
    ``share`` of a year's labour capacity, in the year where it takes least."""
    k = FACILITY_TYPES.index("factory")
    unit = labour[:, k, :].copy()
    for b in bundles:
        if b.lead == "factory":
            for m in b.members:
                unit += labour[:, FACILITY_TYPES.index(m), :]
    frac = np.where(np.isfinite(capacity) & (capacity > 0), unit / np.where(capacity > 0, capacity, 1), 0.0)
    best = frac.min(axis=1)
    out = []
    for c in np.nonzero(best > share)[0]:
        t = int(frac[c].argmin())
        verdict = (
            "more than a year's capacity: it cannot be built under these settings"
            if best[c] > 1 else "it is planned as one package"
        )
        out.append(
            f"{regions[c].name} ({regions[c].id}): its factory package with bundle members needs "
            f"{unit[c, t]:,.0f} {RESOURCE_UNIT['labour']}, {100 * best[c]:.0f} % of the year's capacity "
            f"{capacity[t]:,.0f}; {verdict} (docs/plan.md, Very large counties)"
        )
    return out


def _record_text(dataset) -> str:
    """The dataset's ``rollout_sites.csv`` (the record of sites), or "" if it has none."""
    from twentyten.atlas.loader import resolve

    folder = resolve(dataset)
    path = folder / "rollout_sites.csv" if folder.is_dir() else folder.parent / "rollout_sites.csv"
    return path.read_text("utf-8") if path.exists() else ""


def inputs_from_atlas(
    scenario: Scenario | None = None,
    atlas=None,
    design: Callable | None = None,
    use_design: bool = True,
    dataset: str | None = None,
) -> PlanInputs:
    """The bundled instance: atlas counties, design resource use, record commitments.

    ``design(region, year) -> Package``; by default ``twentyten.design.design_package``
    when present, else the fallback table (``PlanInputs.notes`` says which was used).
    """
    sc = scenario or Scenario()
    if atlas is None:
        from twentyten.atlas import load_atlas

        atlas = load_atlas(dataset)
    regions = list(atlas.counties())
    provinces = [p.id for p in atlas.provinces()]
    pnames = {p.id: p.name for p in atlas.provinces()}
    for r in regions:
        if r.parent_id not in provinces:
            provinces.append(r.parent_id or "?")
    years = sc.years
    C, K, Y = len(regions), len(FACILITY_TYPES), len(years)
    notes: list[str] = []
    fn = design if design is not None else (_default_design() if use_design else None)
    use = None
    if fn is not None:
        try:
            use = design_use(regions, years, fn)
            notes.append("resource use from twentyten.design")
        except Exception as e:  # the design step is optional; say so and fall back
            notes.append(f"design failed ({type(e).__name__}: {e}); used the fallback table")
    if use is None:
        use = fallback_use(regions, years)
        notes.append("resource use from plan/fallback_resources.csv (FALLBACK ESTIMATES, not from design)")
    eligible = np.ones((C, K, Y), dtype=bool)
    coastal = np.array([bool(r.coastal) for r in regions])
    eligible[~coastal, FACILITY_TYPES.index("offshore_farm"), :] = False
    cap = np.full((K, Y), UNCAPPED, dtype=int)
    target = np.zeros((K, Y), dtype=int)
    for k, t in enumerate(FACILITY_TYPES):
        lim = sc.caps.get(t)
        for j, y in enumerate(years):
            if lim is not None:
                v = lim.value(y)
                cap[k, j] = UNCAPPED if v is None else int(math.floor(v + 1e-9))
                if lim.first_year is not None and y < lim.first_year:
                    eligible[:, k, j] = False
            tg = sc.targets.get(t)
            if tg is not None and (tg.first_year is None or y >= tg.first_year):
                target[k, j] = int(tg.value(y) or 0)
    capacity = {}
    for r in RESOURCE_FIELDS:
        lim = sc.capacity.get(r)
        capacity[r] = np.array(
            [np.inf if lim is None or lim.value(y) is None else float(lim.value(y)) for y in years]
        )
    ids = [r.id for r in regions]
    commitments: list[Commitment] = []
    if sc.use_record:
        commitments, rec_notes = record_commitments(ids, years, _record_text(dataset))
        notes.extend(rec_notes)
        commitments = [c for c in commitments if c.county not in sc.drop_commitments]
    for a in sc.add_commitments:
        if a.county not in ids:
            raise ValueError(f"{sc.source}: commitments.add county {a.county!r} is not in the atlas")
        commitments = [c for c in commitments if (c.county, c.facility_type) != (a.county, a.facility_type)]
        commitments.append(Commitment(a.county, a.facility_type, a.year, source=sc.source))
    need, _ = need_scores(regions, sc.need_terms)
    pop = np.array([r.population or 0 for r in regions], float)
    tw = np.array([sc.type_weights.get(t, 0.0) for t in FACILITY_TYPES])
    weight = benefit_weights(need, pop, tw, sc.need_weight, sc.population_weight)
    pidx = {p: i for i, p in enumerate(provinces)}
    notes.extend(large_package_notes(regions, use["labour"], capacity["labour"], sc.bundles))
    return PlanInputs(
        counties=tuple(ids),
        county_names=tuple(r.name for r in regions),
        provinces=tuple(provinces),
        province_names=tuple(pnames.get(p, p) for p in provinces),
        county_province=np.array([pidx[r.parent_id or "?"] for r in regions]),
        types=FACILITY_TYPES,
        years=years,
        eligible=eligible,
        use=use,
        capacity=capacity,
        cap=cap,
        target=target if target.any() else None,
        need=need,
        population=pop,
        weight=weight,
        commitments=tuple(commitments),
        replan_from=sc.replan_from,
        bundles=sc.bundles,
        precedences=sc.precedences,
        balance=Balance(sc.balance_types, sc.balance_strength, sc.balance_tolerance)
        if sc.balance_strength > 0 else None,
        lon=np.array([r.lon if r.lon is not None else np.nan for r in regions], float),
        lat=np.array([r.lat if r.lat is not None else np.nan for r in regions], float),
        notes=tuple(notes),
    )
