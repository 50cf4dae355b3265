"""`import twentyten` stays cheap: no solver, database, web, geometry or plotting imports."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("highspy", "duckdb", "pyarrow", "shapely", "scipy", "matplotlib", "pandas", "fastapi", "sqlalchemy", "rich")


def test_import_is_light():
    code = (
        "import sys, time, json; t=time.perf_counter(); import twentyten, twentyten.atlas, twentyten.domain, twentyten.cli;"
        "print(json.dumps({'t': time.perf_counter()-t, 'mods': sorted(sys.modules)}))"
    )
    out = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
    loaded = {m.split(".")[0] for m in out["mods"]}
    assert not loaded & set(HEAVY), loaded & set(HEAVY)
    assert out["t"] < 1.0
