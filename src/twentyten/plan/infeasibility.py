"""Clear messages for settings that admit no plan.

:func:`diagnose` runs cheap pre-checks that name the conflicting constraints and their
numbers (e.g. ``year-cap[factory,2026] asks for at least 20 packages but
construction-capacity[2026] = 180 regiment-months allows only 15``). When they find nothing
but the solver still reports infeasibility, :func:`explain_infeasible` asks HiGHS for an
irreducible infeasible subset (IIS) and lists its rows by family.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from twentyten.plan.constraints import bundle_rules, can_get, family_of, make_columns, unit_use
from twentyten.plan.inputs import RESOURCE_FAMILY, RESOURCE_UNIT, PlanInputs


class PlanInfeasible(Exception):
    """No plan satisfies the settings; ``problems`` are plain-language lines naming the
    conflicting constraint families."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("no plan satisfies the settings: " + "; ".join(self.problems))


def _fmt(v: float) -> str:
    return f"{v:,.0f}" if abs(v - round(v)) < 1e-9 else f"{v:,.2f}"


def diagnose(inp: PlanInputs) -> list[str]:
    """Pre-checks; each returned line names the constraints in conflict and the numbers."""
    out: list[str] = []
    C, K, Y = inp.shape
    fixed = inp.fixed_year()
    cols = make_columns(inp)
    rules = bundle_rules(inp)
    can = can_get(inp)
    allowed = cols.col >= 0
    lo = inp.min_count()
    # commitments against year-cap
    committed = np.zeros((K, Y), int)
    fc, fk = np.nonzero(fixed >= 0)
    np.add.at(committed, (fk, fixed[fc, fk]), 1)
    for k, t in zip(*np.nonzero(committed > inp.cap), strict=True):
        out.append(
            f"commitment forces {committed[k, t]} {inp.types[k]} packages in {inp.years[t]} "
            f"but year-cap[{inp.types[k]},{inp.years[t]}] is {inp.cap[k, t]}"
        )
    for k, t in zip(*np.nonzero(lo > inp.cap), strict=True):
        out.append(
            f"year-cap[{inp.types[k]},{inp.years[t]}] asks for at least {lo[k, t]} packages "
            f"but allows at most {inp.cap[k, t]}"
        )
    avail = allowed.sum(axis=0)
    for k, t in zip(*np.nonzero(lo > avail), strict=True):
        out.append(
            f"year-cap[{inp.types[k]},{inp.years[t]}] asks for at least {lo[k, t]} packages "
            f"but only {avail[k, t]} counties can get one that year"
        )
    # commitments and targets against shared capacities
    for r, capa in inp.capacity.items():
        if r not in inp.use:
            continue
        fam, unit = RESOURCE_FAMILY.get(r, r), RESOURCE_UNIT.get(r, "")
        use = inp.use[r]
        lead_use = unit_use(inp, r, allowed)
        for t in range(Y):
            if not np.isfinite(capa[t]):
                continue
            sel = fixed[fc, fk] == t
            fixed_use = float(use[fc[sel], fk[sel], t].sum())
            if fixed_use > capa[t] + 1e-9:
                out.append(
                    f"commitments in {inp.years[t]} use {_fmt(fixed_use)} {unit} but "
                    f"{fam}[{inp.years[t]}] is {_fmt(capa[t])} {unit}"
                )
                continue
            need_use, parts, allows = fixed_use, [], []
            for k in range(K):
                extra = lo[k, t] - committed[k, t]
                if extra <= 0:
                    continue
                free = allowed[:, k, t] & (fixed[:, k] < 0)
                brought = _brought(inp, rules, k, t)  # a lead brings its members (bundle)
                cheapest = np.sort(lead_use[:, k, t][free])
                need_use += float(cheapest[:extra].sum())
                left = capa[t] - fixed_use
                n_fit = int(np.searchsorted(np.cumsum(cheapest), left + 1e-9, side="right"))
                with_ = f" (each with its {' and '.join(brought)}, bundle)" if brought else ""
                parts.append(f"year-cap[{inp.types[k]},{inp.years[t]}] asks for at least {lo[k, t]}{with_}")
                allows.append(f"{committed[k, t] + n_fit} {inp.types[k]}")
            if parts and need_use > capa[t] + 1e-9:
                out.append(
                    f"{' and '.join(parts)} packages but {fam}[{inp.years[t]}] = "
                    f"{_fmt(capa[t])} {unit} allows only {', '.join(allows)} "
                    f"(the smallest packages need {_fmt(need_use)} {unit})"
                )
    out.extend(_cumulative(inp, allowed, fixed, lo))
    # bundles
    years = np.asarray(inp.years)
    for rule in rules:
        kl, b = rule.lead, inp.bundles[rules.index(rule)]
        for km in rule.members:
            m = inp.types[km]
            for t in range(rule.first, Y):
                if lo[kl, t] > inp.cap[km, t]:
                    out.append(
                        f"bundle: from {b.from_year} each {b.lead} package brings a {m}, but "
                        f"year-cap[{b.lead},{years[t]}] asks for at least {lo[kl, t]} while "
                        f"year-cap[{m},{years[t]}] is {inp.cap[km, t]}"
                    )
            for c in np.nonzero(fixed[:, kl] >= 0)[0]:
                t = fixed[c, kl]
                if t < rule.first or not can[c, km]:
                    continue
                if 0 <= fixed[c, km] < rule.first:
                    continue  # the member came before the bundle year
                if fixed[c, km] >= 0 and fixed[c, km] != t:
                    out.append(
                        f"bundle: commitment[{inp.counties[c]},{b.lead},{years[t]}] needs its {m} "
                        f"in {years[t]} but commitment[{inp.counties[c]},{m},{years[fixed[c, km]]}] "
                        f"fixes it to {years[fixed[c, km]]}"
                    )
                elif fixed[c, km] < 0 and not allowed[c, km, t]:
                    out.append(
                        f"bundle: commitment[{inp.counties[c]},{b.lead},{years[t]}] needs its {m} "
                        f"in {years[t]} but {inp.counties[c]} cannot get a {m} that year"
                    )
            # a bundle whose members together exceed capacity in every year
            for r, capa in inp.capacity.items():
                if r not in inp.use:
                    continue
                fam, unit = RESOURCE_FAMILY.get(r, r), RESOURCE_UNIT.get(r, "")
                for t in range(rule.first, Y):
                    if lo[kl, t] <= 0 or not np.isfinite(capa[t]):
                        continue
                    pair_use = inp.use[r][:, kl, t] + inp.use[r][:, km, t]
                    cand = allowed[:, kl, t]
                    if cand.any() and pair_use[cand].min() > capa[t]:
                        out.append(
                            f"bundle: the smallest {b.lead}+{m} site in {years[t]} uses "
                            f"{_fmt(pair_use[cand].min())} {unit} but {fam}[{years[t]}] is "
                            f"{_fmt(capa[t])} {unit}"
                        )
    return list(dict.fromkeys(out))


