"""A bundle member the county got before the bundle year (a pilot hospital in 2025) does not
block the lead later: the lead comes with its other members only."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from tests.plan.helpers import brute_force, tiny

from twentyten.plan.check import check_plan
from twentyten.plan.greedy import greedy_plan
from twentyten.plan.inputs import Commitment
from twentyten.plan.lagrange import lagrangian_plan
from twentyten.plan.solve import SolveOptions, SolveStatus, solve_plan

pytest.importorskip("highspy")
TYPES = ("factory", "hospital", "leisure_complex")


def member_first(seed: int):
    """C0's hospital is fixed in 2024; bundle from 2025; capacity for everything."""
    inp = tiny(np.random.default_rng(seed), C=2, types=TYPES, Y=3, cap=2, labour=None, bundle_from=2025)
    return dataclasses.replace(inp, commitments=(Commitment("C0", "hospital", 2024),), replan_from=2025)


@pytest.mark.parametrize("seed", range(3))
def test_lead_after_an_early_member_is_optimal_and_built(seed: int) -> None:
    inp = member_first(seed)
    best, _ = brute_force(inp)
    res = solve_plan(inp, SolveOptions(time_limit=10, mip_rel_gap=1e-9))
    assert res.status is SolveStatus.OPTIMAL
    assert res.objective == pytest.approx(best, rel=1e-7)
    # nothing is scarce, so C0 gets its factory package in the first free year
    assert res.planned_year("C0", "factory") == 2025
    assert res.planned_year("C0", "hospital") == 2024
    assert res.planned_year("C0", "leisure_complex") == 2025


def test_checker_accepts_lead_without_an_early_member_and_rejects_a_late_one() -> None:
    inp = member_first(0)
    ok = np.array([[1, 0, 1], [1, 1, 1]])  # C0: factory 2025, hospital 2024, leisure 2025
    assert not check_plan(inp, ok)
    bad = dataclasses.replace(inp, commitments=(), replan_from=None)
    late = np.array([[2, 1, 2], [1, 1, 1]])  # hospital 2025 but factory 2026: not a bundle
    assert any(v.family == "bundle" for v in check_plan(bad, late))


def test_greedy_and_lagrangian_build_the_lead() -> None:
    inp = member_first(1)
    g = greedy_plan(inp)
    assert not check_plan(inp, g)
    assert g[0, 0] == 1
    lg = lagrangian_plan(inp, time_limit=2, iterations=50)
    assert lg.year is not None and not check_plan(inp, lg.year)
    assert lg.year[0, 0] >= 0


def test_bundled_pilot_hospital_county_gets_its_factory_package() -> None:
    from twentyten.plan.adapter import inputs_from_atlas
    from twentyten.plan.model import build_model
    from twentyten.plan.solve import solve_greedy

    inp = inputs_from_atlas(fallback_resources=True)  # the rule, not the package sizes
    kusong = "PRK-north-pyongan-kusong-city"
    c, kf = inp.county_index[kusong], inp.type_index("factory")
    assert inp.fixed_year()[c, inp.type_index("hospital")] >= 0
    m = build_model(inp)  # the model offers its factory package in every replanned year
    sel = (m.cols.vc == c) & (m.cols.vk == kf)
    assert sorted(inp.years[t] for t in m.cols.vt[sel]) == list(range(2026, 2034))
    res = solve_greedy(inp)  # a plan (no time limit, so the same on any machine) that builds it
    assert not res.violations
    assert res.planned_year(kusong, "factory") is not None
    assert res.planned_year(kusong, "hospital") == 2025


@pytest.mark.parametrize("seed", range(4))
def test_lagrangian_bound_stays_valid_with_early_members(seed: int) -> None:
    """The county subproblem must offer 'member before the bundle year, lead later'."""
    inp = tiny(np.random.default_rng(seed), C=3, types=TYPES[:2], Y=3, cap=1, labour=8.0,
               bundle_from=2025)
    best, _ = brute_force(inp)
    lg = lagrangian_plan(inp, time_limit=3, iterations=300)
    assert lg.bound >= best - 1e-6


def test_builds_bigger_than_a_years_capacity_get_no_column() -> None:
    from twentyten.plan.constraints import make_columns

    inp = tiny(np.random.default_rng(0), C=2, types=TYPES[:2], Y=3, cap=2, labour=8.0, bundle_from=2025)
    use = inp.use["labour"].copy()
    use[0, 0, :] = 9.0  # C0's factory alone is too big for any year
    use[1, 0, :], use[1, 1, :] = 5.0, 4.0  # C1's factory fits alone (2024), not with its hospital
    inp = dataclasses.replace(inp, use={"labour": use})
    col = make_columns(inp).col
    assert (col[0, 0, :] < 0).all()
    # C1's hospital may come alone in 2024, so a later factory package need not bring it
    assert (col[1, 0, :] >= 0).all() and (col[1, 1, :] >= 0).all()
    frozen = dataclasses.replace(inp, replan_from=2025)  # 2024 holds only the record
    col = make_columns(frozen).col
    assert (col[1, 0, :] < 0).all()  # from 2025 it must bring its hospital: 9 > 8
    for case in (inp, frozen):
        best, _ = brute_force(case)
        res = solve_plan(case, SolveOptions(time_limit=5, mip_rel_gap=1e-9))
        assert res.objective == pytest.approx(best, rel=1e-7)


def test_explain_says_when_a_package_is_bigger_than_the_year() -> None:
    from twentyten.plan.explain import explain_county

    inp = tiny(np.random.default_rng(0), C=2, types=TYPES[:2], Y=3, cap=2, labour=8.0, bundle_from=2025)
    use = inp.use["labour"].copy()
    use[1, 0, :], use[1, 1, :] = 5.0, 4.0
    inp = dataclasses.replace(inp, use={"labour": use}, replan_from=2025)
    res = solve_plan(inp, SolveOptions(time_limit=5))
    assert res.planned_year("C1", "factory") is None
    fac = next(p for p in explain_county(res, "C1").packages if p.facility_type == "factory")
    reasons = {r.year: r.constraints for r in fac.earlier}
    assert reasons[2025] == ("construction-capacity[2025]: the factory package with hospital needs 9.0 "
                             "regiment-months, more than the year's whole 8.0",)


def test_greedy_waits_for_a_year_its_members_can_come() -> None:
    """C0's hospital cannot be built in 2024 and the bundle starts then: the greedy places
    C0's factory package in 2025, with the hospital, not alone in 2024 (found by mutation)."""
    inp = tiny(np.random.default_rng(0), C=2, types=TYPES[:2], Y=3, cap=2, labour=None,
               bundle_from=2024)
    elig = inp.eligible.copy()
    elig[0, 1, 0] = False
    inp = dataclasses.replace(inp, eligible=elig)
    g = greedy_plan(inp)
    assert not check_plan(inp, g)
    assert g[0].tolist() == [1, 1] and g[1].tolist() == [0, 0]


def test_greedy_builds_right_at_the_precedence_gap() -> None:
    """A hospital one year after the factory is allowed: the greedy builds it in 2025, not
    later (found by mutation)."""
    from twentyten.plan.inputs import Precedence

    inp = tiny(np.random.default_rng(0), C=2, types=TYPES[:2], Y=3, cap=2, labour=None)
    inp = dataclasses.replace(inp, precedences=(Precedence("factory", "hospital", 1),))
    g = greedy_plan(inp)
    assert not check_plan(inp, g)
    assert g.tolist() == [[0, 1], [0, 1]]
