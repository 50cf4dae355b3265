"""`twentyten plan` on the bundled data (the README's main command), compare and explain."""

from __future__ import annotations

import csv
import json
import stat
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from twentyten.cli import cli

pytest.importorskip("highspy")
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(scope="module")
def planned(tmp_path_factory):
    out = tmp_path_factory.mktemp("plan")
    mps = out / "model.mps"
    r = CliRunner().invoke(cli, ["plan", "--out", str(out), "--time-limit", "8",
                                 "--export-model", str(mps)])
    return r, out, mps


def test_main_command_writes_everything(planned) -> None:
    r, out, mps = planned
    assert r.exit_code == 0, r.output
    assert "status:" in r.stderr and "gain over greedy" in r.stderr
    assert "status:" not in r.stdout  # data on stdout, status on stderr
    table = r.stdout
    assert "2024 (record)" in table and "2025 (record)" in table and "2026 (record)" not in table
    total = next(line for line in table.splitlines() if "total" in line)
    data = json.loads((out / "plan.json").read_text())
    built = sum(y["built"]["factory"] for y in data["summary"]["years"])
    assert f" {built} " in total  # the totals row sums the years
    for name in ("plan.csv", "plan.json", "plan.geojson", "report.html"):
        assert (out / name).stat().st_size > 0
    with open(out / "plan.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert {"county_id", "facility_type", "year", "status"} <= set(rows[0])
    fixed = {(r["county_id"], r["facility_type"]) for r in rows if r["status"] == "fixed"}
    assert ("PRK-south-pyongan-songchon", "factory") in fixed  # 2024 record
    by = {(r["county_id"], r["facility_type"]): r["year"] for r in rows}
    assert by[("PRK-south-pyongan-songchon", "factory")] == "2024"
    s = data["summary"]
    for key in ("status", "objective", "dual_bound", "mip_gap", "solve_seconds", "gain_over_greedy"):
        assert key in s
    if s["status"] != "optimal":
        assert s["proven_optimal"] is False
    html = (out / "report.html").read_text()
    assert "<svg" in html and "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "gap" in html
    gj = json.loads((out / "plan.geojson").read_text())
    assert len(gj["features"]) == 177  # the programme sites (not Pyongyang proper, Unjong)
    assert "build[PRK-jagang-chosan,factory,2026]" in mps.read_text()
    # the model is as readable as the other outputs (not private, as its temporary file was)
    assert stat.S_IMODE(mps.stat().st_mode) == stat.S_IMODE((out / "plan.csv").stat().st_mode)
    ident = data["identity"]
    assert ident["dataset"] == "dprk" and len(ident["dataset_sha256"]) == 64
    assert ident["standards"] == "bundled" and ident["resource_use"] == "design"
    assert ident["solver_version"] and ident["seed"] == 0
    assert s["resource_use"] == "design"
    assert not list(out.glob(".*"))  # no temporary folder left


def test_explain_from_the_saved_plan_agrees_with_it(planned) -> None:
    _, out, _ = planned
    r = CliRunner().invoke(cli, ["plan", "explain", "PRK-jagang-chosan", "--plan", str(out / "plan.json")])
    assert r.exit_code == 0, r.output
    with open(out / "plan.csv", encoding="utf-8") as f:
        year = next(row["year"] for row in csv.DictReader(f)
                    if row["county_id"] == "PRK-jagang-chosan" and row["facility_type"] == "factory")
    assert f"factory: {year} (planned)" in r.stdout
    assert "solving" not in r.stderr  # read, not solved


def test_explain_formats(planned) -> None:
    p = str(planned[1] / "plan.json")
    r = CliRunner().invoke(cli, ["plan", "explain", "PRK-jagang-chosan", "--plan", p, "--format", "json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["county"] == "PRK-jagang-chosan" and data["packages"][0]["facility_type"] == "factory"
    r = CliRunner().invoke(cli, ["plan", "explain", "PRK-jagang-chosan", "--plan", p, "--format", "csv"])
    rows = list(csv.DictReader(r.stdout.splitlines()))
    assert rows and {row["not_year"] for row in rows} >= {"2024", "2025"}
    assert "status:" in r.stderr and "status:" not in r.stdout


def test_compare_saved_plans(planned) -> None:
    _, out, _ = planned
    p = str(out / "plan.json")
    r = CliRunner().invoke(cli, ["plan", "compare", p, p])
    assert r.exit_code == 0, r.output
    assert "0 packages moved" in r.stdout


def test_saved_plan_from_other_inputs_is_refused(planned, tmp_path) -> None:
    _, out, _ = planned
    p = str(out / "plan.json")
    r = CliRunner().invoke(cli, ["plan", "explain", "Chosan", "--plan", p,
                                 "--scenario", str(EXAMPLES / "scenario_less_labour.yaml")])
    assert r.exit_code == 2
    assert "was not made from these inputs: scenario" in r.stderr and "Traceback" not in r.output
    norms = tmp_path / "norms.csv"
    norms.write_text("key,value\nconstruction.crew_m2_per_month,140\n")
    r = CliRunner().invoke(cli, ["plan", "compare", p, p, "--norms", str(norms)])
    assert r.exit_code == 2 and "standards bundled" in r.stderr
    r = CliRunner().invoke(cli, ["plan", "explain", "Chosan", "--plan", p, "--dataset", "dprk"])
    assert r.exit_code == 0, r.output  # the same inputs, named


def test_greedy_method() -> None:
    r = CliRunner().invoke(cli, ["plan", "--method", "greedy"])
    assert r.exit_code == 0, r.output
    assert "greedy baseline" in r.stderr


def test_fallback_only_when_asked_and_said(tmp_path) -> None:
    out = tmp_path / "fb"
    r = CliRunner().invoke(cli, ["plan", "--method", "greedy", "--fallback-resources", "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert "status: FALLBACK resource use" in r.stderr
    data = json.loads((out / "plan.json").read_text())
    assert data["identity"]["resource_use"] == "fallback" and data["summary"]["resource_use"] == "fallback"
    assert "FALLBACK ESTIMATES" in (out / "report.html").read_text()


def test_infeasible_scenario_names_the_conflict() -> None:
    r = CliRunner().invoke(cli, ["plan", "--scenario", str(EXAMPLES / "scenario_infeasible.yaml")])
    assert r.exit_code == 1
    assert "year-cap[factory,2027..2033]" in r.output
    assert "Traceback" not in r.output




def test_explain() -> None:
    r = CliRunner().invoke(cli, ["plan", "explain", "PRK-jagang-chosan", "--time-limit", "5"])
    assert r.exit_code == 0, r.output
    assert "Chosan" in r.output and "need score" in r.output
    assert "binding by year" in r.output


def test_explain_fixed_county_by_name(planned) -> None:
    r = CliRunner().invoke(cli, ["plan", "explain", "Songchon", "--plan", str(planned[1] / "plan.json")])
    assert r.exit_code == 0, r.output
    assert "2024 (fixed)" in r.output


@pytest.fixture(scope="module")
def less_labour(tmp_path_factory):
    """The two example scenarios planned and saved (greedy: this is about compare's output,
    not the solver), as the README's compare of saved plans reads them."""
    out = tmp_path_factory.mktemp("cmp")
    for name in ("scenario", "scenario_less_labour"):
        sc = out / f"{name}.yaml"  # the greedy does not keep the province balance: without it
        d = yaml.safe_load((EXAMPLES / f"{name}.yaml").read_text())
        d["balance"] = {**d.get("balance", {}), "strength": 0.0}
        sc.write_text(yaml.safe_dump(d))
        r = CliRunner().invoke(cli, ["plan", "--method", "greedy", "--scenario", str(sc), "--out", str(out / name)])
        assert r.exit_code == 0, r.output
    return out / "scenario" / "plan.json", out / "scenario_less_labour" / "plan.json"


def test_compare(less_labour) -> None:
    a, b = less_labour
    r = CliRunner().invoke(cli, ["plan", "compare", str(a), str(b), "--format", "csv"])
    assert r.exit_code == 0, r.output
    assert "objective: A" in r.stderr  # csv: the summary is status, the rows are data
    assert "labour capacity 2026 960 -> 720" in r.stderr
    assert "packages moved" in r.stderr and "by year (packages A -> B)" in r.stderr
    assert r.stderr.index("packages moved") < r.stderr.index("reason (")
    reasons = [line for line in r.stderr.splitlines() if line.startswith("reason (")]
    assert 1 <= len(reasons) <= 5
    rows = list(csv.DictReader(r.stdout.splitlines()))
    assert rows and list(rows[0]) == ["county", "county_id", "facility", "year_a", "year_b", "why"]
    for row in rows:  # 2027, not 2,027
        assert all(v == "not built" or (v.isdigit() and len(v) == 4) for v in (row["year_a"], row["year_b"]))


def test_json_output_is_parseable() -> None:
    r = CliRunner().invoke(cli, ["plan", "--method", "greedy", "--format", "json", "--fallback-resources"])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert rows[0]["year"] == 2024 and rows[0]["record"] is True and rows[2]["record"] is False
    assert rows[0]["built"]["factory"] == 19 and rows[0]["capacity"]["labour"] == 240
    assert set(rows[0]) == {"year", "record", "built", "used", "capacity", "binding"}  # saved.YearRow
    r = CliRunner().invoke(cli, ["plan", "--method", "greedy", "--format", "csv", "--fallback-resources"])
    table = list(csv.DictReader(r.stdout.splitlines()))
    assert table[0]["year"] == "2024" and table[0]["record"] == "True" and table[0]["fac"] == "19"
    assert "status:" in r.stderr


def test_explain_ambiguous_name_asks_for_the_province(planned) -> None:
    r = CliRunner().invoke(cli, ["plan", "explain", "Unsan", "--plan", str(planned[1] / "plan.json")])
    assert r.exit_code == 2
    assert "ambiguous" in r.output and "--province" in r.output
    assert "PRK-north-pyongan-unsan" in r.output and "PRK-south-pyongan-unsan" in r.output
    assert "Traceback" not in r.output


def test_explain_with_province_picks_one(planned) -> None:
    r = CliRunner().invoke(cli, ["plan", "explain", "Unsan", "--province", "North Pyongan",
                                 "--plan", str(planned[1] / "plan.json")])
    assert r.exit_code == 0, r.output
    assert "PRK-north-pyongan-unsan" in r.output
    assert "2024 (fixed)" in r.output  # a 2024 factory site in the record


def test_explain_unknown_name_suggests_closest(planned) -> None:
    r = CliRunner().invoke(cli, ["plan", "explain", "Chosen", "--plan", str(planned[1] / "plan.json")])
    assert r.exit_code == 2
    assert "Chosan (PRK-jagang-chosan)" in r.output
    assert r.exception is None or isinstance(r.exception, SystemExit)


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("capz: {}\n", "capz = {}: unknown key"),
        ("caps: {factory: {per_year: -3}}\n", "caps.factory.per_year = -3: must not be negative"),
        ("caps: {factory: {per_year: lots}}\n", "caps.factory.per_year = 'lots'"),
        ("{{{ ]]]\n", "not valid YAML"),
        ("solver: {time_limt: 1}\n", "solver.time_limt = 1: unknown key"),
        ("commitments: {recrod: false}\n", "commitments.recrod = False: unknown key"),
        ("weights: {populaton: 1}\n", "weights.populaton = 1: unknown key"),
        ("balance: {strenght: 1}\n", "balance.strenght = 1: unknown key"),
        ('commitments: {record: "false"}\n', "commitments.record = 'false': expected true or false"),
        ("horizon: {start: true, end: 2033}\n", "horizon.start = True: expected a whole number"),
        ("commitments: {add: [{county: PRK-jagang-chosan, facility: factory, year: 2027.9}]}\n",
         "commitments.add[0].year = 2027.9: expected a whole number"),
        ("commitments: {add: [{county: PRK-jagang-chosan, facility: factory, year: 2027},"
         " {county: PRK-jagang-chosan, facility: factory, year: 2028}]}\n", "committed twice"),
        ("horizon: [2024, 2033]\n", "horizon = [2024, 2033]: expected a mapping"),
        ("weights: [x]\n", "weights = ['x']: expected a mapping"),
        ("commitments: {add: [{county: PRK-nowhere, facility: factory, year: 2027}]}\n",
         "commitments.add[0].county = 'PRK-nowhere': not a county id of the dataset"),
    ],
)
def test_bad_scenario_files_exit_2_naming_file_and_key(text, needle, tmp_path) -> None:
    """Bad input: exit 2, one line (file, key path, reason), nothing written, no traceback."""
    p = tmp_path / "bad.yaml"
    p.write_text(text)
    out = tmp_path / "out"
    r = CliRunner().invoke(cli, ["plan", "--scenario", str(p), "--out", str(out)])
    assert r.exit_code == 2, r.output
    assert r.stderr.count("\n") == 1 and str(p) in r.stderr and needle in r.stderr
    assert r.stdout == "" and not out.exists()
    assert "Traceback" not in r.output and isinstance(r.exception, SystemExit)


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--time-limit", "-1"], "--time-limit = -1.0: must be a positive number of seconds"),
        (["--time-limit", "nan"], "--time-limit = nan: must be a positive number of seconds"),
        (["--time-limit", "inf"], "--time-limit = inf"),
        (["--norms", "/nonexistent/norms.csv"], "/nonexistent/norms.csv: norms file not found"),
        (["--dataset", "/nonexistent"], "dataset '/nonexistent': no such bundled dataset"),
    ],
)
def test_bad_options_exit_2(args, needle, tmp_path) -> None:
    out = tmp_path / "out"
    r = CliRunner().invoke(cli, ["plan", *args, "--out", str(out)])
    assert r.exit_code == 2, r.output
    assert r.stderr.count("\n") == 1 and needle in r.stderr
    assert not out.exists() and "Traceback" not in r.output


def test_missing_dataset_setting_is_one_line(tmp_path) -> None:
    r = CliRunner().invoke(cli, ["plan"], env={"TWENTYTEN_DATASET": "/nonexistent"})
    assert r.exit_code == 2
    assert r.stderr.count("\n") == 1 and "'/nonexistent': no such bundled dataset" in r.stderr
    assert "Traceback" not in r.output


def test_a_dataset_that_does_not_exist_is_one_line_for_every_plan_command(planned, tmp_path) -> None:
    """explain and compare read a saved plan, then the dataset named: never a traceback."""
    saved = str(planned[1] / "plan.json")
    nowhere = str(tmp_path / "nowhere")
    for args in (["explain", "Chosan", "--plan", saved], ["compare", saved, saved]):
        r = CliRunner().invoke(cli, ["plan", *args, "--dataset", nowhere])
        assert r.exit_code == 2 and isinstance(r.exception, SystemExit), r.output
        assert r.stderr.splitlines() == [
            f"error: {nowhere}: no such dataset: not a bundled dataset (dprk), folder or CSV file"]


def test_a_negative_seed_is_refused() -> None:
    """HiGHS takes seeds from 0: a negative one would be recorded in plan.json but not used."""
    r = CliRunner().invoke(cli, ["plan", "--seed", "-1"])
    assert r.exit_code == 2 and "Invalid value for '--seed'" in r.stderr


def test_unwritable_outputs_are_refused_before_solving(tmp_path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("mine")
    for args, needle in (
        (["--export-model", str(tmp_path / "missing" / "m.mps")], "does not exist"),
        (["--export-model", str(blocker / "m.mps")], "does not exist"),
        (["--out", str(blocker)], "exists and is not a folder"),
        (["--out", str(blocker / "sub")], "is not a folder"),
    ):
        r = CliRunner().invoke(cli, ["plan", *args])
        assert r.exit_code == 2, r.output
        assert needle in r.stderr and "solving" not in r.stderr and "model written" not in r.stderr
    assert blocker.read_text() == "mine"


def test_bad_saved_plan_is_refused(tmp_path) -> None:
    p = tmp_path / "plan.json"
    p.write_text('{"summary": {}}')
    r = CliRunner().invoke(cli, ["plan", "explain", "Chosan", "--plan", str(p)])
    assert r.exit_code == 2
    assert str(p) in r.stderr and "not a saved plan" in r.stderr and "Traceback" not in r.output


def test_missing_scenario_file(tmp_path) -> None:
    missing = tmp_path / "nope.yaml"
    r = CliRunner().invoke(cli, ["plan", "--scenario", str(missing)])
    assert r.exit_code != 0
    assert "nope.yaml" in r.output and "does not exist" in r.output


def test_a_design_failure_stops_the_plan_with_one_line(tmp_path) -> None:
    """A county the design cannot size (population 0, which the atlas accepts): exit 1, the
    county, year and error; nothing written; the fallback only when asked, and said."""
    from twentyten.atlas.loader import resolve

    ds = tmp_path / "ds"
    ds.mkdir()
    for f in resolve("dprk").iterdir():
        if f.is_file():
            (ds / f.name).write_bytes(f.read_bytes())
    with open(ds / "regions.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    by = {r["id"]: r for r in rows}
    moved = int(by["PRK-jagang-chosan"]["population"])
    by["PRK-jagang-chosan"]["population"] = "0"  # the province total still adds up
    by["PRK-jagang-kanggye-city"]["population"] = str(int(by["PRK-jagang-kanggye-city"]["population"]) + moved)
    with open(ds / "regions.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    out = tmp_path / "out"
    r = CliRunner().invoke(cli, ["plan", "--dataset", str(ds), "--method", "greedy", "--out", str(out)])
    assert r.exit_code == 1, r.output
    assert r.stderr.count("\n") == 1 and "design of Chosan (PRK-jagang-chosan) for 2024 failed" in r.stderr
    assert r.stdout == "" and not out.exists() and "Traceback" not in r.output
    r = CliRunner().invoke(cli, ["plan", "--dataset", str(ds), "--method", "greedy", "--fallback-resources"])
    assert r.exit_code == 0 and "FALLBACK" in r.stderr


def test_json_stdout_is_only_data_in_a_fresh_process() -> None:
    """HiGHS prints a banner on stdout when the process makes its first solver: the CLI sends it
    to stderr, so `plan --format json` is parseable (a subprocess, so the banner is really first)."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    p = subprocess.run([sys.executable, "-m", "twentyten", "plan", "--fallback-resources", "--time-limit", "2",
                        "--format", "json"], capture_output=True, text=True, env=env, timeout=600)
    assert p.returncode == 0, p.stderr
    rows = json.loads(p.stdout)
    assert rows[0]["year"] == 2024
    assert "Running HiGHS" in p.stderr and "Running HiGHS" not in p.stdout


def test_greedy_csv_is_plain_values_and_solver_options_are_not_silently_ignored() -> None:
    r = CliRunner().invoke(cli, ["plan", "--method", "greedy", "--format", "csv", "--time-limit", "5"])
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(r.stdout.splitlines()))
    binding = next(row["binding"] for row in rows if row["binding"])
    assert not binding.startswith("[") and all(n.strip().endswith("]") for n in binding.split(";"))
    assert "note: --time-limit has no effect on --method greedy" in r.stderr


def test_greedy_on_impossible_settings_names_the_conflict(tmp_path) -> None:
    """The baseline gets the optimal path's pre-checks, not advice about a time limit it lacks."""
    p = tmp_path / "tight.yaml"
    p.write_text("caps: {factory: {per_year: 0}}\nhorizon: {start: 2024, end: 2025}\n")
    r = CliRunner().invoke(cli, ["plan", "--method", "greedy", "--scenario", str(p)])
    assert r.exit_code == 1 and isinstance(r.exception, SystemExit)
    lines = r.stderr.splitlines()
    assert lines[0] == "error: no plan satisfies these settings"
    assert "year-cap[factory,2024] is 0" in lines[1] and "--time-limit" not in r.stderr


def test_a_horizon_before_the_standards_is_bad_input(tmp_path) -> None:
    p = tmp_path / "early.yaml"
    p.write_text("horizon: {start: 1990, end: 1995}\n")
    r = CliRunner().invoke(cli, ["plan", "--method", "greedy", "--scenario", str(p)])
    assert r.exit_code == 2 and isinstance(r.exception, SystemExit)
    assert r.stderr.splitlines() == [f"error: {p}: horizon.start = 1990: before the standards' base year 2022 "
                                     "(no standard to design its packages with)"]


def test_a_horizon_past_the_last_standard_says_the_standard_is_held(tmp_path) -> None:
    p = tmp_path / "long.yaml"
    p.write_text("horizon: {start: 2024, end: 2035}\n")
    r = CliRunner().invoke(cli, ["plan", "--method", "greedy", "--scenario", str(p)])
    assert r.exit_code == 0, r.output
    assert ("note: standards: none is defined after 2033; packages for 2034-2035 are designed at the 2033 "
            "standard (held, not extrapolated)") in r.stderr
    r = CliRunner().invoke(cli, ["plan", "--method", "greedy"])
    assert "held, not extrapolated" not in r.stderr  # the programme's own horizon has every standard
