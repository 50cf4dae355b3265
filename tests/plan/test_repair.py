"""Plans from the master LP, and the province-balance repair by exchanges."""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import pytest
from tests.plan.helpers import tiny

from twentyten.plan.check import check_plan
from twentyten.plan.constraints import make_columns
from twentyten.plan.greedy import greedy_plan
from twentyten.plan.inputs import Commitment, synthetic_inputs
from twentyten.plan.lagrange import lagrangian_plan, master_bound
from twentyten.plan.repair import _Exchanges, balance_shortfall, plan_from_master, repair_balance
from twentyten.plan.solve import plan_objective

pytest.importorskip("highspy")


def _families(inp, year) -> set[str]:
    return {v.family for v in check_plan(inp, year)}


def _short_rows(inp, year) -> int:
    return sum(1 for v in check_plan(inp, year) if v.family == "province-balance")


def test_exchange_closes_a_short_row_with_the_best_swap() -> None:
    """Four counties, two provinces, one factory a year (the cap is full): province P0 is
    short in the second year. The only repairs are exchanges with P1 (a P0 county builds
    earlier, a P1 county takes its year or gives its factory up); the best, worked out by
    hand from the weights, moves county 0 to the first year and county 1 to the last."""
    inp = tiny(np.random.default_rng(0), C=4, types=("factory",), Y=3, cap=1, labour=None,
               balance=True)
    inp = dataclasses.replace(inp, weight=np.array([[1.0], [0.5], [0.2], [0.9]]))
    start = np.array([[2], [0], [-1], [1]])  # P0 = counties 0, 2; P1 = counties 1, 3
    assert _families(inp, start) == {"province-balance"}
    # gains: county 0 to year 0 with county 1 to year 2: 2 × (1.0 - 0.5) = 1.0 (best);
    # county 0 to year 1, county 3 to year 2: 1.0 - 0.9; county 2 new in year 0 or 1
    # with county 1 or 3 dropping theirs: 3 × (0.2 - 0.5), 2 × (0.2 - 0.9)
    fixed = repair_balance(inp, start, make_columns(inp))
    assert fixed.tolist() == [[0], [2], [-1], [1]]
    assert not check_plan(inp, fixed)
    assert plan_objective(inp, fixed) == pytest.approx(plan_objective(inp, start) + 1.0)


def test_a_row_no_exchange_can_close_is_left_as_it_was() -> None:
    """With no county of the short province able to build earlier (both may build only in
    the last year), nothing moves."""
    inp = tiny(np.random.default_rng(0), C=4, types=("factory",), Y=3, cap=1, labour=None,
               balance=True)
    start = np.array([[2], [0], [-1], [1]])
    late = [[False, False, True]]
    inp = dataclasses.replace(inp, eligible=np.array([late, [[True] * 3], late, [[True] * 3]]))
    assert _families(inp, start) == {"province-balance"}
    assert repair_balance(inp, start, make_columns(inp)).tolist() == start.tolist()


def test_the_best_move_is_passed_over_where_it_breaks_a_year_target() -> None:
    """Province P0 (counties 0, 2) is short in the first year. The best-scoring move is
    county 2's factory from the last year to the first (gain 2 × 1.0), but the last year
    has a target of one factory and county 2's is its only one: that move breaks the
    year-cap's lower side, which the scorer does not see. The repair passes it over and
    makes the next, county 0 from the second year to the first (gain 0.8); the exchanges
    (county 2 to the first year, county 1 or 3 to the last) gain 2 × (1.0 - 0.9)."""
    inp = tiny(np.random.default_rng(0), C=4, types=("factory",), Y=3, cap=3, labour=None,
               balance=True)
    inp = dataclasses.replace(inp, weight=np.array([[0.8], [0.9], [1.0], [0.9]]),
                              target=np.array([[0, 0, 1]]))
    start = np.array([[1], [0], [2], [0]])
    assert _families(inp, start) == {"province-balance"}
    ex = _Exchanges(inp, make_columns(inp))
    room = balance_shortfall(inp, start, 0)
    best = ex.candidates(start, 0, 0, 0, room)[0]
    assert best[1:] == (2, 0, -1)  # county 2 to year 0, alone: the best score
    fixed = repair_balance(inp, start, make_columns(inp))
    assert fixed.tolist() == [[0], [0], [2], [0]]
    assert not check_plan(inp, fixed)
    assert plan_objective(inp, fixed) == pytest.approx(plan_objective(inp, start) + 0.8)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("target", [False, True])
def test_repair_closes_every_short_row_and_adds_no_breach(seed: int, target: bool) -> None:
    """Every plan of a tiny balanced instance (four counties, one type, two a year, labour
    9) that breaks nothing but province-balance: the repair leaves no short row and breaks
    nothing else (these instances have room enough that one or two moves always do). With
    a target of one factory in the last year, which the scorer does not see, some of the
    best-scoring moves break the year-cap's lower side: :func:`check_plan` turns them down."""
    rng = np.random.default_rng(seed)
    inp = tiny(rng, C=4, types=("factory",), Y=3, cap=2, labour=9.0, balance=True)
    if target:
        inp = dataclasses.replace(inp, target=np.array([[0, 0, 1]]))
    cols = make_columns(inp)
    plans = [np.array(p).reshape(4, 1) for p in itertools.product(range(-1, 3), repeat=4)]
    tried, repaired = 0, 0
    for p in plans:
        if _families(inp, p) != {"province-balance"}:
            continue
        tried += 1
        fixed = repair_balance(inp, p, cols)
        assert _families(inp, fixed) <= {"province-balance"}, p.ravel().tolist()
        repaired += not check_plan(inp, fixed)
    assert tried >= 25  # the instances have short plans to repair (25 to 52 of 256)
    assert repaired == tried


