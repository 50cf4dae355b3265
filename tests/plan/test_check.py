"""The plan checker against hand-made plans, one family at a time."""

from __future__ import annotations

import dataclasses

import numpy as np
from tests.plan.helpers import tiny

from twentyten.plan.check import check_plan
from twentyten.plan.inputs import Balance, Commitment, Precedence

TYPES = ("factory", "hospital", "leisure_complex")


def _rows(inp, year) -> list[str]:
    return [v.row for v in check_plan(inp, np.asarray(year))]


def _base(**kw):
    inp = tiny(np.random.default_rng(0), C=3, types=TYPES[:2], Y=3, cap=2, labour=None, **kw)
    return inp


def test_an_empty_plan_breaks_nothing() -> None:
    assert _rows(_base(), [[-1, -1]] * 3) == []


def test_eligibility_unless_committed() -> None:
    inp = _base()
    elig = inp.eligible.copy()
    elig[1, 0, 0] = False
    inp = dataclasses.replace(inp, eligible=elig)
    assert [v.family for v in check_plan(inp, np.array([[-1, -1], [0, -1], [-1, -1]]))] == ["eligibility"]
    assert _rows(inp, [[-1, -1], [1, -1], [-1, -1]]) == []
    fixed = dataclasses.replace(inp, commitments=(Commitment("C1", "factory", 2024),))
    assert _rows(fixed, [[-1, -1], [0, -1], [-1, -1]]) == []


def test_year_cap_and_target() -> None:
    inp = _base()
    assert _rows(inp, [[0, -1], [0, -1], [1, -1]]) == []
    assert _rows(inp, [[0, -1], [0, -1], [0, -1]]) == ["year-cap[factory,2024]"]
    target = np.zeros_like(inp.cap)
    target[0, 1] = 1
    inp = dataclasses.replace(inp, target=target)
    assert _rows(inp, [[0, -1], [0, -1], [1, -1]]) == []
    assert _rows(inp, [[0, -1], [0, -1], [2, -1]]) == ["year-cap[factory,2025]"]


def test_capacity_filled_exactly_is_allowed_and_a_little_more_is_not() -> None:
    inp = _base()
    use = np.ones_like(inp.use["labour"])
    inp = dataclasses.replace(inp, use={"labour": use}, capacity={"labour": np.array([2.0, 2.0, 2.0])})
    assert _rows(inp, [[0, 0], [-1, -1], [-1, -1]]) == []
    use2 = use.copy()
    use2[0, 1, 0] = 1.001
    inp2 = dataclasses.replace(inp, use={"labour": use2})
    assert _rows(inp2, [[0, 0], [-1, -1], [-1, -1]]) == ["construction-capacity[2024]"]
    big = dataclasses.replace(inp, use={"labour": use * 1e6}, capacity={"labour": np.full(3, 2e6)})
    assert _rows(big, [[0, 0], [-1, -1], [-1, -1]]) == []


def test_commitments_and_record_years() -> None:
    inp = dataclasses.replace(_base(), commitments=(Commitment("C0", "factory", 2024),),
                              replan_from=2025)
    assert _rows(inp, [[0, -1], [-1, 1], [-1, -1]]) == []
    assert [v.family for v in check_plan(inp, np.array([[1, -1], [-1, -1], [-1, -1]]))] == ["commitment"]
    assert [v.family for v in check_plan(inp, np.array([[0, -1], [0, -1], [-1, -1]]))] == ["commitment"]


def test_bundle_both_ways() -> None:
    inp = tiny(np.random.default_rng(0), C=2, types=TYPES, Y=3, cap=2, labour=None, bundle_from=2025)
    assert _rows(inp, [[1, 1, 1], [0, -1, 2]]) == []  # C1: factory before the bundle year
    assert _rows(inp, [[1, 1, 2], [-1, -1, -1]]) == [
        "bundle[C0,leisure_complex,2025]", "bundle[C0,leisure_complex,2026]"]
    assert _rows(inp, [[-1, 2, -1], [-1, -1, -1]]) == ["bundle[C0,hospital,2026]"]
    assert _rows(inp, [[-1, 0, -1], [-1, -1, -1]]) == []  # a member alone before the bundle year
    assert _rows(inp, [[2, 0, 2], [-1, -1, -1]]) == []  # ...is not built again with its lead


def test_precedence_with_a_gap() -> None:
    inp = dataclasses.replace(_base(), precedences=(Precedence("factory", "hospital", 1),))
    assert _rows(inp, [[0, 1], [-1, -1], [-1, -1]]) == []
    assert _rows(inp, [[0, 0], [-1, -1], [-1, -1]]) == ["precedence[C0,hospital,2024]"]
    assert _rows(inp, [[-1, 2], [-1, -1], [-1, -1]]) == ["precedence[C0,hospital,2026]"]


def test_province_balance() -> None:
    inp = tiny(np.random.default_rng(0), C=4, types=("factory",), Y=2, cap=4, labour=None)
    inp = dataclasses.replace(inp, balance=Balance(("factory",), 1.0, 0.0))
    # P0 = C0, C2; P1 = C1, C3: strict pace, each province half the national total
    assert _rows(inp, [[0], [0], [1], [1]]) == []
    assert _rows(inp, [[0], [1], [0], [1]]) == ["province-balance[P1,factory,2024]"]
    loose = dataclasses.replace(inp, balance=Balance(("factory",), 1.0, 1.0))
    assert _rows(loose, [[0], [1], [0], [1]]) == []
