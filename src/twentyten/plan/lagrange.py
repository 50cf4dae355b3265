"""A Lagrangian bound and price-directed plans for large instances.

For thousands of counties the full MIP (and even its LP relaxation) is too slow on a
small machine, so the large path starts without a solver:

* **bound**: relax the coupling rows (``year-cap``, ``construction-capacity``, ``budget``,
  ``materials``) with prices, drop ``province-balance`` and ``precedence`` (dropping rows
  only raises the optimum, so the bound stays valid), and the problem splits by county:
  each county picks its best year per package (bundles respected) given the prices.
  Subgradient steps on the prices tighten the bound;
* **plans**: the greedy filler, ordered by the year each package would choose under the
  current prices, gives feasible plans along the way (checked by every family); the
  solver then improves the best one two years at a time
  (:func:`twentyten.plan.heuristics.improve_by_windows`);
* **master**: :func:`master_bound` prices province-balance too (column generation over whole
  county schedules); its last LP solution, returned with the bound, gives the plan that
  :mod:`twentyten.plan.repair` makes feasible, usually the best start for the windows.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from twentyten.plan.check import check_plan
from twentyten.plan.constraints import Columns, bundle_rules, can_get, make_columns
from twentyten.plan.greedy import greedy_plan
from twentyten.plan.inputs import PlanInputs

NEG = -1e18


@dataclass(frozen=True)
class LagrangeResult:
    bound: float
    year: np.ndarray | None  # best feasible plan found
    objective: float
    iterations: int
    seconds: float
    trajectory: tuple[tuple[float, float, float], ...]  # (seconds, primal, bound)
    cut_short: bool = False  # the safety time limit stopped it before ``iterations``
    schedules: np.ndarray | None = None  # (n, K) county schedules priced in the last steps
    schedule_county: np.ndarray | None = None  # (n,) their counties


def _county_choice(inp: PlanInputs, cols: Columns, red: np.ndarray):
    """Each county's best schedule given reduced values red (C, K, Y) (NEG = not allowed).

    Returns value per county (C,) and the chosen year index per (C, K) (-1 none)."""
    C, K, Y = red.shape
    fixed = inp.fixed_year()
    none_ok = fixed < 0
    best_t = red.argmax(axis=2)
    best_v = red.max(axis=2)
    take = (best_v > 0) | ~none_ok
    value = np.where(take, best_v, 0.0)
    choice = np.where(take, best_t, -1)
    can = can_get(inp)
    for rule in bundle_rules(inp):  # the options the bundle rule leaves each county
        kl, ms, F = rule.lead, list(rule.members), rule.first
        m_ok = can[:, ms]  # (C, M) members the rule requires
        rl = red[:, kl, :]
        rm = red[:, ms, :]  # (C, M, Y)
        # A1: lead before F, members alone anywhere
        a1_lead = rl[:, :F].max(axis=1) if F > 0 else np.full(C, NEG)
        a1_lead_t = rl[:, :F].argmax(axis=1) if F > 0 else np.zeros(C, int)
        m_free_v = np.where(rm.max(axis=2) > 0, rm.max(axis=2), 0.0)
        m_free_v = np.where(none_ok[:, ms], m_free_v, rm.max(axis=2))
        a1 = a1_lead + m_free_v.sum(axis=1)
        # A0: lead not built; members only before F
        pre = rm[:, :, :F].max(axis=2) if F > 0 else np.full((C, len(ms)), NEG)
        pre_v = np.where(pre > 0, pre, 0.0)
        pre_v = np.where(none_ok[:, ms], pre_v, pre)
        a0 = np.where(none_ok[:, kl], 0.0, NEG) + pre_v.sum(axis=1)
        # B: lead at t >= F; each member with it at t, or built before F (then not again);
        # members the county cannot get are not required
        mem_v = np.maximum(rm[:, :, F:], pre[:, :, None])  # (C, M, Y - F)
        mem_with = rm[:, :, F:] >= pre[:, :, None]
        together = rl[:, F:] + np.where(m_ok[:, :, None], mem_v, 0.0).sum(axis=1)
        b_v = together.max(axis=1) if F < Y else np.full(C, NEG)
        b_t = together.argmax(axis=1) + F if F < Y else np.zeros(C, int)
        opts = np.stack([a0, a1, b_v], axis=1)
        pick = opts.argmax(axis=1)
        # replace the bundle types' independent choice by the joint one
        value[:, kl] = 0.0
        value[:, ms] = 0.0
        value[:, kl] = opts[np.arange(C), pick]
        choice[:, kl] = np.where(pick == 1, a1_lead_t, np.where(pick == 2, b_t, -1))
        for j, m in enumerate(ms):
            alone_t = rm[:, j, :].argmax(axis=1)
            alone = np.where((m_free_v[:, j] > 0) | ~none_ok[:, m], alone_t, -1)
            pre_t = np.where((pre_v[:, j] > 0) | ~none_ok[:, m], rm[:, j, :F].argmax(axis=1) if F else -1, -1)
            if F < Y:
                at_b = mem_with[np.arange(C), j, b_t - F]
                pre_at = rm[:, j, :F].argmax(axis=1) if F else np.full(C, -1)
                with_lead = np.where(m_ok[:, j], np.where(at_b, b_t, pre_at), -1)
            else:
                with_lead = np.full(C, -1)
            choice[:, m] = np.where(pick == 1, alone, np.where(pick == 2, with_lead, pre_t))
    return value.sum(axis=1), choice


def lagrangian_plan(
    inp: PlanInputs, time_limit: float = 30.0, iterations: int = 400, cols: Columns | None = None,
    greedy_every: int = 10, keep_last: int = 0,
) -> LagrangeResult:
    """Subgradient on the coupling rows; returns the best bound and the best plan.

    With ``keep_last``, the distinct county schedules chosen in the last ``keep_last``
    steps come back too (the first columns of :func:`master_bound`'s master)."""
    t0 = time.perf_counter()
    cols = cols or make_columns(inp)
    C, K, Y = inp.shape
    obj = inp.objective()
    allowed = cols.col >= 0
    res = [r for r in inp.capacity if r in inp.use and np.isfinite(inp.capacity[r]).any()]
    capa = {r: np.where(np.isfinite(inp.capacity[r]), inp.capacity[r], 0.0) for r in res}
    finite = {r: np.isfinite(inp.capacity[r]) for r in res}
    capk = inp.cap.astype(float)
    capk_on = inp.cap < 10**8
    lam = {r: np.zeros(Y) for r in res}
    capk_scale = float(np.mean(capk[capk_on])) if capk_on.any() else 1.0
    capa_scale = {r: float(np.mean(capa[r][finite[r]])) for r in res}
    mu = np.zeros((K, Y))
    best_bound, best_obj, best_year = np.inf, -np.inf, None
    traj: list[tuple[float, float, float]] = []
    g0 = greedy_plan(inp, cols)
    if not check_plan(inp, g0):
        best_year, best_obj = g0, float(obj[np.nonzero(g0 >= 0)[0], np.nonzero(g0 >= 0)[1], g0[g0 >= 0]].sum())
    scale = max(abs(best_obj), 1.0) if np.isfinite(best_obj) else float(np.abs(obj).max() * C)
    it = 0
    theta, stall = 2.0, 0
    avg = np.zeros((C, K))  # ergodic mean of the chosen years (never built = Y)
    n_avg = 0
    cut_short = False
    kept: list[np.ndarray] = []
    for it in range(1, iterations + 1):
        if time.perf_counter() - t0 > time_limit:
            cut_short = True
            break
        red = obj - mu[None, :, :]
        for r in res:
            red = red - inp.use[r] * lam[r][None, None, :]
        red = np.where(allowed, red, NEG)
        val, choice = _county_choice(inp, cols, red)
        if it > iterations - keep_last:
            kept.append(choice)
        bound = float(val.sum() + sum((lam[r] * capa[r]).sum() for r in res) + (mu * np.where(capk_on, capk, 0)).sum())
        if bound < best_bound - 1e-9 * scale:
            best_bound, stall = bound, 0
        else:
            stall += 1
            if stall >= 25:
                theta, stall = theta / 2, 0
        # subgradients (capacity minus use)
        cc, kk = np.nonzero(choice >= 0)
        tt = choice[cc, kk]
        cnt = np.zeros((K, Y))
        np.add.at(cnt, (kk, tt), 1)
        g_mu = np.where(capk_on, capk - cnt, 0.0)
        g_lam = {}
        for r in res:
            load = np.zeros(Y)
            np.add.at(load, tt, inp.use[r][cc, kk, tt])
            g_lam[r] = np.where(finite[r], capa[r] - load, 0.0)
        avg += np.where(choice >= 0, choice, Y)
        n_avg += 1
        if it % greedy_every == 0:
            y = greedy_plan(inp, cols, priority=-avg / n_avg)
            if not check_plan(inp, y):
                o = float(obj[np.nonzero(y >= 0)[0], np.nonzero(y >= 0)[1], y[y >= 0]].sum())
                if o > best_obj:
                    best_obj, best_year = o, y
        if it % (4 * greedy_every) == 0:
            avg[:] = 0.0  # forget the early, poorly priced iterations
            n_avg = 0
        if it % greedy_every == 1 or it == iterations:
            # chosen year first; within it, the package that loses most by waiting a year
            nxt = np.concatenate([red[:, :, 1:], np.full((C, K, 1), NEG)], axis=2)
            now = np.take_along_axis(red, np.clip(choice, 0, None)[:, :, None], 2)[:, :, 0]
            later = np.take_along_axis(nxt, np.clip(choice, 0, None)[:, :, None], 2)[:, :, 0]
            regret = np.clip(now - np.maximum(later, 0.0), 0, None)
            regret = regret / max(float(regret.max()), 1e-12)
            pri = np.where(choice >= 0, -choice.astype(float), -float(Y)) + 0.999 * regret
            y = greedy_plan(inp, cols, priority=pri)
            if not check_plan(inp, y):
                o = float(obj[np.nonzero(y >= 0)[0], np.nonzero(y >= 0)[1], y[y >= 0]].sum())
                if o > best_obj:
                    best_obj, best_year = o, y
        traj.append((time.perf_counter() - t0, best_obj, best_bound))
        # preconditioned step: each row's violation relative to its own right-hand side
        d_mu = g_mu / np.maximum(capk_scale, 1.0) ** 2
        d_lam = {r: g_lam[r] / np.maximum(capa_scale[r], 1e-9) ** 2 for r in res}
        norm = float((g_mu * d_mu).sum() + sum((g_lam[r] * d_lam[r]).sum() for r in res))
        if norm < 1e-18:
            break
        target = best_obj if np.isfinite(best_obj) else bound - 0.05 * scale
        step = theta * max(bound - target, 1e-5 * scale) / norm
        mu = np.maximum(0.0, mu - step * d_mu)
        for r in res:
            lam[r] = np.maximum(0.0, lam[r] - step * d_lam[r])
    sched, owner = _distinct_schedules(kept, Y) if kept else (None, None)
    return LagrangeResult(
        best_bound, best_year, best_obj, it, time.perf_counter() - t0, tuple(traj), cut_short,
        sched, owner,
    )


def _distinct_schedules(choices: list[np.ndarray], Y: int) -> tuple[np.ndarray, np.ndarray]:
    """The distinct (county, schedule) pairs of a list of (C, K) choices, in county order."""
    stack = np.stack(choices)  # (n, C, K)
    n, C, K = stack.shape
    code = ((stack + 1) * (Y + 1) ** np.arange(K)).sum(axis=2)  # one integer per schedule
    pairs = np.unique(np.arange(C)[None, :] * (Y + 1) ** K + code)
    owner = pairs // (Y + 1) ** K
    rest = pairs % (Y + 1) ** K
    sched = (rest[:, None] // (Y + 1) ** np.arange(K)) % (Y + 1) - 1
    return sched.astype(int), owner.astype(int)


# -- the master problem (Dantzig-Wolfe): a county's whole schedule is one column ----------
@dataclass(frozen=True)
class MasterResult:
    """What :func:`master_bound` proves.

    ``bound`` is the best Lagrangian bound priced at the master's duals (valid whatever the
    master's state: every county's subproblem is solved exactly); ``lp_value`` the master
    LP's last optimum, a lower estimate of the bound it converges to.
    """

    bound: float
    lp_value: float
    rounds: int
    columns: int
    seconds: float
    trajectory: tuple[tuple[float, float], ...]  # (seconds, bound)
    cut_short: bool = False
    # the last master LP's columns with a positive value: county, (n, K) schedule, value
    lp_county: np.ndarray | None = None
    lp_schedules: np.ndarray | None = None
    lp_weights: np.ndarray | None = None


class _Master:
    """The restricted master LP over county schedules, held in one HiGHS object.

    Rows: one convexity row per county (<= 1, or = 1 where a commitment forces a build),
    ``built[type,year]`` definitions (the totals carry the year-cap as column bounds), the
    finite resource capacities and province-balance; bundle rules live in the pricing
    (:func:`_county_choice`). Precedence is left out (a relaxation: the bound stays valid).
    """

    def __init__(self, inp: PlanInputs, cols: Columns, seed: int, threads: int | None):
        import highspy

        from twentyten.plan.model import new_highs

        self.inp, self.cols = inp, cols
        C, K, Y = inp.shape
        self.obj = inp.objective()
        self.allowed = cols.col >= 0
        self.must = (inp.fixed_year() >= 0).any(axis=1)  # a county that must build something
        self.res = [r for r in inp.capacity if r in inp.use and np.isfinite(inp.capacity[r]).any()]
        self.first = 0 if inp.replan_from is None else int(
            np.searchsorted(np.asarray(inp.years), inp.replan_from))
        self.cap_hi = np.where(inp.cap < 10**8, inp.cap, np.inf).astype(float)
        self.cap_lo = inp.min_count().astype(float)
        inf = highspy.kHighsInf
        lo, hi = [np.where(self.must, 1.0, -inf)], [np.ones(C)]
        self.r_built = C
        lo.append(np.zeros(K * Y))
        hi.append(np.zeros(K * Y))
        at = C + K * Y
        self.r_res: dict[str, tuple[int, np.ndarray]] = {}
        for r in self.res:
            years = np.nonzero(np.isfinite(inp.capacity[r]))[0]
            self.r_res[r] = (at, years)
            lo.append(np.full(years.size, -inf))
            hi.append(inp.capacity[r][years])
            at += years.size
        self.balance: list[tuple[int, np.ndarray, np.ndarray, int]] = []  # (k, share, prov row, at)
        bal = inp.balance
        n_first = Y - self.first
        if bal is not None and bal.strength > 0 and n_first > 0:
            for tname in bal.types:
                if tname not in inp.types:
                    continue
                k = inp.type_index(tname)
                n_p, share = inp.balance_share(k)
                on = np.nonzero(n_p > 0)[0]
                if on.size == 0:
                    continue
                prow = np.full(len(inp.provinces), -1)
                prow[on] = np.arange(on.size)
                self.balance.append((k, share, prow, at))
                lo.append(np.full(on.size * n_first, -bal.tolerance))
                hi.append(np.full(on.size * n_first, inf))
                at += on.size * n_first
        self.tolerance = bal.tolerance if bal is not None else 0.0
        self.n_rows = at
        self.h = new_highs(seed=seed, threads=threads)
        h = self.h
        h.changeObjectiveSense(highspy.ObjSense.kMaximize)
        h.addRows(at, np.concatenate(lo), np.concatenate(hi), 0, np.zeros(at, np.int32),
                  np.zeros(0, np.int32), np.zeros(0))
        # the totals built[k, t]: +1 in their definition, -share in the balance rows from t on
        idx, val, start = [], [], []
        for k in range(K):
            for t in range(Y):
                start.append(len(idx))
                idx.append(C + k * Y + t)
                val.append(1.0)
                for kb, share, prow, base in self.balance:
                    if kb != k:
                        continue
                    on = np.nonzero(prow >= 0)[0]
                    for y in range(max(t, self.first), Y):
                        idx.extend((base + prow[on] * n_first + (y - self.first)).tolist())
                        val.extend((-share[on]).tolist())
        ub = np.where(np.isfinite(self.cap_hi), self.cap_hi, inf).ravel()
        h.addCols(K * Y, np.zeros(K * Y), self.cap_lo.ravel(), ub, len(idx),
                  np.array(start, np.int32), np.array(idx, np.int32), np.array(val))
        self.n_fixed_cols = K * Y
        self.owner = np.zeros(0, int)
        self.sched = np.zeros((0, K), int)
        self.seen: set[tuple[int, bytes]] = set()

    def add(self, county: np.ndarray, sched: np.ndarray) -> int:
        """Add the schedules not yet in the master; returns how many were new."""
        inp = self.inp
        C, K, Y = inp.shape
        keep = []
        for i, (c, s) in enumerate(zip(county.tolist(), sched, strict=True)):
            key = (c, s.astype(np.int8).tobytes())
            if key not in self.seen:
                self.seen.add(key)
                keep.append(i)
        if not keep:
            return 0
        county, sched = county[keep], sched[keep]
        n = county.size
        on_c, on_k = np.nonzero(sched >= 0)
        on_t = sched[on_c, on_k]
        cc = county[on_c]
        cost = np.zeros(n)
        np.add.at(cost, on_c, self.obj[cc, on_k, on_t])
        cols_i = [np.arange(n), on_c]
        rows_i = [county, C + on_k * Y + on_t]
        vals = [np.ones(n), -np.ones(on_c.size)]
        for r, (base, years) in self.r_res.items():
            load = np.zeros((n, Y))
            np.add.at(load, (on_c, on_t), inp.use[r][cc, on_k, on_t])
            local = np.full(Y, -1)
            local[years] = np.arange(years.size)
            j, t = np.nonzero((load != 0) & (local >= 0)[None, :])
            cols_i.append(j)
            rows_i.append(base + local[t])
            vals.append(load[j, t])
        n_first = Y - self.first
        for kb, _share, prow, base in self.balance:
            t = sched[:, kb]
            p = prow[inp.county_province[county]]
            j = np.nonzero((t >= 0) & (p >= 0))[0]
            for y in range(self.first, Y):
                jj = j[t[j] <= y]
                cols_i.append(jj)
                rows_i.append(base + p[jj] * n_first + (y - self.first))
                vals.append(np.ones(jj.size))
        ci = np.concatenate(cols_i)
        order = np.argsort(ci, kind="stable")
        ri, va = np.concatenate(rows_i)[order], np.concatenate(vals)[order]
        start = np.searchsorted(ci[order], np.arange(n)).astype(np.int32)
        import highspy

        self.h.addCols(n, cost, np.zeros(n), np.full(n, highspy.kHighsInf), ri.size, start,
                       ri.astype(np.int32), va)
        self.owner = np.concatenate([self.owner, county])
        self.sched = np.concatenate([self.sched, sched])
        return n

    def prices(self, d: np.ndarray) -> tuple:
        """Lagrange multipliers from the master's row duals (HiGHS's signs for a maximum)."""
        C, K, Y = self.inp.shape
        sigma = d[:C]
        built = -d[C: C + K * Y].reshape(K, Y)
        lam = {}
        for r, (base, years) in self.r_res.items():
            lam[r] = np.zeros(Y)
            lam[r][years] = np.maximum(0.0, d[base: base + years.size])
        nu = []
        n_first = Y - self.first
        for _kb, _share, prow, base in self.balance:
            on = int((prow >= 0).sum())
            v = np.zeros((prow.size, Y))
            v[prow >= 0, self.first:] = np.maximum(
                0.0, -d[base: base + on * n_first].reshape(on, n_first))
            nu.append(v)
        return sigma, built, lam, nu

    def lagrangian(self, built: np.ndarray, lam: dict, nu: list) -> tuple[float, np.ndarray, np.ndarray]:
        """The Lagrangian bound at these multipliers, each county's value and best schedule."""
        inp = self.inp
        red = self.obj - built[None, :, :]
        for r in self.res:
            red = red - inp.use[r] * lam[r][None, None, :]
        coef = built.copy()
        for (kb, share, _prow, _base), v in zip(self.balance, nu, strict=True):
            after = np.cumsum(v[:, ::-1], axis=1)[:, ::-1]  # sum over rows y >= t
            red[:, kb, :] += after[inp.county_province]
            coef[kb] -= (share[:, None] * after).sum(axis=0)
        red = np.where(self.allowed, red, NEG)
        val, choice = _county_choice(inp, self.cols, red)
        with np.errstate(invalid="ignore"):
            totals = np.where(coef > 0, coef * self.cap_hi, coef * self.cap_lo)
        bound = float(val.sum() + totals.sum() + self.tolerance * sum(v.sum() for v in nu)
                      + sum((lam[r] * np.where(np.isfinite(inp.capacity[r]), inp.capacity[r], 0)).sum()
                            for r in self.res))
        return bound, val, choice


def master_bound(
    inp: PlanInputs, cols: Columns, start: list[tuple[np.ndarray, np.ndarray]],
    max_rounds: int = 40, stop_gap: float = 1e-5, time_limit: float = 60.0, seed: int = 0,
    threads: int | None = None,
) -> MasterResult:
    """Column generation on the county-schedule master, from the schedules in ``start``
    (pairs of county indices and (n, K) schedules; a feasible plan among them keeps the
    master feasible). Each round solves the master LP, prices every county exactly at its
    duals (a valid Lagrangian bound, with province-balance priced too) and adds the
    schedules that improve it. Stops when no county improves, when the master's value is
    within ``stop_gap`` of the bound, or after ``max_rounds`` (work, not time, decides;
    ``time_limit`` is a safety net that says so in ``cut_short``).
    """
    import highspy

    t0 = time.perf_counter()
    ms = _Master(inp, cols, seed, threads)
    for county, sched in start:
        ms.add(county, sched)
    best, lp_value, rounds, cut_short = np.inf, -np.inf, 0, False
    traj: list[tuple[float, float]] = []
    lp_cols: tuple[np.ndarray, np.ndarray, np.ndarray] | tuple[None, None, None] = (None, None, None)
    while rounds < max_rounds:
        rounds += 1
        if time.perf_counter() - t0 > time_limit:
            cut_short = True
            break
        ms.h.setOptionValue("time_limit", float(max(time_limit - (time.perf_counter() - t0), 0.1)))
        ms.h.run()
        if ms.h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            cut_short = ms.h.getModelStatus() == highspy.HighsModelStatus.kTimeLimit
            break
        sol = ms.h.getSolution()
        lp_value = float(ms.h.getInfo().objective_function_value)
        w = np.asarray(sol.col_value)[ms.n_fixed_cols:]
        on = np.nonzero(w > 1e-9)[0]
        lp_cols = (ms.owner[on], ms.sched[on], w[on])
        sigma, built, lam, nu = ms.prices(np.asarray(sol.row_dual))
        bound, val, choice = ms.lagrangian(built, lam, nu)
        best = min(best, bound)
        traj.append((time.perf_counter() - t0, best))
        gain = val - sigma
        new = np.nonzero(gain > 1e-9 * max(abs(lp_value), 1.0))[0]
        if new.size == 0 or best - lp_value <= stop_gap * max(abs(lp_value), 1.0):
            break
        if ms.add(new, choice[new]) == 0:
            break
    return MasterResult(best, lp_value, rounds, int(ms.owner.size),
                        time.perf_counter() - t0, tuple(traj), cut_short, *lp_cols)
