"""Shared pieces of the facility designers: reading norms while recording their sources,
and the construction resources (labour, materials, duration, payer split) of a building."""

from __future__ import annotations

import math
from dataclasses import dataclass

from twentyten.domain.package import FacilityDesign, PayerSplit
from twentyten.domain.region import Region
from twentyten.standards.model import Standard, _fmt

#: Norm-key prefix of each facility type.
PREFIX = {
    "factory": "factory",
    "hospital": "hospital",
    "leisure_complex": "leisure",
    "grain_storage": "grain",
    "offshore_farm": "offshore",
}


class DesignError(ValueError):
    """A county cannot be designed (e.g. its population is unknown)."""


@dataclass(frozen=True)
class Designed:
    """What one facility designer returns: its facilities and the choices it did not make."""

    facilities: tuple[FacilityDesign, ...] = ()
    notes: tuple[str, ...] = ()


class Norms:
    """Reads one year's norms for one facility and remembers which were used."""

    def __init__(self, standard: Standard, explain: bool = True):
        self.standard = standard
        self.explain = explain  # without it, basis strings are skipped (fast path for the planner)
        self.used: dict[str, None] = {}
        self._values = standard.values

    def f(self, v: float) -> str:
        """A number formatted for a basis string ('' when not explaining)."""
        return _fmt(v) if self.explain else ""

    def __call__(self, key: str) -> float:
        self.used[key] = None
        try:
            return self._values[key]
        except KeyError:
            return self.standard.value(key)  # raises with a clear message

    def first(self, *keys: str) -> tuple[str, float]:
        """Value of the most specific of ``keys`` present (e.g. line, then factory, then generic)."""
        key = self.standard.first(*keys)
        return key, self(key)

    def cite(self, key: str) -> str:
        self.used[key] = None
        return self.standard.cite(key) if self.explain else ""

    def sources(self) -> tuple[str, ...]:
        """Source ids behind the numbers; named assumptions as ``assumption:<key>``."""
        used = tuple(self.used)
        memo = self.standard.memo
        cached = memo.get(used)  # the same norms are used by every county of a year
        if cached is None:
            cites = self.standard.standards.citations
            cached = memo[used] = tuple(dict.fromkeys(cites[k] for k in used))
        return cached  # type: ignore[return-value]


def rising_standard(standard: Standard, facility_type: str) -> str:
    """The improvements a facility type has received since the base year, in words."""
    key = f"rising:{facility_type}"
    cached = standard.memo.get(key)
    if cached is None:
        years: dict[str, list[int]] = {}
        for imp in standard.standards.improvements:
            if imp.year <= standard.year and imp.facility_type in (facility_type, "*"):
                ys = years.setdefault(imp.name, [])
                if imp.year not in ys:
                    ys.append(imp.year)
        if years:
            items = "; ".join(f"{name} ({', '.join(map(str, ys))})" for name, ys in years.items())
            cached = f"Built to the {standard.year} standard: {items} (improvements.csv)."
        else:
            cached = ""
        standard.memo[key] = cached
    return str(cached)


def with_rising(reasons: tuple[str, ...] | list[str], standard: Standard, facility_type: str) -> tuple[str, ...]:
    rising = rising_standard(standard, facility_type)
    return (*reasons, rising) if rising else tuple(reasons)


def population(region: Region) -> int:
    if region.population is None or region.population <= 0:
        raise DesignError(
            f"{region.id} ({region.name}): population is unknown; set it in the atlas before designing"
        )
    return int(region.population)


def fmt(v: float) -> str:
    return _fmt(v)


@dataclass(frozen=True)
class Build:
    """Construction resources of one facility."""

    labour_regiment_months: float
    materials_t: float
    build_months: float
    payer_split: PayerSplit
    basis: dict[str, str]


@dataclass(frozen=True)
class _BuildNorms:
    rm_key: str
    rm: float
    t_per_m2: float
    base_regiments: float
    target_months: float
    min_months: float
    split: PayerSplit
    keys: tuple[str, ...]


def _build_norms(standard: Standard, facility_type: str) -> _BuildNorms:
    """The construction norms of a facility type in one year (computed once per year)."""
    memo_key = ("build", facility_type)
    cached = standard.memo.get(memo_key)
    if cached is None:
        p = PREFIX[facility_type]
        v = standard.value
        rm_key = standard.first(f"{p}.regiment_months_per_1000m2", "construction.regiment_months_per_1000m2")
        keys = (
            rm_key, "construction.materials_t_per_m2", f"{p}.regiments_per_site", "construction.target_build_months",
            "construction.min_build_months", f"{p}.payer_centre", f"{p}.payer_province", f"{p}.payer_county",
        )
        cached = _BuildNorms(
            rm_key, v(rm_key), v(keys[1]), v(keys[2]), v(keys[3]), v(keys[4]),
            PayerSplit(v(keys[5]), v(keys[6]), v(keys[7])), keys,
        )
        standard.memo[memo_key] = cached
    return cached  # type: ignore[return-value]


def build(n: Norms, facility_type: str, floor_m2: float, extra_labour: float = 0.0, extra_materials: float = 0.0) -> Build:
    """Labour, materials and duration from floor area; the payer split of the facility type."""
    p = PREFIX[facility_type]
    b = _build_norms(n.standard, facility_type)
    for k in b.keys:
        n.used[k] = None
    labour = floor_m2 / 1000 * b.rm + extra_labour
    materials = floor_m2 * b.t_per_m2 + extra_materials
    # a large site gets more regiments so that it is finished within the target time
    regiments = max(b.base_regiments, ceil(labour / b.target_months)) if b.target_months > 0 else b.base_regiments
    months = max(b.min_months, labour / regiments)
    basis: dict[str, str] = {}
    if n.explain:
        basis = {
            "labour_regiment_months": (
                f"{n.f(floor_m2)} m² × {n.cite(b.rm_key)} / 1000"
                + (f" + {n.f(extra_labour)} at sea" if extra_labour else "")
                + f" = {n.f(labour)}"
            ),
            "materials_t": f"{n.f(floor_m2)} m² × {n.cite('construction.materials_t_per_m2')}"
            + (f" + {n.f(extra_materials)} t" if extra_materials else "")
            + f" = {n.f(materials)} t",
            "build_months": (
                f"max({n.cite('construction.min_build_months')}, {n.f(labour)} regiment-months / {n.f(regiments)} "
                f"regiments) = {n.f(months)}; regiments = max({n.cite(f'{p}.regiments_per_site')}, "
                f"labour / {n.cite('construction.target_build_months')})"
            ),
            "payer_split": (
                f"centre {n.cite(f'{p}.payer_centre')}, province {n.cite(f'{p}.payer_province')}, "
                f"county {n.cite(f'{p}.payer_county')}"
            ),
        }
    return Build(round(labour, 2), round(materials, 1), round(months, 1), b.split, basis)


def ceil(x: float) -> int:
    # guard against 2.0000000001 from float arithmetic turning into 3
    return int(math.ceil(round(x, 9)))
