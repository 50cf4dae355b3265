"""``twentyten serve`` with no database (``web.serve.run_dashboard``): the first start creates
the database with the atlas, the record and the default plan and prints the URL; the second
start reuses it. Run as a user would, in a subprocess polled over HTTP, then stopped."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the track extra is not installed")

SRC = Path(__file__).resolve().parents[2] / "src"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(tmp_path: Path) -> tuple[str, str]:
    """Start the dashboard on the default database (TWENTYTEN_DB in tmp_path); the URL it
    printed and what it said on stderr, once the URL answers; then stop it."""
    port = _port()
    env = {**os.environ, "TWENTYTEN_DB": f"sqlite:///{tmp_path / 'data' / 'twentyten.db'}",
           "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}
    code = f"from twentyten.web.serve import run_dashboard; run_dashboard(None, port={port})"
    proc = subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        url = proc.stdout.readline().strip()  # printed once the database is ready
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url + "/login", timeout=5) as r:
                    assert r.status == 200
                    break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.2)
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
    return url, err


def test_first_start_creates_second_reuses(tmp_path):
    url, err = start(tmp_path)
    assert url.startswith("http://127.0.0.1:")
    assert "created " in err and "imported the default plan" in err
    assert (tmp_path / "data" / "default-plan" / "plan.json").exists()
    url2, err2 = start(tmp_path)
    assert "reusing " in err2 and "imported" not in err2
