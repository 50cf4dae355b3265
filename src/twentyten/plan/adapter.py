"""Pieces of a planning instance, each a pure function of what it is given.

* the **need score** of each county from atlas attributes (documented in docs/plan.md):
  ``need = (a·remoteness + b·sparsity + c·mountainous) / (a + b + c)`` with
  remoteness = great-circle distance from the most populous county (the dataset's centre;
  no place is named in code) / the largest such distance,
  sparsity = 1 − percentile rank of population density, mountainous = 1 if the county's
  physiography is ``mountainous``; the weights a, b, c are the scenario's ``need`` terms;
* resource use of every county × facility × year from a design function, or (only when the
  user asks, ``--fallback-resources``) from the labelled table ``fallback_resources.csv``;
* commitments from a record of sites, with the dataset's keyword rules (``programme.yaml``).

:mod:`twentyten.plan.instance` reads the files and puts them together.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources

import numpy as np

from twentyten.plan.inputs import FACILITY_TYPES, RESOURCE_UNIT, Commitment, PlanInputs

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
    """Per-type resource use of the fallback table (estimates, not from design), with
    ``scaled`` 1.0 where it grows with √(population / mean)."""
    text = resources.files("twentyten.plan").joinpath("fallback_resources.csv").read_text("utf-8")
    out: dict[str, dict[str, float]] = {}
    for row in csv.DictReader(io.StringIO(text)):
        out[row["facility_type"]] = {r: float(row[f]) for r, f in RESOURCE_FIELDS.items()}
        out[row["facility_type"]]["scaled"] = 1.0 if row["scale_by_population"] == "true" else 0.0
    return out


def fallback_use(regions: Sequence, years: Sequence[int]) -> dict[str, np.ndarray]:
    """Resource use (C, K, Y) from the fallback table, scaled by sqrt(population / mean)."""
    tab = fallback_table()
    pop = np.array([r.population or 0 for r in regions], float)
    scale = np.sqrt(pop / pop.mean()) if pop.mean() > 0 else np.ones(len(regions))
    C, K, Y = len(regions), len(FACILITY_TYPES), len(years)
    out = {r: np.zeros((C, K, Y)) for r in RESOURCE_FIELDS}
    for k, t in enumerate(FACILITY_TYPES):
        s = scale if tab[t]["scaled"] else np.ones(C)
        for r in RESOURCE_FIELDS:
            out[r][:, k, :] = (tab[t][r] * s)[:, None]
    return out


class DesignFailed(RuntimeError):
    """The design could not size a county's package: the plan stops (no silent fallback)."""


def design_use(
    regions: Sequence, years: Sequence[int], design: Callable
) -> dict[str, np.ndarray]:
    """Resource use (C, K, Y) from a design function ``design(region, year) -> Package``."""
    C, K, Y = len(regions), len(FACILITY_TYPES), len(years)
    out = {r: np.zeros((C, K, Y)) for r in RESOURCE_FIELDS}
    for c, reg in enumerate(regions):
        for t, y in enumerate(years):
            try:
                pkg = design(reg, y)
            except (ValueError, LookupError, ArithmeticError) as e:  # the design's own refusals
                raise DesignFailed(f"design of {reg.name} ({reg.id}) for {y} failed: "
                                   f"{type(e).__name__}: {e}") from e
            for k, ft in enumerate(FACILITY_TYPES):
                for f in pkg.by_type(ft):
                    for r, attr in RESOURCE_FIELDS.items():
                        out[r][c, k, t] += float(getattr(f, attr) or 0.0)
    return out


# record -> facility types ---------------------------------------------------------------
def record_types(programme: str, facilities: str, keywords: Mapping[str, Sequence[str]]) -> tuple[str, ...]:
    """Facility types of one record row: each type one of whose ``keywords`` (the dataset's
    ``programme.yaml``, ``record.keywords``) occurs in the row's text (see docs/plan.md)."""
    text = f"{programme} {facilities}".lower()
    return tuple(t for t in FACILITY_TYPES if any(w.lower() in text for w in keywords.get(t, ())))


def record_commitments(
    county_ids: Sequence[str], years: Sequence[int], text: str, keywords: Mapping[str, Sequence[str]],
    name: str = "rollout_sites.csv",
) -> tuple[list[Commitment], list[str]]:
    """Commitments from a record of sites (CSV text with ``year``, ``region_id``,
    ``programme``, ``facilities``) and notes on rows left out.

    A county × facility listed in two years keeps the first and says so in a note.
    Raises ValueError naming the file and row for a row without a whole-number year.
    """
    known = set(county_ids)
    if not text.strip():
        return [], ["no record of sites: nothing is fixed"]
    out: dict[tuple[str, str], Commitment] = {}
    notes: list[str] = []
    for i, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        rid = (row.get("region_id") or row.get("census_id") or "").strip()
        try:
            y = int((row.get("year") or "").strip())
        except ValueError:
            raise ValueError(f"{name}: row {i}, column year = {row.get('year')!r}: expected a year") from None
        if not rid or rid not in known:
            notes.append(f"record {y} {row.get('county', '')!r}: no county id in the atlas, left out")
            continue
        if y not in years:
            continue
        for t in record_types(row.get("programme") or "", row.get("facilities") or "", keywords):
            key = (rid, t)
            if key in out:
                notes.append(f"record {rid} {t}: listed in {out[key].year} and {y}; kept {out[key].year}")
                continue
            out[key] = Commitment(rid, t, y, source=f"{name} {y} ({row.get('confidence', '')})")
    return list(out.values()), notes


