"""What moved between two plans, and why."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import numpy as np

from twentyten.domain.message import Msg, join
from twentyten.plan.inputs import RESOURCE_FAMILY
from twentyten.plan.solve import PlanResult, binding_capacities


@dataclass(frozen=True)
class Move:
    county: str
    name: str
    facility_type: str
    year_a: int | None
    year_b: int | None
    why: str  # the reasons joined by "; " (a Msg)
    parts: tuple[str, ...] = ()  # each reason (a Msg), as ``why`` joins them


@dataclass(frozen=True)
class Comparison:
    objective_a: float
    objective_b: float
    moves: tuple[Move, ...]
    counts_a: np.ndarray
    counts_b: np.ndarray
    settings: tuple[str, ...]  # differences in the inputs that explain the moves
    years: tuple[int, ...] = ()
    province_moves: tuple[tuple[str, int, int, int], ...] = ()  # (province, later, earlier, other)

    def headline(self) -> dict[str, int]:
        """How many packages moved, by direction."""
        later = sum(1 for m in self.moves if m.year_a is not None and m.year_b is not None and m.year_b > m.year_a)
        earlier = sum(1 for m in self.moves if m.year_a is not None and m.year_b is not None and m.year_b < m.year_a)
        dropped = sum(1 for m in self.moves if m.year_a is not None and m.year_b is None)
        added = sum(1 for m in self.moves if m.year_a is None and m.year_b is not None)
        return {"moved": len(self.moves), "later": later, "earlier": earlier, "dropped": dropped, "added": added}

    def reasons(self, top: int = 5) -> list[tuple[str, int]]:
        """The most frequent reasons given for the moves, with how many moves each explains;
        reasons that differ only in their year count as one ("construction-capacity[<year>]").
        Each reason is a :class:`~twentyten.domain.message.Msg` where its parts allow."""
        years = re.compile(r"(?<![\d.])(" + "|".join(str(y) for y in self.years) + r")(?![\d.])")
        general = (lambda t: years.sub("<year>", t)) if self.years else (lambda t: t)
        count: Counter[str] = Counter()
        shown: dict[str, str] = {}
        for m in self.moves:
            keys: dict[str, None] = {}  # a reason counts once per move
            for p in m.parts or m.why.split("; "):
                key = general(p)
                keys[key] = None
                if key not in shown:  # the Msg, unless its years do not sit where the text's do
                    g = _general(p, general)
                    shown[key] = g if g == key else key
            count.update(list(keys))
        return [(shown[k], n) for k, n in count.most_common(top)]

    def year_changes(self) -> list[tuple[int, int, int]]:
        """(year, packages in A, packages in B) for each year whose total changed."""
        a, b = self.counts_a.sum(axis=0), self.counts_b.sum(axis=0)
        return [(y, int(a[j]), int(b[j])) for j, y in enumerate(self.years)
                if j < len(a) and j < len(b) and a[j] != b[j]]

    def lines(self) -> list[str]:
        """The summary: objective, the settings that differ, what moved by year and province,
        and the few reasons that explain most moves; the rows come after it."""
        out = [Msg("objective: A {a:,.2f}  B {b:,.2f}  ({change:+.2f} %)", a=self.objective_a, b=self.objective_b,
                   change=100 * (self.objective_b / max(self.objective_a, 1e-9) - 1))]
        shown = self.settings[:5]
        out += [Msg("setting: {setting}", setting=s) for s in shown]
        if len(self.settings) > len(shown):
            out.append(Msg("setting: ... and {more} more differences", more=len(self.settings) - len(shown)))
        h = self.headline()
        out.append(Msg("{moved} packages moved: {later} later in B, {earlier} earlier, {dropped} no longer built, "
                       "{added} newly built", **h))
        yc = self.year_changes()
        if yc:
            out.append(Msg("by year (packages A -> B): {years}",
                           years=", ".join(f"{y} {a} -> {b} ({b - a:+d})" for y, a, b in yc)))
        if self.province_moves:
            top = sorted(self.province_moves, key=lambda p: -(p[1] + p[2] + p[3]))[:6]
            listed = ", ".join(f"{name} {la}/{ea}/{ot}" for name, la, ea, ot in top)
            more = len(self.province_moves) - len(top)
            out.append(Msg("by province (later/earlier/other): {provinces}, ... {more} more", provinces=listed, more=more)
                       if more > 0 else Msg("by province (later/earlier/other): {provinces}", provinces=listed))
        for why, n in self.reasons():
            out.append(Msg("reason ({moves} moves): {why}", moves=n, why=why))
        return out

    def as_dict(self) -> dict:
        """The summary and the moves as JSON-ready data."""
        return {
            "objective_a": self.objective_a, "objective_b": self.objective_b,
            "settings": list(self.settings), **self.headline(),
            "by_year": [{"year": y, "a": a, "b": b} for y, a, b in self.year_changes()],
            "by_province": [{"province": p, "later": la, "earlier": ea, "other": ot}
                            for p, la, ea, ot in self.province_moves],
            "reasons": [{"why": w, "moves": n} for w, n in self.reasons(20)],
            "moves": [{"county": m.name, "county_id": m.county, "facility": m.facility_type,
                       "year_a": m.year_a, "year_b": m.year_b, "why": m.why} for m in self.moves],
        }


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
            why.append(Msg("benefit {a:.3f} -> {b:.3f}", a=ia.weight[c, k], b=ib.weight[c, k]))
        later_in_b = yb is None or (ya is not None and yb > ya)
        if later_in_b and ya is not None:
            changed = _changed_limits(a, b, ya, tighter=True)
            new = [n for n in bind_b.get(ya, []) if n not in bind_a.get(ya, [])]
            why += _in_b(changed)
            if new:
                why.append(Msg("in B, {year} is full on {rows}", year=ya, rows=", ".join(new)))
            elif not changed and bind_b.get(ya):
                why.append(Msg("in B, {year} is full ({rows}) with packages that moved in", year=ya,
                               rows=", ".join(bind_b[ya])))
        if not later_in_b and yb is not None:
            changed = _changed_limits(a, b, yb, tighter=False)
            freed = [n for n in bind_a.get(yb, []) if n not in bind_b.get(yb, [])]
            why += _in_b(changed)
            if freed:
                why.append(Msg("in B, {rows} no longer binds", rows=", ".join(freed)))
            if not changed and not freed:
                why.append(Msg("room in {year} left by packages that moved out in B", year=yb))
        why = why or [Msg("re-optimised around the other moves")]
        moves.append(Move(ia.counties[c], ia.county_names[c], ia.types[k], ya, yb, join("; ", why), tuple(why)))
    moves.sort(key=lambda m: (m.facility_type, m.county))
    per: dict[int, list[int]] = {}
    for m in moves:
        p = int(ia.county_province[ia.county_index[m.county]])
        slot = per.setdefault(p, [0, 0, 0])
        if m.year_a is not None and m.year_b is not None:
            slot[0 if m.year_b > m.year_a else 1] += 1
        else:
            slot[2] += 1
    provinces = tuple((ia.province_name(p), *v) for p, v in sorted(per.items()))
    return Comparison(a.objective, b.objective, tuple(moves), a.counts(), b.counts(), tuple(settings),
                      tuple(ia.years), provinces)


def _in_b(changed: list[Msg]) -> list[Msg]:
    """"in B, " before the first of the changed limits (each stays a reason of its own)."""
    return [Msg("in B, {limit}", limit=changed[0]), *changed[1:]] if changed else []


def _general(part: str, general) -> str:
    """A reason with its years as "<year>" (a Msg when ``part`` is one)."""
    if not isinstance(part, Msg):
        return general(part)
    params = {k: (_general(v, general) if isinstance(v, str)
                  else "<year>" if isinstance(v, int | np.integer) and general(str(v)) == "<year>" else v)
              for k, v in part.params.items()}
    return Msg(part.template, **params)


def _changed_limits(a: PlanResult, b: PlanResult, year: int, tighter: bool) -> list[Msg]:
    """The caps and capacities of ``year`` that are tighter (or looser) in B than in A."""
    ia, ib = a.inputs, b.inputs
    if year not in ia.years or year not in ib.years:
        return []
    ja, jb = ia.years.index(year), ib.years.index(year)
    out = []
    for k, t in enumerate(ia.types):
        if (ib.cap[k, jb] < ia.cap[k, ja]) if tighter else (ib.cap[k, jb] > ia.cap[k, ja]):
            out.append(Msg("{row} is {now} (was {was})", row=f"year-cap[{t},{year}]", now=ib.cap[k, jb],
                           was=ia.cap[k, ja]))
    for r in ia.capacity:
        if r not in ib.capacity:
            continue
        va, vb = ia.capacity[r][ja], ib.capacity[r][jb]
        if (vb < va) if tighter else (vb > va):
            fam = RESOURCE_FAMILY.get(r, r)
            out.append(Msg("{row} is {now:,.0f} (was {was:,.0f})", row=f"{fam}[{year}]", now=ib.capacity[r][jb],
                           was=ia.capacity[r][ja]))
    return out


def _years(r: PlanResult) -> np.ndarray:
    ys = np.asarray(r.inputs.years, dtype=object)
    return np.where(r.year >= 0, ys[np.clip(r.year, 0, None)], None)


def _setting_diffs(a: PlanResult, b: PlanResult) -> list[str]:
    ia, ib = a.inputs, b.inputs
    out = []
    if ia.years != ib.years:
        out.append(Msg("horizon {a_from}-{a_to} -> {b_from}-{b_to}", a_from=ia.years[0], a_to=ia.years[-1],
                       b_from=ib.years[0], b_to=ib.years[-1]))
    elif not np.array_equal(ia.cap, ib.cap):
        for k, t in zip(*np.nonzero(ia.cap != ib.cap), strict=True):
            out.append(Msg("{row} {a} -> {b}", row=f"year-cap[{ia.types[k]},{ia.years[t]}]", a=ia.cap[k, t],
                           b=ib.cap[k, t]))
    if ia.years == ib.years:
        for r in ia.capacity:
            if r in ib.capacity and not np.array_equal(ia.capacity[r], ib.capacity[r]):
                ca, cb = ia.capacity[r], ib.capacity[r]
                changed = [f"{y} {ca[j]:,.0f} -> {cb[j]:,.0f}" for j, y in enumerate(ia.years) if ca[j] != cb[j]]
                out.append(Msg("{resource} capacity {changes}", resource=r,
                               changes=", ".join(changed[:4]) + (" ..." if len(changed) > 4 else "")))
    if ia.bundles != ib.bundles:
        out.append(Msg("bundles {a} -> {b}", a=str(ia.bundles), b=str(ib.bundles)))
    if ia.balance != ib.balance:
        out.append(Msg("province-balance {a} -> {b}", a=str(ia.balance), b=str(ib.balance)))
    if set(ia.commitments) != set(ib.commitments):
        out.append(Msg("commitments {a} -> {b}", a=len(ia.commitments), b=len(ib.commitments)))
    if not np.allclose(ia.weight, ib.weight):
        out.append(Msg("benefit weights differ"))
    return out[:20]
