"""The greedy planner's first, plain-Python version, kept verbatim as the reference the
numpy rewrite (:func:`twentyten.plan.greedy.greedy_plan`) must match plan for plan.

One copy, used by ``tests/plan/test_greedy_speed.py`` (same plan) and
``benchmarks/bench_greedy.py`` (seconds old / new).
"""

from __future__ import annotations

import math

import numpy as np

from twentyten.plan.constraints import Columns, bundle_rules, can_get, make_columns, package_of
from twentyten.plan.inputs import PlanInputs


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
