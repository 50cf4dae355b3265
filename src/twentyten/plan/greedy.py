"""The greedy baseline: sort by score, fill each year's caps.

Year by year, each county's next package (from the bundle year on, a factory package
brings its hospital and leisure complex) is scored by its benefit per year in service;
provinces behind their pace are served first, then the rest in score order, as long as
the year's caps and capacities allow. It is also the optimiser's warm start.

The candidates of a year are found, scored and sorted with numpy, a type at a time; the
placing itself is sequential (each placement uses up caps and capacity), so it runs over
plain Python numbers, and a chunk of candidates is first screened against what is left:
a candidate that does not fit now never fits later in the year (caps and loads only grow).

:class:`GreedyPlanner` holds what does not depend on the commitments, so that an instance
planned again and again under different commitments (the simulation's yearly re-planning)
is prepared once; :func:`greedy_plan` is one such plan.
"""

from __future__ import annotations

import math

import numpy as np

from twentyten.plan.constraints import Columns, bundle_rules, can_get, make_columns, package_of
from twentyten.plan.inputs import PlanInputs

_CHUNK = 256  # candidates screened together before the sequential placing
_MISSES = 16  # candidates that did not fit after the screen before the rest is screened again


def greedy_plan(
    inp: PlanInputs, cols: Columns | None = None, priority: np.ndarray | None = None
) -> np.ndarray:
    """A plan as year index per (county, type), -1 = not built.

    ``priority`` (C, K), higher first, replaces the score order (the optimiser passes the
    order of the LP relaxation's mean build years to get its warm start).
    """
    return GreedyPlanner(inp).plan(inp.fixed_year(), priority, cols)


class GreedyPlanner:
    """:func:`greedy_plan` for one instance planned again and again under different
    commitments (the simulation re-plans every year of every run from what was finished).

    What does not depend on the commitments -- the bundle rules, the precedences, the
    province shares, the resources -- is worked out once, here; :meth:`plan` takes the
    commitments as data, a fixed-year array, so no :class:`~twentyten.plan.inputs.Commitment`
    is made or looked up per call. ``inp.commitments`` are not read: pass
    ``inp.fixed_year()`` to plan the instance's own.
    """

    def __init__(self, inp: PlanInputs) -> None:
        self.inp = inp
        self.rules = bundle_rules(inp)
        self.first = 0 if inp.replan_from is None else int(np.searchsorted(np.asarray(inp.years), inp.replan_from))
        loaded = [r for r in inp.capacity if r in inp.use]
        # screening by load is sound only while extra use never lowers a load
        self.screen_loads = all(bool((inp.use[r] >= 0).all()) for r in loaded)
        # a resource without a limit in any year never stops a package: its load is not kept
        self.res = [r for r in loaded if np.isfinite(inp.capacity[r]).any()]
        # a year whose caps are all 0 takes no package (one counts against its type's cap)
        self.open_years = [t for t in range(self.first, inp.shape[2]) if (inp.cap[:, t] > 0).any()]
        self.precedences = [(inp.type_index(pr.after), inp.type_index(pr.before), pr.min_gap)
                            for pr in inp.precedences]
        bal = inp.balance
        self.balanced: list[tuple[int, np.ndarray, np.ndarray]] = []  # type, counties that may get it, shares
        if bal is not None and bal.strength > 0:
            for tname in bal.types:
                if tname in inp.types:
                    k = inp.type_index(tname)
                    self.balanced.append((k, inp.eligible[:, k, :].any(axis=1), inp.balance_share(k)[1]))

    def plan(
        self, fixed: np.ndarray, priority: np.ndarray | None = None, cols: Columns | None = None
    ) -> np.ndarray:
        """The greedy plan (C, K year index, -1 = not built) under commitments ``fixed``
        (C, K: the committed year index, -1 where free, as :meth:`PlanInputs.fixed_year`);
        ``priority`` as in :func:`greedy_plan`; ``cols``: the instance's columns under these
        commitments where the caller has them."""
        inp = self.inp
        cols = cols or make_columns(inp, fixed)
        C, K, Y = inp.shape
        allowed = cols.col >= 0
        year = np.array(fixed, dtype=int)
        counts = np.zeros((K, Y), int)
        res = self.res
        loads = {r: np.zeros(Y) for r in res}
        cc, kk = np.nonzero(year >= 0)
        np.add.at(counts, (kk, year[cc, kk]), 1)
        for r in loads:
            np.add.at(loads[r], year[cc, kk], inp.use[r][cc, kk, year[cc, kk]])
        can = can_get(inp, fixed)
        rules = self.rules
        # a committed lead from its bundle year brings its members (the bundle rule); only a
        # lead from its bundle year with a member not built yet can bring one, so the rest
        # are passed over (placing members only fills cells that were -1)
        brings = np.zeros(cc.size, bool)
        for rule in rules:
            missing = (year[cc][:, list(rule.members)] < 0).any(axis=1)
            brings |= (kk == rule.lead) & (year[cc, kk] >= rule.first) & missing
        for c, kl in zip(cc[brings], kk[brings], strict=True):
            unit = package_of(inp, year, can, c, kl, year[c, kl], rules)
            for m in (unit or ())[1:]:
                t = year[c, kl]
                if year[c, m] < 0 and allowed[c, m, t]:
                    year[c, m] = t
                    counts[m, t] += 1
                    for r in loads:
                        loads[r][t] += inp.use[r][c, m, t]
        for t in self.open_years:
            cand = _candidates(inp, year, allowed, can, rules, t, priority, res, self.precedences)
            if cand is None:
                continue
            fill = _YearFill(inp, year, t, counts, loads, res, cand)
            for k, elig, share in self.balanced:
                fill.balance(k, elig, share, inp.balance.tolerance)
            fill.rest(self.screen_loads)
            counts[:, t] = fill.cnt
            for j, r in enumerate(res):
                loads[r][t] = fill.loadt[j]
        return year