def _master(inp):
    cols = make_columns(inp)
    g = greedy_plan(inp, cols)
    lg = lagrangian_plan(inp, time_limit=60, iterations=100, cols=cols, keep_last=40)
    start = [(np.arange(len(inp.counties)), g), (lg.schedule_county, lg.schedules)]
    return cols, master_bound(inp, cols, start, max_rounds=30, time_limit=60)


@pytest.mark.parametrize("seed", [1, 7])
def test_plan_from_master_keeps_settled_counties_and_fits_every_cap(seed: int) -> None:
    """Counties the master LP settles keep their schedule; the plan breaks no cap or
    capacity (only province-balance may be short), and the repair then leaves no more
    short rows and breaks nothing else."""
    inp = synthetic_inputs(150, np.random.default_rng(seed))
    cols, ms = _master(inp)
    year = plan_from_master(inp, ms.lp_county, ms.lp_schedules, ms.lp_weights)
    settled = ms.lp_weights >= 1 - 1e-6
    assert np.array_equal(year[ms.lp_county[settled]], ms.lp_schedules[settled])
    assert _families(inp, year) <= {"province-balance"}
    fixed = repair_balance(inp, year, cols)
    assert _families(inp, fixed) <= {"province-balance"}
    assert _short_rows(inp, fixed) <= _short_rows(inp, year)
    assert (balance_shortfall(inp, fixed, 0) >= -1e-6).all() == (not check_plan(inp, fixed))


def test_plan_from_master_gives_a_split_county_the_column_that_fits() -> None:
    """Two counties, one factory a year: county 0 is settled in year 0; county 1 is split
    between year 0 (heavier, but the cap is taken) and year 1, so it gets year 1."""
    inp = tiny(np.random.default_rng(0), C=2, types=("factory",), Y=2, cap=1, labour=None)
    county = np.array([0, 1, 1])
    sched = np.array([[0], [0], [1]])
    weights = np.array([1.0, 0.6, 0.4])
    assert plan_from_master(inp, county, sched, weights).tolist() == [[0], [1]]
    # no column fits: the county builds nothing
    assert plan_from_master(inp, county[:2], sched[:2], weights[:2]).tolist() == [[0], [-1]]


def test_a_committed_split_county_no_column_fits_keeps_only_its_commitment() -> None:
    """Three counties, one factory and one hospital a year. County 0 must build its factory
    in the first year (the record); counties 1 and 2 are settled with a hospital in each
    year, so neither of county 0's LP columns (factory in year 0 with a hospital in year 0
    or 1) fits: it keeps its committed factory alone, and the plan breaks nothing."""
    inp = tiny(np.random.default_rng(0), C=3, Y=2, cap=1, labour=None, commit=True)
    county = np.array([0, 0, 1, 2])
    sched = np.array([[0, 0], [0, 1], [1, 0], [-1, 1]])
    weights = np.array([0.6, 0.4, 1.0, 1.0])
    year = plan_from_master(inp, county, sched, weights)
    assert year.tolist() == [[0, -1], [1, 0], [-1, 1]]
    assert not check_plan(inp, year)


def test_committed_builds_are_set_aside_before_the_split_counties_are_fitted() -> None:
    """County 1 is split between two columns with a hospital in year 0, the heavier first;
    county 0, lighter, is committed to a hospital in year 0: the year-0 hospital is its, and
    county 1 gets nothing (its columns do not fit), not the committed county's slot."""
    inp = tiny(np.random.default_rng(0), C=2, types=("hospital",), Y=2, cap=1, labour=None,
               commit=True)
    county = np.array([0, 1, 1])
    sched = np.array([[0], [0], [0]])
    weights = np.array([0.3, 0.7, 0.3])
    year = plan_from_master(inp, county, sched, weights)
    assert year.tolist() == [[0], [-1]]
    assert not check_plan(inp, year)


def test_a_replan_gets_a_plan_from_the_master_that_breaks_no_cap() -> None:
    """A re-plan of 150 synthetic counties (the greedy plan's first two years are the record
    and committed): the master LP splits committed counties whose columns no longer fit;
    they keep their committed builds, so the plan keeps every commitment, breaks no cap or
    capacity, and the repair makes it feasible. (Keeping a committed county's heaviest
    column instead broke the factory cap and construction capacity here.)"""
    inp = synthetic_inputs(150, np.random.default_rng(0))
    g = greedy_plan(inp, make_columns(inp))
    cc, kk = np.nonzero((g >= 0) & (g < 2))
    record = tuple(Commitment(inp.counties[c], inp.types[k], inp.years[g[c, k]])
                   for c, k in zip(cc.tolist(), kk.tolist(), strict=True))
    inp = dataclasses.replace(inp, commitments=record, replan_from=inp.years[2])
    cols, ms = _master(inp)
    year = plan_from_master(inp, ms.lp_county, ms.lp_schedules, ms.lp_weights)
    fixed = inp.fixed_year()
    assert np.array_equal(year[fixed >= 0], fixed[fixed >= 0])
    assert _families(inp, year) <= {"province-balance"}
    assert not check_plan(inp, repair_balance(inp, year, cols))
