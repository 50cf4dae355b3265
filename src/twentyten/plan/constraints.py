"""The rollout model's constraint families, one function each, with stable names.

Every row is named ``family[labels]`` (for example ``year-cap[factory,2027]``), so solver
output, the MPS export, infeasibility messages and explanations all speak the same names.

Families (see docs/plan.md for the mathematics):

``county-build-once``     each county gets each facility type at most once in the horizon
``year-cap``              packages of a type per year
``construction-capacity`` labour (regiment-months) per year, shared by all types
``budget``, ``materials`` cost and materials per year, shared by all types
``province-balance``      each province keeps pace with its share of counties
``bundle``                from the bundle year, a site's lead and members are built together
``precedence``            a type only after another one in the same county
``commitment``            what the record fixes
``built``                 definition rows of the auxiliary totals ``built[type,year]``
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from twentyten.plan.inputs import RESOURCE_FAMILY, PlanInputs

FAMILIES: tuple[str, ...] = (
    "county-build-once",
    "year-cap",
    "construction-capacity",
    "budget",
    "materials",
    "province-balance",
    "bundle",
    "precedence",
    "commitment",
    "built",
)

INF = float("inf")


def family_of(row_name: str) -> str:
    """The family of a row name: the text before ``[``."""
    return row_name.split("[", 1)[0]


@dataclass
class Columns:
    """The model's columns: one binary ``build[county,type,year]`` per allowed build, then the
    continuous totals ``built[type,year]``."""

    vc: np.ndarray  # county index per build column
    vk: np.ndarray  # type index
    vt: np.ndarray  # year index
    col: np.ndarray  # (C, K, Y) -> column index or -1
    n_build: int
    built_col: np.ndarray  # (K, Y) -> column index of built[k, y]

    @property
    def n(self) -> int:
        return self.n_build + self.built_col.size


@dataclass
class Rows:
    """Rows collected in coordinate form, with names."""

    names: list[str] = field(default_factory=list)
    lo: list[float] = field(default_factory=list)
    hi: list[float] = field(default_factory=list)
    ri: list[np.ndarray] = field(default_factory=list)
    ci: list[np.ndarray] = field(default_factory=list)
    vals: list[np.ndarray] = field(default_factory=list)

    def add_block(
        self,
        names: list[str],
        lo: np.ndarray,
        hi: np.ndarray,
        row: np.ndarray,
        col: np.ndarray,
        val: np.ndarray,
    ) -> None:
        """Append rows; ``row`` indexes into ``names`` (local to this block)."""
        base = len(self.names)
        self.names.extend(names)
        self.lo.extend(np.broadcast_to(np.asarray(lo, float), (len(names),)).tolist())
        self.hi.extend(np.broadcast_to(np.asarray(hi, float), (len(names),)).tolist())
        self.ri.append(np.asarray(row, dtype=np.int64) + base)
        self.ci.append(np.asarray(col, dtype=np.int64))
        self.vals.append(np.asarray(val, dtype=float))


def buildable(inp: PlanInputs, fixed: np.ndarray | None = None) -> np.ndarray:
    """Which builds a plan may contain at all (C, K, Y), before any capacity is looked at:
    eligible ones, only the committed year for a committed (county, type), and before
    ``replan_from`` only commitments. A commitment may overrule eligibility.

    ``fixed`` (C, K) stands for the commitments (default :meth:`PlanInputs.fixed_year`):
    a caller planning one instance under many sets of commitments passes them as data."""
    allowed = inp.eligible.copy()
    fixed = inp.fixed_year() if fixed is None else fixed
    if inp.replan_from is not None:
        frozen = np.asarray(inp.years) < inp.replan_from
        allowed[:, :, frozen] = False
    fc, fk = np.nonzero(fixed >= 0)
    allowed[fc, fk, :] = False
    allowed[fc, fk, fixed[fc, fk]] = True
    return allowed


def make_columns(inp: PlanInputs, fixed: np.ndarray | None = None) -> Columns:
    """Allowed builds: :func:`buildable`, less those that no year's capacity can hold
    (``fixed`` as in :func:`buildable`)."""
    C, K, Y = inp.shape
    fixed = inp.fixed_year() if fixed is None else fixed
    allowed = buildable(inp, fixed)
    fc, fk = np.nonzero(fixed >= 0)
    allowed &= ~_too_big(inp, allowed)
    allowed[fc, fk, fixed[fc, fk]] = True  # a commitment is kept (diagnose names the conflict)
    vc, vk, vt = np.nonzero(allowed)
    col = np.full((C, K, Y), -1, dtype=np.int64)
    col[vc, vk, vt] = np.arange(vc.size)
    built_col = vc.size + np.arange(K * Y).reshape(K, Y)
    return Columns(vc=vc, vk=vk, vt=vt, col=col, n_build=int(vc.size), built_col=built_col)


def plan_years(cols: Columns, x: np.ndarray) -> np.ndarray:
    """Decode a column vector (solver output) into a plan: year index per (county, type),
    -1 where not built. The one decoder of solver output."""
    on = np.asarray(x)[: cols.n_build] > 0.5
    year = np.full(cols.col.shape[:2], -1, dtype=int)
    year[cols.vc[on], cols.vk[on]] = cols.vt[on]
    return year


# -- the bundle rule ---------------------------------------------------------------------
@dataclass(frozen=True)
class BundleRule:
    """A :class:`~twentyten.plan.inputs.Bundle` in index form: the one statement of the rule.

    From year index ``first`` on, a county's ``lead`` package brings each member the county
    can get (:func:`can_get`) in the same year, unless that member was built before
    ``first`` (it is not built again); a member from ``first`` on comes only with its lead,
    unless the lead was built before ``first``. The model's ``bundle`` rows, the plan
    checker, the greedy, the Lagrangian subproblem, the infeasibility pre-checks and the
    explanations all read it from here.
    """

    lead: int
    members: tuple[int, ...]
    first: int  # year index of the bundle year (len(years) if after the horizon)
    from_year: int

    def early(self, year: np.ndarray, k: int | np.ndarray) -> np.ndarray:
        """Whether type(s) ``k`` were built before the bundle year, per county."""
        y = year[:, k]
        return (y >= 0) & (y < self.first)

    def breaches(self, year: np.ndarray, can: np.ndarray) -> list[tuple[int, int, str]]:
        """``(county, member, kind)`` for each breach of the rule by a plan; kind is
        ``"lead without member"`` or ``"member without lead"``."""
        out = []
        yl = year[:, self.lead]
        lead_early = self.early(year, self.lead)
        for m in self.members:
            ym = year[:, m]
            alone = (yl >= self.first) & can[:, m] & (ym != yl) & ~self.early(year, m)
            out += [(int(c), m, "lead without member") for c in np.nonzero(alone)[0]]
            orphan = (ym >= self.first) & (ym != yl) & ~lead_early
            out += [(int(c), m, "member without lead") for c in np.nonzero(orphan)[0]]
        return sorted(out)

    def must_come(self, can: np.ndarray, early_possible: np.ndarray) -> np.ndarray:
        """Members (C, len(members)) that any lead built from the bundle year must bring:
        those the county can get and cannot have got before the bundle year."""
        return can[:, list(self.members)] & ~early_possible


def bundle_rules(inp: PlanInputs) -> tuple[BundleRule, ...]:
    """The scenario's bundles in index form."""
    years = np.asarray(inp.years)
    return tuple(
        BundleRule(
            inp.type_index(b.lead), tuple(inp.type_index(m) for m in b.members),
            int(np.searchsorted(years, b.from_year)), b.from_year,
        )
        for b in inp.bundles
    )


def can_get(inp: PlanInputs, fixed: np.ndarray | None = None) -> np.ndarray:
    """Whether each county can get each type in some year of this plan (C, K): a member the
    county can never get is not required by its bundle (``fixed`` as in :func:`buildable`)."""
    return buildable(inp, fixed).any(axis=2)


def package_of(
    inp: PlanInputs, year: np.ndarray, can: np.ndarray, c: int, k: int, t: int,
    rules: tuple[BundleRule, ...] | None = None,
) -> tuple[int, ...] | None:
    """The types county ``c`` builds together when it builds type ``k`` in year index ``t``
    of plan ``year``: ``k`` alone, a lead with the members it brings, or None when ``k`` is a
    member that can only come with its lead then."""
    unit: tuple[int, ...] = (k,)
    for rule in bundle_rules(inp) if rules is None else rules:
        if t < rule.first:
            continue
        if k in rule.members and not 0 <= year[c, rule.lead] < rule.first:
            return None
        if k == rule.lead:
            unit += tuple(m for m in rule.members if can[c, m] and not 0 <= year[c, m] < rule.first)
    return unit


def unit_use(
    inp: PlanInputs, resource: str, allowed: np.ndarray, can: np.ndarray | None = None
) -> np.ndarray:
    """Use of ``resource`` by each build (C, K, Y), a lead counting the members it must bring
    from its bundle year (:meth:`BundleRule.must_come`): a lower bound on what building it
    takes. ``allowed`` (C, K, Y) says where members could be built; ``can`` is
    :func:`can_get` where the caller has it."""
    use = inp.use[resource].copy()
    can = can_get(inp) if can is None else can
    for rule in bundle_rules(inp):
        early_possible = allowed[:, list(rule.members), : rule.first].any(axis=2)
        must = rule.must_come(can, early_possible)
        for j, m in enumerate(rule.members):
            sel = must[:, j]
            use[sel, rule.lead, rule.first:] += inp.use[resource][sel, m, rule.first:]
    return use


def _too_big(inp: PlanInputs, allowed: np.ndarray) -> np.ndarray:
    """Builds that alone exceed a year's capacity, counting the bundle members that must come
    with a lead (those the county cannot get before the bundle year). No plan can use them;
    dropping them keeps the LP relaxation from building a fraction of them (C, K, Y).
    ``allowed`` is :func:`buildable`'s answer."""
    alone = np.zeros(allowed.shape, dtype=bool)  # too big on their own
    # nothing is too big for a resource without a limit in any year
    limited = {r: capa for r, capa in inp.capacity.items() if r in inp.use and np.isfinite(capa).any()}
    for r, capa in limited.items():
        alone |= inp.use[r] > capa[None, None, :] * (1 + 1e-9) + 1e-9
    possible = allowed & ~alone
    can = allowed.any(axis=2)  # allowed is buildable(inp): can_get without building it again
    out = alone.copy()
    for r, capa in limited.items():
        out |= unit_use(inp, r, possible, can) > capa[None, None, :] * (1 + 1e-9) + 1e-9
    return out


def _counts(inp: PlanInputs, keys: np.ndarray, n: int) -> np.ndarray:
    return np.bincount(keys, minlength=n)


def county_build_once(inp: PlanInputs, cols: Columns, rows: Rows) -> None:
    """``county-build-once[county,type]``: sum over years of build <= 1."""
    K = len(inp.types)
    key = cols.vc * K + cols.vk
    uniq, local = np.unique(key, return_inverse=True)
    # a single-column row is only a bound (x <= 1): leave it to the column bound
    multi = _counts(inp, local, uniq.size) > 1
    keep = multi[local]
    remap = np.cumsum(multi) - 1
    names = [f"county-build-once[{inp.counties[u // K]},{inp.types[u % K]}]" for u in uniq[multi]]
    rows.add_block(names, -INF, 1.0, remap[local[keep]], np.nonzero(keep)[0], np.ones(keep.sum()))


def year_cap(inp: PlanInputs, cols: Columns, rows: Rows) -> None:
    """``year-cap[type,year]``: target <= built[type,year] <= cap, on the totals column."""
    lo = inp.min_count()
    ks, ys = np.nonzero((inp.cap < 10**8) | (lo > 0))
    names = [f"year-cap[{inp.types[k]},{inp.years[y]}]" for k, y in zip(ks, ys, strict=True)]
    rows.add_block(
        names, lo[ks, ys].astype(float), inp.cap[ks, ys].astype(float), np.arange(ks.size),
        cols.built_col[ks, ys], np.ones(ks.size),
    )


def built_totals(inp: PlanInputs, cols: Columns, rows: Rows) -> None:
    """``built[type,year]``: built[type,year] - sum over counties of build = 0."""
    K, Y = inp.cap.shape
    names = [f"built[{inp.types[k]},{inp.years[y]}]" for k in range(K) for y in range(Y)]
    r_build = cols.vk * Y + cols.vt
    row = np.concatenate([r_build, np.arange(K * Y)])
    col = np.concatenate([np.arange(cols.n_build), cols.built_col.ravel()])
    val = np.concatenate([-np.ones(cols.n_build), np.ones(K * Y)])
    rows.add_block(names, 0.0, 0.0, row, col, val)


def resource_capacity(inp: PlanInputs, cols: Columns, rows: Rows, resource: str) -> None:
    """``construction-capacity[year]`` (labour), ``budget[year]``, ``materials[year]``:
    sum of what the year's packages use <= the year's capacity."""
    if resource not in inp.use or resource not in inp.capacity:
        return
    family = RESOURCE_FAMILY.get(resource, resource)
    capa = inp.capacity[resource]
    years = np.nonzero(np.isfinite(capa))[0]
    if years.size == 0:
        return
    local = np.full(len(inp.years), -1)
    local[years] = np.arange(years.size)
    use = inp.use[resource][cols.vc, cols.vk, cols.vt]
    keep = (local[cols.vt] >= 0) & (use != 0)
    names = [f"{family}[{inp.years[y]}]" for y in years]
    rows.add_block(names, -INF, capa[years], local[cols.vt[keep]], np.nonzero(keep)[0], use[keep])


def province_balance(inp: PlanInputs, cols: Columns, rows: Rows) -> None:
    """``province-balance[province,type,year]``, for each planned year:

    sum_{c in p, s <= y} build[c,k,s] - a_p × sum_{s <= y} built[k,s] >= -tolerance,
    with a_p = strength × (counties of p eligible for k) / (all counties eligible for k).
    """
    bal = inp.balance
    if bal is None or bal.strength <= 0:
        return
    Y = len(inp.years)
    first = 0
    if inp.replan_from is not None:
        first = int(np.searchsorted(np.asarray(inp.years), inp.replan_from))
    names: list[str] = []
    r_all, c_all, v_all = [], [], []
    nrow = 0
    for tname in bal.types:
        if tname not in inp.types:
            continue
        k = inp.type_index(tname)
        n_p, share = inp.balance_share(k)
        if n_p.sum() == 0:
            continue
        sel = np.nonzero(cols.vk == k)[0]
        vp = inp.county_province[cols.vc[sel]]
        vt = cols.vt[sel]
        for y in range(first, Y):
            for p in np.nonzero(n_p > 0)[0]:
                mine = sel[(vp == p) & (vt <= y)]
                names.append(f"province-balance[{inp.provinces[p]},{tname},{inp.years[y]}]")
                r_all.append(np.full(mine.size + y + 1, nrow))
                c_all.append(np.concatenate([mine, cols.built_col[k, : y + 1]]))
                v_all.append(np.concatenate([np.ones(mine.size), np.full(y + 1, -share[p])]))
                nrow += 1
    if nrow:
        rows.add_block(
            names, -bal.tolerance, INF, np.concatenate(r_all), np.concatenate(c_all),
            np.concatenate(v_all),
        )


def bundle(inp: PlanInputs, cols: Columns, rows: Rows) -> None:
    """``bundle[county,member,year]``, the rows of :class:`BundleRule`, for years from the
    bundle year and counties that can get the member:

    build[c,member,y] + sum_{s < from} build[c,member,s] - build[c,lead,y] >= 0
    (the lead brings its members; a member the county got before the bundle year, e.g. a
    2025 pilot hospital, is not built again), and ``bundle[county,member,year;alone]``:
    build[c,member,y] - build[c,lead,y] - sum_{s < from} build[c,lead,s] <= 0
    (a member alone only where the lead was built before the bundle year).
    """
    years = np.asarray(inp.years)
    can = can_get(inp)
    for rule in bundle_rules(inp):
        kl, start = rule.lead, rule.first
        for km in rule.members:
            mname = inp.types[km]
            entries: list[tuple[str, list[tuple[int, float]], float, float]] = []
            for c in np.nonzero(can[:, km])[0]:
                before = [(int(j), -1.0) for j in cols.col[c, kl, :start] if j >= 0]
                m_before = [(int(j), 1.0) for j in cols.col[c, km, :start] if j >= 0]
                for y in range(start, len(years)):
                    jl, jm = cols.col[c, kl, y], cols.col[c, km, y]
                    if jl >= 0:
                        entries.append((f"bundle[{inp.counties[c]},{mname},{years[y]}]",
                            [(jl, -1.0)] + ([(jm, 1.0)] if jm >= 0 else []) + m_before, 0.0, INF))
                    if jm >= 0:
                        entries.append((f"bundle[{inp.counties[c]},{mname},{years[y]};alone]",
                            [(jm, 1.0)] + ([(jl, -1.0)] if jl >= 0 else []) + before, -INF, 0.0))
            if entries:
                rr = [i for i, e in enumerate(entries) for _ in e[1]]
                cc = [j for e in entries for j, _ in e[1]]
                vv = [v for e in entries for _, v in e[1]]
                rows.add_block([e[0] for e in entries], np.array([e[2] for e in entries]),
                               np.array([e[3] for e in entries]), np.array(rr), np.array(cc),
                               np.array(vv))


def precedence(inp: PlanInputs, cols: Columns, rows: Rows) -> None:
    """``precedence[county,after,year]``: build[c,after,y] <= sum_{s <= y - gap} build[c,before,s]."""
    for pr in inp.precedences:
        kb, ka = inp.type_index(pr.before), inp.type_index(pr.after)
        names: list[str] = []
        rr, cc, vv = [], [], []
        for c, y in zip(*np.nonzero(cols.col[:, ka, :] >= 0), strict=True):
            prev = cols.col[c, kb, : max(0, y - pr.min_gap + 1)]
            prev = prev[prev >= 0]
            names.append(f"precedence[{inp.counties[c]},{pr.after},{inp.years[y]}]")
            n = len(names) - 1
            rr.extend([n] * (1 + prev.size))
            cc.extend([int(cols.col[c, ka, y]), *prev.tolist()])
            vv.extend([1.0] + [-1.0] * prev.size)
        if names:
            rows.add_block(names, -INF, 0.0, np.array(rr), np.array(cc), np.array(vv))


def commitment(inp: PlanInputs, cols: Columns, rows: Rows) -> None:
    """``commitment[county,type,year]``: build = 1 for every build the record fixes."""
    ci = inp.county_index
    names, cc = [], []
    for cm in inp.commitments:
        j = cols.col[ci[cm.county], inp.type_index(cm.facility_type), inp.year_index(cm.year)]
        names.append(f"commitment[{cm.county},{cm.facility_type},{cm.year}]")
        cc.append(int(j))
    if names:
        rows.add_block(names, 1.0, 1.0, np.arange(len(names)), np.array(cc), np.ones(len(names)))


def all_families(inp: PlanInputs, cols: Columns) -> Rows:
    """Every family's rows, in the order of :data:`FAMILIES`."""
    rows = Rows()
    county_build_once(inp, cols, rows)
    year_cap(inp, cols, rows)
    for r in ("labour", "budget", "materials"):
        resource_capacity(inp, cols, rows, r)
    province_balance(inp, cols, rows)
    bundle(inp, cols, rows)
    precedence(inp, cols, rows)
    commitment(inp, cols, rows)
    built_totals(inp, cols, rows)
    return rows
