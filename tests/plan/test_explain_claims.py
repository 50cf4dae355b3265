"""An explanation is a claim about the model: relax the rows it names, by the room the
package needs, and re-solve; the package must then move earlier. A reason that names one
row must hold with that row alone; several rows are named as binding together."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from twentyten.plan.explain import explain_county
from twentyten.plan.inputs import synthetic_inputs
from twentyten.plan.model import build_model
from twentyten.plan.solve import SolveOptions, SolveStatus, solve_plan

pytest.importorskip("highspy")
EXACT = SolveOptions(time_limit=120, mip_rel_gap=0.0)


def _instance():
    inp = synthetic_inputs(12, np.random.default_rng(11), years=tuple(range(2024, 2030)),
                           labour_slack=1.2)
    return dataclasses.replace(inp, balance=dataclasses.replace(inp.balance, tolerance=0.5))


def _sample(inp, base):
    """The four latest factory and grain-storage packages (latest first, unbuilt first): each
    has earlier years to explain."""
    out = []
    for tname in ("factory", "grain_storage"):
        k = inp.type_index(tname)
        order = np.argsort(-np.where(base.year[:, k] < 0, 99, base.year[:, k]), kind="stable")
        out += [(tname, int(c)) for c in order[:4]]
    return out


def _relaxed(model, reason):
    lo, hi = model.row_lo.copy(), model.row_hi.copy()
    names = {n: i for i, n in enumerate(model.row_names)}
    by_row = {b.row: b for b in reason.basis}
    for row in reason.rows:
        i = names[row]
        b = by_row.get(row)
        if b is None:  # a row a trade breaks: relaxed entirely
            lo[i], hi[i] = -np.inf, np.inf
        elif b.family == "province-balance":
            lo[i] -= b.limit - b.used + 1e-6
        else:  # year-cap, capacities: room for this package
            hi[i] += b.need
    return dataclasses.replace(model, row_lo=lo, row_hi=hi)


def test_relaxing_the_named_rows_moves_the_package_earlier() -> None:
    inp = _instance()
    base = solve_plan(inp, EXACT)
    assert base.status is SolveStatus.OPTIMAL
    model = build_model(inp)
    single = together = 0
    for tname, c in _sample(inp, base):
        k = inp.type_index(tname)
        t = base.year[c, k]
        last = t if t >= 0 else len(inp.years)
        fac = next(p for p in explain_county(base, inp.counties[c]).packages
                   if p.facility_type == tname)
        reason = fac.earlier[last - 1]
        if not reason.rows:
            continue  # eligibility, record years or bundles: not a row to relax
        assert set(reason.rows) <= set(model.row_names)
        assert reason.together == (len(reason.rows) > 1), reason
        if reason.together:  # the explanation says that several rows bind and names them
            assert "bind together: " + ", ".join(reason.rows) in " ".join(reason.constraints)
            together += 1
            continue
        year = solve_plan(inp, EXACT, model=_relaxed(model, reason)).year
        # the package moves earlier, or the one the explanation says is ahead of it does
        who = c if reason.ahead is None else inp.county_index[reason.ahead.county]
        moved, was = year[who, k], base.year[who, k]
        assert moved >= 0 and (was < 0 or moved < was), (inp.counties[c], reason)
        single += 1
    assert single >= 2 and single + together >= 6, (single, together)
