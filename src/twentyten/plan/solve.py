"""Solve the rollout model with HiGHS and report it honestly.

:func:`solve_plan` returns a :class:`PlanResult`: status (an Enum; a time-limited result
is ``TIME_LIMIT_FEASIBLE``, never ``OPTIMAL``), objective, dual bound, gap, timings, the
gap trajectory (time to 1 % / 0.1 % / 0.01 %), the greedy baseline and the plan itself.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np

from twentyten.plan.check import Violation, check_plan
from twentyten.plan.greedy import greedy_plan
from twentyten.plan.inputs import RESOURCE_FAMILY, PlanInputs
from twentyten.plan.model import RolloutModel, build_model, to_highs


class SolveStatus(StrEnum):
    OPTIMAL = "optimal"  # proven within the requested gap
    TIME_LIMIT_FEASIBLE = "time limit, feasible"  # a plan, but the gap was not proven
    FEASIBLE = "feasible, stopped early"  # decomposition only (large models); gap is proven
    TIME_LIMIT_NO_PLAN = "time limit, no plan"
    INFEASIBLE = "infeasible"
    GREEDY = "greedy baseline"  # heuristic only, no bound
    ERROR = "error"


@dataclass(frozen=True)
class GapPoint:
    """One point of the solve's trajectory."""

    seconds: float
    primal: float
    dual: float

    @property
    def gap(self) -> float:
        return relative_gap(self.primal, self.dual)


@dataclass(frozen=True)
class SolveOptions:
    """How to solve. ``time_limit`` in seconds of solver time; ``mip_rel_gap`` is the gap at
    which HiGHS stops and calls the plan optimal."""

    time_limit: float = 20.0
    mip_rel_gap: float = 1e-4
    warm_start: bool = True
    relax_and_fix: bool = True  # rolling-horizon warm start (see heuristics.py)
    full_mip_max_binaries: int = 15_000  # above this, decompose (lagrange.py)
    threads: int | None = None
    on_progress: Callable[[GapPoint], None] | None = None
    log_to_console: bool = False
    highs_options: tuple[tuple[str, object], ...] = ()  # extra HiGHS options for the full MIP


@dataclass(frozen=True)
class PlanResult:
    """A solved (or baseline) plan with everything needed to judge it."""

    inputs: PlanInputs
    status: SolveStatus
    method: str  # "optimal" or "greedy"
    year: np.ndarray  # (C, K) year index, -1 = not built
    objective: float
    dual_bound: float | None
    gap: float | None
    solve_seconds: float
    build_seconds: float
    greedy_objective: float
    model_size: dict[str, int] = field(default_factory=dict)
    trajectory: tuple[GapPoint, ...] = ()
    solver: str = ""
    violations: tuple[Violation, ...] = ()
    message: str = ""

    @property
    def is_proven_optimal(self) -> bool:
        return self.status is SolveStatus.OPTIMAL

    @property
    def gain_over_greedy(self) -> float:
        """Relative gain of this plan's objective over the greedy baseline's."""
        if self.greedy_objective <= 0:
            return 0.0
        return self.objective / self.greedy_objective - 1.0

    def time_to_gap(self, gap: float) -> float | None:
        """Seconds until the proven gap first fell to ``gap`` or below; None if never."""
        for p in self.trajectory:
            if p.gap <= gap + 1e-12:
                return p.seconds
        return None

    def planned_year(self, county: str, facility_type: str) -> int | None:
        c = self.inputs.county_index[county]
        t = self.year[c, self.inputs.type_index(facility_type)]
        return None if t < 0 else self.inputs.years[t]

    def counts(self) -> np.ndarray:
        """Packages of each type per year (K, Y)."""
        K, Y = len(self.inputs.types), len(self.inputs.years)
        out = np.zeros((K, Y), int)
        c, k = np.nonzero(self.year >= 0)
        np.add.at(out, (k, self.year[c, k]), 1)
        return out

    def load(self, resource: str) -> np.ndarray:
        """Use of a shared resource per year (Y,)."""
        out = np.zeros(len(self.inputs.years))
        if resource in self.inputs.use:
            c, k = np.nonzero(self.year >= 0)
            t = self.year[c, k]
            np.add.at(out, t, self.inputs.use[resource][c, k, t])
        return out

    def status_line(self) -> str:
        gap = "n/a" if self.gap is None else f"{100 * self.gap:.3f} %"
        bound = "n/a" if self.dual_bound is None else f"{self.dual_bound:,.2f}"
        return (
            f"status: {self.status.value}; objective {self.objective:,.2f}; dual bound {bound}; "
            f"gap {gap}; solve {self.solve_seconds:.1f} s; "
            f"gain over greedy {100 * self.gain_over_greedy:+.2f} %"
        )


