"""The headline figures of a plan, against values computed here by hand."""

from __future__ import annotations

import numpy as np
import pytest
from tests.plan.helpers import brute_force, tiny

from twentyten.plan.greedy import greedy_plan
from twentyten.plan.solve import GapPoint, PlanResult, SolveOptions, SolveStatus, solve_plan

pytest.importorskip("highspy")


def _value(inp, year) -> float:
    """Benefit of a plan, summed in plain Python: weight × years in service to the end."""
    total = 0.0
    for c in range(len(inp.counties)):
        for k in range(len(inp.types)):
            if year[c, k] >= 0:
                total += inp.weight[c, k] * (inp.years[-1] - inp.years[year[c, k]] + 1)
    return total


@pytest.mark.parametrize("seed", range(4))
def test_gain_over_greedy_is_the_optimum_over_the_greedy(seed: int) -> None:
    inp = tiny(np.random.default_rng(seed), C=3, Y=3, cap=1, labour=6.0)
    best, _ = brute_force(inp)
    greedy = _value(inp, greedy_plan(inp))
    res = solve_plan(inp, SolveOptions(mip_rel_gap=0.0))
    assert res.objective == pytest.approx(best, rel=1e-9)
    assert res.greedy_objective == pytest.approx(greedy, rel=1e-12)
    assert res.gain_over_greedy == pytest.approx(best / greedy - 1.0, rel=1e-9, abs=1e-12)


def test_gain_over_greedy_by_hand() -> None:
    """Two counties, one factory a year over two years: the greedy serves the larger weight
    first and the optimiser can do no better, so the gain is 0; a plan one year later for
    the first county loses 2 × 1 of 2 × 2 + 1 × 1."""
    inp = tiny(np.random.default_rng(0), C=2, types=("factory",), Y=2, cap=1, labour=None)
    inp = type(inp)(**{**inp.__dict__, "weight": np.array([[2.0], [1.0]])})
    res = solve_plan(inp, SolveOptions(mip_rel_gap=0.0))
    assert res.planned_year("C0", "factory") == 2024 and res.planned_year("C1", "factory") == 2025
    assert res.objective == pytest.approx(2.0 * 2 + 1.0 * 1)
    assert res.gain_over_greedy == pytest.approx(0.0, abs=1e-12)
    worse = PlanResult(inputs=inp, status=SolveStatus.GREEDY, method="greedy",
                       year=np.array([[1], [0]]), objective=2.0 * 1 + 1.0 * 2, dual_bound=None,
                       gap=None, solve_seconds=0, build_seconds=0, greedy_objective=5.0)
    assert worse.gain_over_greedy == pytest.approx(4.0 / 5.0 - 1.0)


def test_time_to_gap_reads_the_trajectory() -> None:
    inp = tiny(np.random.default_rng(0))
    points = (GapPoint(0.5, 80.0, 120.0), GapPoint(1.0, 90.0, 110.0), GapPoint(2.0, 99.0, 100.0),
              GapPoint(3.5, 99.995, 100.0))
    res = PlanResult(inputs=inp, status=SolveStatus.OPTIMAL, method="optimal",
                     year=np.full((3, 2), -1), objective=99.995, dual_bound=100.0, gap=5e-5,
                     solve_seconds=4.0, build_seconds=0.0, greedy_objective=80.0,
                     trajectory=points)
    # gaps by hand: 40/120 = 0.333, 20/110 = 0.182, 1/100 = 0.01, 0.005/100 = 5e-5
    assert res.time_to_gap(0.5) == 0.5
    assert res.time_to_gap(0.2) == 1.0
    assert res.time_to_gap(0.01) == 2.0
    assert res.time_to_gap(0.0099) == 3.5
    assert res.time_to_gap(1e-4) == 3.5
    assert res.time_to_gap(1e-5) is None


def test_time_to_gap_of_a_solve_matches_its_bounds() -> None:
    """On a real solve: at the reported time the recorded bounds prove the gap (by hand),
    and no earlier point did; the bounds are valid against brute force."""
    inp = tiny(np.random.default_rng(3), C=3, Y=3, cap=1, labour=8.0, bundle_from=2025)
    best, _ = brute_force(inp)
    res = solve_plan(inp, SolveOptions(mip_rel_gap=0.0))
    t = res.time_to_gap(1e-6)
    assert t is not None and t <= res.solve_seconds + 1e-9
    for p in res.trajectory:
        assert p.dual >= best - 1e-6 and p.primal <= best + 1e-6
        proven = (p.dual - p.primal) / abs(p.dual) <= 1e-6 + 1e-12
        assert proven == (p.seconds >= t)
