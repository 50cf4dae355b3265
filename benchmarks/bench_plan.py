"""Benchmark the rollout planner (not a test; sized for a 2-core machine).

    python benchmarks/bench_plan.py                      # the bundled DPRK instance
    python benchmarks/bench_plan.py --counties 3000      # a synthetic 3,000-county instance
    python benchmarks/bench_plan.py --plain              # HiGHS alone on the full MIP

Prints model size, build and solve seconds, time to a proven 1 % / 0.1 % / 0.01 % gap,
and the ratio of the greedy baseline's objective to the optimiser's.
"""

from __future__ import annotations

import argparse
import time

import numpy as np


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--counties", type=int, default=0, help="synthetic instance size (0 = bundled)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--gap", type=float, default=1e-4, help="stop when this gap is proven")
    ap.add_argument("--plain", action="store_true", help="no relax-and-fix warm start")
    ap.add_argument("--highs", action="append", default=[], metavar="KEY=VALUE",
                    help="extra HiGHS option for the full MIP (repeatable)")
    args = ap.parse_args()

    from twentyten.plan.model import build_model
    from twentyten.plan.solve import SolveOptions, solve_plan

    t0 = time.perf_counter()
    if args.counties:
        from twentyten.plan.inputs import synthetic_inputs

        inp = synthetic_inputs(args.counties, np.random.default_rng(args.seed))
        name = f"synthetic {args.counties} counties (seed {args.seed})"
    else:
        from twentyten.plan.adapter import inputs_from_atlas

        inp = inputs_from_atlas()
        name = "bundled DPRK instance"
    t_inputs = time.perf_counter() - t0
    t0 = time.perf_counter()
    model = build_model(inp)
    t_build = time.perf_counter() - t0
    print(f"instance: {name}; inputs {t_inputs:.2f} s")
    print(f"model: {model.n_cols:,} columns ({model.n_binaries:,} binaries), "
          f"{model.n_rows:,} rows, {model.nnz:,} nonzeros; build {t_build:.2f} s")
    opt = SolveOptions(time_limit=args.time_limit, mip_rel_gap=args.gap,
                       relax_and_fix=not args.plain,
                       full_mip_max_binaries=10**9 if args.plain else 15_000,
                       highs_options=tuple(_option(o) for o in args.highs))
    t0 = time.perf_counter()
    res = solve_plan(inp, opt, model=model)
    wall = time.perf_counter() - t0
    print(f"method: {res.solver}")
    print(res.status_line())
    print(f"solve wall {wall:.2f} s (includes greedy and pre-checks)")
    for g in (0.01, 0.001, 0.0001):
        t = res.time_to_gap(g)
        print(f"time to {100 * g:g} % gap: " + ("not reached" if t is None else f"{t:.2f} s"))
    ratio = res.greedy_objective / res.objective if res.objective else float("nan")
    print(f"greedy objective {res.greedy_objective:,.2f} = {100 * ratio:.1f} % of the optimiser's")


def _option(text: str) -> tuple[str, object]:
    key, _, value = text.partition("=")
    for conv in (int, float):
        try:
            return key, conv(value)
        except ValueError:
            pass
    return key, {"true": True, "false": False}.get(value.lower(), value)


if __name__ == "__main__":
    main()