class _YearFill:
    """Placing one year's candidates (from :func:`_candidates`) on plain Python numbers."""

    def __init__(
        self, inp: PlanInputs, year: np.ndarray, t: int, counts: np.ndarray,
        loads: dict[str, np.ndarray], res: list[str], cand: tuple,
    ) -> None:
        self.inp, self.year, self.t = inp, year, t
        self.cs, self.leads, self.pat, self.units, self.extra = cand
        self.K = inp.shape[1]
        self.cnt = counts[:, t].tolist()
        self.capt = inp.cap[:, t].tolist()
        self.loadt = [float(loads[r][t]) for r in res]
        self.limit = [float(inp.capacity[r][t]) + 1e-9 for r in res]
        self.ext = [e.tolist() for e in self.extra]
        self.cl = self.cs.tolist()
        self.pl = self.pat.tolist()
        self.placed = bytearray(self.cs.size)
        self.taken = np.zeros(inp.shape[0] * self.K + 1, bool)  # c * K + k placed this year

    def place(self, i: int) -> bool:
        """Build candidate ``i`` if the year's caps and capacities allow it."""
        unit = self.units[self.pl[i]]
        cnt, capt, loadt, ext = self.cnt, self.capt, self.loadt, self.ext
        for k in unit:
            if cnt[k] + 1 > capt[k]:
                return False
        for j in range(len(loadt)):
            if loadt[j] + ext[j][i] > self.limit[j]:
                return False
        c = self.cl[i]
        for k in unit:
            self.year[c, k] = self.t
            cnt[k] += 1
            self.taken[c * self.K + k] = True
        for j in range(len(loadt)):
            loadt[j] += ext[j][i]
        self.placed[i] = 1
        return True

    def balance(self, k: int, elig: np.ndarray, share: np.ndarray, tolerance: float) -> None:
        """Provinces behind their pace of type ``k`` first, each in score order (``elig``:
        the counties that may get it, ``share``: each province's share)."""
        inp, t = self.inp, self.t
        P = len(inp.provinces)
        done = self.year[:, k] >= 0
        cum_p = np.bincount(inp.county_province[done], minlength=P)
        est = done.sum() + min(inp.cap[k, t], int((~done & elig).sum()))
        mine = np.nonzero(self.leads == k)[0]
        prov = inp.county_province[self.cs[mine]]
        for p in range(P):
            if self.cnt[k] + 1 > self.capt[k]:
                return  # every candidate here has type k: none fits any more this year
            deficit = math.ceil(share[p] * est - tolerance - cum_p[p] - 1e-9)
            if deficit <= 0:
                continue
            for i in mine[prov == p].tolist():
                if self.cnt[k] + 1 > self.capt[k]:
                    return
                if not self.placed[i] and self.place(i):
                    deficit -= 1
                    if deficit <= 0:
                        break

    def rest(self, screen_loads: bool) -> None:
        """The rest in score order; a chunk is screened against the room left first (a
        candidate that does not fit now never fits later in the year)."""
        K, n = self.K, self.cs.size
        width = max(len(u) for u in self.units)
        tpad = np.full((n, width), K)
        for q, u in enumerate(self.units):
            tpad[self.pat == q, : len(u)] = u
        flat = np.where(tpad < K, self.cs[:, None] * K + tpad, self.taken.size - 1)
        cnt, capt, placed, cl, units, pl = self.cnt, self.capt, self.placed, self.cl, self.units, self.pl
        lo = 0
        while lo < n:
            hi = min(n, lo + _CHUNK)
            full = np.append(np.asarray(cnt) + 1 > np.asarray(capt), False)
            ok = ~(full[tpad[lo:hi]] | self.taken[flat[lo:hi]]).any(axis=1)
            if screen_loads:
                for j in range(len(self.loadt)):
                    ok &= ~(self.loadt[j] + self.extra[j][lo:hi] > self.limit[j])
            todo = (lo + np.nonzero(ok)[0]).tolist()
            lo = hi
            placed_in = set()  # counties placed in since the screen: their later candidates may be taken
            misses = 0
            for i in todo:
                if placed[i] or (cl[i] in placed_in and self.taken[flat[i]].any()):
                    continue
                if self.place(i):
                    placed_in.add(cl[i])
                    misses = 0
                    if any(cnt[k] + 1 > capt[k] for k in units[pl[i]]):
                        lo = i + 1  # a type is full now: screen the rest again
                        break
                elif (misses := misses + 1) >= _MISSES:
                    lo = i + 1
                    break


