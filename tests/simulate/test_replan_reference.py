"""Yearly greedy re-planning gives, run for run, what the plain way gives
(:func:`tests.simulate.replan_reference.plain_replan_run`: every simulated year,
``greedy_plan`` over the whole horizon with what was done as commitments).

The engine builds each year's instance once, passes only what was done and plays a chunk's
runs side by side; these tests hold it to the plain way on the same draws (county finish
years and bottlenecks, exactly).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from tests.simulate.helpers import synthetic
from tests.simulate.replan_reference import county_finish, plain_replan_run

from twentyten.plan.greedy import greedy_plan
from twentyten.plan.inputs import Commitment
from twentyten.simulate.engine import (
    BOTTLENECKS,
    Draws,
    RunOptions,
    SimPlan,
    draw,
    prepare,
    run_simulation,
)
from twentyten.simulate.scenario import load_uncertainty


def _same_as_plain(sp: SimPlan, runs: int, entropy: int) -> None:
    unc = load_uncertainty()
    got = run_simulation(sp, unc, runs, entropy, RunOptions(replan="greedy"))
    # one chunk: its draws come from default_rng([entropy, 0]) (see the engine's docstring)
    d: Draws = draw(unc, sp.inputs.shape, runs, np.random.default_rng([entropy, 0]))
    moved = 0
    for i in range(runs):
        done, waited = plain_replan_run(sp, d.multiplier[i], {r: f[i] for r, f in d.capacity_factor.items()})
        np.testing.assert_array_equal(got.county_finish[i], county_finish(sp, done), err_msg=f"run {i}")
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
