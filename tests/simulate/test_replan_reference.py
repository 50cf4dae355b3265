"""Yearly greedy re-planning gives, run for run, what the plain way gives: every simulated
year, ``greedy_plan`` on the plan's packages over the whole horizon, with what was done and
the record's later commitments as commitments, then the year's choice started against the
realised capacities.

The engine builds each year's instance once and passes only what was done; these tests
hold it to the plain way on the same draws (county finish years and bottlenecks, exactly).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from tests.simulate.helpers import synthetic

from twentyten.plan.greedy import greedy_plan
from twentyten.plan.inputs import Commitment
from twentyten.simulate.engine import (
    BOTTLENECKS,
    Draws,
    RunOptions,
    SimPlan,
    draw,
    prepare,
    realised,
    replan_inputs,
    run_simulation,
    start_year,
)
from twentyten.simulate.scenario import load_uncertainty


def _plain_run(sp: SimPlan, multiplier: np.ndarray, factor: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """One run re-planned the plain way: (C, K) start year index (-1 not started) and
    (Ysim, F) whether each bottleneck family left a package waiting."""
    inp = replan_inputs(sp)
    C, K, Y = inp.shape
    done = np.where((sp.year >= 0) & (sp.year < sp.first), sp.year, -1)
    waited = np.zeros((Y - sp.first, len(BOTTLENECKS)), bool)
    for t in range(sp.first, Y):
        cms = [Commitment(inp.counties[c], inp.types[k], inp.years[done[c, k]]) for c, k in zip(*np.nonzero(done >= 0), strict=True)]
        cms += [cm for cm in inp.commitments if cm.year >= inp.years[t]
                and done[inp.county_index[cm.county], inp.type_index(cm.facility_type)] < 0]
        plan = greedy_plan(dataclasses.replace(inp, commitments=tuple(cms), replan_from=inp.years[t]))
        pick = (plan == t) & (done < 0)
        counties = np.unique(np.nonzero(pick)[0])
        if counties.size == 0:
            continue
        # the year's choice in queue order: highest benefit first, then county
        has = pick[counties]
        order = np.lexsort((counties, -(inp.weight[counties] * has).sum(axis=1)))
        counties, has = counties[order], has[order]
        need, cap = {}, {}
        for r in inp.capacity:
            if r not in inp.use:
                continue
            need[r] = (inp.use[r][counties, :, t] * has).sum(axis=1)[:, None]
            if r == "labour":
                need[r] = need[r] * multiplier[counties][:, None]
            cap[r] = realised(inp.capacity[r][t], np.array([factor[r][t]]))
        started, w = start_year(np.ones((counties.size, 1), bool), need, cap, has, inp.cap[:, t])
        waited[t - sp.first] = [w[f][0] for f in BOTTLENECKS]
        sc, sk = np.nonzero(has & started)
        done[counties[sc], sk] = t
    return done, waited


def _county_finish(sp: SimPlan, done: np.ndarray) -> np.ndarray:
    """Year index each county finished its planned packages: -1 not all by the horizon,
    -2 not in the plan."""
    planned = sp.year >= 0
    out = np.where((planned & (done < 0)).any(axis=1), -1, np.where(planned, done, -1).max(axis=1))
    return np.where(planned.any(axis=1), out, -2)


def _same_as_plain(sp: SimPlan, runs: int, entropy: int) -> None:
    unc = load_uncertainty()
    got = run_simulation(sp, unc, runs, entropy, RunOptions(replan="greedy"))
    # one chunk: its draws come from default_rng([entropy, 0]) (see the engine's docstring)
    d: Draws = draw(unc, sp.inputs.shape, runs, np.random.default_rng([entropy, 0]))
    moved = 0
    for i in range(runs):
        done, waited = _plain_run(sp, d.multiplier[i], {r: f[i] for r, f in d.capacity_factor.items()})
        np.testing.assert_array_equal(got.county_finish[i], _county_finish(sp, done), err_msg=f"run {i}")
        for j, f in enumerate(BOTTLENECKS):
            np.testing.assert_array_equal(got.waited[f][i], waited[:, j], err_msg=f"run {i}, {f}")
        moved += int((got.county_finish[i] != sp.planned_finish()).any())
    assert moved > 0, "the draws must move some packages, or the test shows nothing"


@pytest.fixture(scope="module")
def bundled() -> SimPlan:
    from twentyten.plan.adapter import inputs_from_atlas

    inp = inputs_from_atlas()
    return prepare(inp, greedy_plan(inp))


@pytest.mark.parametrize("entropy", [1, 7, 2024])
def test_bundled_plan_replanned_as_the_plain_way(bundled: SimPlan, entropy: int) -> None:
    """The bundled plan: the record fixes its first years and some later packages."""
    assert bundled.first > 0 and any(cm.year >= bundled.simulated_years[0] for cm in bundled.inputs.commitments)
    _same_as_plain(bundled, 8, entropy)


@pytest.mark.parametrize(("slack", "entropy"), [(1.0, 3), (0.7, 4)])
def test_synthetic_plan_with_record_in_simulated_years(slack: float, entropy: int) -> None:
    inp, year = synthetic(40, 11, slack)
    c, k = np.nonzero(year >= 0)
    pick = [(a, b) for a, b in zip(c, k, strict=True) if year[a, b] in (0, 1, 2, 5)][:15]
    cms = tuple(Commitment(inp.counties[a], inp.types[b], inp.years[year[a, b]], "test") for a, b in pick)
    inp = dataclasses.replace(inp, commitments=cms, replan_from=inp.years[2])
    _same_as_plain(prepare(inp, greedy_plan(inp)), 12, entropy)
