"""The Monte Carlo engine: zero variance is the plan, shocks move packages as the planner
would, probabilities behave like probabilities."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.simulate.helpers import early_plan, sim_plan, synthetic

from twentyten.plan.greedy import greedy_plan
from twentyten.simulate.engine import (
    Draws,
    Replanner,
    RunOptions,
    prepare,
    process_mapper,
    replan_inputs,
    run_simulation,
    start_units,
    start_year,
)
from twentyten.simulate.results import Probability, finished_all
from twentyten.simulate.scenario import load_uncertainty


def _draws(sp, runs: int, labour: np.ndarray | None = None) -> Draws:
    C, K, Y = sp.inputs.shape
    f = {r: np.ones((runs, Y)) for r in sp.inputs.capacity}
    if labour is not None:
        f["labour"] = np.broadcast_to(labour, (runs, Y)).copy()
    return Draws(multiplier=np.ones((runs, C)), capacity_factor=f)


@pytest.mark.parametrize("replan", ["none", "greedy"])
def test_zero_variance_reproduces_the_plan(replan):
    sp = sim_plan()
    unc = load_uncertainty().zero_variance()
    res = run_simulation(sp, unc, 7, entropy=11, options=RunOptions(replan=replan))
    assert (res.county_finish == sp.planned_finish()[None]).all()
    assert finished_all(sp, res).all()


def test_zero_variance_reproduces_every_unit_year():
    sp = sim_plan()
    done, _ = start_units(sp, _draws(sp, 3))
    assert (done == sp.unit_year[:, None]).all()


def test_bundled_plan_shape_zero_variance():
    """A plan with record years (replan_from): the record is kept, the rest as planned."""
    inp, year = synthetic(25, 5)
    inp = dataclasses.replace(inp, replan_from=inp.years[2])
    sp = prepare(inp, year)
    assert sp.first == 2
    res = run_simulation(sp, load_uncertainty().zero_variance(), 4, 1)
    assert (res.county_finish == sp.planned_finish()[None]).all()


@pytest.mark.parametrize("shock", [0, 3, 6])
def test_a_year_without_capacity_moves_later_packages_as_the_greedy_planner_would(shock):
    inp, year = synthetic(30, 7)
    sp = prepare(inp, year)
    Y = len(inp.years)
    labour = np.ones(Y)
    labour[shock] = 0.0
    done, _ = Replanner(sp).run(np.ones(len(inp.counties)), {r: labour if r == "labour" else np.ones(Y)
                                                              for r in inp.capacity})
    base = replan_inputs(sp)
    cap = dict(base.capacity)
    cap["labour"] = base.capacity["labour"] * labour
    expected = greedy_plan(dataclasses.replace(base, capacity=cap))
    assert (done == expected).all()
    assert not (done == shock).any()  # nothing starts in the lost year
    before = (year >= 0) & (year < shock)
    assert (done[before] == year[before]).all()  # the years before are untouched


def test_a_year_without_capacity_without_replanning_delays_and_never_advances():
    sp = sim_plan(30, 7)
    Y = len(sp.inputs.years)
    shock = 4
    labour = np.ones(Y)
    labour[shock] = 0.0
    done, waited = start_units(sp, _draws(sp, 2, labour))
    d = done[:, 0]
    assert not (d == shock).any()
    early = sp.unit_year < shock
    assert (d[early] == sp.unit_year[early]).all()
    late = sp.unit_year >= shock
    assert ((d[late] > sp.unit_year[late]) | (d[late] < 0) | (sp.unit_year[late] > shock)).all()
    assert ((d[late] >= sp.unit_year[late]) | (d[late] < 0)).all()
    moved = sp.unit_year == shock
    assert (d[moved] != shock).all() and moved.any()
    assert waited["construction-capacity"][0, shock]


@given(st.integers(1, 6), st.floats(0.1, 1.0), st.integers(0, 2**31))
@settings(max_examples=40, deadline=None)
def test_start_year_never_exceeds_capacity_or_caps(cap_count, cap_share, seed):
    rng = np.random.default_rng(seed)
    W, R, K = 12, 5, 3
    due = rng.random((W, R)) < 0.7
    need = {"labour": rng.uniform(0.5, 3.0, (W, R))}
    capacity = {"labour": np.full(R, cap_share * 10.0)}
    has = rng.random((W, K)) < 0.5
    type_cap = np.full(K, cap_count)
    started, _ = start_year(due, need, capacity, has, type_cap)
    assert not (started & ~due).any()
    assert ((need["labour"] * started).sum(axis=0) <= capacity["labour"] + 1e-9).all()
    counts = np.einsum("wr,wk->rk", started.astype(int), has.astype(int))
    assert (counts <= cap_count).all()


def test_probabilities_are_probabilities_and_se_shrinks_like_one_over_root_n():
    sp = early_plan(30, 3, spare=2)  # room to catch up: some runs finish, some do not
    unc = load_uncertainty()
    small, large = 100, 1600
    est = {small: [], large: []}
    for n in (small, large):
        for e in range(25):
            p = Probability.of(finished_all(sp, run_simulation(sp, unc, n, entropy=1000 + e)))
            assert 0.0 <= p.low <= p.p <= p.high <= 1.0
            assert 0.0 <= p.se <= 0.5
            est[n].append(p)
    mean_p = np.mean([p.p for p in est[large]])
    assert 0.05 < mean_p < 0.95, "the test instance must give an intermediate probability"
    # the reported SE shrinks like 1/sqrt(N) ...
    ratio = np.mean([p.se for p in est[small]]) / np.mean([p.se for p in est[large]])
    assert 3.0 < ratio < 5.3
    # ... and so does the spread of the estimates themselves (independent seeds)
    spread = np.std([p.p for p in est[small]]) / np.std([p.p for p in est[large]])
    assert 2.0 < spread < 8.0


def test_same_entropy_same_result_and_workers_agree():
    sp = sim_plan(20, 4)
    unc = load_uncertainty()
    a = run_simulation(sp, unc, 250, 5, RunOptions(replan="greedy"))
    b = run_simulation(sp, unc, 250, 5, RunOptions(replan="greedy", map_chunks=process_mapper(2)))
    assert (a.county_finish == b.county_finish).all()
    for f in a.waited:
        assert (a.waited[f] == b.waited[f]).all()
    c = run_simulation(sp, unc, 250, 6, RunOptions(replan="greedy"))
    assert not (a.county_finish == c.county_finish).all()


def test_switching_one_uncertainty_off_keeps_the_others_draws():
    """Common random numbers: without diversion, no run can do worse than with it."""
    sp = early_plan(30, 3, spare=1)
    unc = load_uncertainty()
    base = run_simulation(sp, unc, 3000, 9)
    off = run_simulation(sp, unc.without("diversion"), 3000, 9)
    assert finished_all(sp, off).sum() >= finished_all(sp, base).sum()
    assert ((off.county_finish[:, sp.target] >= 0).sum() >= (base.county_finish[:, sp.target] >= 0).sum())


def test_year_by_year_replanning_is_a_full_greedy_run_with_record_in_simulated_years():
    """The re-planner asks greedy for one year at a time; with the record's commitments in
    simulated years (as in the bundled data) the result is still a full greedy run's."""
    from twentyten.plan.inputs import Commitment

    inp, year = synthetic(30, 11)
    c, k = np.nonzero(year >= 0)
    pick = [(a, b) for a, b in zip(c, k, strict=True) if year[a, b] in (0, 1, 2, 4)][:12]
    cms = tuple(Commitment(inp.counties[a], inp.types[b], inp.years[year[a, b]], "test") for a, b in pick)
    inp = dataclasses.replace(inp, commitments=cms, replan_from=inp.years[2])
    year = greedy_plan(inp)
    sp = prepare(inp, year)
    C, K, Y = inp.shape
    done, _ = Replanner(sp).run(np.ones(C), {r: np.ones(Y) for r in inp.capacity})
    assert (done == greedy_plan(replan_inputs(sp))).all()


def test_an_unlimited_resource_stays_unlimited_when_all_of_it_is_short(tmp_path):
    sp = sim_plan()
    base = load_uncertainty().zero_variance()
    from twentyten.simulate.scenario import FixedShare

    unc = base.model_copy(update={"shortfall": {**base.shortfall, "budget": FixedShare(dist="fixed", value=1.0)}})
    assert not np.isfinite(sp.inputs.capacity["budget"]).any()
    res = run_simulation(sp, unc, 5, 1)
    assert (res.county_finish == sp.planned_finish()[None]).all()
