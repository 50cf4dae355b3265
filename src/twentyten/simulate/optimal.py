"""Yearly re-planning with the optimiser: the model is built once, each year changes only
its data (column bounds and row bounds), and HiGHS solves it again.

The model is the plan's own MIP (:func:`twentyten.plan.model.build_model`) on the plan's
packages (:func:`~twentyten.simulate.engine.replan_inputs`) over the whole horizon. For the
year ``t`` being re-planned, with ``done`` what was actually finished:

* build columns of years before ``t`` are fixed to what happened (1 where the package was
  started that year, else 0), and a finished package's later columns to 0;
* the record's packages of year ``t`` or later that are not done are fixed to their year
  (the record fixes them); ones that slipped are free to go later;
* province-balance rows of years before ``t`` are dropped (the past cannot catch up); if the
  remaining ones cannot be met (shocks put a province too far behind), they are dropped too
  (``OptimalReplanner.relaxed`` counts how often).

The re-planner plans at the planned capacities (it does not foresee the year's shock); only
its choice for year ``t`` is used, then started against the realised capacities.
``highspy`` is imported only here.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from twentyten.plan.constraints import family_of
from twentyten.simulate.engine import Replanner, SimPlan, SimulationError, replan_inputs


@dataclasses.dataclass(frozen=True)
class OptimalOptions:
    """Per re-planning solve: HiGHS time limit (s) and the gap at which it stops."""

    time_limit: float = 5.0
    mip_rel_gap: float = 1e-3


class OptimalReplanner(Replanner):
    """:class:`~twentyten.simulate.engine.Replanner` whose yearly choice is the optimiser's."""

    batch = 1  # a run takes a solve a year: progress after each run

    def __init__(self, sp: SimPlan, options: OptimalOptions | None = None):
        from twentyten.plan.model import build_model, to_highs

        super().__init__(sp)
        opt = options or OptimalOptions()
        inp = replan_inputs(sp)
        years = inp.years
        first_year = years[sp.first]
        # the record's later commitments become bounds (a slipped one must be free to move)
        later = [cm for cm in inp.commitments if cm.year >= first_year]
        eligible = inp.eligible.copy()
        ci = inp.county_index
        self.later = []
        for cm in later:
            c, k, j = ci[cm.county], inp.type_index(cm.facility_type), inp.year_index(cm.year)
            eligible[c, k, j] = True
            self.later.append((c, k, j))
        base = dataclasses.replace(inp, eligible=eligible,
                                   commitments=tuple(cm for cm in inp.commitments if cm.year < first_year))
        self.model = build_model(base)
        self.h = to_highs(self.model)
        self.h.setOptionValue("time_limit", float(opt.time_limit))
        self.h.setOptionValue("mip_rel_gap", float(opt.mip_rel_gap))
        m = self.model
        names = m.row_names
        fam = [family_of(n) for n in names]
        self.balance_rows = np.array([i for i, f in enumerate(fam) if f == "province-balance"], int)
        self.balance_year = np.array([int(names[i].rsplit(",", 1)[1].rstrip("]")) for i in self.balance_rows], int)
        self.years = np.asarray(years)
        self.relaxed = 0  # re-plans whose remaining balance rows had to be dropped

    def pick(self, t: int, done: np.ndarray) -> np.ndarray:
        key = (t, done.tobytes())
        got = self.cache.get(key)
        if got is None:
            got = self._solve(t, done)
            if len(self.cache) < 50_000:
                self.cache[key] = got
        return got

    def _solve(self, t: int, done: np.ndarray) -> np.ndarray:
        import highspy

        m, h = self.model, self.h
        cols = m.cols
        nb = cols.n_build
        lo, hi = m.col_lo[:nb].copy(), m.col_hi[:nb].copy()
        d = done[cols.vc, cols.vk]
        past = cols.vt < t
        lo[past] = hi[past] = (d[past] == cols.vt[past]).astype(float)
        gone = (d >= 0) & ~past
        lo[gone] = hi[gone] = 0.0
        for c, k, j in self.later:
            if j >= t and done[c, k] < 0:
                lo[cols.col[c, k, j]] = 1.0
        idx = np.arange(nb, dtype=np.int32)
        h.changeColsBounds(nb, idx, lo, hi)
        inf = highspy.kHighsInf
        rows = self.balance_rows
        ylo = np.where(self.balance_year < self.years[t], -inf, m.row_lo[rows])
        if rows.size:
            h.changeRowsBounds(rows.size, rows.astype(np.int32), ylo, np.full(rows.size, inf))
        x = self._run()
        if x is None and rows.size:
            self.relaxed += 1
            h.changeRowsBounds(rows.size, rows.astype(np.int32), np.full(rows.size, -inf), np.full(rows.size, inf))
            x = self._run()
        if x is None:
            raise SimulationError(f"the optimiser found no plan when re-planning {self.years[t]} "
                                  f"({h.modelStatusToString(h.getModelStatus())})")
        on = x[:nb] > 0.5
        year = np.full(done.shape, -1)
        year[cols.vc[on], cols.vk[on]] = cols.vt[on]
        return (year == t) & (done < 0)

    def _run(self) -> np.ndarray | None:
        h = self.h
        h.clearSolver()
        h.run()
        if h.getInfo().primal_solution_status != 2:  # no feasible plan
            return None
        return np.asarray(h.getSolution().col_value)
