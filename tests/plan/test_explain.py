"""Explanations name the constraint family that kept a package from an earlier year."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from tests.plan.helpers import tiny

from twentyten.plan.explain import explain_county
from twentyten.plan.inputs import Balance
from twentyten.plan.solve import SolveOptions, solve_plan

pytest.importorskip("highspy")


def test_province_balance_is_named_when_it_binds() -> None:
    # two provinces (C0, C2 in P0; C1, C3 in P1), strict pace, room for 3 a year:
    # P0's counties are worth far more, but 2024 can take only one from each province
    inp = tiny(np.random.default_rng(0), C=4, types=("factory",), Y=2, cap=3, labour=None)
    inp = dataclasses.replace(
        inp, weight=np.array([[2.0], [0.1], [1.9], [0.1]]), balance=Balance(("factory",), 1.0, 0.0),
    )
    res = solve_plan(inp, SolveOptions(time_limit=5, mip_rel_gap=1e-9))
    assert res.planned_year("C2", "factory") == 2025  # kept from 2024 by balance alone
    fac = explain_county(res, "C2").packages[0]
    (reason,) = fac.earlier
    assert reason.year == 2024
    assert reason.rows == ("province-balance[P1,factory,2024]",) and not reason.together
    assert reason.constraints[0] == (
        "province-balance[P1,factory,2024]: with it there the province must have 1.50 packages "
        "and has 1 (short by 0.50)"
    )
    # the trade that would pay (C1's place in 2024) is barred by the same row
    assert reason.trade.county == "C1" and reason.trade.breaks == reason.rows


def test_lowest_benefit_in_a_full_year_is_a_movable_package() -> None:
    """A fixed (record) package cannot make room, so it is never offered a trade."""
    from twentyten.plan.inputs import Commitment

    inp = tiny(np.random.default_rng(0), C=3, types=("factory",), Y=2, cap=2, labour=None)
    inp = dataclasses.replace(
        inp, weight=np.array([[0.1], [1.0], [0.9]]), commitments=(Commitment("C0", "factory", 2024),),
    )
    res = solve_plan(inp, SolveOptions(time_limit=5, mip_rel_gap=1e-9))
    assert res.planned_year("C2", "factory") == 2025
    (reason,) = explain_county(res, "C2").packages[0].earlier
    assert reason.rows == ("year-cap[factory,2024]",) and not reason.together
    assert reason.constraints == (
        "year-cap[factory,2024] is full (2 of 2)",
        "every movable package planned there is worth more here than this one",
    )
    assert reason.trade is None  # C0 (0.1, fixed by the record) is not offered a trade
