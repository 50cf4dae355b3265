"""`twentyten simulate` as a user runs it."""

from __future__ import annotations

import json

from click.testing import CliRunner
from tests.simulate.helpers import write_plan

from twentyten.cli import cli


def _run(args):
    return CliRunner().invoke(cli, ["simulate", *args])


def test_json_is_byte_identical_for_the_same_seed(tmp_path):
    plan = write_plan(tmp_path)
    args = ["--plan", str(plan), "--runs", "300", "--sensitivity-runs", "100", "--format", "json"]
    a = _run([*args, "--seed", "4"])
    b = _run([*args, "--seed", "4"])
    c = _run([*args, "--seed", "5"])
    assert a.exit_code == 0, a.output
    assert a.stdout == b.stdout
    assert a.stdout != c.stdout
    s = json.loads(a.stdout)
    assert 0 <= s["finish_all"]["p"] <= 1
    assert {r["uncertainty"] for r in s["sensitivity"]} >= {"duration", "diversion"}
    assert [r["year"] for r in s["years"]] == s["horizon"]


def test_out_writes_every_file_and_a_self_contained_report(tmp_path):
    plan = write_plan(tmp_path)
    out = tmp_path / "sim"
    r = _run(["--plan", str(plan), "--runs", "200", "--sensitivity-runs", "50", "--out", str(out),
              "--format", "csv"])
    assert r.exit_code == 0, r.output
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(["summary.json", "years.csv", "counties.csv", "provinces.csv", "bottlenecks.csv", "state_median.csv",
                            "sensitivity.csv", "report.html"])
    html = (out / "report.html").read_text(encoding="utf-8")
    assert html.count("<svg") == 3  # fan chart and two tornados
    for outside in ("http://", "https://", "<script", "<link"):
        assert outside not in html
    assert r.stdout.splitlines()[0].startswith("county_id,")


def test_a_failed_write_leaves_the_old_folder_whole(tmp_path, monkeypatch):
    from twentyten import outputs

    plan = write_plan(tmp_path)
    out = tmp_path / "sim"
    assert _run(["--plan", str(plan), "--runs", "50", "--sensitivity-runs", "0", "--out", str(out)]).exit_code == 0
    (out / "mine.txt").write_text("keep", encoding="utf-8")
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    real = outputs.os.replace
    calls = []

    def flaky(a, b):
        calls.append(a)
        if len(calls) == 3:
            raise OSError("disk full")
        return real(a, b)

    monkeypatch.setattr(outputs.os, "replace", flaky)
    r = _run(["--plan", str(plan), "--runs", "60", "--seed", "9", "--sensitivity-runs", "0", "--out", str(out)])
    assert r.exit_code == 1
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_bad_input_exits_2_with_one_line(tmp_path):
    plan = write_plan(tmp_path)
    r = _run(["--plan", str(tmp_path / "nope.json")])
    assert r.exit_code == 2 and "nope.json" in r.stderr
    bad = tmp_path / "bad.json"
    bad.write_text("{}", encoding="utf-8")
    r = _run(["--plan", str(bad)])
    assert r.exit_code == 2 and "bad.json" in r.stderr and "Traceback" not in r.output
    sc = tmp_path / "unc.yaml"
    sc.write_text("diversion: {probability: 2}\n", encoding="utf-8")
    r = _run(["--plan", str(plan), "--scenario", str(sc)])
    assert r.exit_code == 2 and "diversion.probability" in r.stderr
    f = tmp_path / "afile"
    f.write_text("x", encoding="utf-8")
    r = _run(["--plan", str(plan), "--out", str(f)])
    assert r.exit_code == 2 and "not a folder" in r.stderr
    r = _run(["--plan", str(plan), "--address", "localhost:1"])
    assert r.exit_code == 2 and "--scheduler dask" in r.stderr


def test_table_says_the_probability_and_its_error(tmp_path):
    plan = write_plan(tmp_path)
    r = _run(["--plan", str(plan), "--runs", "100", "--sensitivity-runs", "0"])
    assert r.exit_code == 0, r.output
    assert "MC s.e." in r.stdout and "Bottlenecks" in r.stdout


def test_json_with_optimal_replanning_is_data_only(tmp_path):
    """The solver's banner (written by HiGHS itself on file descriptor 1, so only a real
    process shows it) goes to stderr: stdout stays one JSON document."""
    import os
    import subprocess
    import sys

    plan = write_plan(tmp_path, n=12, seed=2)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    r = subprocess.run(
        [sys.executable, "-m", "twentyten", "simulate", "--plan", str(plan), "--runs", "2", "--sensitivity-runs", "0",
         "--replan", "optimal", "--replan-time-limit", "0.5", "--format", "json"],
        capture_output=True, text=True, env=env, timeout=300, check=False)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["runs"] == 2
    assert "HiGHS" not in r.stdout


def test_a_nan_replan_time_limit_is_refused(tmp_path):
    """click's FloatRange lets nan through every comparison; the solver would get no limit."""
    plan = write_plan(tmp_path)
    r = _run(["--plan", str(plan), "--replan", "optimal", "--replan-time-limit", "nan"])
    assert r.exit_code == 2 and "'--replan-time-limit': 'nan' is not a finite number" in r.stderr
