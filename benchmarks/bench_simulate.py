"""Benchmark the Monte Carlo simulation (not a test; sized for a 2-core machine).

    python benchmarks/bench_simulate.py                         # the bundled instance, greedy plan
    python benchmarks/bench_simulate.py --plan out/plan.json    # a saved plan
    python benchmarks/bench_simulate.py --runs 100000 --greedy-runs 300 --workers 2

Prints runs per second of the vectorised runs (no re-planning) and of yearly greedy
re-planning, each with its ratio to the plain way of doing the same work in the same run
(a plain-Python loop; for re-planning, ``greedy_plan`` on the whole horizon every year of
every run, tests/simulate/replan_reference.py), whose results are checked equal to the
engine's on the same draws.
Targets (issue 11): 100,000 ten-year runs without re-planning in under 10 s on 2 cores;
at least 1,000 greedy re-planning runs a minute.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np


def plain_loop(sp, d) -> np.ndarray:
    """The no-replanning rule one run, one year, one unit at a time in plain Python:
    the baseline the vectorised engine is measured against. Returns (R, C) county finish."""
    inp = sp.inputs
    R = d.multiplier.shape[0]
    N = sp.unit_county.size
    Y = len(inp.years)
    units = [(int(sp.unit_county[n]), int(sp.unit_year[n]), [int(k) for k in np.nonzero(sp.unit_types[n])[0]])
             for n in range(N)]
    use = {r: sp.unit_use[r].tolist() for r in sp.unit_use if r in inp.capacity}
    capa = {r: inp.capacity[r].tolist() for r in use}
    caps = inp.cap.tolist()
    out = np.empty((R, len(inp.counties)), np.int16)
    for i in range(R):
        mult = d.multiplier[i].tolist()
        fac = {r: d.capacity_factor[r][i].tolist() for r in use}
        done = [-1] * N
        for t in range(sp.first, Y):
            load = dict.fromkeys(use, 0.0)
            count = [0] * len(inp.types)
            for n, (c, y, ks) in enumerate(units):
                if done[n] >= 0 or y > t:
                    continue
                need = {r: use[r][n][t] * (mult[c] if r == "labour" else 1.0) for r in use}
                ok = all(load[r] + need[r] <= capa[r][t] * fac[r][t] + 1e-9 for r in use
                         if capa[r][t] != float("inf"))
                ok = ok and all(count[k] + 1 <= caps[k][t] for k in ks if caps[k][t] < 10**9)
                if ok:
                    done[n] = t
                    for r in use:
                        load[r] += need[r]
                    for k in ks:
                        count[k] += 1
        out[i] = _finish(sp, np.array(done)[:, None])[0]
    return out


def _finish(sp, done):
    from twentyten.simulate.engine import _units_to_counties

    return _units_to_counties(sp, done.astype(np.int16))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--plan", default=None, help="a saved plan.json (default: the bundled instance, greedy plan)")
    ap.add_argument("--runs", type=int, default=100_000)
    ap.add_argument("--greedy-runs", type=int, default=300)
    ap.add_argument("--plain-runs", type=int, default=300, help="runs of the plain-Python baseline")
    ap.add_argument("--workers", type=int, default=2, help="processes for the vectorised runs")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    from twentyten.simulate.engine import (
        Replanner,
        RunOptions,
        draw,
        prepare,
        process_mapper,
        run_chunk_fixed,
        run_chunk_replan,
        run_simulation,
    )
    from twentyten.simulate.scenario import load_uncertainty

    t0 = time.perf_counter()
    if args.plan:
        from twentyten.plan.saved import load_result

        _, res = load_result(args.plan)
        inp, year, name = res.inputs, res.year, args.plan
    else:
        from twentyten.plan.greedy import greedy_plan
        from twentyten.plan.instance import load_instance

        inp = load_instance().inputs
        year, name = greedy_plan(inp), "bundled instance, greedy plan"
    sp = prepare(inp, year)
    unc = load_uncertainty()
    C, K, Y = inp.shape
    print(f"plan: {name}; {C} counties, {sp.unit_county.size} units, {len(sp.simulated_years)} simulated "
          f"years of {Y}; loaded in {time.perf_counter() - t0:.1f} s; cpus {os.cpu_count()}, "
          f"load average {os.getloadavg()[0]:.1f}")

    # vectorised, no re-planning
    t0 = time.perf_counter()
    run_simulation(sp, unc, args.runs, args.seed)
    one = time.perf_counter() - t0
    print(f"no re-planning, 1 process : {args.runs:,} runs in {one:.2f} s = {args.runs / one:,.0f} runs/s")
    if args.workers > 1:
        t0 = time.perf_counter()
        run_simulation(sp, unc, args.runs, args.seed, RunOptions(map_chunks=process_mapper(args.workers)))
        many = time.perf_counter() - t0
        print(f"no re-planning, {args.workers} processes: {args.runs:,} runs in {many:.2f} s = "
              f"{args.runs / many:,.0f} runs/s")
        one = min(one, many)
    d = draw(unc, inp.shape, args.plain_runs, np.random.default_rng(args.seed))
    t0 = time.perf_counter()
    plain = plain_loop(sp, d)
    t_plain = time.perf_counter() - t0
    vec = run_chunk_fixed(sp, d).county_finish
    assert (plain == vec).all(), "the plain loop and the vectorised engine disagree"
    plain_rate = args.plain_runs / t_plain
    print(f"plain-Python loop         : {args.plain_runs:,} runs in {t_plain:.2f} s = {plain_rate:,.0f} runs/s "
          f"(same results); vectorised is {args.runs / one / plain_rate:,.0f}x faster")
    print(f"target: 100,000 runs < 10 s -> {'met' if one * 100_000 / args.runs < 10 else 'NOT met'} "
          f"({one * 100_000 / args.runs:.1f} s for 100,000)")

    # greedy re-planning
    t0 = time.perf_counter()
    run_simulation(sp, unc, args.greedy_runs, args.seed, RunOptions(replan="greedy"))
    g1 = time.perf_counter() - t0
    print(f"greedy re-planning, 1 process : {args.greedy_runs:,} runs in {g1:.1f} s = "
          f"{60 * args.greedy_runs / g1:,.0f} runs/min")
    best = g1
    if args.workers > 1:
        t0 = time.perf_counter()
        run_simulation(sp, unc, args.greedy_runs, args.seed,
                       RunOptions(replan="greedy", map_chunks=process_mapper(args.workers)))
        g2 = time.perf_counter() - t0
        print(f"greedy re-planning, {args.workers} processes: {args.greedy_runs:,} runs in {g2:.1f} s = "
              f"{60 * args.greedy_runs / g2:,.0f} runs/min")
        best = min(g1, g2)
    # baseline: the plain way (tests/simulate/replan_reference.py), the full greedy planner
    # on the whole horizon every year of every run, no cache; its results are checked equal
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root, for tests/
    from tests.simulate.replan_reference import county_finish, plain_replan_run

    plain_runs = max(3, args.greedy_runs // 20)
    dd = draw(unc, inp.shape, plain_runs, np.random.default_rng(args.seed))
    t0 = time.perf_counter()
    plain_done = [plain_replan_run(sp, dd.multiplier[i], {r: f[i] for r, f in dd.capacity_factor.items()})[0]
                  for i in range(plain_runs)]
    t_plain = time.perf_counter() - t0
    engine = run_chunk_replan(sp, dd, Replanner(sp)).county_finish
    assert all((engine[i] == county_finish(sp, d)).all() for i, d in enumerate(plain_done)), \
        "the plain re-planning loop and the engine disagree"
    plain_rate = 60 * plain_runs / t_plain
    rate = 60 * args.greedy_runs / best
    print(f"plain re-planning (full horizon, no cache): {plain_runs} runs in {t_plain:.1f} s = "
          f"{plain_rate:,.0f} runs/min (same results); engine is {rate / plain_rate:.1f}x faster")
    print(f"target: >= 1,000 greedy runs/min -> {'met' if rate >= 1000 else 'NOT met'} ({rate:,.0f} runs/min)")


if __name__ == "__main__":
    main()