@dataclass(frozen=True)
class LargePackage:
    """A county whose package (a bundle's lead with the members it must bring) needs more than
    a share of a year's labour capacity even in its cheapest year: a fact before solving."""

    county: int
    lead: int  # type index
    members: tuple[int, ...]  # the types it brings (constraints.BundleRule.must_come)
    year: int  # year index where it takes the smallest share
    labour: float  # at least this much, in that year
    share: float  # of that year's capacity

    def fits(self) -> bool:
        return self.share <= 1.0


def large_packages(inp: PlanInputs, share: float = 0.25) -> list[LargePackage]:
    """Packages of a bundle's lead that need more than ``share`` of the year's labour
    capacity in every year they could be built in (:func:`constraints.unit_use`, the one
    bundle rule: the lead counts the members it must bring)."""
    from twentyten.plan.constraints import buildable, bundle_rules, can_get, unit_use

    if "labour" not in inp.use:
        return []
    allowed = buildable(inp)
    use = unit_use(inp, "labour", allowed)
    capa = inp.capacity["labour"]
    limited = np.isfinite(capa) & (capa > 0)
    can = can_get(inp)
    out = []
    for rule in bundle_rules(inp):
        k = rule.lead
        frac = np.where(allowed[:, k, :] & limited[None, :], use[:, k, :] / np.where(limited, capa, 1.0)[None, :],
                        np.inf)
        early = allowed[:, list(rule.members), : rule.first].any(axis=2)
        must = rule.must_come(can, early)
        for c in np.nonzero(np.isfinite(frac.min(axis=1)) & (frac.min(axis=1) > share))[0]:
            t = int(frac[c].argmin())
            members = tuple(m for j, m in enumerate(rule.members) if must[c, j] and t >= rule.first)
            out.append(LargePackage(int(c), k, members, t, float(use[c, k, t]), float(frac[c, t])))
    return out


def _package_words(inp: PlanInputs, lp: LargePackage) -> str:
    names = [inp.types[m].replace("_", " ") for m in lp.members]
    lead = inp.types[lp.lead].replace("_", " ")
    return f"its {lead} package" + (f" (with {' and '.join(names)}, built together)" if names else "")


def large_package_notes(inp: PlanInputs, share: float = 0.25) -> list[str]:
    """Before solving: a note for each :func:`large_packages` county with what its package
    needs, in the year where that is the smallest share of the capacity."""
    out = []
    for lp in large_packages(inp, share):
        c, t = lp.county, lp.year
        fact = (
            f"{inp.county_names[c]} ({inp.counties[c]}): before solving, {_package_words(inp, lp)} needs at "
            f"least {lp.labour:,.0f} {RESOURCE_UNIT['labour']}, {100 * lp.share:.0f} % of the labour capacity "
            f"{inp.capacity['labour'][t]:,.0f} of {inp.years[t]}, its cheapest year"
        )
        verdict = ("; more than any year's capacity: it cannot be built under these settings" if not lp.fits()
                   else "; it is built whole in one year or not at all")
        out.append(fact + verdict + " (docs/plan.md, Very large counties)")
    return out


def large_package_verdicts(result, share: float = 0.25) -> list[str]:
    """After solving: what the plan does with each :func:`large_packages` county's package."""
    inp = result.inputs
    out = []
    for lp in large_packages(inp, share):
        c = lp.county
        t = int(result.year[c, lp.lead])
        head = f"{inp.county_names[c]} ({inp.counties[c]}): {_package_words(inp, lp)}"
        if t >= 0:
            out.append(f"{head} is built in {inp.years[t]} in this plan")
        elif not lp.fits():
            out.append(f"{head} is not built: it needs {100 * lp.share:.0f} % of a year's labour capacity")
        else:
            out.append(
                f"{head} is not built by {inp.years[-1]} in this plan: at {100 * lp.share:.0f} % of a year's "
                f"labour capacity, the years' capacity goes further on other packages "
                f"(twentyten plan explain {inp.counties[c]} names the rows)"
            )
    return out


def inputs_from_atlas(*args, **kwargs):
    """Moved to :func:`twentyten.plan.instance.inputs_from_atlas` (kept here for old imports)."""
    from twentyten.plan.instance import inputs_from_atlas as load

    return load(*args, **kwargs)
