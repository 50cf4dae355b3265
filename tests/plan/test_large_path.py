"""The decomposition path for large models: its bound is honest and its plan feasible.

The true optimum comes from the full MIP (or brute force) on instances small enough for
it, with the decomposition forced by a low ``full_mip_max_binaries``.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from tests.plan.helpers import brute_force, tiny

from twentyten.plan.check import check_plan
from twentyten.plan.constraints import make_columns
from twentyten.plan.greedy import greedy_plan
from twentyten.plan.inputs import Precedence, synthetic_inputs
from twentyten.plan.lagrange import lagrangian_plan, master_bound
from twentyten.plan.solve import SolveOptions, SolveStatus, relative_gap, solve_plan

pytest.importorskip("highspy")


def _value(inp, year) -> float:
    """A plan's benefit computed here: weight × years in service to the horizon's end."""
    c, k = np.nonzero(year >= 0)
    ys = np.asarray(inp.years)[year[c, k]]
    return float((inp.weight[c, k] * (inp.years[-1] - ys + 1)).sum())


def _master(inp, rounds: int = 40):
    cols = make_columns(inp)
    g = greedy_plan(inp, cols)
    lg = lagrangian_plan(inp, time_limit=30, iterations=60, cols=cols, keep_last=20)
    start = [(np.arange(len(inp.counties)), g)]
    if lg.schedules is not None:  # None when the subgradient stopped before keeping any
        start.append((lg.schedule_county, lg.schedules))
    return lg, master_bound(inp, cols, start, max_rounds=rounds, time_limit=60)


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("variant", ["bundle", "commit", "balance", "precedence"])
def test_master_bound_is_never_below_the_optimum(seed: int, variant: str) -> None:
    """Every family the master prices or leaves out (balance, commitments, bundles,
    precedence): its bound stays at or above the brute-force optimum."""
    inp = tiny(
        np.random.default_rng(seed), C=2 if variant == "bundle" else 3,
        types=("factory", "hospital", "leisure_complex") if variant == "bundle" else ("factory", "hospital"),
        bundle_from=2025 if variant == "bundle" else None, commit=variant == "commit",
        balance=variant == "balance", labour=None if variant == "balance" else 8.0,
    )
    if variant == "precedence":
        inp = dataclasses.replace(inp, precedences=(Precedence("factory", "hospital", 1),))
    best, _ = brute_force(inp)
    _, ms = _master(inp)
    assert ms.bound >= best - 1e-6 * max(1.0, abs(best))
    assert all(b >= best - 1e-6 * max(1.0, abs(best)) for _, b in ms.trajectory)


def test_master_tightens_the_subgradient_bound_on_a_balanced_instance() -> None:
    """With province-balance priced, the converged master bound is below the subgradient's
    (which drops balance) and at or above the full MIP's optimum."""
    inp = synthetic_inputs(30, np.random.default_rng(5))
    full = solve_plan(inp, SolveOptions(time_limit=120, mip_rel_gap=0.0))
    assert full.status is SolveStatus.OPTIMAL
    lg, ms = _master(inp)
    assert not ms.cut_short
    assert ms.bound >= full.dual_bound - 1e-6 * full.dual_bound
    assert ms.bound <= lg.bound + 1e-9 * lg.bound
    assert ms.lp_value <= ms.bound + 1e-6 * ms.bound  # a restricted master: never above it


@pytest.mark.parametrize("seed", [2])
def test_decomposed_plan_reports_an_honest_gap(seed: int) -> None:
    """Forced through the decomposition path, a small instance's plan is feasible, its
    dual bound is at or above the true optimum (the full MIP's, proven to HiGHS's
    tolerance), its objective at or below it, and the gap is the one between them."""
    inp = synthetic_inputs(30, np.random.default_rng(seed))
    full = solve_plan(inp, SolveOptions(time_limit=120, mip_rel_gap=0.0))
    assert full.status is SolveStatus.OPTIMAL
    res = solve_plan(inp, SolveOptions(time_limit=120, mip_rel_gap=1e-3, full_mip_max_binaries=100,
                                       lagrange_iterations=100, large_polish_windows=(2,)))
    assert res.message.endswith("decomposed")
    assert not check_plan(inp, res.year)
    assert res.objective == pytest.approx(_value(inp, res.year), rel=1e-12)
    assert res.dual_bound >= full.objective - 1e-9 * full.objective
    assert res.objective <= full.dual_bound + 1e-9 * full.dual_bound
    assert res.gap == pytest.approx(relative_gap(res.objective, res.dual_bound), rel=1e-12)
    assert all(p.dual >= full.objective - 1e-9 * full.objective for p in res.trajectory)
    times = [p.seconds for p in res.trajectory]
    assert len(times) > 2 and times == sorted(times)  # one clock for every phase
    if res.status is SolveStatus.OPTIMAL:
        assert res.gap <= 1e-3


def test_decomposed_path_is_reproducible() -> None:
    """Same inputs and seed: the same plan and the same bound (every phase is fixed work)."""
    inp = synthetic_inputs(20, np.random.default_rng(4))
    opt = SolveOptions(time_limit=120, mip_rel_gap=1e-6, full_mip_max_binaries=100,
                       lagrange_iterations=60, large_polish_windows=(2,))
    a, b = solve_plan(inp, opt), solve_plan(inp, opt)
    assert a.message.endswith("decomposed")
    assert np.array_equal(a.year, b.year)
    assert a.dual_bound == b.dual_bound


def test_the_master_lps_plan_is_used_when_better() -> None:
    """Without the windows, the decomposed plan with the master is the repaired plan of its
    LP solution where that beats the subgradient's plans (on this instance it does), and it
    is feasible; without the master it is the subgradient's."""
    inp = synthetic_inputs(150, np.random.default_rng(1))
    opt = SolveOptions(time_limit=120, mip_rel_gap=1e-6, full_mip_max_binaries=100,
                       lagrange_iterations=100, large_polish_windows=())
    alone = solve_plan(inp, dataclasses.replace(opt, master_rounds=0))
    with_master = solve_plan(inp, opt)
    assert not check_plan(inp, with_master.year)
    assert with_master.objective > alone.objective + 1.0
    assert with_master.objective == pytest.approx(_value(inp, with_master.year), rel=1e-12)
    assert with_master.objective <= with_master.dual_bound
