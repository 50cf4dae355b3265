"""What the rollout model is built from: label-indexed arrays, no files, no solver.

:class:`PlanInputs` is the model's only input (STYLE habit 1: the core takes arrays).
Adapters build it: :func:`synthetic_inputs` for tests and benchmarks, and
:func:`twentyten.plan.adapter.inputs_from_atlas` for the bundled atlas and design.

Array axes are always ``(county, facility type, year)`` in the order of
``counties``, ``types`` and ``years``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from twentyten.domain.facility import FACILITY_TYPES  # the one registry

RESOURCES: tuple[str, ...] = ("labour", "budget", "materials")
# The constraint family that each shared resource feeds (names used in explanations).
RESOURCE_FAMILY: dict[str, str] = {
    "labour": "construction-capacity",
    "budget": "budget",
    "materials": "materials",
}
RESOURCE_UNIT: dict[str, str] = {
    "labour": "regiment-months",
    "budget": "cost units",
    "materials": "t",
}
UNCAPPED = 10**9


@dataclass(frozen=True)
class Bundle:
    """From ``from_year`` on, a county's ``lead`` package and its ``members`` are built in one year.

    A county whose lead was built before ``from_year`` may still get the members alone.
    """

    lead: str
    members: tuple[str, ...]
    from_year: int


@dataclass(frozen=True)
class Precedence:
    """``after`` may be built in a county only ``min_gap`` years or more after ``before``."""

    before: str
    after: str
    min_gap: int = 0


@dataclass(frozen=True)
class Balance:
    """Province balance: by the end of every planned year, each province has built at least
    ``strength`` × its share of counties × the national total of ``types`` so far, less
    ``tolerance`` packages. ``strength`` 0 switches it off, 1 is strict pace."""

    types: tuple[str, ...] = ("factory",)
    strength: float = 1.0
    tolerance: float = 2.0


@dataclass(frozen=True)
class Commitment:
    """A county × facility fixed to a year by the record (built or under way)."""

    county: str
    facility_type: str
    year: int
    source: str = ""


@dataclass(frozen=True)
class PlanInputs:
    """Everything the rollout model needs, as label-indexed arrays.

    Attributes
    ----------
    counties, county_names, provinces : labels; ``county_province[i]`` indexes ``provinces``.
    types, years : facility type keys and the horizon's years.
    eligible : bool (C, K, Y) -- may county c get type k in year y at all.
    use : resource name -> float (C, K, Y): what the package consumes in its build year.
    capacity : resource name -> float (Y,); ``inf`` = unlimited.
    cap : int (K, Y) -- year-cap, most packages of each type per year.
    target : int (K, Y) or None -- year-cap's lower side: at least this many (default none).
    need, population : float (C,) -- need score in [0, 1] and people.
    weight : float (C, K) -- benefit per year in service (see :func:`benefit_weights`).
    commitments : fixed builds from the record.
    replan_from : years before it hold only commitments (the record is complete there).
    """

    counties: tuple[str, ...]
    county_names: tuple[str, ...]
    provinces: tuple[str, ...]
    county_province: np.ndarray
    types: tuple[str, ...]
    years: tuple[int, ...]
    eligible: np.ndarray
    use: dict[str, np.ndarray]
    capacity: dict[str, np.ndarray]
    cap: np.ndarray
    need: np.ndarray
    population: np.ndarray
    weight: np.ndarray
    commitments: tuple[Commitment, ...] = ()
    replan_from: int | None = None
    bundles: tuple[Bundle, ...] = ()
    precedences: tuple[Precedence, ...] = ()
    balance: Balance | None = None
    lon: np.ndarray | None = None
    lat: np.ndarray | None = None
    target: np.ndarray | None = None
    province_names: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())

    def province_name(self, p: int) -> str:
        """Display name of province index p (its id when no name is given)."""
        return self.province_names[p] if p < len(self.province_names) else self.provinces[p]

    def __post_init__(self) -> None:
        C, K, Y = len(self.counties), len(self.types), len(self.years)
        if self.eligible.shape != (C, K, Y):
            raise ValueError(f"eligible has shape {self.eligible.shape}, expected {(C, K, Y)}")
        if self.cap.shape != (K, Y):
            raise ValueError(f"cap has shape {self.cap.shape}, expected {(K, Y)}")
        for r, a in self.use.items():
            if a.shape != (C, K, Y):
                raise ValueError(f"use[{r}] has shape {a.shape}, expected {(C, K, Y)}")
        for r, a in self.capacity.items():
            if a.shape != (Y,):
                raise ValueError(f"capacity[{r}] has shape {a.shape}, expected {(Y,)}")
        if self.target is not None and self.target.shape != (K, Y):
            raise ValueError(f"target has shape {self.target.shape}, expected {(K, Y)}")
        if self.weight.shape != (C, K):
            raise ValueError(f"weight has shape {self.weight.shape}, expected {(C, K)}")
        for b in self.bundles:
            for t in (b.lead, *b.members):
                if t not in self.types:
                    raise ValueError(f"bundle names unknown facility type {t!r}")
        for cm in self.commitments:
            if cm.county not in self.county_index:
                raise ValueError(f"commitment names unknown county {cm.county!r}")
            if cm.facility_type not in self.types:
                raise ValueError(f"commitment names unknown facility type {cm.facility_type!r}")
            if cm.year not in self.years:
                raise ValueError(f"commitment year {cm.year} is outside the horizon")

    # label look-ups -------------------------------------------------------------
    @property
    def county_index(self) -> dict[str, int]:
        return {c: i for i, c in enumerate(self.counties)}

    def type_index(self, t: str) -> int:
        return self.types.index(t)

    def year_index(self, y: int) -> int:
        return self.years.index(y)

    @property
    def shape(self) -> tuple[int, int, int]:
        return len(self.counties), len(self.types), len(self.years)

    def service_years(self) -> np.ndarray:
        """Years in service to the horizon's end for a build in each year (Y,): ``end - y + 1``.

        A package is counted from its build year: sites are inaugurated around the turn of
        the year they were built in, so the build year counts as the first year of service.
        """
        ys = np.asarray(self.years)
        return (ys[-1] - ys + 1).astype(float)

    def objective(self) -> np.ndarray:
        """Benefit of each (county, type, year) build: weight × years in service (C, K, Y)."""
        return self.weight[:, :, None] * self.service_years()[None, None, :]

    def min_count(self) -> np.ndarray:
        """The year-cap's lower side (K, Y): zeros unless targets are set."""
        if self.target is None:
            return np.zeros(self.cap.shape, dtype=int)
        return self.target

    def balance_share(self, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Province balance for type index ``k``: counties of each province that may get it
        (P,) and each province's required share of the national total, strength × n_p / n."""
        elig = self.eligible[:, k, :].any(axis=1)
        n_p = np.bincount(self.county_province[elig], minlength=len(self.provinces)).astype(float)
        strength = self.balance.strength if self.balance is not None else 0.0
        return n_p, strength * n_p / max(n_p.sum(), 1.0)

    def fixed_year(self) -> np.ndarray:
        """Index of the committed year per (county, type), -1 where free (C, K); where the
        record commits a (county, type) twice, the later commitment holds."""
        C, K, _ = self.shape
        out = np.full((C, K), -1, dtype=int)
        n = len(self.commitments)
        if n == 0:
            return out
        ci = self.county_index
        ti = {t: i for i, t in enumerate(self.types)}
        yi = {y: j for j, y in enumerate(self.years)}
        cell = np.fromiter((ci[cm.county] * K + ti[cm.facility_type] for cm in self.commitments), np.int64, n)
        j = np.fromiter((yi[cm.year] for cm in self.commitments), np.int64, n)
        # the last commitment of each cell: the first one in reverse order
        _, first_rev = np.unique(cell[::-1], return_index=True)
        last = n - 1 - first_rev
        out.flat[cell[last]] = j[last]
        return out


def benefit_weights(
    need: np.ndarray,
    population: np.ndarray,
    type_weight: np.ndarray,
    need_weight: float = 1.0,
    population_weight: float = 1.0,
) -> np.ndarray:
    """Benefit per year in service of county c getting type k (C, K).

    ``weight[c, k] = type_weight[k] × (1 + need_weight × need[c]) ×
    (population[c] / mean population) ** population_weight``.

    ``need`` lies in [0, 1] (1 = most backward); ``population_weight`` 0 ignores size,
    1 counts people served. Scaling all weights leaves the plan unchanged.
    """
    pop = np.asarray(population, dtype=float)
    rel = pop / pop.mean() if pop.size and pop.mean() > 0 else np.ones_like(pop)
    county = (1.0 + need_weight * np.asarray(need, dtype=float)) * rel**population_weight
    return county[:, None] * np.asarray(type_weight, dtype=float)[None, :]


def synthetic_inputs(
    n_counties: int,
    rng: np.random.Generator,
    years: tuple[int, ...] = tuple(range(2024, 2034)),
    n_provinces: int | None = None,
    labour_slack: float = 1.0,
) -> PlanInputs:
    """A random instance shaped like the bundled one (for tests and benchmarks).

    Caps scale with the county count (20 packages a year per 179 counties); labour
    capacity is ``labour_slack`` × the labour of an average year's capped packages.
    """
    C, K, Y = n_counties, len(FACILITY_TYPES), len(years)
    P = n_provinces or max(1, round(n_counties / 15))
    prov = np.sort(rng.integers(0, P, size=C))
    pop = rng.lognormal(mean=11.5, sigma=0.5, size=C)
    need = rng.uniform(0, 1, size=C)
    coastal = rng.uniform(size=C) < 0.35
    eligible = np.ones((C, K, Y), dtype=bool)
    eligible[~coastal, FACILITY_TYPES.index("offshore_farm"), :] = False
    y0 = years[0]
    per_year = max(1, round(20 * C / 179))
    cap = np.zeros((K, Y), dtype=int)
    for j, y in enumerate(years):
        cap[0, j] = per_year
        cap[1, j] = per_year if y >= y0 + 2 else 0
        cap[2, j] = per_year if y >= y0 + 2 else 0
        cap[3, j] = per_year if y >= y0 + 2 else 0
        cap[4, j] = max(1, round(2 * C / 179))
    eligible &= (cap > 0)[None, :, :]  # a type starts in the year its cap opens
    base = np.array([7.0, 3.0, 2.0, 1.5, 4.0])  # regiment-months per package
    size = (pop / pop.mean()) ** 0.5
    lab = base[None, :] * size[:, None] * rng.uniform(0.8, 1.25, size=(C, K))
    labour = np.repeat(lab[:, :, None], Y, axis=2)
    bud = labour * 10.0
    mat = labour * 150.0
    avg_year = float(np.sum(cap.mean(axis=1) * base))
    capacity = {
        "labour": np.full(Y, labour_slack * avg_year),
        "budget": np.full(Y, np.inf),
        "materials": np.full(Y, np.inf),
    }
    weight = benefit_weights(need, pop, np.array([1.0, 0.8, 0.6, 0.5, 0.5]))
    return PlanInputs(
        counties=tuple(f"C{i:05d}" for i in range(C)),
        county_names=tuple(f"County {i}" for i in range(C)),
        provinces=tuple(f"P{p:03d}" for p in range(P)),
        county_province=prov,
        types=FACILITY_TYPES,
        years=tuple(years),
        eligible=eligible,
        use={"labour": labour, "budget": bud, "materials": mat},
        capacity=capacity,
        cap=cap,
        need=need,
        population=pop,
        weight=weight,
        bundles=(Bundle("factory", ("hospital", "leisure_complex"), y0 + 2),),
        balance=Balance(("factory",), 1.0, 2.0),
        lon=rng.uniform(124.5, 130.5, size=C),
        lat=rng.uniform(37.8, 42.8, size=C),
    )
