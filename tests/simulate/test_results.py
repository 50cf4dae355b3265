"""The summary's numbers, checked against run results written out by hand."""

from __future__ import annotations

import numpy as np
import pytest
from tests.simulate.helpers import sim_plan

from twentyten.simulate.engine import BOTTLENECKS, ChunkResult
from twentyten.simulate.results import Probability, summarise
from twentyten.simulate.scenario import load_uncertainty


def test_summary_from_hand_made_runs():
    sp = sim_plan(30, 3)
    inp = sp.inputs
    Y = len(inp.years)
    planned = sp.planned_finish()
    R = 4
    fin = np.repeat(planned[None], R, axis=0).astype(np.int16)
    c0, c1 = np.nonzero(sp.target)[0][:2]
    fin[0, c0] = min(planned[c0] + 1, Y - 1)  # one year late, still in time (if it can be)
    fin[1, c1] = -1  # not by the horizon
    fin[2, c1] = -1
    waited = {f: np.zeros((R, Y - sp.first), bool) for f in BOTTLENECKS}
    waited["construction-capacity"][:2, 0] = True
    s = summarise(sp, ChunkResult(fin, waited), load_uncertainty(), "none", 7)
    assert s.runs == R and s.seed == 7
    assert s.finish_all.p == pytest.approx(0.5)  # runs 1 and 2 miss c1
    assert s.finish_all.se == pytest.approx(np.sqrt(0.25 / R), abs=1e-6)
    rows = {r["county_id"]: r for r in s.counties}
    r1 = rows[inp.counties[c1]]
    assert r1["p_finished"] == pytest.approx(0.5)
    assert r1["expected_slip"] == pytest.approx(2 * (Y - planned[c1]) / R)
    r0 = rows[inp.counties[c0]]
    assert r0["expected_slip"] == pytest.approx((min(planned[c0] + 1, Y - 1) - planned[c0]) / R)
    last = s.years[-1]
    assert last["planned"] == int(sp.target.sum())
    assert last["p95"] == int(sp.target.sum()) and last["mean"] == pytest.approx(sp.target.sum() - 0.5)
    b = {r["constraint"]: r for r in s.bottlenecks}
    assert b["construction-capacity"]["share_of_run_years"] == pytest.approx(2 / (R * (Y - sp.first)))
    assert b["construction-capacity"][str(inp.years[sp.first])] == pytest.approx(0.5)
    prov = {r["province_id"]: r for r in s.provinces}
    p1 = prov[inp.provinces[inp.county_province[c1]]]
    assert p1["expected_unfinished"] == pytest.approx(0.5)


def test_wilson_interval_is_informative_at_the_edges():
    none = Probability.of(np.zeros(1000, bool))
    assert none.p == 0 and none.se == 0 and 0 < none.high < 0.005
    every = Probability.of(np.ones(1000, bool))
    assert every.p == 1 and 0.995 < every.low < 1


def test_the_median_runs_state_is_that_run(tmp_path):
    """state_median.csv replays the median run: its counties finished match the run's."""
    from twentyten.simulate.engine import RunOptions, run_simulation
    from twentyten.simulate.results import SimulateOptions, simulate

    sp = sim_plan(30, 3)
    unc = load_uncertainty()
    for replan in ("none", "greedy"):
        s = simulate(sp, unc, np.random.default_rng(2), SimulateOptions(runs=150, replan=replan, sensitivity_runs=0))
        entropy = int(np.random.default_rng(2).integers(0, 2**63 - 1))
        res = run_simulation(sp, unc, 150, entropy, RunOptions(replan=replan))
        inp = sp.inputs
        year = np.full(inp.shape[:2], -1)
        for r in s.median_state:
            year[inp.county_index[r["county_id"]], inp.type_index(r["facility_type"])] = inp.years.index(r["year"])
        planned = sp.year >= 0
        finished = ~((year < 0) & planned).any(axis=1) & sp.target
        assert finished.sum() == (res.county_finish[s.median_run, sp.target] >= 0).sum()
        counts = (res.county_finish[:, sp.target] >= 0).sum(axis=1)
        assert finished.sum() == int(np.sort(counts)[(counts.size - 1) // 2])
