"""What moved between two plans, and why."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from twentyten.plan.inputs import RESOURCE_FAMILY
from twentyten.plan.solve import PlanResult, binding_capacities


@dataclass(frozen=True)
class Move:
    county: str
    name: str
    facility_type: str
    year_a: int | None
    year_b: int | None
    why: str


@dataclass(frozen=True)
class Comparison:
    objective_a: float
    objective_b: float
    moves: tuple[Move, ...]
    counts_a: np.ndarray
    counts_b: np.ndarray
    settings: tuple[str, ...]  # differences in the inputs that explain the moves

    def lines(self) -> list[str]:
        out = [f"objective: A {self.objective_a:,.2f}  B {self.objective_b:,.2f}  "
               f"({100 * (self.objective_b / max(self.objective_a, 1e-9) - 1):+.2f} %)"]
        out += [f"setting: {s}" for s in self.settings]
        out.append(f"{len(self.moves)} packages moved")
        return out


def compare_plans(a: PlanResult, b: PlanResult) -> Comparison:
    """Compare plan ``b`` against plan ``a`` (same counties and facility types)."""
    ia, ib = a.inputs, b.inputs
    if ia.counties != ib.counties or ia.types != ib.types:
        raise ValueError("plans cover different counties or facility types")
    settings = _setting_diffs(a, b)
    bind_a, bind_b = binding_capacities(a), binding_capacities(b)
    moves = []
    for c, k in zip(*np.nonzero(_years(a) != _years(b)), strict=True):
        ya, yb = _years(a)[c, k], _years(b)[c, k]
        why = []
        if ia.weight[c, k] != ib.weight[c, k]:
            why.append(f"benefit {ia.weight[c, k]:.3f} -> {ib.weight[c, k]:.3f}")
        later_in_b = yb is None or (ya is not None and yb > ya)
        if later_in_b and ya is not None:
            changed = _changed_limits(a, b, ya, tighter=True)
            new = [n for n in bind_b.get(ya, []) if n not in bind_a.get(ya, [])]
            if changed:
                why.append(f"in B, {'; '.join(changed)}")
            if new:
                why.append(f"in B, {ya} is full on {', '.join(new)}")
            elif not changed and bind_b.get(ya):
                why.append(f"in B, {ya} is full ({', '.join(bind_b[ya])}) with packages that "
                           f"moved in")
        if not later_in_b and yb is not None:
            changed = _changed_limits(a, b, yb, tighter=False)
            freed = [n for n in bind_a.get(yb, []) if n not in bind_b.get(yb, [])]
            if changed:
                why.append(f"in B, {'; '.join(changed)}")
            if freed:
                why.append(f"in B, {', '.join(freed)} no longer binds")
            if not changed and not freed:
                why.append(f"room in {yb} left by packages that moved out in B")
        moves.append(Move(
            ia.counties[c], ia.county_names[c], ia.types[k], ya, yb,
            "; ".join(why) or "re-optimised around the other moves",
        ))
    moves.sort(key=lambda m: (m.facility_type, m.county))
    return Comparison(a.objective, b.objective, tuple(moves), a.counts(), b.counts(), tuple(settings))


def _changed_limits(a: PlanResult, b: PlanResult, year: int, tighter: bool) -> list[str]:
    """The caps and capacities of ``year`` that are tighter (or looser) in B than in A."""
    ia, ib = a.inputs, b.inputs
    if year not in ia.years or year not in ib.years:
        return []
    ja, jb = ia.years.index(year), ib.years.index(year)
    out = []
    for k, t in enumerate(ia.types):
        if (ib.cap[k, jb] < ia.cap[k, ja]) if tighter else (ib.cap[k, jb] > ia.cap[k, ja]):
            out.append(f"year-cap[{t},{year}] is {ib.cap[k, jb]} (was {ia.cap[k, ja]})")
    for r in ia.capacity:
        if r not in ib.capacity:
            continue
        va, vb = ia.capacity[r][ja], ib.capacity[r][jb]
        if (vb < va) if tighter else (vb > va):
            fam = RESOURCE_FAMILY.get(r, r)
            out.append(f"{fam}[{year}] is {ib.capacity[r][jb]:,.0f} (was {ia.capacity[r][ja]:,.0f})")
    return out


def _years(r: PlanResult) -> np.ndarray:
    ys = np.asarray(r.inputs.years, dtype=object)
    return np.where(r.year >= 0, ys[np.clip(r.year, 0, None)], None)


def _setting_diffs(a: PlanResult, b: PlanResult) -> list[str]:
    ia, ib = a.inputs, b.inputs
    out = []
    if ia.years != ib.years:
        out.append(f"horizon {ia.years[0]}-{ia.years[-1]} -> {ib.years[0]}-{ib.years[-1]}")
    elif not np.array_equal(ia.cap, ib.cap):
        for k, t in zip(*np.nonzero(ia.cap != ib.cap), strict=True):
            out.append(f"year-cap[{ia.types[k]},{ia.years[t]}] {ia.cap[k, t]} -> {ib.cap[k, t]}")
    if ia.years == ib.years:
        for r in ia.capacity:
            if r in ib.capacity and not np.array_equal(ia.capacity[r], ib.capacity[r]):
                out.append(f"{r} capacity {ia.capacity[r].tolist()} -> {ib.capacity[r].tolist()}")
    if ia.bundles != ib.bundles:
        out.append(f"bundles {ia.bundles} -> {ib.bundles}")
    if ia.balance != ib.balance:
        out.append(f"province-balance {ia.balance} -> {ib.balance}")
    if set(ia.commitments) != set(ib.commitments):
        out.append(f"commitments {len(ia.commitments)} -> {len(ib.commitments)}")
    if not np.allclose(ia.weight, ib.weight):
        out.append("benefit weights differ")
    return out[:20]
