"""Why a county got its year: score, planned years and, for each earlier year, the rows of the
model that keep each of its packages out of it, named as in the model (``year-cap[factory,
2027]``...) and stated with the numbers the check used (a :class:`Basis` per row).

A reason is a claim about the model, found by trying the move it explains on the plan:

1. move the package (with the members its bundle brings) into the earlier year and check the
   plan against every family (:func:`twentyten.plan.check.check_plan`): the rows this breaks
   are what keeps it out *alone*;
2. then try every trade with a package planned in that year (it takes this package's year,
   or is dropped if this one is not built). A trade that breaks nothing and raises the
   objective would mean the plan is not optimal, and is said so. Trades that would raise
   the objective but break rows show that the first rows do not bind alone: the reason then
   names those rows too, and says that they bind together.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from twentyten.domain.message import N_, Msg, join
from twentyten.plan.check import check_plan
from twentyten.plan.constraints import bundle_rules, can_get, family_of, make_columns, package_of
from twentyten.plan.inputs import RESOURCE_FAMILY, RESOURCE_UNIT
from twentyten.plan.solve import PlanResult, binding_capacities

#: The resources' units, as words a page translates.
UNIT_WORDS = {"regiment-months": Msg("regiment-months"), "cost units": Msg("cost units"), "t": Msg("t")}
_WHEN = {"fixed": N_("{year} (fixed)"), "planned": N_("{year} (planned)")}


def _unit(unit: str) -> Msg | str:
    return UNIT_WORDS.get(unit, unit)


@dataclass(frozen=True)
class Basis:
    """One row of the model in a reason and the numbers behind it.

    ``limit`` is the row's bound (for ``province-balance``: the province's due once the
    package moves), ``used`` what the plan puts against it (the province's count), and
    ``need`` what the move adds (for ``province-balance``: 0)."""

    row: str
    limit: float
    used: float
    need: float
    unit: str = ""

    @property
    def family(self) -> str:
        return family_of(self.row)

    def text(self) -> str:
        """The row and its numbers in words (a :class:`~twentyten.domain.message.Msg`)."""
        fam = self.family
        if fam == "year-cap":
            return Msg("{row} is full ({used:.0f} of {limit:.0f})", row=self.row, used=self.used, limit=self.limit)
        if fam == "province-balance":
            return Msg("{row}: with it there the province must have {limit:.2f} packages and has {used:.0f} "
                       "(short by {short:.2f})", row=self.row, limit=self.limit, used=self.used,
                       short=self.limit - self.used)
        if fam in RESOURCE_FAMILY.values():
            return Msg("{row}: {left:,.1f} of {limit:,.1f} {unit} left, the package needs {need:,.1f}",
                       row=self.row, left=self.limit - self.used, limit=self.limit, unit=_unit(self.unit),
                       need=self.need)
        return self.row


@dataclass(frozen=True)
class Trade:
    """The most valuable trade with a package planned in the year, and the rows it breaks."""

    county: str
    name: str
    gain: float  # objective change of the trade
    breaks: tuple[str, ...]  # row names; empty = the trade is feasible


@dataclass(frozen=True)
class YearReason:
    year: int
    constraints: tuple[str, ...]  # the reason in words, built from ``basis`` and ``trade``
    basis: tuple[Basis, ...] = ()
    together: bool = False  # several rows bind together (relaxing one alone may not help)
    trade: Trade | None = None
    ahead: Trade | None = None  # a later package the named row's next room would go to first

    @property
    def rows(self) -> tuple[str, ...]:
        """Every row this reason names."""
        out = [b.row for b in self.basis] + list(self.trade.breaks if self.trade else ())
        return tuple(dict.fromkeys(out))


@dataclass(frozen=True)
class PackageExplanation:
    facility_type: str
    year: int | None
    status: str  # fixed / planned / not built
    benefit_per_year: float
    earlier: tuple[YearReason, ...]


@dataclass(frozen=True)
class CountyExplanation:
    county: str
    name: str
    province: str
    need: float
    population: float
    packages: tuple[PackageExplanation, ...]
    binding_by_year: dict[int, list[str]]

    def lines(self) -> list[str]:
        """The explanation as lines of text (each a :class:`~twentyten.domain.message.Msg`)."""
        out = [Msg("{name} ({county}), {province}: need score {need:.3f}, population {population:,.0f}",
                   name=self.name, county=self.county, province=self.province, need=self.need,
                   population=self.population)]
        for p in self.packages:
            when = (Msg("not built in the horizon") if p.year is None
                    else Msg(_WHEN[p.status], year=p.year) if p.status in _WHEN
                    else Msg("{year} ({status})", year=p.year, status=p.status))
            out.append(Msg("  {facility}: {when}; benefit {benefit:.3f} per year in service",
                           facility=p.facility_type, when=when, benefit=p.benefit_per_year))
            for r in p.earlier:
                out.append(Msg("    not {year}: {reasons}", year=r.year, reasons=join("; ", r.constraints)))
        return out


def explain_county(result: PlanResult, county: str) -> CountyExplanation:
    """Explain one county of a plan (``county`` is an id)."""
    inp = result.inputs
    c = inp.county_index[county]
    fixed = inp.fixed_year()
    ctx = _Context(result)
    pkgs = []
    for k, t in enumerate(inp.types):
        y = result.year[c, k]
        if not inp.eligible[c, k, :].any() and fixed[c, k] < 0:
            continue
        status = "fixed" if fixed[c, k] >= 0 else ("planned" if y >= 0 else "not built")
        last = y if y >= 0 else len(inp.years)
        reasons = []
        if fixed[c, k] < 0:
            reasons = [_why_not(ctx, c, k, j) for j in range(last)]
        pkgs.append(PackageExplanation(
            t, None if y < 0 else int(inp.years[y]), status, float(inp.weight[c, k]), tuple(reasons),
        ))
    return CountyExplanation(
        county=county, name=inp.county_names[c], province=inp.province_name(inp.county_province[c]),
        need=float(inp.need[c]), population=float(inp.population[c]), packages=tuple(pkgs),
        binding_by_year=binding_capacities(result),
    )


class _Context:
    """What every reason of one plan reads: computed once per explanation."""

    def __init__(self, result: PlanResult):
        inp = result.inputs
        self.result, self.inp = result, inp
        self.plan = result.year
        self.obj = inp.objective()
        self.can = can_get(inp)
        self.rules = bundle_rules(inp)
        self.allowed = make_columns(inp).col >= 0
        self.fixed = inp.fixed_year()
        self.value = self._value(self.plan)
        self.broken = {v.row for v in check_plan(inp, self.plan)}

    def _value(self, plan: np.ndarray) -> float:
        c, k = np.nonzero(plan >= 0)
        return float(self.obj[c, k, plan[c, k]].sum())

    def unit(self, d: int, k: int, j: int) -> tuple[int, ...]:
        """County d's package containing type k in year index j (a member: its lead's)."""
        for rule in self.rules:
            if k in rule.members and self.plan[d, rule.lead] == j:
                k = rule.lead
        return package_of(self.inp, self.plan, self.can, d, k, j, self.rules) or (k,)


def _why_not(ctx: _Context, c: int, k: int, j: int) -> YearReason:
    inp, plan = ctx.inp, ctx.plan
    y = int(inp.years[j])
    tname = inp.types[k]
    if inp.replan_from is not None and y < inp.replan_from:
        return YearReason(y, (Msg("commitment: {year} is a record year (only what was built is kept)", year=y),))
    if not inp.eligible[c, k, j]:
        return YearReason(y, (Msg("{facility} is not built in {year} under the scenario's caps (from-year) or "
                                  "eligibility", facility=tname, year=y),))
    unit = package_of(inp, plan, ctx.can, c, k, j, ctx.rules)
    if unit is None:
        lead = next(inp.types[r.lead] for r in ctx.rules if k in r.members)
        rule = next(r for r in ctx.rules if k in r.members)
        return YearReason(y, (Msg("bundle: from {from_year} a {facility} comes with the {lead} package",
                                  from_year=rule.from_year, facility=tname, lead=lead),))
    for kk in unit:
        if not ctx.allowed[c, kk, j] and plan[c, kk] != j:
            for r, capa in inp.capacity.items():  # a package bigger than the whole year
                need = float(sum(inp.use[r][c, u, j] for u in unit)) if r in inp.use else 0.0
                if np.isfinite(capa[j]) and need > capa[j] + 1e-9:
                    fam = RESOURCE_FAMILY.get(r, r)
                    b = Basis(f"{fam}[{y}]", float(capa[j]), 0.0, need, RESOURCE_UNIT.get(r, ""))
                    nums = {"row": b.row, "facility": tname, "need": need, "unit": _unit(b.unit),
                            "whole": float(capa[j])}
                    text = (Msg("{row}: the {facility} package with {others} needs {need:,.1f} {unit}, more than "
                                "the year's whole {whole:,.1f}", others=" and ".join(inp.types[u] for u in unit[1:]),
                                **nums) if len(unit) > 1 else
                            Msg("{row}: the {facility} package needs {need:,.1f} {unit}, more than the year's "
                                "whole {whole:,.1f}", **nums))
                    return YearReason(y, (text,), (b,))
            return YearReason(y, (Msg("bundle: {county} cannot get its {facility} in {year}", county=inp.counties[c],
                                      facility=inp.types[kk], year=y),))
    moved = plan.copy()
    for kk in unit:
        moved[c, kk] = j
    basis = tuple(_basis(ctx, moved, c, unit, j, row) for row in _new_rows(ctx, moved))
    gain_alone = ctx._value(moved) - ctx.value
    if not basis:
        gap = ctx.result.gap
        within = Msg("n/a") if gap is None else Msg("{percent:.3f} %", percent=100 * gap)
        return YearReason(y, (Msg("no row keeps it from {year}: moving it there adds {gain:.3f} to the objective; "
                                  "the plan is optimal only within its proven gap ({within})",
                                  year=y, gain=gain_alone, within=within),))
    trade = _best_trade(ctx, moved, c, unit, j)
    if trade is not None and not trade.breaks:
        text = Msg("{rows}; but trading places with {county} breaks no row and adds {gain:.3f}: the plan is "
                   "optimal only within its proven gap", rows=join("; ", [b.text() for b in basis]),
                   county=trade.name, gain=trade.gain)
        return YearReason(y, (text,), basis, False, trade)
    if trade is None:  # every package there is worth more than this one
        texts = [b.text() for b in basis]
        cap_rows = [b for b in basis if b.family == "year-cap"]
        if cap_rows:
            texts.append(Msg("every movable package planned there is worth more here than this one"))
        together = len(basis) > 1
        if together:
            texts.append(Msg("these rows bind together: {rows}", rows=", ".join(b.row for b in basis)))
            return YearReason(y, tuple(texts), basis, True, None)
        first = _ahead(ctx, c, unit, j, {b.row for b in basis}, gain_alone)
        if first is not None:
            texts.append(Msg("room there would go first to {county}, which gains more from it ({gain:.3f} "
                             "against {here:.3f} here)", county=first.name, gain=first.gain, here=gain_alone))
        return YearReason(y, tuple(texts), basis, False, None, first)
    extra = [r for r in trade.breaks if r not in {b.row for b in basis}]
    texts = [b.text() for b in basis]
    texts.append(Msg("trading places with {county} would add {gain:.3f} but breaks {rows}",
                     county=trade.name, gain=trade.gain, rows=", ".join(trade.breaks)))
    rows = [b.row for b in basis] + extra
    if len(rows) > 1:
        texts.append(Msg("these rows bind together: {rows}", rows=", ".join(rows)))
    return YearReason(y, tuple(texts), basis, len(rows) > 1, trade)


def _ahead(ctx: _Context, c: int, unit, j: int, rows: set[str], gain: float) -> Trade | None:
    """A package of the same kind planned after year index j (or not built) that the same
    rows alone keep out of j and that gains more from moving there: more room in those rows
    would go to it first."""
    inp, plan = ctx.inp, ctx.plan
    best = None
    for d in range(len(inp.counties)):
        t = plan[d, unit[0]]
        if d == c or 0 <= t <= j or ctx.fixed[d, unit[0]] >= 0 or not ctx.allowed[d, unit[0], j]:
            continue
        ud = package_of(inp, plan, ctx.can, d, unit[0], j, ctx.rules)
        if ud is None or any(not ctx.allowed[d, u, j] for u in ud):
            continue
        moved = plan.copy()
        for u in ud:
            moved[d, u] = j
        g = ctx._value(moved) - ctx.value
        if g > gain + 1e-9 and set(_new_rows(ctx, moved)) == rows and (best is None or g > best.gain):
            best = Trade(inp.counties[d], inp.county_names[d], g, tuple(sorted(rows)))
    return best


def _new_rows(ctx: _Context, moved: np.ndarray) -> list[str]:
    return list(dict.fromkeys(
        v.row for v in check_plan(ctx.inp, moved) if v.row and v.row not in ctx.broken
    ))


def _basis(ctx: _Context, moved, c: int, unit: tuple[int, ...], j: int, row: str) -> Basis:
    """The numbers of one row broken by the move (plan activity, bound, what the move adds)."""
    inp, plan = ctx.inp, ctx.plan
    fam = family_of(row)
    if fam == "year-cap":
        k = inp.types.index(row[len("year-cap["):].split(",")[0])
        used = int((plan[:, k] == j).sum())
        return Basis(row, float(inp.cap[k, j]), float(used), 1.0)
    for r, f in RESOURCE_FAMILY.items():
        if f == fam and r in inp.use:
            sel = plan >= 0
            cc, kk = np.nonzero(sel & (plan == j))
            used = float(inp.use[r][cc, kk, j].sum())
            need = float(sum(inp.use[r][c, u, j] for u in unit if plan[c, u] != j))
            return Basis(row, float(inp.capacity[r][j]), used, need, RESOURCE_UNIT.get(r, ""))
    if fam == "province-balance":
        pid, tname, yr = row[len("province-balance["):-1].split(",")
        p, k, t = inp.provinces.index(pid), inp.type_index(tname), inp.years.index(int(yr))
        _, share = inp.balance_share(k)
        built = (moved[:, k] >= 0) & (moved[:, k] <= t)
        has = int((built & (inp.county_province == p)).sum())
        due = share[p] * int(built.sum()) - inp.balance.tolerance
        return Basis(row, float(due), float(has), 0.0)
    return Basis(row, 0.0, 0.0, 0.0)


def _best_trade(ctx: _Context, moved, c: int, unit: tuple[int, ...], j: int) -> Trade | None:
    """The most valuable trade of places with a package of the same kind planned in year
    index j (it takes this package's year, or is dropped if this one is not built), or
    None if none adds value. Feasible trades come first."""
    inp, plan = ctx.inp, ctx.plan
    old = plan[c, unit[0]]
    seen, best = set(), None
    for d, kq in zip(*np.nonzero(plan == j), strict=True):
        if d == c:
            continue
        uq = ctx.unit(d, kq, j)
        if uq[0] != unit[0] or (d, uq) in seen or any(ctx.fixed[d, u] >= 0 for u in uq):
            continue  # a trade is with a package of the same kind, not fixed by the record
        seen.add((d, uq))
        traded = moved.copy()
        for u in uq:
            traded[d, u] = old if old >= 0 and ctx.allowed[d, u, old] else -1
        gain = ctx._value(traded) - ctx.value
        if gain <= 1e-9 * max(1.0, abs(ctx.value)):
            continue
        breaks = tuple(dict.fromkeys(
            v.row for v in check_plan(inp, traded) if v.row and v.row not in ctx.broken
        ))
        key = (not breaks, gain)
        if best is None or key > (not best.breaks, best.gain):
            best = Trade(inp.counties[d], inp.county_names[d], gain, breaks)
    return best
