"""Benchmark the greedy planner against its first, plain-Python version (not a test).

    python benchmarks/bench_greedy.py                    # bundled instance + 3,000 synthetic counties
    python benchmarks/bench_greedy.py --counties 1000 --repeat 5

``reference_greedy_plan`` (tests/plan/greedy_reference.py: the one copy, also the tests'
reference) is the first version, kept verbatim as the baseline; each instance is planned by
both in the same run (best of ``repeat``), the plans are checked to be identical, and the
seconds and the ratio old / new are printed.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

import numpy as np

from twentyten.plan.inputs import PlanInputs


def _best(fn, inp: PlanInputs, repeat: int) -> tuple[float, np.ndarray]:
    best, out = math.inf, None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn(inp)
        best = min(best, time.perf_counter() - t0)
    return best, out


def main() -> None:
    from twentyten.plan.adapter import inputs_from_atlas
    from twentyten.plan.greedy import greedy_plan
    from twentyten.plan.inputs import synthetic_inputs

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root, for tests/
    from tests.plan.greedy_reference import reference_greedy_plan

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--counties", type=int, default=3000, help="synthetic instance size")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=3, help="best of this many calls")
    a = ap.parse_args()
    cases = [("bundled", inputs_from_atlas(), max(a.repeat, 5)),
             (f"synthetic {a.counties}", synthetic_inputs(a.counties, np.random.default_rng(a.seed)), a.repeat)]
    print(f"{'instance':<18} {'C×K×Y':>12} {'old s':>9} {'new s':>9} {'ratio':>7}  same plan")
    for name, inp, rep in cases:
        t_old, y_old = _best(reference_greedy_plan, inp, rep)
        t_new, y_new = _best(greedy_plan, inp, rep)
        same = np.array_equal(y_old, y_new)
        shape = "×".join(map(str, inp.shape))
        print(f"{name:<18} {shape:>12} {t_old:9.4f} {t_new:9.4f} {t_old / t_new:7.1f}  {same}")
        if not same:
            raise SystemExit(f"{name}: the plans differ")


if __name__ == "__main__":
    main()
