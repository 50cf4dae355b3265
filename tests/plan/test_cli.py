"""`twentyten plan` on the bundled data (the README's main command), compare and explain."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
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
    assert "status:" in r.output and "gain over greedy" in r.output
    for name in ("plan.csv", "plan.json", "plan.geojson", "report.html"):
        assert (out / name).stat().st_size > 0
    with open(out / "plan.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert {"county_id", "facility_type", "year", "status"} <= set(rows[0])
    fixed = {(r["county_id"], r["facility_type"]) for r in rows if r["status"] == "fixed"}
    assert ("PRK-south-pyongan-songchon", "factory") in fixed  # 2024 record
    by = {(r["county_id"], r["facility_type"]): r["year"] for r in rows}
    assert by[("PRK-south-pyongan-songchon", "factory")] == "2024"
    data = json.loads((out / "plan.json").read_text())
    s = data["summary"]
    for key in ("status", "objective", "dual_bound", "mip_gap", "solve_seconds", "gain_over_greedy"):
        assert key in s
    if s["status"] != "optimal":
        assert s["proven_optimal"] is False
    html = (out / "report.html").read_text()
    assert "<svg" in html and "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "gap" in html
    gj = json.loads((out / "plan.geojson").read_text())
    assert len(gj["features"]) == 179
    assert "build[PRK-jagang-chosan,factory,2026]" in mps.read_text()


def test_greedy_method() -> None:
    r = CliRunner().invoke(cli, ["plan", "--method", "greedy"])
    assert r.exit_code == 0, r.output
    assert "greedy baseline" in r.output


def test_infeasible_scenario_names_the_conflict() -> None:
    r = CliRunner().invoke(cli, ["plan", "--scenario", str(EXAMPLES / "scenario_infeasible.yaml")])
    assert r.exit_code == 1
    assert "year-cap[factory,2027..2033]" in r.output
    assert "Traceback" not in r.output


def test_bad_scenario_file(tmp_path) -> None:
    p = tmp_path / "s.yaml"
    p.write_text("caps: {factory: {per_year: many}}\n")
    r = CliRunner().invoke(cli, ["plan", "--scenario", str(p)])
    assert r.exit_code == 1
    assert "caps.factory.per_year" in r.output


def test_explain() -> None:
    r = CliRunner().invoke(cli, ["plan", "explain", "PRK-jagang-chosan", "--time-limit", "5"])
    assert r.exit_code == 0, r.output
    assert "Chosan" in r.output and "need score" in r.output
    assert "binding by year" in r.output


def test_explain_fixed_county_by_name() -> None:
    r = CliRunner().invoke(cli, ["plan", "explain", "Songchon", "--time-limit", "5"])
    assert r.exit_code == 0, r.output
    assert "2024 (fixed)" in r.output


def test_compare() -> None:
    r = CliRunner().invoke(cli, [
        "plan", "compare", str(EXAMPLES / "scenario.yaml"),
        str(EXAMPLES / "scenario_less_labour.yaml"), "--time-limit", "5", "--format", "csv",
    ])
    assert r.exit_code == 0, r.output
    assert "objective: A" in r.output
    assert "labour capacity" in r.output
    assert "packages moved" in r.output


def test_json_output_is_parseable() -> None:
    r = CliRunner().invoke(cli, ["plan", "--method", "greedy", "--format", "json"])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert rows[0]["year"] == "2024"
    assert "status:" in r.stderr


def test_explain_ambiguous_name_asks_for_the_province() -> None:
    r = CliRunner().invoke(cli, ["plan", "explain", "Unsan", "--time-limit", "2"])
    assert r.exit_code == 1
    assert "ambiguous" in r.output and "--province" in r.output
    assert "PRK-north-pyongan-unsan" in r.output and "PRK-south-pyongan-unsan" in r.output
    assert "Traceback" not in r.output


def test_explain_with_province_picks_one() -> None:
    r = CliRunner().invoke(cli, ["plan", "explain", "Unsan", "--province", "North Pyongan",
                                 "--time-limit", "3"])
    assert r.exit_code == 0, r.output
    assert "PRK-north-pyongan-unsan" in r.output
    assert "2024 (fixed)" in r.output  # a 2024 factory site in the record


def test_explain_unknown_name_suggests_closest() -> None:
    r = CliRunner().invoke(cli, ["plan", "explain", "Chosen", "--time-limit", "2"])
    assert r.exit_code == 1
    assert "Chosan (PRK-jagang-chosan)" in r.output
    assert r.exception is None or isinstance(r.exception, SystemExit)


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("capz: {}\n", "capz"),
        ("caps: {factory: {per_year: -3}}\n", "caps.factory.per_year = -3"),
        ("caps: {factory: {per_year: lots}}\n", "caps.factory.per_year = 'lots'"),
        ("{{{ ]]]\n", "not valid YAML"),
    ],
)
def test_bad_scenario_files_exit_non_zero_naming_file_and_key(text, needle, tmp_path) -> None:
    p = tmp_path / "bad.yaml"
    p.write_text(text)
    r = CliRunner().invoke(cli, ["plan", "--scenario", str(p)])
    assert r.exit_code == 1
    assert str(p) in r.output and needle in r.output
    assert "Traceback" not in r.output


def test_missing_scenario_file(tmp_path) -> None:
    missing = tmp_path / "nope.yaml"
    r = CliRunner().invoke(cli, ["plan", "--scenario", str(missing)])
    assert r.exit_code != 0
    assert "nope.yaml" in r.output and "does not exist" in r.output


def test_compare_prints_years_as_years() -> None:
    r = CliRunner().invoke(cli, [
        "plan", "compare", str(EXAMPLES / "scenario.yaml"),
        str(EXAMPLES / "scenario_less_labour.yaml"), "--time-limit", "4", "--format", "csv",
    ])
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    head = lines.index("county,county_id,facility,year_a,year_b,why")
    rows = list(csv.DictReader(lines[head:]))
    assert rows  # less labour moves something
    for row in rows:  # 2027, not 2,027
        assert all(v == "not built" or (v.isdigit() and len(v) == 4) for v in (row["year_a"], row["year_b"]))
