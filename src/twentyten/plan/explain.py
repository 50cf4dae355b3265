"""Why a county got its year: score, planned years and the constraints that kept each of
its packages from an earlier year, named as in the model (``year-cap[factory,2027]``...)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from twentyten.plan.inputs import RESOURCE_FAMILY, RESOURCE_UNIT
from twentyten.plan.solve import PlanResult, binding_capacities


@dataclass(frozen=True)
class YearReason:
    year: int
    constraints: tuple[str, ...]  # named rows that block an earlier build, with numbers


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
        out = [
            f"{self.name} ({self.county}), {self.province}: need score {self.need:.3f}, "
            f"population {self.population:,.0f}"
        ]
        for p in self.packages:
            when = "not built in the horizon" if p.year is None else f"{p.year} ({p.status})"
            out.append(f"  {p.facility_type}: {when}; benefit {p.benefit_per_year:.3f} per year in service")
            for r in p.earlier:
                out.append(f"    not {r.year}: " + "; ".join(r.constraints))
        return out


def explain_county(result: PlanResult, county: str) -> CountyExplanation:
    """Explain one county of a plan (``county`` is an id)."""
    inp = result.inputs
    c = inp.county_index[county]
    fixed = inp.fixed_year()
    counts = result.counts()
    loads = {r: result.load(r) for r in inp.capacity if r in inp.use}
    years = np.asarray(inp.years)
    member_of = {m: b for b in inp.bundles for m in b.members}
    lead_of = {b.lead: b for b in inp.bundles}
    pkgs = []
    for k, t in enumerate(inp.types):
        y = result.year[c, k]
        if not inp.eligible[c, k, :].any() and fixed[c, k] < 0:
            continue
        status = "fixed" if fixed[c, k] >= 0 else ("planned" if y >= 0 else "not built")
        last = y if y >= 0 else len(years)
        reasons = []
        if fixed[c, k] < 0:
            for j in range(last):
                why = _blockers(result, c, k, j, counts, loads, member_of, lead_of)
                reasons.append(YearReason(int(years[j]), tuple(why)))
        pkgs.append(PackageExplanation(
            t, None if y < 0 else int(years[y]), status, float(inp.weight[c, k]), tuple(reasons),
        ))
    return CountyExplanation(
        county=county, name=inp.county_names[c], province=inp.province_name(inp.county_province[c]),
        need=float(inp.need[c]), population=float(inp.population[c]), packages=tuple(pkgs),
        binding_by_year=binding_capacities(result),
    )


def _blockers(result, c, k, j, counts, loads, member_of, lead_of) -> list[str]:
    inp = result.inputs
    y = inp.years[j]
    tname = inp.types[k]
    if inp.replan_from is not None and y < inp.replan_from:
        return [f"commitment: {y} is a record year (only what was built is kept)"]
    if not inp.eligible[c, k, j]:
        return [f"{tname} is not built in {y} under the scenario's caps (from-year) or eligibility"]
    unit = [k]
    if tname in member_of and y >= member_of[tname].from_year:
        b = member_of[tname]
        kl = inp.type_index(b.lead)
        yl = result.year[c, kl]
        if not (yl >= 0 and inp.years[yl] < b.from_year):
            return [f"bundle: from {b.from_year} a {tname} comes with the {b.lead} package"]
    if tname in lead_of and y >= lead_of[tname].from_year:
        b = lead_of[tname]
        for m in b.members:
            km, ym = inp.type_index(m), result.year[c, inp.type_index(m)]
            if inp.eligible[c, km, :].any() and not (ym >= 0 and inp.years[ym] < b.from_year):
                unit.append(km)
    for r in loads:  # a package bigger than the whole year: nothing else matters
        cap = inp.capacity[r][j]
        need = float(sum(inp.use[r][c, kk, j] for kk in unit))
        if np.isfinite(cap) and need > cap + 1e-9:
            what = " with " + " and ".join(inp.types[kk] for kk in unit[1:]) if len(unit) > 1 else ""
            return [f"{RESOURCE_FAMILY.get(r, r)}[{y}]: the {tname} package{what} needs {need:,.1f} "
                    f"{RESOURCE_UNIT.get(r, '')}, more than the year's whole {cap:,.1f}"]
    out = []
    fixed = inp.fixed_year()
    for kk in unit:
        if counts[kk, j] >= inp.cap[kk, j]:
            sel = np.nonzero((result.year[:, kk] == j) & (fixed[:, kk] < 0))[0]  # movable ones
            weakest = sel[np.argmin(inp.weight[sel, kk])] if sel.size else None
            extra = (
                f"; lowest benefit among its planned (not fixed) packages: {inp.county_names[weakest]} {inp.weight[weakest, kk]:.3f} "
                f"vs {inp.weight[c, kk]:.3f} here" if weakest is not None else ""
            )
            out.append(f"year-cap[{inp.types[kk]},{y}] full ({counts[kk, j]} of {inp.cap[kk, j]}){extra}")
    for r, load in loads.items():
        cap = inp.capacity[r][j]
        if not np.isfinite(cap):
            continue
        need = float(sum(inp.use[r][c, kk, j] for kk in unit))
        if load[j] + need > cap + 1e-9:
            out.append(
                f"{RESOURCE_FAMILY.get(r, r)}[{y}]: {cap - load[j]:,.1f} of {cap:,.1f} "
                f"{RESOURCE_UNIT.get(r, '')} left, the package needs {need:,.1f}"
            )
    for pr in inp.precedences:
        if pr.after == tname:
            yb = result.year[c, inp.type_index(pr.before)]
            if yb < 0 or yb > j - pr.min_gap:
                out.append(f"precedence: {tname} only {pr.min_gap} year(s) after {pr.before}")
    out.extend(_balance_blockers(result, c, unit, j))
    if not out:
        out.append(
            "no single constraint: moving it earlier would displace other packages of higher "
            "total benefit"
        )
    return out


def _balance_blockers(result, c: int, unit: list[int], j: int) -> list[str]:
    """``province-balance`` rows that building ``unit`` in year index ``j`` (instead of its
    planned year) would break: one more package nationally raises every other province's due."""
    inp = result.inputs
    bal = inp.balance
    if bal is None or bal.strength <= 0:
        return []
    first = 0 if inp.replan_from is None else int(np.searchsorted(np.asarray(inp.years), inp.replan_from))
    Y = len(inp.years)
    out = []
    for kb in unit:
        if inp.types[kb] not in bal.types:
            continue
        _, share = inp.balance_share(kb)
        yr = result.year[:, kb]
        end = yr[c] if yr[c] >= 0 else Y  # the years in which c would count one more
        built = yr >= 0
        per = np.zeros((len(inp.provinces), Y))
        np.add.at(per, (inp.county_province[built], yr[built]), 1)
        cum = per.cumsum(axis=1)
        tot = cum.sum(axis=0)
        pc = inp.county_province[c]
        for t in range(max(j, first), end):
            due = share * (tot[t] + 1) - bal.tolerance
            short = [p for p in np.nonzero(cum[:, t] < due - 1e-9)[0] if p != pc and share[p] > 0]
            if short:
                p = short[0]
                out.append(
                    f"province-balance[{inp.provinces[p]},{inp.types[kb]},{inp.years[t]}]: one more "
                    f"{inp.types[kb]} package would raise {inp.province_name(p)}'s due to "
                    f"{due[p]:.1f} (it has {cum[p, t]:.0f})"
                )
                break
    return out
