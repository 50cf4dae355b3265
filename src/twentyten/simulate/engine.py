"""Monte Carlo over a saved plan: runs × units arrays, one year at a time.

A *unit* is what a county starts in one year of the plan: its packages planned for that
year (a factory package brings its hospital and leisure complex, so they go together).
Each simulated year, the units that are due (planned for this year or slipped from an
earlier one) are started in the queue's order -- slipped units first, then the year's own
by the plan's benefit -- as long as the year's *realised* capacities and the year-caps
allow, skipping a unit that does not fit and trying the next, as the greedy planner places
packages. A unit that does not fit slips to the next year (it carries over).

Realised capacity of resource r in year t: ``capacity × (1 − shortfall[r, t])``, and for
labour (construction capacity) also ``× (1 − diversion[t])`` in a diversion year. A
package needs ``multiplier × designed labour`` (construction duration).

With ``replan="greedy"`` each simulated year re-plans the plan's remaining packages (the
plan decided what; re-planning decides when) from what was actually finished with
:func:`twentyten.plan.greedy.greedy_plan` (with nothing allowed after that year: greedy decides
year by year, so its choice for this year does not depend on later years; each year's
instance is built once per simulation, and only what was finished changes), at the planned
capacities (the planner does not foresee the year's shock), and the year's choice is then
started against the realised capacities as above. ``replan="optimal"`` does the same with
the optimiser (:mod:`twentyten.simulate.optimal`).

Randomness: one ``numpy.random.Generator`` is passed in. It gives one entropy value; chunk
``i`` of :data:`CHUNK` runs draws from ``default_rng([entropy, i])``, so results do not depend
on how chunks are spread over workers, and every scenario variant of one call (the tornado's)
sees the same random numbers.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from twentyten.plan.inputs import RESOURCE_FAMILY, RESOURCES, UNCAPPED, PlanInputs
from twentyten.simulate.scenario import Uncertainty

if TYPE_CHECKING:
    from twentyten.plan.greedy import GreedyPlanner

# runs per chunk (fixed: part of what a seed means)
CHUNK = {"none": 10_000, "greedy": 100, "optimal": 10}
YEAR_CAP = "year-cap"
#: The constraint families a unit can wait for, in report order.
BOTTLENECKS: tuple[str, ...] = (*(RESOURCE_FAMILY[r] for r in RESOURCES), YEAR_CAP)
REPLAN = ("none", "greedy", "optimal")


class SimulationError(ValueError):
    """A plan that cannot be simulated (one line saying why)."""


@dataclass(frozen=True)
class SimPlan:
    """A saved plan prepared for simulation.

    ``year`` (C, K) is the plan's year index per county × type (-1: not built); years
    before ``first`` are the record and are not simulated. Units are sorted by planned
    year, then by benefit (highest first), then county.
    """

    inputs: PlanInputs
    year: np.ndarray
    first: int
    unit_county: np.ndarray  # (N,)
    unit_year: np.ndarray  # (N,) planned year index
    unit_types: np.ndarray  # (N, K) bool
    unit_use: dict[str, np.ndarray]  # resource -> (N, Y): designed use if started in year t
    target: np.ndarray  # (C,) bool: counties the plan gives at least one package

    @property
    def horizon(self) -> tuple[int, ...]:
        return self.inputs.years

    @property
    def simulated_years(self) -> tuple[int, ...]:
        return self.inputs.years[self.first:]

    def planned_finish(self) -> np.ndarray:
        """Year index by which the plan finishes each county (C,); -2 for counties not in it
        (the code :class:`ChunkResult` uses)."""
        return np.where(self.target, self.year.max(axis=1), -2)


def prepare(inputs: PlanInputs, year: np.ndarray) -> SimPlan:
    """Group a plan (year index per county × type) into units; see :class:`SimPlan`."""
    year = np.asarray(year, int)
    C, K, Y = inputs.shape
    if year.shape != (C, K):
        raise SimulationError(f"plan has shape {year.shape}, expected {(C, K)}")
    first = 0
    if inputs.replan_from is not None:
        first = int(np.searchsorted(np.asarray(inputs.years), inputs.replan_from))
    if first >= Y:
        raise SimulationError(f"nothing to simulate: the plan's record reaches its last year {inputs.years[-1]}")
    cc, kk = np.nonzero(year >= first)
    key = year[cc, kk] * C + cc
    ukeys, inv = np.unique(key, return_inverse=True)
    n = ukeys.size
    types = np.zeros((n, K), bool)
    types[inv, kk] = True
    u_year = ukeys // C
    u_county = ukeys % C
    weight = (inputs.weight[u_county] * types).sum(axis=1)
    order = np.lexsort((u_county, -weight, u_year))
    u_year, u_county, types = u_year[order], u_county[order], types[order]
    use = {r: (inputs.use[r][u_county] * types[:, :, None]).sum(axis=1) for r in inputs.use}
    return SimPlan(inputs=inputs, year=year, first=first, unit_county=u_county, unit_year=u_year,
                   unit_types=types, unit_use=use, target=(year >= 0).any(axis=1))


# draws ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Draws:
    """One chunk's realised uncertainty: each county's construction-duration multiplier
    (R, C) and capacity factor per resource (R, Y) (1 = as planned)."""

    multiplier: np.ndarray
    capacity_factor: dict[str, np.ndarray]


def draw(unc: Uncertainty, shape: tuple[int, int, int], runs: int, rng: np.random.Generator) -> Draws:
    """Draw a chunk. The standard variates are drawn in a fixed order and shape whatever
    the distributions, so scenario variants share their random numbers."""
    C, K, Y = shape
    z = rng.standard_normal((runs, C))
    u_short = rng.random((len(RESOURCES), runs, Y))
    u_occ = rng.random((runs, Y))
    u_share = rng.random((runs, Y))
    mult = unc.duration.from_normal(z)
    diverted = np.where(u_occ < unc.diversion.probability, unc.diversion.share.from_uniform(u_share), 0.0)
    factor = {}
    for i, r in enumerate(RESOURCES):
        f = 1.0 - unc.shortfall[r].from_uniform(u_short[i])
        if r == "labour":
            f = f * (1.0 - diverted)
        factor[r] = f
    return Draws(multiplier=mult, capacity_factor=factor)


def realised(capacity: float, factor: np.ndarray) -> np.ndarray:
    """A year's realised capacity: planned × factor; unlimited stays unlimited (even when the
    whole of it is short: inf × 0 would be nan)."""
    if np.isinf(capacity):
        return np.full(np.shape(factor), np.inf)
    return capacity * factor


# one year's starts (one place for the rule, used by both modes) ---------------------------
def start_year(due: np.ndarray, need: dict[str, np.ndarray], capacity: dict[str, np.ndarray],
               has: np.ndarray, type_cap: np.ndarray) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Start due units in queue order, skipping those that do not fit.

    Arrays are unit-major so that each unit's runs are contiguous: ``due`` (W, R) bool;
    ``need[r]`` (W, R) use if started; ``capacity[r]`` (R,) the year's realised capacity (inf:
    unlimited); ``has`` (W, K) types of each unit; ``type_cap`` (K,) the year-caps. Returns
    (started (W, R), waited[family] (R,) bool: the family left a due unit waiting).
    """
    W, R = due.shape
    started = np.zeros((W, R), bool)
    res = [(r, RESOURCE_FAMILY.get(r, r)) for r in need if np.isfinite(capacity[r]).any()]
    load = {r: np.zeros(R) for r, _ in res}
    room = {k: int(type_cap[k]) for k in range(type_cap.size) if type_cap[k] < UNCAPPED}
    count = {k: np.zeros(R, np.int32) for k in room}
    waited = {f: np.zeros(R, bool) for f in BOTTLENECKS}
    fit = np.empty(R, bool)
    for w in range(W):
        d = due[w]
        if not d.any():
            continue
        ok = d.copy()
        for r, fam in res:
            np.less_equal(load[r] + need[r][w], capacity[r] + 1e-9, out=fit)
            waited[fam] |= d & ~fit
            ok &= fit
        ks = [k for k in room if has[w, k]]
        if ks:
            capfit = count[ks[0]] < room[ks[0]]
            for k in ks[1:]:
                capfit &= count[k] < room[k]
            waited[YEAR_CAP] |= d & ~capfit
            ok &= capfit
        started[w] = ok
        for r, _ in res:
            load[r] += need[r][w] * ok
        for k in ks:
            count[k] += ok
    return started, waited


