"""The greedy planner gives exactly the plan of its first, plain-Python version.

``reference_greedy_plan`` (tests/plan/greedy_reference.py) is that version, kept verbatim as
the reference: the numpy rewrite must return the same year array on the bundled instance,
synthetic instances of 50 to 3,000 counties, and small instances with commitments, bundles,
precedences, balance, priorities and re-planning years. A :class:`GreedyPlanner` built once
and given one set of commitments after another plans as ``greedy_plan`` does for each.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.plan.greedy_reference import reference_greedy_plan
from tests.plan.helpers import tiny

from twentyten.plan.greedy import greedy_plan
from twentyten.plan.inputs import Commitment, PlanInputs, Precedence, synthetic_inputs

TYPES = ("factory", "hospital", "leisure_complex")


# -- the checks --------------------------------------------------------------------------
def _same(inp: PlanInputs, priority: np.ndarray | None = None) -> np.ndarray:
    new = greedy_plan(inp, priority=priority)
    old = reference_greedy_plan(inp, priority=priority)
    assert new.dtype == old.dtype and new.shape == old.shape
    np.testing.assert_array_equal(new, old)
    return new


def test_bundled_instance() -> None:
    from twentyten.plan.adapter import inputs_from_atlas

    inp = inputs_from_atlas()
    year = _same(inp)
    assert (year >= 0).sum() > 100  # a real plan, not an empty one
    order = np.random.default_rng(0).permutation(year.size).reshape(year.shape).astype(float)
    _same(inp, priority=order)


def test_bundled_instance_replanned_from_a_later_year() -> None:
    """The simulation's call: a cut instance whose early years hold only commitments."""
    from twentyten.plan.adapter import inputs_from_atlas

    inp = inputs_from_atlas()
    plan = reference_greedy_plan(inp)
    t = 3
    cc, kk = np.nonzero((plan >= 0) & (plan < t))
    cms = tuple(Commitment(inp.counties[c], inp.types[k], inp.years[plan[c, k]])
                for c, k in zip(cc, kk, strict=True))
    cut = dataclasses.replace(inp, commitments=inp.commitments + cms, replan_from=inp.years[t])
    year = _same(cut)
    assert (year[cc, kk] == plan[cc, kk]).all()


@pytest.mark.parametrize(("n", "seed"), [(50, 0), (50, 1), (50, 2), (200, 3), (200, 4), (800, 5), (3000, 6)])
def test_synthetic_instances(n: int, seed: int) -> None:
    inp = synthetic_inputs(n, np.random.default_rng(seed))
    year = _same(inp)
    assert (year >= 0).any()


@pytest.mark.parametrize("slack", [0.3, 3.0])
def test_synthetic_tight_and_loose_labour(slack: float) -> None:
    _same(synthetic_inputs(300, np.random.default_rng(7), labour_slack=slack))


def test_synthetic_with_priority() -> None:
    """The optimiser's warm start passes a priority; ties fall back to the score."""
    rng = np.random.default_rng(8)
    inp = synthetic_inputs(400, rng)
    _same(inp, priority=rng.integers(0, 5, size=(inp.shape[0], inp.shape[1])).astype(float))


def test_synthetic_with_precedence_and_commitments() -> None:
    rng = np.random.default_rng(9)
    inp = synthetic_inputs(300, rng)
    cms = tuple(Commitment(inp.counties[c], inp.types[int(rng.integers(inp.shape[1]))],
                           inp.years[int(rng.integers(inp.shape[2]))])
                for c in rng.choice(inp.shape[0], 40, replace=False))
    pre = (Precedence("factory", "hospital", 1),)
    _same(dataclasses.replace(inp, commitments=cms, precedences=pre))


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    C=st.integers(1, 7),
    K=st.integers(2, 3),
    Y=st.integers(1, 4),
    cap=st.integers(0, 3),
    labour=st.one_of(st.none(), st.floats(2.0, 20.0)),
    bundle_from=st.one_of(st.none(), st.integers(2023, 2028)),
    commit=st.booleans(),
    balance=st.booleans(),
    gap=st.one_of(st.none(), st.integers(0, 2)),
    replan=st.one_of(st.none(), st.integers(0, 3)),
    prio=st.booleans(),
)
def test_same_plan_on_small_random_instances(
    seed: int, C: int, K: int, Y: int, cap: int, labour: float | None, bundle_from: int | None,
    commit: bool, balance: bool, gap: int | None, replan: int | None, prio: bool,
) -> None:
    rng = np.random.default_rng(seed)
    inp = tiny(rng, C=C, types=TYPES[:K], Y=Y, cap=cap, labour=labour, bundle_from=bundle_from,
               commit=commit, balance=balance)
    elig = rng.random(inp.eligible.shape) < 0.85
    weight = inp.weight.copy()
    weight[rng.random(weight.shape) < 0.3] = 1.0  # ties, broken by (county, type) order
    inp = dataclasses.replace(inp, eligible=elig, weight=weight)
    if gap is not None:
        inp = dataclasses.replace(inp, precedences=(Precedence(TYPES[0], TYPES[1], gap),))
    if replan is not None and replan < Y:
        inp = dataclasses.replace(inp, replan_from=inp.years[replan])
    priority = rng.integers(0, 3, size=(C, K)).astype(float) if prio else None
    _same(inp, priority=priority)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n_sets=st.integers(2, 4), replan=st.one_of(st.none(), st.integers(0, 9)))
def test_a_planner_built_once_plans_each_set_of_commitments_as_greedy_plan_does(
    seed: int, n_sets: int, replan: int | None
) -> None:
    """The simulation's re-planner: one GreedyPlanner, commitments changed between calls
    (nothing of one call may leak into the next)."""
    from twentyten.plan.greedy import GreedyPlanner

    rng = np.random.default_rng(seed)
    inp = synthetic_inputs(int(rng.integers(20, 60)), rng, labour_slack=float(rng.uniform(0.4, 2.0)))
    if replan is not None:
        inp = dataclasses.replace(inp, replan_from=inp.years[replan])
    plan = greedy_plan(inp)
    planner = GreedyPlanner(inp)
    C, K, Y = inp.shape
    for _ in range(n_sets):
        cells = rng.choice(C * K, int(rng.integers(0, 3 * C)), replace=False)
        years = np.where(rng.random(cells.size) < 0.7, plan.flat[cells], rng.integers(0, Y, cells.size))
        cms = tuple(Commitment(inp.counties[x // K], inp.types[x % K], inp.years[y])
                    for x, y in zip(cells.tolist(), years.tolist(), strict=True) if y >= 0)
        with_cms = dataclasses.replace(inp, commitments=cms)
        np.testing.assert_array_equal(planner.plan(with_cms.fixed_year()), reference_greedy_plan(with_cms))


def test_fixed_year_is_the_committed_year_and_the_later_of_two_holds() -> None:
    inp = synthetic_inputs(5, np.random.default_rng(0))
    cms = (Commitment("C00001", "hospital", 2026), Commitment("C00003", "factory", 2024),
           Commitment("C00001", "hospital", 2029), Commitment("C00004", "offshore_farm", 2033))
    fixed = dataclasses.replace(inp, commitments=cms).fixed_year()
    expected = np.full((5, len(inp.types)), -1)
    expected[1, inp.type_index("hospital")] = 5  # 2029, the later commitment
    expected[3, inp.type_index("factory")] = 0
    expected[4, inp.type_index("offshore_farm")] = 9
    np.testing.assert_array_equal(fixed, expected)
    assert inp.fixed_year().tolist() == np.full((5, len(inp.types)), -1).tolist()
