"""Check a plan against every constraint family, independently of the solver.

Used by tests (a plan never breaks a cap, commitment or bundle) and to verify every
plan the solver or the greedy baseline returns before it is reported.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from twentyten.plan.constraints import bundle_rules, can_get
from twentyten.plan.inputs import RESOURCE_FAMILY, PlanInputs


@dataclass(frozen=True)
class Violation:
    family: str
    message: str
    row: str = ""  # the model's row name, e.g. ``year-cap[factory,2027]``


def check_plan(inp: PlanInputs, year: np.ndarray, tol: float = 1e-6) -> list[Violation]:
    """Every violated constraint of a plan.

    ``year`` is an int array (county, type) of year indices, -1 where not built.
    """
    out: list[Violation] = []
    C, K, Y = inp.shape
    built = year >= 0
    cc, kk = np.nonzero(built)
    tt = year[cc, kk]
    bad = ~inp.eligible[cc, kk, tt]
    fixed = inp.fixed_year()
    for c, k, t in zip(cc[bad], kk[bad], tt[bad], strict=True):
        if fixed[c, k] != t:
            out.append(Violation("eligibility", f"{inp.counties[c]} cannot get {inp.types[k]} in {inp.years[t]}"))
    counts = np.zeros((K, Y), int)
    np.add.at(counts, (kk, tt), 1)
    for k, t in zip(*np.nonzero(counts > inp.cap), strict=True):
        out.append(Violation("year-cap", f"{inp.types[k]} {inp.years[t]}: {counts[k, t]} > cap {inp.cap[k, t]}",
                             f"year-cap[{inp.types[k]},{inp.years[t]}]"))
    lo = inp.min_count()
    for k, t in zip(*np.nonzero(counts < lo), strict=True):
        out.append(Violation("year-cap", f"{inp.types[k]} {inp.years[t]}: {counts[k, t]} < target {lo[k, t]}",
                             f"year-cap[{inp.types[k]},{inp.years[t]}]"))
    for r, capa in inp.capacity.items():
        if r not in inp.use:
            continue
        load = np.zeros(Y)
        np.add.at(load, tt, inp.use[r][cc, kk, tt])
        for t in np.nonzero(load > capa * (1 + tol) + tol)[0]:
            fam = RESOURCE_FAMILY.get(r, r)
            out.append(Violation(fam, f"{r} {inp.years[t]}: {load[t]:.2f} > {capa[t]:.2f}",
                                 f"{fam}[{inp.years[t]}]"))
    ci = inp.county_index  # a property that builds the dict: once, not once per commitment
    for cm in inp.commitments:
        c, k = ci[cm.county], inp.type_index(cm.facility_type)
        if year[c, k] != inp.year_index(cm.year):
            out.append(Violation("commitment", f"{cm.county} {cm.facility_type} must be {cm.year}"))
    if inp.replan_from is not None:
        committed = fixed >= 0
        for c, k in zip(cc, kk, strict=True):
            if not committed[c, k] and inp.years[year[c, k]] < inp.replan_from:
                out.append(Violation("commitment", f"{inp.counties[c]} {inp.types[k]} planned in a record year"))
    years = np.asarray(inp.years)
    can = can_get(inp)
    for rule in bundle_rules(inp):
        lead = inp.types[rule.lead]
        for c, m, kind in rule.breaches(year, can):
            if kind == "lead without member":
                msg = f"{inp.counties[c]}: {lead} {years[year[c, rule.lead]]} without {inp.types[m]} that year"
            else:
                msg = f"{inp.counties[c]}: {inp.types[m]} {years[year[c, m]]} without {lead}"
            t = year[c, rule.lead] if kind == "lead without member" else year[c, m]
            out.append(Violation("bundle", msg, f"bundle[{inp.counties[c]},{inp.types[m]},{years[t]}]"))
    for pr in inp.precedences:
        kb, ka = inp.type_index(pr.before), inp.type_index(pr.after)
        for c in np.nonzero(year[:, ka] >= 0)[0]:
            if year[c, kb] < 0 or year[c, kb] > year[c, ka] - pr.min_gap:
                out.append(Violation("precedence", f"{inp.counties[c]}: {pr.after} before {pr.before}",
                                     f"precedence[{inp.counties[c]},{pr.after},{inp.years[year[c, ka]]}]"))
    bal = inp.balance
    if bal is not None and bal.strength > 0:
        P = len(inp.provinces)
        first = 0 if inp.replan_from is None else int(np.searchsorted(years, inp.replan_from))
        for tname in bal.types:
            if tname not in inp.types:
                continue
            k = inp.type_index(tname)
            n_p, share = inp.balance_share(k)
            per = np.zeros((P, Y))
            sel = year[:, k] >= 0
            np.add.at(per, (inp.county_province[sel], year[sel, k]), 1)
            cum = per.cumsum(axis=1)
            tot = cum.sum(axis=0)
            for p in np.nonzero(n_p > 0)[0]:
                for t in range(first, Y):
                    if cum[p, t] < share[p] * tot[t] - bal.tolerance - tol:
                        out.append(Violation(
                            "province-balance",
                            f"{inp.provinces[p]} {tname} {inp.years[t]}: {cum[p, t]:.0f} < {share[p] * tot[t] - bal.tolerance:.2f}",
                            f"province-balance[{inp.provinces[p]},{tname},{inp.years[t]}]",
                        ))
    return out
