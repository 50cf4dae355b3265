"""Small random rollout instances for the planner's tests."""

from __future__ import annotations

import itertools

import numpy as np

from twentyten.plan.check import check_plan
from twentyten.plan.inputs import Balance, Bundle, Commitment, PlanInputs


def tiny(
    rng: np.random.Generator,
    C: int = 3,
    types: tuple[str, ...] = ("factory", "hospital"),
    Y: int = 3,
    cap: int = 1,
    labour: float | None = 8.0,
    bundle_from: int | None = None,
    commit: bool = False,
    balance: bool = False,
    provinces: int = 2,
) -> PlanInputs:
    K = len(types)
    years = tuple(range(2024, 2024 + Y))
    use = rng.uniform(1.0, 6.0, size=(C, K, 1)).repeat(Y, axis=2)
    commitments = ()
    if commit:
        commitments = (Commitment("C0", types[0], years[0]),)
    return PlanInputs(
        counties=tuple(f"C{i}" for i in range(C)),
        county_names=tuple(f"County {i}" for i in range(C)),
        provinces=tuple(f"P{i}" for i in range(provinces)),
        county_province=np.arange(C) % provinces,
        types=types,
        years=years,
        eligible=np.ones((C, K, Y), bool),
        use={"labour": use},
        capacity={"labour": np.full(Y, np.inf if labour is None else labour)},
        cap=np.full((K, Y), cap, int),
        need=rng.uniform(0, 1, C),
        population=rng.uniform(1e4, 1e5, C),
        weight=rng.uniform(0.2, 2.0, size=(C, K)),
        commitments=commitments,
        bundles=() if bundle_from is None else (Bundle(types[0], types[1:], bundle_from),),
        balance=Balance((types[0],), 1.0, 0.5) if balance else None,
    )


def brute_force(inp: PlanInputs) -> tuple[float, np.ndarray | None]:
    """Best objective over every schedule (each county × type: a year or never)."""
    C, K, Y = inp.shape
    obj = inp.objective()
    best, best_year = -np.inf, None
    for combo in itertools.product(range(-1, Y), repeat=C * K):
        year = np.array(combo).reshape(C, K)
        if check_plan(inp, year):
            continue
        c, k = np.nonzero(year >= 0)
        v = float(obj[c, k, year[c, k]].sum())
        if v > best:
            best, best_year = v, year
    return best, best_year
