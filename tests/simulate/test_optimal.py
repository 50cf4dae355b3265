"""Yearly re-planning with the optimiser (model built once, bounds changed between years)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from tests.simulate.helpers import synthetic

from twentyten.plan.check import check_plan
from twentyten.plan.solve import SolveOptions, plan_objective, solve_plan
from twentyten.simulate.engine import RunOptions, prepare, replan_inputs, run_simulation
from twentyten.simulate.scenario import load_uncertainty

pytest.importorskip("highspy", reason="the optimiser (extra `plan`) is not installed")


@pytest.fixture(scope="module")
def optimal_plan():
    inp, _ = synthetic(12, 3)
    r = solve_plan(inp, SolveOptions(time_limit=30))
    assert r.is_proven_optimal
    return prepare(inp, r.year), r


def test_zero_variance_keeps_the_optimal_plans_value(optimal_plan):
    from twentyten.simulate.optimal import OptimalReplanner

    sp, r = optimal_plan
    C, K, Y = sp.inputs.shape
    done, _ = OptimalReplanner(sp).run(np.ones(C), {k: np.ones(Y) for k in sp.inputs.capacity})
    ri = replan_inputs(sp)
    assert plan_objective(ri, done) == pytest.approx(plan_objective(ri, r.year), rel=1e-3)
    assert not check_plan(ri, done)


@pytest.mark.parametrize("shock", [2, 5])
def test_a_year_without_capacity_is_replanned_around(optimal_plan, shock):
    from twentyten.simulate.optimal import OptimalReplanner

    sp, r = optimal_plan
    C, K, Y = sp.inputs.shape
    lab = np.ones(Y)
    lab[shock] = 0.0
    done, waited = OptimalReplanner(sp).run(np.ones(C), {k: lab if k == "labour" else np.ones(Y)
                                                         for k in sp.inputs.capacity})
    assert not (done == shock).any()
    assert waited[shock - sp.first].any()  # the lost year left packages waiting
    ri = replan_inputs(sp)
    shocked = dataclasses.replace(ri, capacity={**ri.capacity, "labour": ri.capacity["labour"] * lab})
    assert not check_plan(shocked, done)  # a valid plan of the shocked instance
    before = (r.year >= 0) & (r.year < shock)
    assert (done[before] == r.year[before]).all()
    best = solve_plan(shocked, SolveOptions(time_limit=30))
    assert plan_objective(ri, done) <= best.objective + 1e-6  # no better than knowing the shock


def test_cli_runs_optimal_replanning(tmp_path):
    from click.testing import CliRunner
    from tests.simulate.helpers import write_plan

    from twentyten.cli import cli

    plan = write_plan(tmp_path, n=10, seed=2)
    r = CliRunner().invoke(cli, ["simulate", "--plan", str(plan), "--runs", "3", "--replan", "optimal",
                                 "--sensitivity-runs", "0", "--format", "json"])
    assert r.exit_code == 0, r.output


def test_engine_accepts_optimal(optimal_plan):
    sp, _ = optimal_plan
    res = run_simulation(sp, load_uncertainty().zero_variance(), 2, 1, RunOptions(replan="optimal"))
    assert (res.county_finish[:, sp.target] >= 0).all()
