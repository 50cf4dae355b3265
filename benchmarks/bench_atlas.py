"""Benchmark loading the atlas and the standards (not a test; sized for a 2-core machine).

    python benchmarks/bench_atlas.py                       # this checkout
    python benchmarks/bench_atlas.py --against ../main/src # and another checkout, same run

Each figure is the median of ``--runs`` fresh processes: *cold* is the first load in a new
process (imports included: pydantic), also as CPU time (steadier than wall time on a busy
machine), *warm* a second load in the same process.
The baseline in the same run is the bare reading of the same files (csv + json, no
checks), so the ratio is what validation costs; ``--against`` adds another checkout's
figures (e.g. before a change) and the ratio to them; the processes of both alternate.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"

PROBE = r"""
import json, sys, time
c0 = time.process_time()
t0 = time.perf_counter()
from twentyten.atlas import load_atlas
a = load_atlas("dprk")
t1 = time.perf_counter()
c1 = time.process_time()
load_atlas("dprk")
t2 = time.perf_counter()
from twentyten.standards import load_standards
load_standards()
t3 = time.perf_counter()
load_standards()
t4 = time.perf_counter()
print(json.dumps({"atlas_cold": t1 - t0, "atlas_cold_cpu": c1 - c0, "atlas_warm": t2 - t1, "std_cold": t3 - t2, "std_warm": t4 - t3,
                  "counties": len(a.counties())}))
"""

BARE = r"""
import csv, io, json, time
from pathlib import Path
folder = Path(sys.argv[1])
t0 = time.perf_counter()
for name in ("regions.csv", "sources.csv", "provenance.csv"):
    list(csv.DictReader(io.StringIO((folder / name).read_text(encoding="utf-8-sig"))))
json.loads((folder / "counties_approx.geojson").read_text(encoding="utf-8"))
print(json.dumps({"bare": time.perf_counter() - t0}))
"""


#: Bytecode goes to a private cache (as an installed package has its .pyc files), so that
#: "cold" measures imports and loading, not compiling the sources.
PYCACHE = tempfile.mkdtemp(prefix="bench_atlas_pyc_")


def _run(code: str, src: Path, *args: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(src), "PYTHONPYCACHEPREFIX": PYCACHE}
    env.pop("TWENTYTEN_DATASET", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    out = subprocess.run([sys.executable, "-c", "import sys\n" + code, *args], env=env, capture_output=True,
                         text=True, check=True).stdout
    return json.loads(out)


def measure(srcs: list[Path], runs: int) -> list[dict[str, float]]:
    """Median figures per checkout; runs interleaved so that load on the machine hits all alike."""
    samples: list[list[dict]] = [[] for _ in srcs]
    for src in srcs:  # compile once, untimed
        _run(PROBE, src)
    for _ in range(runs):
        for i, src in enumerate(srcs):
            samples[i].append(_run(PROBE, src))
    return [{k: statistics.median(s[k] for s in ss) for k in ss[0]} for ss in samples]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--against", type=Path, help="src folder of another checkout to compare with")
    args = ap.parse_args()

    folder = SRC / "twentyten" / "data" / "dprk"
    bare = statistics.median(_run(BARE, SRC, str(folder))["bare"] for _ in range(args.runs))
    figures = measure([SRC, *([args.against.resolve()] if args.against else [])], args.runs)
    here = figures[0]
    print(f"atlas: {int(here['counties'])} counties, median of {args.runs} fresh processes")
    print(f"  bare read of the same files (csv + json, no checks): {bare * 1000:7.1f} ms")
    print(f"  load_atlas, cold (imports included): {here['atlas_cold'] * 1000:7.1f} ms"
          f"  (CPU {here['atlas_cold_cpu'] * 1000:.1f} ms)")
    print(f"  load_atlas, warm:                    {here['atlas_warm'] * 1000:7.1f} ms"
          f"  ({here['atlas_warm'] / bare:.1f} x the bare read)")
    print(f"  load_standards, cold / warm:         {here['std_cold'] * 1000:7.1f} / {here['std_warm'] * 1000:.1f} ms")
    if args.against:
        other = figures[1]
        print(f"against {args.against}:")
        for k in ("atlas_cold", "atlas_cold_cpu", "atlas_warm", "std_cold", "std_warm"):
            print(f"  {k:<11} {other[k] * 1000:7.1f} ms there, {here[k] * 1000:7.1f} ms here "
                  f"({here[k] / other[k]:.2f} x)")


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(PYCACHE, ignore_errors=True)
