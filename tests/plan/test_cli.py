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
