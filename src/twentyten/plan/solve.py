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
    """How to solve.

    ``mip_rel_gap`` is the gap at which HiGHS stops and calls the plan optimal. Every phase
    is limited by work (sweeps, steps), never by the clock, so the same inputs and ``seed``
    give the same plan; ``time_limit`` (seconds for the whole solve) is only a safety net,
    and a plan it cuts short is reported as ``TIME_LIMIT_FEASIBLE``.
    """

    time_limit: float = 600.0
    mip_rel_gap: float = 1e-4
    seed: int = 0  # HiGHS's random_seed
    warm_start: bool = True
    relax_and_fix: bool = True  # rolling-horizon warm start (see heuristics.py)
    # fix-and-optimise windows after relax-and-fix: with 4-year windows the bundled default
    # ends optimal about twice as fast as with (2, 3) (docs/plan.md, Benchmarks)
    polish_windows: tuple[int, ...] = (2, 3, 4)
    large_polish_windows: tuple[int, ...] = (2, 3)  # the same, for decomposed (large) models
    full_mip_max_binaries: int = 15_000  # above this, decompose (lagrange.py)
    lagrange_iterations: int = 400  # large models: subgradient steps
    # large models: column-generation rounds on the county-schedule master after the
    # subgradient (0: none); its bound is the LP relaxation's or better (lagrange.py)
    master_rounds: int = 30
    threads: int | None = None  # None: HiGHS's default (fixed per process by HiGHS)
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

    Phases: the greedy baseline; relax-and-fix around the LP relaxation's years; fix-and-
    optimise over windows of years; then HiGHS on the whole model, warm-started from the
    best plan, until the gap ``mip_rel_gap`` is proven. Infeasible settings are caught
    first by :func:`twentyten.plan.infeasibility.diagnose` and raised as
    :class:`~twentyten.plan.infeasibility.PlanInfeasible` with a message naming the
    conflicting constraints.
    """
    import highspy

    from twentyten.plan.infeasibility import PlanInfeasible, diagnose, explain_infeasible

    opt = options or SolveOptions()
    entry = time.perf_counter()  # the safety limit covers everything below, not only HiGHS
    problems = diagnose(inp)
    if problems:
        raise PlanInfeasible(problems)
    t0 = time.perf_counter()
    m = model or build_model(inp)
    build_s = time.perf_counter() - t0
    trajectory: list[GapPoint] = []
    start = time.perf_counter()

    def left() -> float:
        return opt.time_limit - (time.perf_counter() - entry)

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

    g_year = greedy_plan(inp, m.cols)
    g_obj = plan_objective(inp, g_year)
    g_ok = not check_plan(inp, g_year)
    if g_ok:
        record(g_obj, float("inf"))
    start_x = m.column_vector(g_year) if g_ok else None
    if m.n_binaries > opt.full_mip_max_binaries:
        return _large(inp, m, g_year, g_obj, trajectory, record, build_s, opt, entry, start)
    if opt.relax_and_fix:
        start_x, _ = _warm_start(m, start_x, g_obj if g_ok else float("-inf"), opt,
                                         left, start, record)
    h = to_highs(m, seed=opt.seed, threads=opt.threads)
    h.setOptionValue("mip_rel_gap", float(opt.mip_rel_gap))
    h.setOptionValue("time_limit", float(max(left(), 0.5)))
    if opt.log_to_console:
        h.setOptionValue("output_flag", True)
        h.setOptionValue("log_to_console", True)
    for key, value in opt.highs_options:
        h.setOptionValue(key, value)

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
    year = m.plan_years(np.asarray(h.getSolution().col_value))
    obj = plan_objective(inp, year)
    dual = float(info.mip_dual_bound)
    if trajectory and np.isfinite(trajectory[-1].dual):
        dual = min(dual, trajectory[-1].dual)
    gap = relative_gap(obj, dual)
    record(obj, dual, solve_s)  # the final bounds, at the time the solve ended
    status = _status(ms == M.kOptimal, gap, opt.mip_rel_gap)
    return PlanResult(
        inputs=inp, status=status, method="optimal", year=year, objective=obj, dual_bound=dual,
        gap=gap, solve_seconds=solve_s, build_seconds=build_s, greedy_objective=g_obj,
        model_size=size, trajectory=tuple(trajectory), solver=f"HiGHS {h.version()}",
        violations=tuple(check_plan(inp, year)), message=h.modelStatusToString(ms),
    )


def _status(finished: bool, gap: float, mip_rel_gap: float) -> SolveStatus:
    """OPTIMAL only for a solve that ran to its end and proved the gap asked for (HiGHS's
    own tolerance, 1e-6, when a gap of 0 was asked for)."""
    if finished and gap <= max(mip_rel_gap, 1e-6) + 1e-9:
        return SolveStatus.OPTIMAL
    return SolveStatus.TIME_LIMIT_FEASIBLE


def _warm_start(m, start_x, best_obj, opt, left, start, record) -> tuple[np.ndarray | None, bool]:
    """Relax-and-fix near the LP's years (the whole model if that finds no plan), then
    fix-and-optimise over ``opt.polish_windows``. Returns the best plan's column vector and
    whether the safety limit cut a phase short."""
    from twentyten.plan.heuristics import improve_by_windows, relax_and_fix

    inp = m.inputs
    kw = {"seed": opt.seed, "threads": opt.threads}
    at = time.perf_counter() - start
    # shares of the time left: never reached in a normal run, they keep a run cut short by
    # the safety limit able to end with a plan
    rf = relax_and_fix(m, step_gap=1e-3, time_limit=max(0.4 * left(), 0.1), radius=1, **kw)
    if rf.year is None or check_plan(inp, rf.year):
        at = time.perf_counter() - start
        rf = relax_and_fix(m, step_gap=1e-3, time_limit=max(0.5 * left(), 0.1), **kw)
    cut_short = rf.cut_short
    if not np.isfinite(rf.lp_bound):
        return start_x, cut_short
    record(best_obj, rf.lp_bound, at + rf.lp_seconds)
    if rf.year is None or check_plan(inp, rf.year):
        return start_x, cut_short
    rf_obj = plan_objective(inp, rf.year)
    record(rf_obj, rf.lp_bound, at + rf.seconds)
    x, best = (rf.x, rf_obj) if rf_obj > best_obj else (start_x, best_obj)
    for window in opt.polish_windows:
        done = time.perf_counter() - start
        xn, _, _, short = improve_by_windows(
            m, x, window=window, time_limit=max(0.35 * left(), 0.1), max_sweeps=2, **kw,
            on_improve=lambda secs, val, done=done: record(val, rf.lp_bound, done + secs),
        )
        cut_short |= short
        year = m.plan_years(xn)
        if not check_plan(inp, year) and plan_objective(inp, year) > best + 1e-9:
            x, best = m.column_vector(year), plan_objective(inp, year)
    return x, cut_short


def _large(inp, m, g_year, g_obj, trajectory, record, build_s, opt, entry, start) -> PlanResult:
    """Large models: Lagrangian bound and price-directed plans (see lagrange.py).

    Every trajectory point is timed from ``start``, as the greedy's before it is."""
    from twentyten.plan.heuristics import improve_by_windows
    from twentyten.plan.lagrange import lagrangian_plan, master_bound

    size = {"columns": m.n_cols, "binaries": m.n_binaries, "rows": m.n_rows, "nonzeros": m.nnz}
    t0 = time.perf_counter()
    off = t0 - start

    def left() -> float:
        return opt.time_limit - (time.perf_counter() - entry)

    # the greedy filler costs ~1,000 subgradient steps at 3,000 counties: ten or so calls
    lg = lagrangian_plan(inp, time_limit=max(0.5 * left(), 0.1), iterations=opt.lagrange_iterations,
                         cols=m.cols, greedy_every=max(10, opt.lagrange_iterations // 10),
                         keep_last=min(100, opt.lagrange_iterations) if opt.master_rounds else 0)
    cut_short = lg.cut_short
    for secs, primal, dual in lg.trajectory:
        if np.isfinite(primal):
            record(primal, dual, off + secs)
    year, obj = (lg.year, lg.objective) if lg.year is not None else (g_year, g_obj)
    bound = lg.bound
    if opt.master_rounds and relative_gap(obj, bound) > opt.mip_rel_gap:
        # the subgradient's last schedules and the plans so far start the master
        C = len(inp.counties)
        first = [(lg.schedule_county, lg.schedules)] if lg.schedules is not None else []
        first += [(np.arange(C), y) for y in (g_year, lg.year) if y is not None]
        done = time.perf_counter() - start
        ms = master_bound(inp, m.cols, first, max_rounds=opt.master_rounds,
                          time_limit=max(0.3 * left(), 0.1), seed=opt.seed, threads=opt.threads)
        cut_short |= ms.cut_short
        for secs, dual in ms.trajectory:
            record(obj, min(dual, bound), done + secs)
        bound = min(bound, ms.bound)
        if ms.lp_county is not None and relative_gap(obj, bound) > opt.mip_rel_gap:
            # the master LP's plan: settled counties kept, the rest fitted, balance repaired
            from twentyten.plan.repair import plan_from_master, repair_balance

            near = repair_balance(inp, plan_from_master(inp, ms.lp_county, ms.lp_schedules,
                                                        ms.lp_weights), m.cols)
            if not check_plan(inp, near) and plan_objective(inp, near) > obj:
                year, obj = near, plan_objective(inp, near)
                record(obj, bound)  # now, from start
    for window in opt.large_polish_windows:
        if relative_gap(obj, bound) <= opt.mip_rel_gap:
            break
        done = time.perf_counter() - start
        x, _, _, short = improve_by_windows(
            m, m.column_vector(year), window=window, time_limit=max(left(), 0.1),
            seed=opt.seed, threads=opt.threads,
            on_improve=lambda secs, val, done=done: record(val, bound, done + secs),
            enough=lambda val: relative_gap(val, bound) <= opt.mip_rel_gap,
        )
        cut_short |= short
        improved = m.plan_years(x)
        if not check_plan(inp, improved) and plan_objective(inp, improved) > obj:
            year, obj = improved, plan_objective(inp, improved)
    gap = relative_gap(obj, bound)
    if gap <= opt.mip_rel_gap:
        status = SolveStatus.OPTIMAL  # proven, whether or not the safety limit struck
    else:
        status = SolveStatus.TIME_LIMIT_FEASIBLE if cut_short else SolveStatus.FEASIBLE
    return PlanResult(
        inputs=inp, status=status, method="optimal", year=year, objective=obj,
        dual_bound=bound, gap=gap, solve_seconds=time.perf_counter() - t0, build_seconds=build_s,
        greedy_objective=g_obj, model_size=size, trajectory=tuple(trajectory),
        solver="Lagrangian decomposition by county, then column generation on the county-"
        "schedule master with HiGHS (bound); price-directed greedy, the master LP's plan "
        "repaired by exchanges, then fix-and-optimise over windows of years with HiGHS (plans)",
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