def _brought(inp: PlanInputs, rules, k: int, t: int) -> list[str]:
    """Names of the members a lead of type ``k`` brings in year index ``t``."""
    return [inp.types[m] for r in rules if r.lead == k and t >= r.first for m in r.members]


def _cumulative(inp: PlanInputs, allowed, fixed, lo) -> list[str]:
    """Targets over several years against the capacity of those years together."""
    out: list[str] = []
    K, Y = lo.shape
    for k in range(K):
        yrs = np.nonzero(lo[k] > 0)[0]
        if yrs.size < 2:
            continue
        free = allowed[:, k, :].any(axis=1) & (fixed[:, k] < 0)
        n_total = int(lo[k, yrs].sum() - ((fixed[:, k] >= 0) & np.isin(fixed[:, k], yrs)).sum())
        if n_total > int(free.sum()):
            out.append(
                f"year-cap[{inp.types[k]},{inp.years[yrs[0]]}..{inp.years[yrs[-1]]}] asks for "
                f"{n_total} more packages but only {int(free.sum())} counties can still get one"
            )
            continue
        for r, capa in inp.capacity.items():
            if r not in inp.use or not np.isfinite(capa[yrs]).all():
                continue
            unit = unit_use(inp, r, allowed)[:, k, :]
            brought = _brought(inp, bundle_rules(inp), k, Y - 1)
            cheapest = np.sort(unit[free][:, yrs].min(axis=1))
            fixed_use = sum(
                float(inp.use[r][c, kk, fixed[c, kk]])
                for c, kk in zip(*np.nonzero(fixed >= 0), strict=True) if fixed[c, kk] in yrs
            )
            total = float(capa[yrs].sum()) - fixed_use
            need = float(cheapest[:n_total].sum())
            if need > total + 1e-9:
                fam, u = RESOURCE_FAMILY.get(r, r), RESOURCE_UNIT.get(r, "")
                n_fit = int(np.searchsorted(np.cumsum(cheapest), total + 1e-9, side="right"))
                with_ = f" (each with its {' and '.join(brought)}, bundle)" if brought else ""
                span = f"{inp.years[yrs[0]]}..{inp.years[yrs[-1]]}"
                out.append(
                    f"year-cap[{inp.types[k]},{span}] asks for {n_total} more packages{with_} but "
                    f"construction-capacity[{span}] leaves {_fmt(total)} {u} in all, enough for "
                    f"only {n_fit} (the {n_total} smallest need {_fmt(need)} {u})"
                    if fam == "construction-capacity" else
                    f"year-cap[{inp.types[k]},{span}] asks for {n_total} more packages{with_} but "
                    f"{fam}[{span}] leaves {_fmt(total)} {u}, enough for only {n_fit}"
                )
    return out


