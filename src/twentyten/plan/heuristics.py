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
    enough: Callable[[float], bool] | None = None,
) -> tuple[np.ndarray, float, int, bool]:
    """Fix-and-optimise: free the builds of ``window`` consecutive years (every county,
    including those not yet built), fix all other builds to the incumbent, re-solve the
    small MIP and slide the window; sweep again while the plan improves. With ``enough``,
    stop as soon as it says an improved objective is good enough (a proven gap reached).

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
                    if enough is not None and enough(best):
                        return x, best, solved, False
        if not improved:
            break
    return x, best, solved, False
