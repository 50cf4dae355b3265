"""The greedy planner gives exactly the plan of its first, plain-Python version.

``reference_greedy_plan`` below is that version, kept verbatim as the reference: the numpy
rewrite must return the same year array on the bundled instance, synthetic instances of
50 to 3,000 counties, and small instances with commitments, bundles, precedences, balance,
priorities and re-planning years.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.plan.helpers import tiny

from twentyten.plan.constraints import Columns, bundle_rules, can_get, make_columns, package_of
from twentyten.plan.greedy import greedy_plan
from twentyten.plan.inputs import Commitment, PlanInputs, Precedence, synthetic_inputs

TYPES = ("factory", "hospital", "leisure_complex")


# -- the reference: the first version of greedy_plan, verbatim ---------------------------
def reference_greedy_plan(
    inp: PlanInputs, cols: Columns | None = None, priority: np.ndarray | None = None
) -> np.ndarray:
    """A plan as year index per (county, type), -1 = not built.

    ``priority`` (C, K), higher first, replaces the score order (the optimiser passes the
    order of the LP relaxation's mean build years to get its warm start).
    """
    cols = cols or make_columns(inp)
    C, K, Y = inp.shape
    allowed = cols.col >= 0
    year = inp.fixed_year().copy()
    counts = np.zeros((K, Y), int)
    loads = {r: np.zeros(Y) for r in inp.capacity if r in inp.use}
    cc, kk = np.nonzero(year >= 0)
    np.add.at(counts, (kk, year[cc, kk]), 1)
    for r in loads:
        np.add.at(loads[r], year[cc, kk], inp.use[r][cc, kk, year[cc, kk]])
    can = can_get(inp)
    rules = bundle_rules(inp)
    # a committed lead from its bundle year brings its members (the bundle rule)
    for c, kl in zip(cc, kk, strict=True):
        unit = package_of(inp, year, can, c, kl, year[c, kl], rules)
        for m in (unit or ())[1:]:
            t = year[c, kl]
            if year[c, m] < 0 and allowed[c, m, t]:
                year[c, m] = t
                counts[m, t] += 1
                for r in loads:
                    loads[r][t] += inp.use[r][c, m, t]
    first = 0 if inp.replan_from is None else int(np.searchsorted(np.asarray(inp.years), inp.replan_from))
    bal = inp.balance
    for t in range(first, Y):
        units: list[tuple[float, int, tuple[int, ...]]] = []
        for c in range(C):
            for k in range(K):
                if year[c, k] >= 0 or not allowed[c, k, t]:
                    continue
                unit = package_of(inp, year, can, c, k, t, rules)
                if unit is None or any(year[c, m] >= 0 or not allowed[c, m, t] for m in unit[1:]):
                    continue  # a member comes with its lead; a lead needs room for its members
                if not _precedence_ok(inp, year, c, unit, t):
                    continue
                score = float(inp.weight[c, list(unit)].sum())
                if priority is not None:
                    score = float(priority[c, k]) + 1e-6 * score
                units.append((score, c, unit))
        units.sort(key=lambda u: -u[0])

        def place(c: int, unit: tuple[int, ...], t: int = t) -> bool:
            if any(counts[k, t] + 1 > inp.cap[k, t] for k in unit):
                return False
            for r, load in loads.items():
                extra = sum(inp.use[r][c, k, t] for k in unit)
                if load[t] + extra > inp.capacity[r][t] + 1e-9:
                    return False
            for k in unit:
                year[c, k] = t
                counts[k, t] += 1
            for r, load in loads.items():
                load[t] += sum(inp.use[r][c, k, t] for k in unit)
            return True

        placed: set[int] = set()
        if bal is not None and bal.strength > 0:
            for tname in bal.types:
                if tname not in inp.types:
                    continue
                k = inp.type_index(tname)
                elig = inp.eligible[:, k, :].any(axis=1)
                P = len(inp.provinces)
                _, share = inp.balance_share(k)
                done = year[:, k] >= 0
                cum_p = np.bincount(inp.county_province[done], minlength=P)
                est = done.sum() + min(inp.cap[k, t], int((~done & elig).sum()))
                for p in range(P):
                    deficit = math.ceil(share[p] * est - bal.tolerance - cum_p[p] - 1e-9)
                    for i, (_, c, unit) in enumerate(units):
                        if deficit <= 0:
                            break
                        if i in placed or unit[0] != k or inp.county_province[c] != p:
                            continue
                        if place(c, unit):
                            placed.add(i)
                            deficit -= 1
        for i, (_, c, unit) in enumerate(units):
            if i in placed or any(year[c, k] >= 0 for k in unit):
                continue
            if place(c, unit):
                placed.add(i)
    return year


def _precedence_ok(inp: PlanInputs, year: np.ndarray, c: int, unit: tuple[int, ...], t: int) -> bool:
    for pr in inp.precedences:
        ka, kb = inp.type_index(pr.after), inp.type_index(pr.before)
        if ka in unit:
            yb = year[c, kb]
            if kb in unit:
                yb = t
            if yb < 0 or yb > t - pr.min_gap:
                return False
    return True


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