def relative_gap(primal: float, dual: float) -> float:
    if not np.isfinite(primal) or not np.isfinite(dual):
        return float("inf")
    return abs(dual - primal) / max(abs(dual), 1e-9)


def plan_objective(inp: PlanInputs, year: np.ndarray) -> float:
    c, k = np.nonzero(year >= 0)
    return float(inp.objective()[c, k, year[c, k]].sum())


def solve_greedy(inp: PlanInputs) -> PlanResult:
    """The greedy baseline as a :class:`PlanResult` (no bound, no gap)."""
    t0 = time.perf_counter()
    year = greedy_plan(inp)
    secs = time.perf_counter() - t0
    obj = plan_objective(inp, year)
    return PlanResult(
        inputs=inp, status=SolveStatus.GREEDY, method="greedy", year=year, objective=obj,
        dual_bound=None, gap=None, solve_seconds=secs, build_seconds=0.0, greedy_objective=obj,
        violations=tuple(check_plan(inp, year)), solver="greedy",
    )


def solve_plan(
    inp: PlanInputs, options: SolveOptions | None = None, model: RolloutModel | None = None
) -> PlanResult:
    """Build (unless given) and solve the rollout MIP with HiGHS.

    Infeasible settings are caught first by :func:`twentyten.plan.infeasibility.diagnose`
    and raised as :class:`~twentyten.plan.infeasibility.PlanInfeasible` with a message
    naming the conflicting constraints.
    """
    import highspy

    from twentyten.plan.infeasibility import PlanInfeasible, diagnose, explain_infeasible

    opt = options or SolveOptions()
    entry = time.perf_counter()  # the time limit covers everything below, not only HiGHS
    problems = diagnose(inp)
    if problems:
        raise PlanInfeasible(problems)
    t0 = time.perf_counter()
    m = model or build_model(inp)
    h = to_highs(m)
    build_s = time.perf_counter() - t0
    h.setOptionValue("time_limit", float(opt.time_limit))
    h.setOptionValue("mip_rel_gap", float(opt.mip_rel_gap))
    if opt.threads:
        h.setOptionValue("threads", int(opt.threads))
    if opt.log_to_console:
        h.setOptionValue("output_flag", True)
    for key, value in opt.highs_options:
        h.setOptionValue(key, value)

    g_year = greedy_plan(inp, m.cols)
    g_obj = plan_objective(inp, g_year)
    g_ok = not check_plan(inp, g_year)
    trajectory: list[GapPoint] = []
    start = time.perf_counter()

    def record(primal: float, dual: float, at: float | None = None) -> None:
        secs = time.perf_counter() - start if at is None else at
        if trajectory and (trajectory[-1].primal, trajectory[-1].dual) == (primal, dual):
            return
        if trajectory:  # the best so far: bounds only improve
            primal = max(primal, trajectory[-1].primal)
            dual = min(dual, trajectory[-1].dual)
        p = GapPoint(secs, primal, dual)
        trajectory.append(p)
        if opt.on_progress:
            opt.on_progress(p)

    if g_ok:
        record(g_obj, float("inf"))
    start_x = m.column_vector(g_year) if g_ok else None
    if m.n_binaries > opt.full_mip_max_binaries:
        return _large(inp, m, g_year, g_obj, g_ok, trajectory, record, build_s, opt)
    if opt.relax_and_fix:
        from twentyten.plan.heuristics import relax_and_fix

        best_obj = g_obj if g_ok else float("-inf")
        root_x, root_obj = _root_bound(m, start_x, entry, opt, record)
        if root_x is not None and root_obj > best_obj:
            start_x, best_obj = root_x, root_obj
        left = opt.time_limit - (time.perf_counter() - entry)
        at = time.perf_counter() - start
        # near the LP's years first (small steps); the whole model if that finds no plan
        rf = relax_and_fix(m, step_gap=1e-3, time_limit=max(left * 0.4, 0.1), radius=1)
        if rf.year is None or check_plan(inp, rf.year):
            left = opt.time_limit - (time.perf_counter() - entry)
            at = time.perf_counter() - start
            rf = relax_and_fix(m, step_gap=1e-3, time_limit=max(left * 0.5, 0.1))
        if np.isfinite(rf.lp_bound):
            record(best_obj, rf.lp_bound, at + rf.lp_seconds)
        if rf.year is not None and not check_plan(inp, rf.year):
            rf_obj = plan_objective(inp, rf.year)
            record(rf_obj, rf.lp_bound, at + rf.seconds)
            if rf_obj > best_obj:
                start_x = rf.x
                start_x = _polish(m, inp, start_x, rf.lp_bound, entry, start, opt, record)
    offset = time.perf_counter() - entry
    h.setOptionValue("time_limit", float(max(opt.time_limit - offset, 0.5)))

    def on_event(e) -> None:
        d = e.data_out
        primal, dual = float(d.mip_primal_bound), float(d.mip_dual_bound)
        if np.isfinite(primal) and abs(primal) < 1e29 and abs(dual) < 1e29:
            record(primal, dual)

    h.cbMipInterrupt.subscribe(on_event)
    h.cbMipImprovingSolution.subscribe(on_event)
    if opt.warm_start and start_x is not None:
        sol = highspy.HighsSolution()
        sol.col_value = list(start_x)
        sol.value_valid = True
        h.setSolution(sol)
    h.run()
    solve_s = time.perf_counter() - start
    h.cbMipInterrupt.clear()
    h.cbMipImprovingSolution.clear()
    ms = h.getModelStatus()
    info = h.getInfo()
    size = {"columns": m.n_cols, "binaries": m.n_binaries, "rows": m.n_rows, "nonzeros": m.nnz}
    M = highspy.HighsModelStatus
    if ms == M.kInfeasible:
        raise PlanInfeasible(explain_infeasible(inp, m))
    has_plan = info.primal_solution_status == 2  # kSolutionStatusFeasible
    if not has_plan:
        status = SolveStatus.TIME_LIMIT_NO_PLAN if ms == M.kTimeLimit else SolveStatus.ERROR
        return PlanResult(
            inputs=inp, status=status, method="optimal", year=g_year, objective=g_obj,
            dual_bound=None, gap=None, solve_seconds=solve_s, build_seconds=build_s,
            greedy_objective=g_obj, model_size=size, trajectory=tuple(trajectory),
            solver=f"HiGHS {h.version()}", message=h.modelStatusToString(ms),
            violations=tuple(check_plan(inp, g_year)),
        )
    x = np.asarray(h.getSolution().col_value)
    c = m.cols
    on = x[: c.n_build] > 0.5
    year = np.full((len(inp.counties), len(inp.types)), -1, dtype=int)
    year[c.vc[on], c.vk[on]] = c.vt[on]
    obj = plan_objective(inp, year)
    dual = float(info.mip_dual_bound)
    if trajectory and np.isfinite(trajectory[-1].dual):
        dual = min(dual, trajectory[-1].dual)
    gap = relative_gap(obj, dual)
    record(obj, dual)
    if ms == M.kOptimal and gap <= opt.mip_rel_gap + 1e-9:
        status = SolveStatus.OPTIMAL
    elif ms == M.kOptimal:
        status = SolveStatus.OPTIMAL if gap <= 1e-6 else SolveStatus.TIME_LIMIT_FEASIBLE
    else:
        status = SolveStatus.TIME_LIMIT_FEASIBLE
    return PlanResult(
        inputs=inp, status=status, method="optimal", year=year, objective=obj, dual_bound=dual,
        gap=gap, solve_seconds=solve_s, build_seconds=build_s, greedy_objective=g_obj,
        model_size=size, trajectory=tuple(trajectory), solver=f"HiGHS {h.version()}",
        violations=tuple(check_plan(inp, year)), message=h.modelStatusToString(ms),
    )