def _candidates(
    inp: PlanInputs, year: np.ndarray, allowed: np.ndarray, can: np.ndarray, rules: tuple,
    t: int, priority: np.ndarray | None, res: list[str], ka_kb: list[tuple[int, int, int]],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[tuple[int, ...]], list[np.ndarray]] | None:
    """Year ``t``'s packages that may start, in placing order: county, lead type, index of
    the package's types in the returned list, and each package's use of each resource.

    A package is the lead with the members it brings (:func:`package_of`); it is a candidate
    when none of its types is built, all are allowed in ``t``, and its precedences hold;
    ordered by score (or ``priority``), highest first, ties in (county, type) order;
    ``ka_kb``: the precedences as (after, before, gap) type indices.
    """
    C, K, _ = inp.shape
    units: list[tuple[int, ...]] = []
    parts: list[tuple[np.ndarray, int, np.ndarray, np.ndarray, list[np.ndarray]]] = []
    for k in range(K):
        ok = (year[:, k] < 0) & allowed[:, k, t]
        slots = [k]
        incl = [np.ones(C, bool)]
        for rule in rules:
            if t < rule.first:
                continue
            if k in rule.members:
                yl = year[:, rule.lead]
                ok &= (yl >= 0) & (yl < rule.first)
            if k == rule.lead:
                for m in rule.members:
                    ym = year[:, m]
                    inc = can[:, m] & ~((ym >= 0) & (ym < rule.first))
                    ok &= ~inc | ((ym < 0) & allowed[:, m, t])
                    slots.append(m)
                    incl.append(inc)
        for ka, kb, gap in ka_kb:
            has_a = np.zeros(C, bool)
            has_b = np.zeros(C, bool)
            for s, inc in zip(slots, incl, strict=True):
                if s == ka:
                    has_a |= inc
                if s == kb:
                    has_b |= inc
            yb = np.where(has_b, t, year[:, kb])
            ok &= ~has_a | ((yb >= 0) & (yb <= t - gap))
        cs = np.nonzero(ok)[0]
        if cs.size == 0:
            continue
        if len(slots) == 1:
            code = np.zeros(cs.size, np.int64)
            present = [0]
        else:
            bits = np.stack([inc[cs] for inc in incl[1:]], axis=1)
            code = bits.astype(np.int64) @ (1 << np.arange(bits.shape[1], dtype=np.int64))
            present = np.nonzero(np.bincount(code))[0].tolist()
        score = np.empty(cs.size)
        pat = np.empty(cs.size, np.int64)
        extra = [np.empty(cs.size) for _ in res]
        for q in present:
            sel = np.nonzero(code == q)[0] if len(present) > 1 else np.arange(cs.size)
            unit = (k,) + tuple(m for j, m in enumerate(slots[1:]) if q >> j & 1)
            pat[sel] = len(units)
            units.append(unit)
            c = cs[sel]
            score[sel] = inp.weight[c[:, None], np.asarray(unit)[None, :]].sum(axis=1)
            for j, r in enumerate(res):  # summed in the unit's order, as placing adds them
                e = inp.use[r][c, unit[0], t]
                for m in unit[1:]:
                    e = e + inp.use[r][c, m, t]
                extra[j][sel] = e
        if priority is not None:
            score = np.asarray(priority[cs, k], dtype=np.float64) + 1e-6 * score
        parts.append((cs, k, score, pat, extra))
    if not parts:
        return None
    cs = np.concatenate([p[0] for p in parts])
    leads = np.concatenate([np.full(p[0].size, p[1]) for p in parts])
    score = np.concatenate([p[2] for p in parts])
    pat = np.concatenate([p[3] for p in parts])
    extra = [np.concatenate([p[4][j] for p in parts]) for j in range(len(res))]
    order = np.lexsort((cs * K + leads, -score))
    return cs[order], leads[order], pat[order], units, [e[order] for e in extra]
