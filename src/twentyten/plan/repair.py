"""Plans from the county-schedule master's LP solution (large instances).

The master LP (:func:`twentyten.plan.lagrange.master_bound`) settles most counties on one
schedule; the rest are split between a few. :func:`plan_from_master` keeps the settled
counties and gives every other county the best of its schedules that still fits the caps
and capacities left; what that breaks is province-balance, by less than one package per
short row, and with the capacities full that no single move repairs.
:func:`repair_balance` closes the short rows by exchanges: a county of the short province
builds earlier, and, in the same year, a county of a province with room to spare builds
later (it takes the freed year), so the caps and capacities stay as they were.
Both are fixed work on the inputs: the same inputs give the same plan.
"""

from __future__ import annotations

import numpy as np

from twentyten.plan.check import check_plan
from twentyten.plan.constraints import Columns, bundle_rules, can_get
from twentyten.plan.inputs import PlanInputs


class _Limits:
    """The year-caps (K, Y) and the capacities of the resources finite in some year, as the
    plan and the exchanges test them: a load within its capacity up to rounding."""

    def __init__(self, inp: PlanInputs) -> None:
        self.res = [r for r in inp.capacity if r in inp.use and np.isfinite(inp.capacity[r]).any()]
        self.cap = np.where(inp.cap < 10**8, inp.cap, np.iinfo(np.int64).max // 2)
        self.capa = {r: np.where(np.isfinite(inp.capacity[r]), inp.capacity[r], np.inf) for r in self.res}

    def within(self, r: str, load, y: int | None = None):
        """Whether ``load`` of resource r (every year's, or year y's) is within its capacity."""
        capa = self.capa[r] if y is None else self.capa[r][y]
        return load <= capa * (1 + 1e-9) + 1e-9


def plan_from_master(
    inp: PlanInputs, county: np.ndarray, schedules: np.ndarray, weights: np.ndarray
) -> np.ndarray:
    """A plan (C, K year index, -1 none) from the master LP's columns with a positive value.

    A county with a column at 1 keeps that schedule. The others, the county whose best
    column weighs most first, take the first of their columns (by weight) whose builds fit
    the year-caps and capacities left; a county none fits keeps only its committed builds
    (none if it has none). Those are set aside before any split county is fitted: every
    column of a committed county holds them, so the LP's rows hold them with the settled
    counties, and the caps and capacities take them whatever the others get.
    """
    C, K, Y = inp.shape
    year = np.full((C, K), -1, dtype=int)
    order = np.lexsort((-weights, county))  # by county, heaviest first (stable: ties keep order)
    county, schedules, weights = county[order], schedules[order], weights[order]
    head = np.ones(county.size, dtype=bool)
    head[1:] = county[1:] != county[:-1]
    settled = head & (weights >= 1.0 - 1e-6)
    year[county[settled]] = schedules[settled]
    lim = _Limits(inp)
    res = lim.res
    counts = np.zeros((K, Y), dtype=np.int64)
    loads = {r: np.zeros(Y) for r in res}

    def add(c: int, s: np.ndarray, sign: int = 1) -> None:
        kk = np.nonzero(s >= 0)[0]
        np.add.at(counts, (kk, s[kk]), sign)
        for r in res:
            np.add.at(loads[r], s[kk], sign * inp.use[r][c, kk, s[kk]])

    def fits(c: int, s: np.ndarray) -> bool:
        kk = np.nonzero(s >= 0)[0]
        more = np.zeros((K, Y), dtype=np.int64)
        np.add.at(more, (kk, s[kk]), 1)
        ok = bool((counts + more <= lim.cap).all())
        for r in res:
            extra = np.zeros(Y)
            np.add.at(extra, s[kk], inp.use[r][c, kk, s[kk]])
            ok &= bool(lim.within(r, loads[r] + extra).all())
        return ok

    for c in county[settled]:
        add(int(c), year[c])
    fixed = inp.fixed_year()
    split = np.nonzero(head & ~settled)[0]
    split = split[np.lexsort((county[split], -weights[split]))]  # heaviest first, then county
    for c in county[split].tolist():  # the committed builds of every split county, set aside
        year[c] = fixed[c]
        add(c, fixed[c])
    starts = np.searchsorted(county, county[split])
    for i, at in zip(split.tolist(), starts.tolist(), strict=True):
        c = int(county[i])
        free = fixed[c] < 0
        add(c, fixed[c], -1)
        for j in range(at, county.size):
            if county[j] != c:
                break
            s = schedules[j]
            if np.array_equal(s[~free], fixed[c, ~free]) and fits(c, s):
                year[c] = s
                break
        add(c, year[c])
    return year


def balance_shortfall(inp: PlanInputs, year: np.ndarray, k: int) -> np.ndarray:
    """Province-balance of type ``k``: each (province, year)'s count by then less what the
    row asks (P, Y); negative where the row is short (years before a replan are 0)."""
    P, Y = len(inp.provinces), inp.shape[2]
    n_p, share = inp.balance_share(k)
    per = np.zeros((P, Y))
    sel = year[:, k] >= 0
    np.add.at(per, (inp.county_province[sel], year[sel, k]), 1)
    cum = per.cumsum(axis=1)
    room = cum - (share[:, None] * cum.sum(axis=0)[None, :] - inp.balance.tolerance)
    room[n_p <= 0] = np.inf
    if inp.replan_from is not None:
        room[:, : int(np.searchsorted(np.asarray(inp.years), inp.replan_from))] = np.inf
    return room


def repair_balance(
    inp: PlanInputs, year: np.ndarray, cols: Columns, max_moves: int | None = None, tries: int = 8
) -> np.ndarray:
    """Close short province-balance rows by exchanges, best objective first.

    For the first short row (province p, year t) every candidate move is scored: a county
    of p moves its package of the balanced type (with the bundle members built with it)
    from a later year a (or from never) to a year s <= t, and either the caps and
    capacities of s take it as they are, or a county of another province whose same
    package is built in s moves it to a (or drops it) in exchange, where its province keeps
    at least one package to spare in every year between. The best-scoring move that
    :func:`check_plan` accepts (no new breach of any kind, one short row fewer) is made;
    a row no move closes is passed over. At most ``max_moves`` moves (by default four per
    short row at the start), ``tries`` checked candidates per row.
    """
    bal = inp.balance
    year = np.array(year, dtype=int)
    if bal is None or bal.strength <= 0:
        return year
    ex = _Exchanges(inp, cols)
    tol = 1e-6
    kinds = [inp.type_index(t) for t in bal.types if t in inp.types]

    def n_short(y: np.ndarray) -> int:
        return sum(int((balance_shortfall(inp, y, k) < -tol).sum()) for k in kinds)

    others = [v for v in check_plan(inp, year) if v.family != "province-balance"]
    if others:
        return year  # only balance is repaired here
    short_now = n_short(year)
    moves = 0
    limit = 4 * short_now + 10 if max_moves is None else max_moves
    passed: set[tuple[int, int, int]] = set()
    while short_now and moves < limit:
        found = None
        for k in kinds:
            room = balance_shortfall(inp, year, k)
            for p, t in zip(*np.nonzero(room < -tol), strict=True):
                if (k, int(p), int(t)) not in passed:
                    found = (k, int(p), int(t), room)
                    break
            if found:
                break
        if found is None:
            break
        k, p, t, room = found
        cands = ex.candidates(year, k, p, t, room)
        moves += 1
        done = False
        for _delta, c, s, d in cands[:tries]:
            trial = year.copy()
            a = year[c, k]
            for m in ex.group(k, s):
                trial[c, m] = s
            if d >= 0:
                for m in ex.group(k, s):
                    trial[d, m] = a
            if any(v.family != "province-balance" for v in check_plan(inp, trial)):
                continue
            ns = n_short(trial)
            if ns < short_now:
                year, short_now, done = trial, ns, True
                break
        if not done:
            passed.add((k, p, t))
    return year


class _Exchanges:
    """What the exchange moves of one instance need, worked out once."""

    def __init__(self, inp: PlanInputs, cols: Columns) -> None:
        self.inp = inp
        self.obj = inp.objective()
        self.allowed = cols.col >= 0
        self.can = can_get(inp)
        self.rules = bundle_rules(inp)
        self.lim = _Limits(inp)
        self.res = self.lim.res
        self.fixed = inp.fixed_year() >= 0
        self.first = 0 if inp.replan_from is None else int(
            np.searchsorted(np.asarray(inp.years), inp.replan_from))

    def group(self, k: int, s: int) -> list[int]:
        """The types that come with a package of type k built in year s."""
        out = [k]
        for rule in self.rules:
            if rule.lead == k and s >= rule.first:
                out += [m for m in rule.members if self.can[:, m].any()]
        return out

    def candidates(
        self, year: np.ndarray, k: int, p: int, t: int, room: np.ndarray
    ) -> list[tuple[float, int, int, int]]:
        """Scored moves for the short row (p, t) of type k: (gain, county, new year,
        partner or -1), best first."""
        inp, prov = self.inp, self.inp.county_province
        C, K, Y = inp.shape
        cc, kk = np.nonzero(year >= 0)
        loads = {}
        for r in self.res:
            loads[r] = np.zeros(Y)
            np.add.at(loads[r], year[cc, kk], inp.use[r][cc, kk, year[cc, kk]])
        counts = np.zeros((K, Y), dtype=np.int64)
        np.add.at(counts, (kk, year[cc, kk]), 1)
        mine = np.nonzero((prov == p) & ~self.fixed[:, k] & ((year[:, k] > t) | (year[:, k] < 0)))[0]
        spare = room >= 1.0 - 1e-6  # (P, Y): a province that can give one package up that year
        # a package more in year y raises every province's share of the total: where that makes
        # another province's row short, no package may be added alone
        share = inp.balance_share(k)[1]
        others = np.arange(room.shape[0]) != p
        tight = ((room >= -1e-6) & (room - share[:, None] < -1e-6) & others[:, None]).any(axis=0)
        out: list[tuple[float, int, int, int]] = []
        for c in mine.tolist():
            a = int(year[c, k])
            for s in range(self.first, t + 1):
                g = self.group(k, s)
                # from the bundle year the members come along (they must be with it in a, or
                # nowhere); before it the lead moves alone and the members stay where they are
                if any(year[c, m] != a for m in g[1:]):
                    continue
                if not all(self.allowed[c, m, s] for m in g):
                    continue
                gain_c = sum(self.obj[c, m, s] - (self.obj[c, m, a] if a >= 0 else 0.0) for m in g)
                if self._fits_alone(c, a, s, g, counts, loads, tight):
                    out.append((gain_c, c, s, -1))
                out += self._exchanges(year, k, p, c, a, s, g, gain_c, loads, spare)
        out.sort(key=lambda m: (-m[0], m[1], m[2], m[3]))
        return out

    def _fits_alone(self, c: int, a: int, s: int, g: list[int], counts: np.ndarray,
                    loads: dict[str, np.ndarray], tight: np.ndarray) -> bool:
        """Whether county c's packages ``g`` move from a (or never) to s alone: the caps and
        capacities of s take them, and no other province's row goes short on the way."""
        if tight[s: a if a >= 0 else self.inp.shape[2]].any():
            return False
        if not all(counts[m, s] + 1 <= self.lim.cap[m, s] for m in g):
            return False
        use = self.inp.use
        return all(self.lim.within(r, loads[r][s] + sum(use[r][c, m, s] for m in g), s) for r in self.res)

    def _exchanges(self, year: np.ndarray, k: int, p: int, c: int, a: int, s: int, g: list[int],
                   gain_c: float, loads: dict[str, np.ndarray], spare: np.ndarray
                   ) -> list[tuple[float, int, int, int]]:
        """County c's packages ``g`` to s, in exchange with a county d of another province
        whose same packages are built in s (it takes a, or gives them up) and whose province
        has a package to spare in every year from s to a: (gain, c, s, d) for each d whose
        move the capacities of s and a take."""
        inp, obj, allowed, group = self.inp, self.obj, self.allowed, self.group
        C, _, Y = inp.shape
        prov = inp.county_province
        d_all = np.ones(C, dtype=bool)
        for m in group(k, Y - 1):
            d_all &= (year[:, m] == s) == (m in g)
        if len(g) == 1:  # d's lead alone in s: its members must be with it in a, or nowhere
            for m in group(k, a if a >= 0 else Y - 1)[1:]:
                d_all &= year[:, m] == a if a >= 0 else year[:, m] < 0
        d_all &= (prov != p) & ~self.fixed[:, k]
        end = a if a >= 0 else Y
        d_all &= spare[prov, s:end].all(axis=1) if end > s else True
        if a >= 0:
            for m in g:
                d_all &= allowed[:, m, a]
        ds = np.nonzero(d_all)[0]
        if ds.size == 0:
            return []
        gain = gain_c - sum(obj[ds, m, s] - (obj[ds, m, a] if a >= 0 else 0.0) for m in g)
        fit = np.ones(ds.size, dtype=bool)
        for r in self.res:
            use = inp.use[r]
            use_c = sum(use[c, m, s] for m in g)
            use_d = sum(use[ds, m, s] for m in g)
            fit &= self.lim.within(r, loads[r][s] + use_c - use_d, s)
            if a >= 0:
                back_c = sum(use[c, m, a] for m in g)
                back_d = sum(use[ds, m, a] for m in g)
                fit &= self.lim.within(r, loads[r][a] - back_c + back_d, a)
        return [(gv, c, s, d) for gv, d in zip(gain[fit].tolist(), ds[fit].tolist(), strict=True)]