# chunk results --------------------------------------------------------------------------
@dataclass(frozen=True)
class ChunkResult:
    """Per run: year index each county finished (R, C; -1 not by the horizon, -2 not in the
    plan) and per simulated year whether each bottleneck family left a unit waiting
    (family -> (R, Ysim))."""

    county_finish: np.ndarray
    waited: dict[str, np.ndarray]

    @staticmethod
    def concat(parts: list[ChunkResult]) -> ChunkResult:
        return ChunkResult(
            county_finish=np.concatenate([p.county_finish for p in parts]),
            waited={f: np.concatenate([p.waited[f] for p in parts]) for f in BOTTLENECKS},
        )


def _county_finish(sp: SimPlan, done_year: np.ndarray) -> np.ndarray:
    """(R, C) from (R, C, K) done year per package of the plan (-1 not done)."""
    planned = sp.year >= 0
    unfinished = ((done_year < 0) & planned[None]).any(axis=2)
    last = np.where(planned[None], done_year, -1).max(axis=2)
    out = np.where(unfinished, -1, last)
    out[:, ~sp.target] = -2
    return out.astype(np.int16)


def _units_to_counties(sp: SimPlan, done: np.ndarray) -> np.ndarray:
    """(R, C) county finish from (N, R) unit start years (-1 not started)."""
    R = done.shape[1]
    C = len(sp.inputs.counties)
    rec = np.where((sp.year >= 0) & (sp.year < sp.first), sp.year, -1).max(axis=1)  # (C,)
    out = np.broadcast_to(rec.astype(np.int16)[:, None], (C, R)).copy()
    if sp.unit_county.size:
        order = np.argsort(sp.unit_county, kind="stable")
        uc = sp.unit_county[order]
        starts = np.r_[0, np.nonzero(np.diff(uc))[0] + 1]
        d = done[order]
        last = np.maximum.reduceat(d, starts, axis=0)
        least = np.minimum.reduceat(d, starts, axis=0)
        cs = uc[starts]
        out[cs] = np.where(least < 0, -1, np.maximum(last, out[cs]))
    out[~sp.target] = -2
    return np.ascontiguousarray(out.T)


