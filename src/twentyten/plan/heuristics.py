"""Primal heuristics for the rollout MIP: relax-and-fix over years (a rolling horizon).

Year by year from the first planned year, the builds of a window of ``window`` years are
integer, later years stay continuous (LP relaxation) and earlier years are fixed to the
previous steps' choices; after each step the first year of the window is fixed. Every step
is a small MIP, so this scales to thousands of counties where HiGHS's set-up of the full
model (its clique table grows with the square of the model) would not even finish.
The first step's LP relaxation of the whole model gives a valid dual bound.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from twentyten.plan.model import RolloutModel, to_highs


@dataclass(frozen=True)
class HeuristicResult:
    year: np.ndarray | None  # (C, K) year index, -1 = not built; None if no plan
    x: np.ndarray | None  # full column vector
    lp_bound: float  # LP relaxation optimum: a valid upper (dual) bound
    lp_seconds: float
    seconds: float
    steps: tuple[tuple[int, float, float], ...]  # (year, objective so far, seconds)
    cut_short: bool = False  # the safety time limit stopped it


def lp_relaxation(
    model: RolloutModel, seed: int = 0, threads: int | None = None, time_limit: float = 1e6
) -> tuple[float, np.ndarray | None, object]:
    """The LP relaxation's optimum, its solution, and the Highs object holding it."""
    import highspy

    h = to_highs(model, relax=True, seed=seed, threads=threads)
    h.setOptionValue("time_limit", float(time_limit))
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return float("nan"), None, h
    return float(h.getInfo().objective_function_value), np.asarray(h.getSolution().col_value), h


def relax_and_fix(
    model: RolloutModel,
    window: int = 1,
    step_gap: float = 1e-4,
    time_limit: float = 60.0,
    on_step: Callable[[int, float, float], None] | None = None,
    radius: int | None = None,
    seed: int = 0,
    threads: int | None = None,
) -> HeuristicResult:
    """Relax-and-fix over years; returns a plan (or None) and the LP bound.

    With ``radius``, each (county, type) may only be built within ``radius`` years of a
    year its LP relaxation uses (and not at all where the LP builds none): a heuristic
    restriction that makes the steps much smaller. The LP bound is unaffected.
    Each step is solved to ``step_gap``; ``time_limit`` is a safety net only (a result it
    cuts short says so in ``cut_short``).
    """
    import highspy

    t0 = time.perf_counter()
    inp, c = model.inputs, model.cols
    lp, x, h = lp_relaxation(model, seed, threads, time_limit)
    lp_s = time.perf_counter() - t0
    if x is None:
        timed_out = h.getModelStatus() == highspy.HighsModelStatus.kTimeLimit
        return HeuristicResult(None, None, lp, lp_s, lp_s, (), timed_out)
    Y = len(inp.years)
    first = 0
    if inp.replan_from is not None:
        first = int(np.searchsorted(np.asarray(inp.years), inp.replan_from))
    # commitments and record years are fixed already; fix their columns to 1/0 up front
    rec = np.nonzero(c.vt < first)[0]
    if rec.size:
        v = np.round(x[rec])
        h.changeColsBounds(rec.size, rec, v, v)
    if radius is not None:
        drop = _far_from_lp(model, x, radius)
        if drop.size:
            h.changeColsBounds(drop.size, drop, np.zeros(drop.size), np.zeros(drop.size))
    h.setOptionValue("mip_rel_gap", float(step_gap))
    steps: list[tuple[int, float, float]] = []
    integer = highspy.HighsVarType.kInteger
    for t in range(first, Y):
        left = time_limit - (time.perf_counter() - t0)
        if left <= 0:
            return HeuristicResult(None, None, lp, lp_s, time.perf_counter() - t0, tuple(steps), True)
        h.setOptionValue("time_limit", float(max(left, 0.1)))
        idx = np.nonzero((c.vt >= t) & (c.vt < t + window))[0]
        if idx.size:
            h.changeColsIntegrality(idx.size, idx, np.array([integer] * idx.size))
        h.run()
        if h.getModelStatus() == highspy.HighsModelStatus.kTimeLimit:
            return HeuristicResult(None, None, lp, lp_s, time.perf_counter() - t0, tuple(steps), True)
        if h.getInfo().primal_solution_status != 2:
            return HeuristicResult(None, None, lp, lp_s, time.perf_counter() - t0, tuple(steps))
        x = np.asarray(h.getSolution().col_value)
        obj = float(h.getInfo().objective_function_value)
        fix = np.nonzero(c.vt == t)[0]
        v = np.round(x[fix])
        h.changeColsBounds(fix.size, fix, v, v)
        steps.append((inp.years[t], obj, time.perf_counter() - t0))
        if on_step:
            on_step(inp.years[t], obj, time.perf_counter() - t0)
    year = model.plan_years(x)
    return HeuristicResult(
        year, model.column_vector(year), lp, lp_s, time.perf_counter() - t0, tuple(steps)
    )


