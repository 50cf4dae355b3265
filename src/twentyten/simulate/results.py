"""What a simulation says: the finish probability with its standard error, counties finished
per year (the fan chart), slip per county and province, bottlenecks and sensitivity.

Every number is computed from the :class:`~twentyten.simulate.engine.ChunkResult` arrays;
the text of tables and reports is built from these rows, never recomputed beside them.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import numpy as np

from twentyten.simulate.engine import (
    BOTTLENECKS,
    ChunkResult,
    RunOptions,
    SimPlan,
    run_simulation,
    run_state,
)
from twentyten.simulate.scenario import UNCERTAINTIES, Uncertainty

QUANTILES = (5, 25, 50, 75, 95)
Z95 = 1.959963984540054


def _r(x: float, nd: int = 6) -> float:
    return float(round(float(x), nd))


@dataclass(frozen=True)
class Probability:
    """A Monte Carlo probability: estimate, standard error sqrt(p(1-p)/n), and the 95 %
    Wilson interval (informative also when no run or every run succeeds)."""

    p: float
    se: float
    low: float
    high: float
    runs: int

    @staticmethod
    def of(successes: np.ndarray) -> Probability:
        n = int(successes.size)
        p = float(successes.mean()) if n else 0.0
        se = math.sqrt(p * (1 - p) / n) if n else 0.0
        z2 = Z95 * Z95
        centre = (p + z2 / (2 * n)) / (1 + z2 / n)
        half = Z95 * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
        return Probability(_r(p), _r(se), _r(max(0.0, centre - half)), _r(min(1.0, centre + half)), n)


@dataclass(frozen=True)
class SimulationSummary:
    """The result of ``twentyten simulate`` (all plain data, JSON-ready)."""

    runs: int
    seed: int | None
    replan: str
    horizon: list[int]
    simulated_years: list[int]
    counties_in_plan: int
    counties_not_in_plan: list[str]
    finish_all: Probability
    years: list[dict[str, Any]]
    counties: list[dict[str, Any]]
    provinces: list[dict[str, Any]]
    bottlenecks: list[dict[str, Any]]
    sensitivity: list[dict[str, Any]] = field(default_factory=list)
    sensitivity_runs: int = 0
    scenario: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    median_run: int | None = None
    # the median run's packages (county_id, facility_type, year): a state for `indicators --state`
    median_state: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out.pop("median_state")  # written as state_median.csv
        return out

    def headline(self) -> str:
        f = self.finish_all
        return (f"P(every county in the plan finished by {self.horizon[-1]}) = {f.p:.4f} "
                f"(MC s.e. {f.se:.4f}; 95 % interval {f.low:.4f}-{f.high:.4f}; {self.runs:,} runs, "
                f"replan {self.replan})")


def finished_all(sp: SimPlan, res: ChunkResult) -> np.ndarray:
    """(R,) bool: every county the plan gives a package finished by the horizon."""
    return (res.county_finish[:, sp.target] >= 0).all(axis=1)


def summarise(sp: SimPlan, res: ChunkResult, unc: Uncertainty, replan: str, seed: int | None) -> SimulationSummary:
    inp = sp.inputs
    R = res.county_finish.shape[0]
    Y = len(inp.years)
    fin = res.county_finish
    tgt = sp.target
    planned = sp.planned_finish()
    # counties finished by the end of each year (fan chart)
    years = []
    for t, y in enumerate(inp.years):
        by = ((fin[:, tgt] >= 0) & (fin[:, tgt] <= t)).sum(axis=1)
        q = np.percentile(by, QUANTILES)
        row = {"year": y, "simulated": t >= sp.first, "planned": int(((planned[tgt] <= t)).sum()),
               "mean": _r(by.mean(), 3)}
        row.update({f"p{k}": _r(v, 3) for k, v in zip(QUANTILES, q, strict=True)})
        years.append(row)
    # slip per county: finish year - planned year; unfinished counts as finishing after the horizon
    eff = np.where(fin >= 0, fin, Y).astype(float)
    slip = eff - planned[None, :]
    counties = []
    for c in np.nonzero(tgt)[0]:
        counties.append({
            "county_id": inp.counties[c], "county": inp.county_names[c],
            "province_id": inp.provinces[inp.county_province[c]],
            "planned_year": inp.years[planned[c]],
            "p_finished": _r((fin[:, c] >= 0).mean()),
            "expected_slip": _r(slip[:, c].mean(), 4),
        })
    provinces = []
    for p, pid in enumerate(inp.provinces):
        cs = np.nonzero(tgt & (inp.county_province == p))[0]
        if cs.size == 0:
            continue
        unf = (fin[:, cs] < 0).sum(axis=1)
        provinces.append({
            "province_id": pid, "province": inp.province_name(p), "counties": int(cs.size),
            "p_all_finished": _r((unf == 0).mean()), "expected_unfinished": _r(unf.mean(), 4),
            "expected_slip": _r(slip[:, cs].mean(), 4),
        })
    bottlenecks = []
    ys = inp.years[sp.first:]
    for f in BOTTLENECKS:
        w = res.waited[f]
        row = {"constraint": f, "share_of_run_years": _r(w.mean())}
        row.update({str(y): _r(w[:, j].mean(), 4) for j, y in enumerate(ys)})
        bottlenecks.append(row)
    bottlenecks.sort(key=lambda r: -r["share_of_run_years"])
    notes = []
    out = [inp.county_names[c] for c in np.nonzero(~tgt)[0]]
    if out:
        notes.append(f"{len(out)} counties get no package in the plan itself and are not counted "
                     f"(the plan, not the simulation, leaves them out): {', '.join(out[:8])}"
                     + (" ..." if len(out) > 8 else ""))
    unlimited = [r for r, a in inp.capacity.items() if not np.isfinite(a[sp.first:]).any()]
    if unlimited:
        notes.append(f"unlimited in the plan, so their shortfalls have no effect: {', '.join(unlimited)}")
    return SimulationSummary(
        runs=R, seed=seed, replan=replan, horizon=list(inp.years), simulated_years=list(ys),
        counties_in_plan=int(tgt.sum()), counties_not_in_plan=out,
        finish_all=Probability.of(finished_all(sp, res)), years=years, counties=counties,
        provinces=provinces, bottlenecks=bottlenecks, scenario=unc.describe(), notes=notes,
    )


def sensitivity(sp: SimPlan, unc: Uncertainty, runs: int, entropy: int, options: RunOptions,
                on_variant: Callable[[str], None] | None = None) -> list[dict[str, Any]]:
    """The tornado: P(finish all) with each uncertainty off and ``sensitivity_factor`` times as
    severe, all with the same random numbers (so the swing is the factor's, not noise's)."""
    def one(variant: Uncertainty) -> tuple[float, float]:
        res = run_simulation(sp, variant, runs, entropy, options)
        done = (res.county_finish[:, sp.target] >= 0).sum(axis=1)
        return Probability.of(finished_all(sp, res)).p, _r(done.mean(), 4)

    base, base_n = one(unc)
    rows = []
    for u in UNCERTAINTIES:
        if on_variant is not None:
            on_variant(u)
        (p_off, n_off), (p_high, n_high) = one(unc.without(u)), one(unc.stronger(u))
        rows.append({"uncertainty": u, "p_off": p_off, "p_base": base, "p_high": p_high,
                     "swing": _r(abs(p_off - p_high)), "counties_off": n_off, "counties_base": base_n,
                     "counties_high": n_high, "counties_swing": _r(abs(n_off - n_high), 4),
                     "factor": unc.sensitivity_factor})
    rows.sort(key=lambda r: (-r["swing"], -r["counties_swing"], r["uncertainty"]))
    return rows


@dataclass(frozen=True)
class SimulateOptions:
    """What to run: ``runs`` Monte Carlo runs, ``replan`` none or greedy, ``sensitivity_runs``
    runs per tornado bar (0: no tornado); ``progress`` gets runs done; ``map_chunks`` spreads
    chunks over workers (None: here, one after another)."""

    runs: int = 10_000
    replan: str = "none"  # none, greedy or optimal
    sensitivity_runs: int = 2_000
    progress: Callable[[int], None] | None = None
    map_chunks: Callable | None = None
    replan_time_limit: float = 5.0


def simulate(sp: SimPlan, unc: Uncertainty, rng: np.random.Generator, options: SimulateOptions | None = None,
             seed: int | None = None) -> SimulationSummary:
    """Run a simulation and summarise it. ``rng`` gives all the randomness (one entropy
    value); ``seed`` is only recorded in the summary.

    Example
    -------
    >>> import numpy as np
    >>> from twentyten.plan.inputs import synthetic_inputs
    >>> from twentyten.plan.greedy import greedy_plan
    >>> from twentyten.simulate.engine import prepare
    >>> from twentyten.simulate.scenario import load_uncertainty
    >>> inp = synthetic_inputs(30, np.random.default_rng(0))
    >>> sp = prepare(inp, greedy_plan(inp))
    >>> s = simulate(sp, load_uncertainty().zero_variance(), np.random.default_rng(1),
    ...              SimulateOptions(runs=50, sensitivity_runs=0))
    >>> s.finish_all.p
    1.0
    """
    opt = options or SimulateOptions()
    entropy = int(rng.integers(0, 2**63 - 1))
    ro = RunOptions(opt.replan, opt.progress, opt.map_chunks, opt.replan_time_limit)
    res = run_simulation(sp, unc, opt.runs, entropy, ro)
    s = summarise(sp, res, unc, opt.replan, seed)
    # the median run by counties finished at the horizon (the lower middle one of an even count)
    count = (res.county_finish[:, sp.target] >= 0).sum(axis=1)
    median = int(np.argsort(count, kind="stable")[(count.size - 1) // 2])
    year = run_state(sp, unc, opt.runs, entropy, median, replace(ro, progress=None, map_chunks=None))
    inp = sp.inputs
    state = [{"county_id": inp.counties[c], "facility_type": inp.types[k], "year": inp.years[year[c, k]]}
             for c, k in zip(*np.nonzero(year >= 0), strict=True)]
    s = replace(s, median_run=median, median_state=state)
    n = min(opt.sensitivity_runs, opt.runs)
    if n <= 0:
        return s
    rows = sensitivity(sp, unc, n, entropy, RunOptions(opt.replan, None, opt.map_chunks, opt.replan_time_limit))
    return replace(s, sensitivity=rows, sensitivity_runs=n)
