"""Yearly greedy re-planning done the plain way, one run at a time: every simulated year,
``greedy_plan`` on the plan's packages over the whole horizon, with what was done and the
record's later commitments as commitments, then the year's choice started against the
realised capacities.

The reference the engine's re-planning must match run for run
(``tests/simulate/test_replan_reference.py``) and the baseline it is timed against
(``benchmarks/bench_simulate.py``): one copy for both.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from twentyten.plan.greedy import greedy_plan
from twentyten.plan.inputs import Commitment
from twentyten.simulate.engine import BOTTLENECKS, SimPlan, realised, replan_inputs, start_year


def plain_replan_run(sp: SimPlan, multiplier: np.ndarray, factor: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
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


def county_finish(sp: SimPlan, done: np.ndarray) -> np.ndarray:
    """Year index each county finished its planned packages: -1 not all by the horizon,
    -2 not in the plan."""
    planned = sp.year >= 0
    out = np.where((planned & (done < 0)).any(axis=1), -1, np.where(planned, done, -1).max(axis=1))
    return np.where(planned.any(axis=1), out, -2)