def _far_from_lp(model: RolloutModel, x: np.ndarray, radius: int) -> np.ndarray:
    """Build columns more than ``radius`` years from every year the LP builds its
    (county, type) in (all of them where the LP builds none)."""
    c = model.cols
    C, K, Y = c.col.shape
    used = np.zeros((C, K, Y), dtype=bool)
    on = x[: c.n_build] > 1e-6
    used[c.vc[on], c.vk[on], c.vt[on]] = True
    near = used.copy()
    for d in range(1, radius + 1):
        near[:, :, d:] |= used[:, :, :-d]
        near[:, :, :-d] |= used[:, :, d:]
    return np.nonzero(~near[c.vc, c.vk, c.vt])[0]


def improve_by_windows(
    model: RolloutModel,
    x0: np.ndarray,
    window: int = 2,
    time_limit: float = 10.0,
    step_gap: float = 1e-4,
    max_sweeps: int = 2,
    on_improve: Callable[[float, float], None] | None = None,
    seed: int = 0,
    threads: int | None = None,
) -> tuple[np.ndarray, float, int, bool]:
    """Fix-and-optimise: free the builds of ``window`` consecutive years (every county,
    including those not yet built), fix all other builds to the incumbent, re-solve the
    small MIP and slide the window; sweep again while the plan improves.

    Returns the improved column vector, its objective, the number of sub-MIPs solved and
    whether the safety ``time_limit`` cut the sweeps short (without it the result depends
    only on the inputs and ``seed``).
    """
    import highspy

    t0 = time.perf_counter()
    inp, c = model.inputs, model.cols
    h = to_highs(model, seed=seed, threads=threads)
    h.setOptionValue("mip_rel_gap", float(step_gap))
    Y = len(inp.years)
    first = 0
    if inp.replan_from is not None:
        first = int(np.searchsorted(np.asarray(inp.years), inp.replan_from))
    x = np.asarray(x0, dtype=float).copy()
    best = float(model.cost @ x)
    b = np.arange(c.n_build)
    solved = 0
    for _ in range(max_sweeps):
        improved = False
        for t in range(first, max(first, Y - window) + 1):
            left = time_limit - (time.perf_counter() - t0)
            if left <= 0.5:
                return x, best, solved, True
            free = (c.vt >= t) & (c.vt < t + window)
            fixed = b[~free]
            h.changeColsBounds(fixed.size, fixed, x[fixed], x[fixed])
            h.changeColsBounds(int(free.sum()), b[free], model.col_lo[b[free]], model.col_hi[b[free]])
            sol = highspy.HighsSolution()
            sol.col_value = list(x)
            sol.value_valid = True
            h.setSolution(sol)
            h.setOptionValue("time_limit", float(left))
            h.run()
            solved += 1
            if h.getModelStatus() == highspy.HighsModelStatus.kTimeLimit:
                return x, best, solved, True
            if h.getInfo().primal_solution_status == 2:
                xn = np.asarray(h.getSolution().col_value)
                xn[: c.n_build] = np.round(xn[: c.n_build])
                val = float(model.cost @ xn)
                if val > best + 1e-7:
                    best, x, improved = val, xn, True
                    if on_improve:
                        on_improve(time.perf_counter() - t0, best)
        if not improved:
            break
    return x, best, solved, False



