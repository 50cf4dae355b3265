"""Infeasible settings get a message naming the conflicting constraints and numbers."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from tests.plan.helpers import tiny

from twentyten.plan.infeasibility import PlanInfeasible, diagnose
from twentyten.plan.inputs import Bundle, Commitment, synthetic_inputs
from twentyten.plan.solve import SolveOptions, solve_plan

pytest.importorskip("highspy")


def _base(n: int = 60):
    inp = synthetic_inputs(n, np.random.default_rng(7))
    return dataclasses.replace(inp, balance=None)


def test_packages_a_year_with_labour_for_fewer() -> None:
    inp = _base()
    K, Y = inp.cap.shape
    k = inp.type_index("factory")
    target = np.zeros((K, Y), int)
    target[k, 2] = inp.cap[k, 2]  # "20 packages a year"
    fac = inp.use["labour"][:, k, 2]
    smallest = np.sort(fac)[: inp.cap[k, 2]]
    capa = inp.capacity["labour"].copy()
    capa[2] = float(smallest[:-2].sum())  # labour for two fewer
    inp = dataclasses.replace(inp, target=target, capacity={**inp.capacity, "labour": capa},
                              bundles=())
    problems = diagnose(inp)
    text = " ".join(problems)
    assert "year-cap[factory,2026]" in text
    assert "construction-capacity[2026]" in text
    assert f"allows only {inp.cap[k, 2] - 2} factory" in text
    with pytest.raises(PlanInfeasible) as e:
        solve_plan(inp, SolveOptions(time_limit=5))
    assert "construction-capacity[2026]" in str(e.value)


def test_commitment_that_breaks_a_cap() -> None:
    inp = tiny(np.random.default_rng(0), C=4, cap=2, labour=None)
    commits = tuple(Commitment(f"C{i}", "factory", 2024) for i in range(3))
    inp = dataclasses.replace(inp, commitments=commits)
    problems = diagnose(inp)
    assert problems == [
        "commitment forces 3 factory packages in 2024 but year-cap[factory,2024] is 2"
    ]


def test_bundle_that_cannot_fit() -> None:
    inp = tiny(np.random.default_rng(0), C=4, cap=2, labour=None)
    K, Y = inp.cap.shape
    cap = inp.cap.copy()
    cap[1, :] = 1  # one hospital a year
    target = np.zeros((K, Y), int)
    target[0, 1:] = 2  # two factory packages a year, each bringing a hospital
    inp = dataclasses.replace(inp, cap=cap, target=target,
                              bundles=(Bundle("factory", ("hospital",), 2025),))
    text = " ".join(diagnose(inp))
    assert "bundle" in text and "year-cap[hospital,2025] is 1" in text


def test_bundle_commitment_conflict() -> None:
    inp = tiny(np.random.default_rng(0), C=3, cap=2, labour=None, bundle_from=2025)
    inp = dataclasses.replace(inp, commitments=(
        Commitment("C1", "factory", 2025), Commitment("C1", "hospital", 2026)))
    text = " ".join(diagnose(inp))
    assert "bundle: commitment[C1,factory,2025] needs its hospital in 2025" in text


def test_commitments_over_capacity() -> None:
    inp = tiny(np.random.default_rng(0), C=3, cap=3, labour=1.0)
    inp = dataclasses.replace(inp, commitments=(Commitment("C0", "factory", 2024),))
    text = " ".join(diagnose(inp))
    assert "commitments in 2024 use" in text and "construction-capacity[2024]" in text


def test_iis_fallback_names_families() -> None:
    """A conflict the pre-checks miss (province balance against caps) is named via an IIS."""
    from twentyten.plan.inputs import Balance

    inp = tiny(np.random.default_rng(0), C=4, cap=1, labour=None, provinces=2)
    # both provinces must keep strict pace, but one package a year can't serve both
    inp = dataclasses.replace(
        inp, balance=Balance(("factory",), 1.0, 0.0),
        target=np.array([[1, 1, 1], [0, 0, 0]]),
    )
    assert not diagnose(inp)
    with pytest.raises(PlanInfeasible) as e:
        solve_plan(inp, SolveOptions(time_limit=5))
    assert "province-balance" in str(e.value)