def _root_bound(m, start_x, entry, opt, record) -> tuple[np.ndarray | None, float]:
    """HiGHS's root node on the full MIP, stopped once its cutting planes stall.

    Its dual bound (about 0.1 % below the LP relaxation's on the bundled instance, within
    a second) is valid for the whole solve and is recorded; the run's incumbent, if any,
    is returned with its objective. The full solve later starts afresh from the best plan.
    """
    import highspy

    cap = min(3.0, 0.15 * opt.time_limit)
    if opt.time_limit - (time.perf_counter() - entry) < 4 * cap:
        return None, float("-inf")
    h = to_highs(m)
    h.setOptionValue("time_limit", cap)
    h.setOptionValue("mip_rel_gap", float(opt.mip_rel_gap))
    t0 = time.perf_counter()
    state = {"dual": float("inf"), "since": t0}

    def on_event(e) -> None:
        d = e.data_out
        dual, now = float(d.mip_dual_bound), time.perf_counter()
        if abs(dual) < 1e29 and dual < state["dual"] - 1e-7 * max(abs(dual), 1.0):
            state["dual"], state["since"] = dual, now
            primal = float(d.mip_primal_bound)
            record(primal if abs(primal) < 1e29 else float("-inf"), dual)
        elif np.isfinite(state["dual"]) and now - state["since"] > 0.4:
            e.interrupt = True  # the root's cuts have stalled

    h.cbMipInterrupt.subscribe(on_event)
    if start_x is not None:
        sol = highspy.HighsSolution()
        sol.col_value = list(start_x)
        sol.value_valid = True
        h.setSolution(sol)
    h.run()
    h.cbMipInterrupt.clear()
    if h.getInfo().primal_solution_status != 2:
        return None, float("-inf")
    x = np.asarray(h.getSolution().col_value)
    x[: m.cols.n_build] = np.round(x[: m.cols.n_build])
    year = np.full(m.cols.col.shape[:2], -1, dtype=int)
    on = x[: m.cols.n_build] > 0.5
    year[m.cols.vc[on], m.cols.vk[on]] = m.cols.vt[on]
    if check_plan(m.inputs, year):
        return None, float("-inf")
    return m.column_vector(year), plan_objective(m.inputs, year)