def explain_infeasible(inp: PlanInputs, model=None) -> list[str]:
    """Ask HiGHS for an IIS of the LP relaxation and name its rows, grouped by family."""
    from twentyten.plan.model import build_model, to_highs

    m = model or build_model(inp)
    h = to_highs(m, relax=True)
    h.run()
    import highspy

    if h.getModelStatus() != highspy.HighsModelStatus.kInfeasible:
        return _family_filter(m)
    status, iis = h.getIis()  # highspy >= 1.13 (pyproject): getIis returns (status, iis)
    rows = [m.row_names[i] for i in iis.row_index_] if iis.valid_ else []
    if not rows:
        return _family_filter(m)
    fams = Counter(family_of(r) for r in rows)
    head = ", ".join(f"{f} ({n} rows)" for f, n in fams.most_common())
    return [f"conflicting constraints: {head}", *[f"  {r}" for r in rows[:12]]]


def _family_filter(m) -> list[str]:
    """Whole packages make the model infeasible although its relaxation is not: relax one
    constraint family at a time and name those whose removal admits a plan."""
    import dataclasses

    from twentyten.plan.model import to_highs

    fams = sorted({family_of(n) for n in m.row_names} - {"built", "county-build-once"})
    culprits = []
    for fam in fams:
        sel = np.array([family_of(n) == fam for n in m.row_names])
        lo = np.where(sel, -np.inf, m.row_lo)
        hi = np.where(sel, np.inf, m.row_hi)
        h = to_highs(dataclasses.replace(m, row_lo=lo, row_hi=hi))
        h.setOptionValue("time_limit", 5.0)
        h.run()
        if h.getInfo().primal_solution_status == 2:
            culprits.append(fam)
    if not culprits:
        return ["no plan with whole packages (the fractional relaxation has one); no single "
                "constraint family is to blame, several conflict together"]
    return [
        "no plan with whole packages; the conflict involves "
        + ", ".join(culprits)
        + " (relaxing any one of these admits a plan)"
    ]
