"""The optimiser against brute force, and every plan against every constraint family."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.plan.helpers import brute_force, tiny

from twentyten.plan.check import check_plan
from twentyten.plan.greedy import greedy_plan
from twentyten.plan.solve import SolveOptions, SolveStatus, solve_greedy, solve_plan

pytest.importorskip("highspy")


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("variant", ["plain", "bundle", "commit", "balance", "precedence"])
def test_matches_brute_force(seed: int, variant: str) -> None:
    import dataclasses

    from twentyten.plan.inputs import Precedence

    rng = np.random.default_rng(seed)
    inp = tiny(
        rng,
        bundle_from=2025 if variant == "bundle" else None,
        commit=variant == "commit",
        balance=variant == "balance",
        labour=None if variant == "balance" else 8.0,
    )
    if variant == "precedence":
        inp = dataclasses.replace(inp, precedences=(Precedence("factory", "hospital", 1),))
    best, _ = brute_force(inp)
    res = solve_plan(inp, SolveOptions(time_limit=10, mip_rel_gap=1e-9))
    assert res.status is SolveStatus.OPTIMAL
    assert res.objective == pytest.approx(best, rel=1e-7, abs=1e-7)
    assert not res.violations
    assert res.objective >= res.greedy_objective - 1e-9
    # every bound recorded (LP, HiGHS's root phase, the full solve) is a valid one
    assert all(p.dual >= best - 1e-6 * max(1.0, abs(best)) for p in res.trajectory)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000),
    C=st.integers(2, 7),
    Y=st.integers(2, 5),
    cap=st.integers(1, 3),
    labour=st.one_of(st.none(), st.floats(4.0, 30.0)),
    bundle=st.booleans(),
    commit=st.booleans(),
    balance=st.booleans(),
)
def test_plan_never_breaks_a_cap_commitment_or_bundle(
    seed, C, Y, cap, labour, bundle, commit, balance
) -> None:
    rng = np.random.default_rng(seed)
    types = ("factory", "hospital", "leisure_complex")
    inp = tiny(rng, C=C, types=types, Y=Y, cap=cap, labour=labour,
               bundle_from=2025 if bundle else None, commit=commit, balance=balance)
    from twentyten.plan.infeasibility import PlanInfeasible

    try:
        res = solve_plan(inp, SolveOptions(time_limit=5))
    except PlanInfeasible as e:
        # building nothing is always allowed here, so only the 2024 commitment can be too big
        assert commit and labour is not None
        assert inp.use["labour"][0, 0, 0] > labour
        assert any("construction-capacity[2024]" in p for p in e.problems), e.problems
        return
    year = res.year
    assert not check_plan(inp, year)
    counts = res.counts()
    assert (counts <= inp.cap).all()
    for cm in inp.commitments:
        assert res.planned_year(cm.county, cm.facility_type) == cm.year
    if bundle:
        f, h, lc = (inp.type_index(t) for t in types)
        for c in range(C):
            if year[c, f] >= 0 and inp.years[year[c, f]] >= 2025:
                for m in (h, lc):  # with the lead, unless the member came before the bundle year
                    assert year[c, m] == year[c, f] or 0 <= year[c, m] < inp.year_index(2025)
    if labour is not None:
        assert (res.load("labour") <= labour + 1e-6).all()
    g = greedy_plan(inp)
    assert not [v for v in check_plan(inp, g) if v.family in ("year-cap", "commitment", "bundle")]


def test_time_limited_result_is_never_optimal() -> None:
    from twentyten.plan.inputs import synthetic_inputs

    inp = synthetic_inputs(179, np.random.default_rng(1))
    res = solve_plan(inp, SolveOptions(time_limit=1.0, relax_and_fix=False, mip_rel_gap=0.0))
    assert res.status is not SolveStatus.OPTIMAL
    # nothing proven: the bound HiGHS reports is above the plan it returns
    assert res.dual_bound is None or res.dual_bound > res.objective + 1e-9
    assert res.objective == pytest.approx(_value(inp, res.year), rel=1e-12)


def test_greedy_result_is_labelled() -> None:
    res = solve_greedy(tiny(np.random.default_rng(0)))
    assert res.status is SolveStatus.GREEDY
    assert res.gap is None and res.dual_bound is None


def test_large_path_bound_is_valid() -> None:
    """The Lagrangian bound (used for large models) is never below the true optimum."""
    from twentyten.plan.lagrange import lagrangian_plan

    for seed in range(4):
        inp = tiny(np.random.default_rng(seed), bundle_from=2025)
        best, _ = brute_force(inp)
        lg = lagrangian_plan(inp, time_limit=5, iterations=300)
        assert lg.bound >= best - 1e-6
        assert lg.year is not None  # the greedy inside always gives a plan here
        assert not check_plan(inp, lg.year)
        assert lg.objective == pytest.approx(_value(inp, lg.year), rel=1e-12)
        assert lg.objective <= best + 1e-6


def test_large_path_through_solve_plan() -> None:
    from twentyten.plan.inputs import synthetic_inputs

    inp = synthetic_inputs(60, np.random.default_rng(3))
    res = solve_plan(inp, SolveOptions(time_limit=600, full_mip_max_binaries=100,
                                       lagrange_iterations=100, large_polish_windows=(2,)))
    assert res.status in (SolveStatus.FEASIBLE, SolveStatus.OPTIMAL)
    assert not res.violations
    assert res.dual_bound >= res.objective - 1e-6
    assert res.objective == pytest.approx(_value(inp, res.year), rel=1e-12)


def _value(inp, year) -> float:
    """A plan's benefit computed here: weight × years in service to the horizon's end."""
    c, k = np.nonzero(year >= 0)
    ys = np.asarray(inp.years)[year[c, k]]
    return float((inp.weight[c, k] * (inp.years[-1] - ys + 1)).sum())


def test_explain_names_the_binding_rows() -> None:
    from twentyten.plan.explain import explain_county
    from twentyten.plan.inputs import synthetic_inputs

    inp = synthetic_inputs(60, np.random.default_rng(5))
    res = solve_plan(inp, SolveOptions(time_limit=10))
    k = inp.type_index("factory")
    last = int(np.argmax(res.year[:, k]))
    ex = explain_county(res, inp.counties[last])
    fac = next(p for p in ex.packages if p.facility_type == "factory")
    assert fac.year == inp.years[res.year[last, k]]
    text = " ".join(" ".join(r.constraints) for r in fac.earlier)
    assert "year-cap[factory," in text or "construction-capacity[" in text
    assert any(ex.binding_by_year.values())


def test_time_limit_covers_every_phase_and_is_reported() -> None:
    """The safety limit covers greedy, relax-and-fix, the windows and HiGHS: with a limit far
    below what the phases need, the result says so (never "optimal") and is still a valid plan
    at least as good as the greedy. (How long a cut-short run takes is measured in
    benchmarks/bench_plan.py, not here.)"""
    from twentyten.plan.inputs import synthetic_inputs

    inp = synthetic_inputs(179, np.random.default_rng(1))
    res = solve_plan(inp, SolveOptions(time_limit=0.01, mip_rel_gap=0.0))
    assert res.status is SolveStatus.TIME_LIMIT_FEASIBLE
    assert res.message == "Time limit reached"
    assert not res.violations and not check_plan(inp, res.year)
    assert res.objective >= res.greedy_objective - 1e-9


@pytest.mark.parametrize("radius", [None, 0, 1])
def test_relax_and_fix_near_the_lp_gives_valid_plans(radius: int | None) -> None:
    from twentyten.plan.heuristics import improve_by_windows, relax_and_fix
    from twentyten.plan.inputs import synthetic_inputs
    from twentyten.plan.model import build_model

    inp = synthetic_inputs(25, np.random.default_rng(3))
    m = build_model(inp)
    rf = relax_and_fix(m, step_gap=1e-4, time_limit=600, radius=radius)  # a safety net only
    assert rf.year is not None
    assert not check_plan(inp, rf.year)
    obj = float(m.cost @ rf.x)
    assert obj <= rf.lp_bound + 1e-6
    x, val, _, short = improve_by_windows(m, rf.x, window=3, time_limit=600)
    assert not short
    assert val >= obj - 1e-9
    on = x[: m.cols.n_build] > 0.5
    year = np.full_like(rf.year, -1)
    year[m.cols.vc[on], m.cols.vk[on]] = m.cols.vt[on]
    assert not check_plan(inp, year)


def test_member_too_big_everywhere_keeps_the_lead_out() -> None:
    """A member the county is eligible for but that no year can hold: the lead cannot come
    with it from the bundle year, so it is not built then (found by hypothesis above)."""
    from tests.plan.helpers import tiny

    inp = tiny(np.random.default_rng(0), C=2, types=("factory", "hospital", "leisure_complex"),
               Y=2, cap=1, labour=5.0, bundle_from=2025, commit=True, balance=False)
    assert inp.use["labour"][1, 1].min() > 5.0  # C1's hospital fits no year
    res = solve_plan(inp, SolveOptions(time_limit=5))
    assert not check_plan(inp, res.year)
    assert res.planned_year("C1", "factory") is None