def repair_plan(
    model: RolloutModel,
    x0: np.ndarray,
    donors: np.ndarray,
    batch: int = 200,
    n_donors: int = 100,
    max_sweeps: int = 3,
    time_limit: float = 60.0,
    step_gap: float = 1e-4,
    seed: int = 0,
    threads: int | None = None,
) -> tuple[np.ndarray, bool, int, bool]:
    """Make an infeasible plan feasible by fix-and-optimise over groups of counties.

    Every row that ``x0`` breaks gets an elastic column that takes up the breach (bounded
    by it, so a breach can only shrink) at a penalty that outweighs any benefit. Then
    groups of counties are freed in turn (all their builds, every year; every other build
    fixed) and HiGHS maximises benefit less penalties from the current plan. A group holds
    the counties of breached rows that concern few counties (a province's balance row:
    that province's counties), up to ``batch`` of them, and ``n_donors`` counties taken in
    turn from ``donors``, which can give up capacity: a short province-balance row is
    closed by building earlier in that province and later among the donors in the same
    years when the capacity is full. Stops as soon as no breach is left, or after
    ``max_sweeps`` sweeps over the groups (work, not time, decides).

    Returns the column vector (of ``model``), whether it is feasible, the number of
    sub-MIPs solved and whether the safety ``time_limit`` cut it short.
    """
    import highspy

    t0 = time.perf_counter()
    c = model.cols
    C = c.col.shape[0]
    x = np.asarray(x0, dtype=float).copy()
    tol = 1e-6
    act = model.row_activity(x)
    short = model.row_lo - act
    over = act - model.row_hi
    rows = np.nonzero((short > tol) | (over > tol))[0]
    if rows.size == 0:
        return x, True, 0, False
    sign = np.where(short[rows] > tol, 1.0, -1.0)  # +1 lifts a short row, -1 lowers one over
    breach = np.where(sign > 0, short[rows], over[rows])
    # a row's whole breach costs ten times the largest single build's benefit, whatever
    # its size, so the repair always pays for itself
    unit = 10.0 * float(np.abs(model.cost).max()) / np.maximum(breach, 1e-2)
    # the counties of each breached row (through its build columns)
    nz_col = np.repeat(np.arange(model.n_cols), np.diff(model.a_start))
    pos = np.full(model.n_rows, -1)
    pos[rows] = np.arange(rows.size)
    on = (pos[model.a_index] >= 0) & (nz_col < c.n_build)
    row_of, county_of = pos[model.a_index[on]], c.vc[nz_col[on]]
    pairs = np.unique(row_of * C + county_of)
    row_county = (pairs // C, pairs % C)
    n_of_row = np.bincount(row_county[0], minlength=rows.size)

    h = to_highs(model, seed=seed, threads=threads)
    n = model.n_cols
    h.addCols(rows.size, -unit, np.zeros(rows.size), breach, rows.size,
              np.arange(rows.size, dtype=np.int32), rows.astype(np.int32), sign)
    h.setOptionValue("mip_rel_gap", float(step_gap))
    b = np.arange(c.n_build)
    solved, turn = 0, 0

    def slack(xv: np.ndarray) -> np.ndarray:
        a = model.row_activity(xv)[rows]
        need = np.where(sign > 0, model.row_lo[rows] - a, a - model.row_hi[rows])
        return np.clip(need, 0.0, breach)

    left_over = slack(x)
    donors = np.asarray(donors, dtype=int)
    for _ in range(max_sweeps):
        local = (left_over > 0) & (n_of_row <= batch)
        mine = np.isin(row_county[0], np.nonzero(local)[0])
        counties = np.unique(row_county[1][mine])  # county order: provinces stay together
        groups = [counties[i: i + batch] for i in range(0, counties.size, batch)] or [counties]
        for group in groups:
            left = time_limit - (time.perf_counter() - t0)
            if left <= 0.5:
                return x, False, solved, True
            extra = donors[(turn + np.arange(min(n_donors, donors.size))) % max(donors.size, 1)]
            turn += n_donors
            free_c = np.zeros(C, dtype=bool)
            free_c[group] = True
            free_c[extra] = True
            free = free_c[c.vc]
            fixed = b[~free]
            h.changeColsBounds(fixed.size, fixed, x[fixed], x[fixed])
            h.changeColsBounds(int(free.sum()), b[free], model.col_lo[b[free]], model.col_hi[b[free]])
            sol = highspy.HighsSolution()
            sol.col_value = list(np.concatenate([x, left_over]))
            sol.value_valid = True
            h.setSolution(sol)
            h.setOptionValue("time_limit", float(left))
            h.run()
            solved += 1
            if h.getModelStatus() == highspy.HighsModelStatus.kTimeLimit:
                return x, False, solved, True
            if h.getInfo().primal_solution_status != 2:
                continue
            xn = model.column_vector(model.plan_years(np.asarray(h.getSolution().col_value)[:n]))
            sn = slack(xn)
            if unit @ sn - model.cost @ xn < unit @ left_over - model.cost @ x - 1e-9:
                x, left_over = xn, sn
            if not left_over.any():
                return x, True, solved, False
    return x, False, solved, False


def repair_by_windows(
    model: RolloutModel,
    x0: np.ndarray,
    window: int = 2,
    max_sweeps: int = 2,
    time_limit: float = 60.0,
    step_gap: float = 1e-4,
    seed: int = 0,
    threads: int | None = None,
) -> tuple[np.ndarray, bool, int, bool]:
    """Make an infeasible plan feasible by fix-and-optimise over windows of years.

    Every row that ``x0`` breaks gets an elastic column that takes up the breach (bounded
    by it, so a breach can only shrink) at a penalty that outweighs any benefit; then, as in
    :func:`improve_by_windows`, the builds of ``window`` consecutive years are freed in turn
    (all others fixed) and HiGHS maximises benefit less penalties, from the current plan.
    A short province-balance row, for instance, is closed by building earlier in that
    province and later elsewhere in the same years, when the capacity is full.
    Stops as soon as no breach is left, or after ``max_sweeps`` sweeps (work, not time).

    Returns the column vector (of ``model``), whether it is feasible, the number of
    sub-MIPs solved and whether the safety ``time_limit`` cut it short.
    """
    import highspy

    t0 = time.perf_counter()
    inp, c = model.inputs, model.cols
    x = np.asarray(x0, dtype=float).copy()
    tol = 1e-6
    act = model.row_activity(x)
    short = model.row_lo - act
    over = act - model.row_hi
    rows = np.nonzero((short > tol) | (over > tol))[0]
    if rows.size == 0:
        return x, True, 0, False
    sign = np.where(short[rows] > tol, 1.0, -1.0)  # +1 lifts a short row, -1 lowers one over
    breach = np.where(sign > 0, short[rows], over[rows])
    # the whole breach of a row costs more than the largest benefit of a whole plan's share
    # of it: ten times the largest single build's benefit, whatever the breach's size
    unit = 10.0 * float(np.abs(model.cost).max()) / np.maximum(breach, 1e-2)
    h = to_highs(model, seed=seed, threads=threads)
    n = model.n_cols
    h.addCols(rows.size, -unit, np.zeros(rows.size), breach, rows.size,
              np.arange(rows.size, dtype=np.int32), rows.astype(np.int32), sign)
    h.setOptionValue("mip_rel_gap", float(step_gap))
    Y = len(inp.years)
    first = 0
    if inp.replan_from is not None:
        first = int(np.searchsorted(np.asarray(inp.years), inp.replan_from))
    b = np.arange(c.n_build)
    solved = 0

    def slack(xv: np.ndarray) -> np.ndarray:
        a = model.row_activity(xv)[rows]
        need = np.where(sign > 0, model.row_lo[rows] - a, a - model.row_hi[rows])
        return np.clip(need, 0.0, breach)

    left_over = slack(x)
    for _ in range(max_sweeps):
        for t in range(first, max(first, Y - window) + 1):
            left = time_limit - (time.perf_counter() - t0)
            if left <= 0.5:
                return x, False, solved, True
            free = (c.vt >= t) & (c.vt < t + window)
            fixed = b[~free]
            h.changeColsBounds(fixed.size, fixed, x[fixed], x[fixed])
            h.changeColsBounds(int(free.sum()), b[free], model.col_lo[b[free]], model.col_hi[b[free]])
            sol = highspy.HighsSolution()
            sol.col_value = list(np.concatenate([x, left_over]))
            sol.value_valid = True
            h.setSolution(sol)
            h.setOptionValue("time_limit", float(left))
            h.run()
            solved += 1
            if h.getModelStatus() == highspy.HighsModelStatus.kTimeLimit:
                return x, False, solved, True
            if h.getInfo().primal_solution_status != 2:
                continue
            xn = model.column_vector(model.plan_years(np.asarray(h.getSolution().col_value)[:n]))
            sn = slack(xn)
            if unit @ sn - model.cost @ xn < unit @ left_over - model.cost @ x - 1e-9:
                x, left_over = xn, sn
            if not left_over.any():
                return x, True, solved, False
    return x, False, solved, False