def _polish(m, inp, x0, bound, entry, start, opt, record) -> np.ndarray:
    """Fix-and-optimise over 2-, then 3-, then 4-year windows from the relax-and-fix plan,
    within about a third of the time left. On the bundled instance this lifts the plan by
    about 0.08 % in a few seconds (what the 0.1 % proof waits for: HiGHS's root bound is
    within 0.05 % of the optimum), and the wider windows find the last hundredths that
    let HiGHS's tree prove 0.01 %."""
    from twentyten.plan.heuristics import improve_by_windows

    left = opt.time_limit - (time.perf_counter() - entry)
    if left < 2.0:
        return x0
    deadline = time.perf_counter() + 0.35 * left
    x, best = x0, float(m.cost @ x0)
    for window in (2, 3, 4):
        budget = deadline - time.perf_counter()
        if budget < 0.5:
            break
        done = time.perf_counter() - start
        xn, val, _ = improve_by_windows(
            m, x, window=window, time_limit=budget, max_sweeps=2,
            on_improve=lambda secs, val, done=done: record(val, bound, done + secs),
        )
        on = xn[: m.cols.n_build] > 0.5
        year = np.full((len(inp.counties), len(inp.types)), -1, dtype=int)
        year[m.cols.vc[on], m.cols.vk[on]] = m.cols.vt[on]
        if not check_plan(inp, year) and plan_objective(inp, year) > best + 1e-9:
            x, best = m.column_vector(year), plan_objective(inp, year)
    return x


