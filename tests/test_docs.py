"""The README's promises: its two commands, the settings table, and CI running the same test command."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from twentyten.settings import SETTINGS

REPO = Path(__file__).resolve().parents[1]


def readme_commands() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```sh\n(.*?)```", text, re.S).group(1)
    return [line for line in block.splitlines() if line.strip()][:2]


def test_readme_opens_with_two_commands():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    assert text.index("```sh") < 40
    main, tests = readme_commands()
    assert "pip install" in main and ".venv/bin/twentyten" in main
    assert "pytest" in tests


def test_ci_runs_the_readme_test_command():
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert readme_commands()[1] in ci
    assert "ruff check" in ci


def test_every_setting_is_documented():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    for s in SETTINGS:
        assert f"`{s.name}`" in text and f"`{s.env}`" in text, s.name


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve_until_it_answers(cmd: list[str] | str, cwd: Path, env: dict[str, str], timeout: float) -> tuple[str, str]:
    """Start a command that serves the dashboard; wait for the URL it prints to answer
    /login with 200; stop it (its whole process group). Returns (url, stderr)."""
    import signal
    import time
    import urllib.request

    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            shell=isinstance(cmd, str), executable="/bin/bash" if isinstance(cmd, str) else None,
                            start_new_session=True)
    url = ""
    try:
        deadline = time.monotonic() + timeout
        while not url.startswith("http"):
            line = proc.stdout.readline()
            if not line and proc.poll() is not None:
                raise AssertionError(f"exited {proc.returncode} before serving: {proc.stderr.read()[-3000:]}")
            url = line.strip()
        while True:
            try:
                with urllib.request.urlopen(url + "/login", timeout=5) as r:
                    assert r.status == 200
                    break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.5)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    return url, err


def test_readme_main_job_runs(tmp_path):
    """The part of the first command after the install, run with this environment's entry point."""
    main = readme_commands()[0]
    job = main.split("&&")[-1].strip().split()
    assert job[0].endswith("twentyten")
    exe = shutil.which("twentyten", path=str(Path(sys.executable).parent)) or shutil.which("twentyten")
    if job[1] == "serve":  # the dashboard: it answers, and a second start reuses the database
        env = {**os.environ, "TWENTYTEN_HOME": str(tmp_path / "home")}
        env.pop("TWENTYTEN_DB", None)
        port = str(_free_port())
        url, err = _serve_until_it_answers([exe, *job[1:], "--port", port], tmp_path, env, 1500)
        assert url == f"http://127.0.0.1:{port}"
        assert "created " in err and (tmp_path / "home" / "twentyten.db").is_file()
        _, err = _serve_until_it_answers([exe, *job[1:], "--port", port], tmp_path, env, 120)
        assert "reusing " in err
        return
    r = subprocess.run([exe, *job[1:]], capture_output=True, text=True, cwd=tmp_path, timeout=900)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip()
    if job[1] == "plan":
        for name in ("report.html", "plan.csv", "plan.json", "plan.geojson"):
            assert (tmp_path / "out" / name).stat().st_size > 0, name
        assert "gain over greedy" in r.stderr  # status lines go to stderr


@pytest.mark.skipif(not os.environ.get("TWENTYTEN_TEST_INSTALL"),
                    reason="installs into a fresh venv from PyPI; set TWENTYTEN_TEST_INSTALL=1 (CI does)")
def test_readme_first_command_on_a_fresh_clone(tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(REPO), str(clone)], check=True)
    # the working tree's uncommitted state is what is under test
    for rel in subprocess.run(["git", "ls-files", "-m", "-o", "--exclude-standard"], cwd=REPO,
                              capture_output=True, text=True, check=True).stdout.split():
        dst = clone / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / rel, dst)
    main = readme_commands()[0]
    if main.rstrip().endswith("twentyten serve"):  # serves until stopped: wait for it to answer
        env = {**os.environ, "TWENTYTEN_HOME": str(tmp_path / "home")}
        env.pop("TWENTYTEN_DB", None)
        port = str(_free_port())
        url, _ = _serve_until_it_answers(main + f" --port {port}", clone, env, 1500)
        assert url == f"http://127.0.0.1:{port}"
        return
    r = subprocess.run(["bash", "-c", main], cwd=clone, capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
