"""Small plans for the simulation's tests, built here (no saved outputs)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from twentyten.plan.greedy import greedy_plan
from twentyten.plan.inputs import PlanInputs, synthetic_inputs
from twentyten.plan.saved import saved_plan
from twentyten.plan.solve import solve_greedy
from twentyten.simulate.engine import SimPlan, prepare


def synthetic(n: int = 30, seed: int = 3, slack: float = 1.0) -> tuple[PlanInputs, np.ndarray]:
    inp = synthetic_inputs(n, np.random.default_rng(seed), labour_slack=slack)
    return inp, greedy_plan(inp)


def sim_plan(n: int = 30, seed: int = 3, slack: float = 1.0) -> SimPlan:
    inp, year = synthetic(n, seed, slack)
    return prepare(inp, year)


def early_plan(n: int = 30, seed: int = 3, spare: int = 2) -> SimPlan:
    """A plan made as if the last ``spare`` years had no capacity, simulated with them: it
    has room to catch up, so its finish probability lies between 0 and 1."""
    import dataclasses

    inp = synthetic_inputs(n, np.random.default_rng(seed))
    cap = inp.cap.copy()
    cap[:, -spare:] = 0
    capacity = {r: a.copy() for r, a in inp.capacity.items()}
    capacity["labour"][-spare:] = 0.0
    year = greedy_plan(dataclasses.replace(inp, cap=cap, capacity=capacity))
    return prepare(inp, year)


def write_plan(folder: Path, n: int = 30, seed: int = 3, slack: float = 1.0) -> Path:
    inp, _ = synthetic(n, seed, slack)
    path = folder / "plan.json"
    path.write_text(saved_plan(solve_greedy(inp), None).model_dump_json(), encoding="utf-8")
    return path