def run_chunk_fixed(sp: SimPlan, d: Draws) -> ChunkResult:
    """Runs without re-planning (vectorised over runs)."""
    done, waited = start_units(sp, d)
    return ChunkResult(county_finish=_units_to_counties(sp, done), waited=waited)


def start_units(sp: SimPlan, d: Draws) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The year index each unit was started in each run (N, R; -1 not by the horizon) and
    whether each bottleneck family left a unit waiting (family -> (R, Ysim))."""
    inp = sp.inputs
    R = d.multiplier.shape[0]
    N = sp.unit_county.size
    Y = len(inp.years)
    m_unit = np.ascontiguousarray(d.multiplier.T[sp.unit_county])  # (N, R)
    factor = {r: np.ascontiguousarray(f.T) for r, f in d.capacity_factor.items()}  # (Y, R)
    done = np.full((N, R), -1, np.int16)
    waited = {f: np.zeros((R, Y - sp.first), bool) for f in BOTTLENECKS}
    ends = np.searchsorted(sp.unit_year, np.arange(Y), side="right")
    lo = 0
    for t in range(sp.first, Y):
        hi = int(ends[t])
        while lo < hi and not (done[lo] < 0).any():  # done in every run: leave the queue
            lo += 1
        if lo >= hi:
            continue
        sl = slice(lo, hi)
        pending = done[sl] < 0
        need, cap = {}, {}
        for r in inp.capacity:
            if r not in sp.unit_use:
                continue
            base = sp.unit_use[r][sl, t][:, None]
            need[r] = m_unit[sl] * base if r == "labour" else np.broadcast_to(base, pending.shape)
            cap[r] = realised(inp.capacity[r][t], factor[r][t])
        started, w = start_year(pending, need, cap, sp.unit_types[sl], inp.cap[:, t])
        done[sl][started] = t
        for f in BOTTLENECKS:
            waited[f][:, t - sp.first] = w[f]
    return done, waited


def replan_inputs(sp: SimPlan) -> PlanInputs:
    """The instance the re-planner works on: the plan's own packages only (the plan decided
    what is built; re-planning decides when)."""
    return dataclasses.replace(sp.inputs, eligible=sp.inputs.eligible & (sp.year >= 0)[:, :, None])


def _record_from(inp: PlanInputs, cut: PlanInputs) -> np.ndarray:
    """The cut year index (C, K) of each of ``inp``'s commitments from the cut's
    ``replan_from`` on (-1 elsewhere); the later of two for one package holds, as in
    :meth:`PlanInputs.fixed_year`."""
    later = tuple(cm for cm in inp.commitments if cm.year >= cut.replan_from)
    return dataclasses.replace(cut, commitments=later).fixed_year()


def _truncate(inp: PlanInputs, t: int) -> PlanInputs:
    """The instance for re-planning year ``t``: the years up to ``t``, then *rest* years in
    which nothing may be built (caps and capacities 0): the years of the record's later
    commitments (they keep their labels), or the horizon's last year. Each rest year keeps
    the eligibility of all later years, since province-balance shares are counted from it.
    Greedy decides year by year, so its choice for ``t`` is the one a full run makes."""
    years = inp.years
    rest = sorted({cm.year for cm in inp.commitments if cm.year > years[t]}) or ([years[-1]] if t + 1 < len(years) else [])
    keep = list(range(t + 1)) + [years.index(y) for y in rest]
    n = len(rest)
    later_ok = inp.eligible[:, :, t + 1:].any(axis=2, keepdims=True)
    eligible = np.concatenate([inp.eligible[:, :, : t + 1], np.repeat(later_ok, n, axis=2)], axis=2)
    cap = np.concatenate([inp.cap[:, : t + 1], np.zeros((inp.cap.shape[0], n), inp.cap.dtype)], axis=1)
    capacity = {r: np.concatenate([a[: t + 1], np.zeros(n)]) for r, a in inp.capacity.items()}
    target = None
    if inp.target is not None:
        target = np.concatenate([inp.target[:, : t + 1], np.zeros((inp.target.shape[0], n), inp.target.dtype)], axis=1)
    return dataclasses.replace(
        inp, years=tuple(years[j] for j in keep), eligible=eligible, use={r: a[:, :, keep] for r, a in inp.use.items()},
        cap=cap, capacity=capacity, target=target, commitments=(), replan_from=years[t])


def greedy_year(planner: GreedyPlanner, done: np.ndarray, record: np.ndarray) -> np.ndarray:
    """The greedy planner's choice for year ``planner.inp.replan_from`` of a cut instance
    (:func:`_truncate`) given what is done (C, K year index, -1 not done): a bool (C, K) of
    packages it would build.

    ``record`` (C, K): the cut's year index of the plan's commitments from this year on
    (-1 none); those not done yet stay commitments (the record fixes them), earlier ones are
    replaced by what was done (done years come before the cut year, so their index is the
    same in the cut)."""
    fixed = np.where(done >= 0, done, record)
    year = planner.plan(fixed)
    t = planner.first
    return (year == t) & (done < 0)


class Replanner:
    """Yearly greedy re-planning: each year's cut instance and its
    :class:`~twentyten.plan.greedy.GreedyPlanner` are built once, each call changes only
    the commitments (what was done), and choices are remembered by state (runs that reach
    the same state share the planner's answer)."""

    #: runs played side by side by :func:`run_chunk_replan` (progress is reported per batch)
    batch = CHUNK["greedy"]

    def __init__(self, sp: SimPlan):
        from twentyten.plan.greedy import GreedyPlanner

        self.sp = sp
        Y = len(sp.inputs.years)
        base = replan_inputs(sp)
        self.planners = {t: GreedyPlanner(_truncate(base, t)) for t in range(sp.first, Y)}
        self.record = {t: _record_from(sp.inputs, p.inp) for t, p in self.planners.items()}
        self.cache: dict[tuple[int, bytes], np.ndarray] = {}

    def pick(self, t: int, done: np.ndarray) -> np.ndarray:
        key = (t, done.tobytes())
        got = self.cache.get(key)
        if got is None:
            got = greedy_year(self.planners[t], done, self.record[t])
            if len(self.cache) < 50_000:
                self.cache[key] = got
        return got

    def run(self, multiplier: np.ndarray, factor: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        """One run: ``multiplier`` (C,), ``factor[r]`` (Y,). Returns the year index each
        package was started (C, K; -1 not by the horizon) and, per simulated year and family
        of :data:`BOTTLENECKS`, whether it left a package waiting (Ysim, F)."""
        done, waited = self.run_many(multiplier[None], {r: f[None] for r, f in factor.items()})
        return done[0], waited[0]

    def run_many(self, multiplier: np.ndarray, factor: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        """Runs side by side, a year at a time: ``multiplier`` (R, C), ``factor[r]`` (R, Y);
        returns :meth:`run`'s arrays for each run, (R, C, K) and (R, Ysim, F).

        Each run's choice is its own re-plan (:meth:`pick`); the year's starts of all runs
        are one :func:`start_year` call whose units are the runs' distinct (county, packages)
        choices in queue order -- highest benefit first, then county -- which is each run's
        own queue order (a run chooses one set of packages per county)."""
        sp = self.sp
        inp = sp.inputs
        C, K, Y = inp.shape
        R = multiplier.shape[0]
        done = np.broadcast_to(np.where((sp.year >= 0) & (sp.year < sp.first), sp.year, -1), (R, C, K)).copy()
        waited = np.zeros((R, Y - sp.first, len(BOTTLENECKS)), bool)
        bits = 1 << np.arange(K, dtype=np.int64)  # a unit is coded county << K | its types as bits
        for t in range(sp.first, Y):
            picks = np.stack([self.pick(t, done[i]) for i in range(R)])  # (R, C, K)
            rr, cc = np.nonzero(picks.any(axis=2))
            if rr.size == 0:
                continue
            unit, inv = np.unique(cc * (1 << K) + picks[rr, cc].astype(np.int64) @ bits, return_inverse=True)
            counties = unit >> K
            has = (unit[:, None] & bits[None, :]) != 0
            wsum = (inp.weight[counties] * has).sum(axis=1)
            order = np.lexsort((unit, -wsum))
            counties, has = counties[order], has[order]
            due = np.zeros((unit.size, R), bool)
            due[np.argsort(order)[inv], rr] = True
            need, cap = {}, {}
            for r in inp.capacity:
                if r not in inp.use:
                    continue
                need[r] = (inp.use[r][counties, :, t] * has).sum(axis=1)[:, None]
                if r == "labour":
                    need[r] = need[r] * multiplier[:, counties].T
                need[r] = np.where(due, need[r], 0.0)  # a unit another run chose adds nothing
                cap[r] = realised(inp.capacity[r][t], factor[r][:, t])
            started, w = start_year(due, need, cap, has, inp.cap[:, t])
            for j, f in enumerate(BOTTLENECKS):
                waited[:, t - sp.first, j] = w[f]
            su, sr = np.nonzero(started)
            n, sk = np.nonzero(has[su])
            done[sr[n], counties[su[n]], sk] = t
        return done, waited


def run_chunk_replan(sp: SimPlan, d: Draws, planner: Replanner,
                     progress: Callable[[int], None] | None = None) -> ChunkResult:
    """Runs with yearly re-planning, ``planner.batch`` runs side by side
    (:meth:`Replanner.run_many`); progress is reported after each batch."""
    C, K, Y = sp.inputs.shape
    R = d.multiplier.shape[0]
    dy = np.full((R, C, K), -1, np.int16)
    waited = np.zeros((R, Y - sp.first, len(BOTTLENECKS)), bool)
    for lo in range(0, R, planner.batch):
        sl = slice(lo, min(R, lo + planner.batch))
        dy[sl], waited[sl] = planner.run_many(d.multiplier[sl], {r: f[sl] for r, f in d.capacity_factor.items()})
        if progress is not None:
            progress(sl.stop - lo)
    return ChunkResult(county_finish=_county_finish(sp, dy),
                       waited={f: waited[:, :, j] for j, f in enumerate(BOTTLENECKS)})


@dataclass(frozen=True)
class RunOptions:
    """How to run: ``replan`` none, greedy or optimal; ``progress`` is called with runs done;
    ``replan_time_limit``: seconds per optimal re-plan."""

    replan: str = "none"
    progress: Callable[[int], None] | None = None
    # (function, list of argument tuples, on_done(runs)) -> results in order; None: here, in turn
    map_chunks: Callable | None = None
    replan_time_limit: float = 5.0


def chunk_sizes(runs: int, replan: str = "none") -> list[int]:
    if runs < 1:
        raise SimulationError(f"runs must be at least 1, not {runs}")
    size = CHUNK[replan]
    n, rest = divmod(runs, size)
    return [size] * n + ([rest] if rest else [])


def run_one_chunk(sp: SimPlan, unc: Uncertainty, replan: str, entropy: int, index: int, size: int,
                  progress: Callable[[int], None] | None = None, time_limit: float = 5.0) -> ChunkResult:
    """Chunk ``index`` of a simulation: its own generator from (entropy, index)."""
    rng = np.random.default_rng([entropy, index])
    d = draw(unc, sp.inputs.shape, size, rng)
    if replan == "greedy":
        return run_chunk_replan(sp, d, Replanner(sp), progress)
    if replan == "optimal":
        from twentyten.simulate.optimal import OptimalOptions, OptimalReplanner

        return run_chunk_replan(sp, d, OptimalReplanner(sp, OptimalOptions(time_limit=time_limit)), progress)
    out = run_chunk_fixed(sp, d)
    if progress is not None:
        progress(size)
    return out


def run_simulation(sp: SimPlan, unc: Uncertainty, runs: int, entropy: int,
                   options: RunOptions | None = None) -> ChunkResult:
    """All runs of one scenario; the same entropy gives the same result."""
    opt = options or RunOptions()
    if opt.replan not in REPLAN:
        raise SimulationError(f"replan must be one of {', '.join(REPLAN)}, not {opt.replan!r}")
    sizes = chunk_sizes(runs, opt.replan)
    if opt.map_chunks is not None:
        args = [(sp, unc, opt.replan, entropy, i, s, None, opt.replan_time_limit) for i, s in enumerate(sizes)]
        parts = opt.map_chunks(run_one_chunk, args, opt.progress)
    else:
        parts = [run_one_chunk(sp, unc, opt.replan, entropy, i, s, opt.progress, opt.replan_time_limit)
                 for i, s in enumerate(sizes)]
    return ChunkResult.concat(parts)


def run_state(sp: SimPlan, unc: Uncertainty, runs: int, entropy: int, run: int,
              options: RunOptions | None = None) -> np.ndarray:
    """The year index each package was started in one run of a simulation (C, K; -1 not by
    the horizon): that run's chunk is drawn again and the run replayed."""
    opt = options or RunOptions()
    sizes = chunk_sizes(runs, opt.replan)
    size = CHUNK[opt.replan]
    index, i = divmod(run, size)
    d = draw(unc, sp.inputs.shape, sizes[index], np.random.default_rng([entropy, index]))
    one = Draws(multiplier=d.multiplier[i:i + 1], capacity_factor={r: f[i:i + 1] for r, f in d.capacity_factor.items()})
    if opt.replan == "none":
        done, _ = start_units(sp, one)
        year = np.where((sp.year >= 0) & (sp.year < sp.first), sp.year, -1)
        for n in range(sp.unit_county.size):
            year[sp.unit_county[n], sp.unit_types[n]] = done[n, 0]
        return year
    if opt.replan == "greedy":
        planner = Replanner(sp)
    else:
        from twentyten.simulate.optimal import OptimalOptions, OptimalReplanner

        planner = OptimalReplanner(sp, OptimalOptions(time_limit=opt.replan_time_limit))
    year, _ = planner.run(one.multiplier[0], {r: f[0] for r, f in one.capacity_factor.items()})
    return year


def process_mapper(workers: int) -> Callable:
    """Spread chunks over ``workers`` local processes (results in chunk order)."""

    def mapper(fn: Callable, args: list[tuple], on_done: Callable[[int], None] | None) -> list:
        from concurrent.futures import ProcessPoolExecutor, as_completed

        with ProcessPoolExecutor(max_workers=workers) as ex:
            futures = {ex.submit(fn, *a): i for i, a in enumerate(args)}
            out: list = [None] * len(args)
            for f in as_completed(futures):
                i = futures[f]
                out[i] = f.result()
                if on_done is not None:
                    on_done(args[i][5])
        return out

    return mapper


def dask_mapper(client) -> Callable:
    """Spread chunks over a dask.distributed cluster (``client``); results in chunk order,
    so a seed gives the same result as a local run."""

    def mapper(fn: Callable, args: list[tuple], on_done: Callable[[int], None] | None) -> list:
        from distributed import as_completed

        futures = [client.submit(fn, *a, pure=False) for a in args]
        index = {f.key: i for i, f in enumerate(futures)}
        for f in as_completed(futures):
            if on_done is not None:
                on_done(args[index[f.key]][5])
        return client.gather(futures)

    return mapper
