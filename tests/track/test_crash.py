"""``kill -9`` during an import leaves a consistent database: all of it or none of it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import func, select, text

from twentyten.store import make_engine, make_sessionmaker
from twentyten.store.models import AuditEntry, Report

from .test_transfer import report_csv

ROWS = 6000


def _counts(url: str) -> tuple[int, int]:
    e = make_engine(url)
    with make_sessionmaker(e)() as s:
        n = s.scalar(select(func.count()).select_from(Report))
        a = s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "import"))
        if url.startswith("sqlite"):
            assert s.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    e.dispose()
    return n, a


@pytest.mark.slow
def test_kill_9_during_import_leaves_all_or_nothing(loaded_url, tmp_path):
    src = tmp_path / "reports.csv"
    src.write_bytes(report_csv(ROWS).replace(b"Songchon,", b"PRK-south-pyongan-songchon,"))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    cmd = [sys.executable, "-m", "twentyten", "track", "import", str(src), "--db", loaded_url]
    outcomes = set()
    for delay in (1.5, 3.0, 4.5, 6.0, 8.0):
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        time.sleep(delay)
        finished = proc.poll() is not None
        if not finished:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        n, a = _counts(loaded_url)
        assert (n, a) in ((0, 0), (ROWS, ROWS)), (delay, n, a)
        outcomes.add(n)
        if n == ROWS:
            break
    # whatever happened, the database takes the import afterwards (or has it already)
    if ROWS not in outcomes:
        r = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, r.stderr
    assert _counts(loaded_url) == (ROWS, ROWS)