def _large(inp, m, g_year, g_obj, g_ok, trajectory, record, build_s, opt) -> PlanResult:
    """Large models: Lagrangian bound and price-directed plans (see lagrange.py)."""
    from twentyten.plan.lagrange import lagrangian_plan

    size = {"columns": m.n_cols, "binaries": m.n_binaries, "rows": m.n_rows, "nonzeros": m.nnz}
    from twentyten.plan.heuristics import improve_by_windows

    t0 = time.perf_counter()
    lg = lagrangian_plan(inp, time_limit=0.35 * opt.time_limit, iterations=100_000, cols=m.cols)
    for secs, primal, dual in lg.trajectory:
        if np.isfinite(primal):
            record(primal, dual, secs)
    year, obj = (lg.year, lg.objective) if lg.year is not None else (g_year, g_obj)
    for window in (2, 3):  # wider windows while time is left
        left = opt.time_limit - (time.perf_counter() - t0)
        if relative_gap(obj, lg.bound) <= opt.mip_rel_gap or left < 1.0:
            break
        done = time.perf_counter() - t0
        x, _, _ = improve_by_windows(
            m, m.column_vector(year), window=window, time_limit=left,
            on_improve=lambda secs, val, done=done: record(val, lg.bound, done + secs),
        )
        on = x[: m.cols.n_build] > 0.5
        improved = np.full_like(year, -1)
        improved[m.cols.vc[on], m.cols.vk[on]] = m.cols.vt[on]
        if not check_plan(inp, improved) and plan_objective(inp, improved) > obj:
            year, obj = improved, plan_objective(inp, improved)
    gap = relative_gap(obj, lg.bound)
    status = SolveStatus.OPTIMAL if gap <= opt.mip_rel_gap else SolveStatus.FEASIBLE
    return PlanResult(
        inputs=inp, status=status, method="optimal", year=year, objective=obj,
        dual_bound=lg.bound, gap=gap, solve_seconds=time.perf_counter() - t0, build_seconds=build_s,
        greedy_objective=g_obj, model_size=size, trajectory=tuple(trajectory),
        solver="Lagrangian decomposition by county (bound); price-directed greedy, then "
        "fix-and-optimise over 2- then 3-year windows with HiGHS (plans)",
        violations=tuple(check_plan(inp, year)),
        message=f"{m.n_binaries} binaries > {opt.full_mip_max_binaries}: decomposed",
    )


def binding_capacities(result: PlanResult, slack: float = 1e-6) -> dict[int, list[str]]:
    """For each year, the caps and capacities that are full (used to within ``slack``)."""
    inp = result.inputs
    counts = result.counts()
    out: dict[int, list[str]] = {}
    for t, y in enumerate(inp.years):
        names = [
            f"year-cap[{inp.types[k]},{y}]"
            for k in range(len(inp.types))
            if inp.cap[k, t] > 0 and counts[k, t] >= inp.cap[k, t]
        ]
        for r, capa in inp.capacity.items():
            if np.isfinite(capa[t]) and result.load(r)[t] >= capa[t] * (1 - 1e-3) - slack:
                names.append(f"{RESOURCE_FAMILY.get(r, r)}[{y}]")
        out[y] = names
    return out
