"""`twentyten indicators` as a user runs it, on a plan built here."""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner
from tests.simulate.helpers import synthetic, write_plan

from twentyten.cli import cli


@pytest.fixture
def setup(tmp_path):
    plan = write_plan(tmp_path, n=30, seed=3)
    ds = tmp_path / "ds"
    ds.mkdir()
    (ds / "indicators.yaml").write_text(
        "capital:\n  region: P000\n  basis: {assumption: 'the first province, for the test'}\n", encoding="utf-8")
    return plan, ds


def _run(args):
    return CliRunner().invoke(cli, ["indicators", *args])


def test_json_counts_coverage_from_the_plan(setup):
    plan, ds = setup
    inp, year = synthetic(30, 3)
    r = _run(["--plan", str(plan), "--dataset", str(ds), "--year", "2027", "--format", "json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    t = np.searchsorted(inp.years, 2027)
    built = (year >= 0) & (year <= t)
    for k, row in enumerate(out["coverage"]):
        assert row["counties"] == int(built[:, k].sum())
        assert row["population"] == int(round(inp.population[built[:, k]].sum()))
    tt = out["balance"]["theil_t"]
    assert tt["within_province"] + tt["between_province"] == pytest.approx(tt["total"], abs=1e-5)
    assert out["capital"] == "P000"
    assert sum(c["capital"] for c in out["counties"]) == int((inp.county_province == 0).sum())


def test_state_file_replaces_the_schedule(setup, tmp_path):
    plan, ds = setup
    inp, _ = synthetic(30, 3)
    state = tmp_path / "state.csv"
    state.write_text("county_id,facility_type,year\n" + "".join(
        f"{c},factory,2025\n" for c in inp.counties), encoding="utf-8")
    r = _run(["--plan", str(plan), "--state", str(state), "--dataset", str(ds), "--format", "json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["coverage"][0]["counties"] == len(inp.counties)
    assert out["balance"]["gini"] == 0.0 and out["balance"]["theil_t"]["total"] == 0.0  # everyone has one


@pytest.mark.parametrize("text, says", [
    ("county,facility_type,year\n", "missing column county_id"),
    ("county_id,facility_type,year\nC99999,factory,2025\n", "line 2: county_id 'C99999'"),
    ("county_id,facility_type,year\nC00000,spaceport,2025\n", "line 2: facility_type 'spaceport'"),
    ("county_id,facility_type,year\nC00000,factory,soon\n", "line 2: year 'soon'"),
])
def test_bad_state_files_exit_2_naming_the_line(setup, tmp_path, text, says):
    plan, ds = setup
    state = tmp_path / "state.csv"
    state.write_text(text, encoding="utf-8")
    r = _run(["--plan", str(plan), "--state", str(state), "--dataset", str(ds)])
    assert r.exit_code == 2
    assert says in r.stderr and str(state) in r.stderr


def test_unknown_capital_and_missing_plan(setup, tmp_path):
    plan, ds = setup
    (ds / "indicators.yaml").write_text("capital: {region: Atlantis, basis: {assumption: x}}\n", encoding="utf-8")
    r = _run(["--plan", str(plan), "--dataset", str(ds)])
    assert r.exit_code == 2 and "Atlantis" in r.stderr
    (ds / "indicators.yaml").write_text("capital: {region: P000, basis: {assumption: x}, size: 3}\n", encoding="utf-8")
    r = _run(["--plan", str(plan), "--dataset", str(ds)])
    assert r.exit_code == 2 and "capital.size" in r.stderr
    r = _run(["--plan", str(tmp_path / "none.json")])
    assert r.exit_code == 2 and "none.json" in r.stderr


def test_bundled_capital_is_a_region_of_the_bundled_atlas():
    from twentyten.indicators.coverage import load_spec

    spec = load_spec("dprk")
    import csv
    from importlib import resources

    ids = {r["id"] for r in csv.DictReader(
        (resources.files("twentyten") / "data" / "dprk" / "regions.csv").open(encoding="utf-8"))}
    assert spec.capital.region in ids


def test_indicators_of_a_simulated_year(setup, tmp_path):
    """simulate --out writes the median run's state; indicators reads it for any year."""
    plan, ds = setup
    out = tmp_path / "sim"
    r = CliRunner().invoke(cli, ["simulate", "--plan", str(plan), "--runs", "200", "--sensitivity-runs", "0",
                                 "--out", str(out), "--format", "json"])
    assert r.exit_code == 0, r.output
    state = out / "state_median.csv"
    rows = state.read_text(encoding="utf-8").splitlines()
    assert rows[0] == "county_id,facility_type,year" and len(rows) > 1
    by_plan = json.loads(_run(["--plan", str(plan), "--dataset", str(ds), "--format", "json"]).stdout)
    sim = _run(["--plan", str(plan), "--state", str(state), "--dataset", str(ds), "--format", "json"])
    assert sim.exit_code == 0, sim.output
    by_sim = json.loads(sim.stdout)
    # the simulated state never covers more than the plan (slipped packages are missing)
    for a, b in zip(by_sim["coverage"], by_plan["coverage"], strict=True):
        assert a["counties"] <= b["counties"]


def test_capacity_per_head_from_the_design(tmp_path):
    """--capacity designs each county in service; its hospital beds are the design's."""
    from twentyten.atlas import load_atlas
    from twentyten.design import design_package
    from twentyten.plan.instance import load_instance
    from twentyten.plan.saved import saved_plan
    from twentyten.plan.solve import solve_greedy
    from twentyten.standards import load_standards

    result = solve_greedy(load_instance().inputs)
    plan = tmp_path / "plan.json"
    plan.write_text(saved_plan(result, None).model_dump_json(), encoding="utf-8")
    r = _run(["--plan", str(plan), "--year", "2028", "--capacity", "--format", "json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    inp = result.inputs
    k = inp.type_index("hospital")
    c = int(np.nonzero((result.year[:, k] >= 0) & (result.year[:, k] <= inp.years.index(2028)))[0][0])
    y = inp.years[result.year[c, k]]
    region = {x.id: x for x in load_atlas("dprk").counties()}[inp.counties[c]]
    beds = sum(f.capacity["beds"] for f in design_package(region, y, load_standards(None, None), explain=False)
               .by_type("hospital"))
    row = next(x for x in out["counties"] if x["county_id"] == inp.counties[c])
    assert row["hospital.beds_per_1000"] == pytest.approx(beds * 1000 / inp.population[c], rel=1e-4)
    hosp = next(x for x in out["capacity"] if x["facility_type"] == "hospital")
    assert hosp["capacity"] == "beds" and hosp["per_1000_served"] >= hosp["per_1000_people"] > 0


def test_capacity_for_counties_outside_the_atlas_is_refused(setup, tmp_path):
    import shutil
    from importlib import resources

    plan, _ = setup
    ds = tmp_path / "atlas"
    shutil.copytree(str(resources.files("twentyten") / "data" / "dprk"), ds)
    (ds / "indicators.yaml").write_text("capital: {region: P000, basis: {assumption: x}}\ncapacity: {hospital: beds}\n",
                                        encoding="utf-8")
    r = _run(["--plan", str(plan), "--dataset", str(ds), "--capacity"])
    assert r.exit_code == 2 and "not in the dataset's atlas" in r.stderr


@pytest.mark.parametrize("year", ["1990", "2050"])
def test_a_year_outside_the_plans_horizon_is_refused(setup, year):
    """The plan says nothing outside its years: no indicators made up for them."""
    plan, ds = setup
    inp, _ = synthetic(30, 3)
    r = _run(["--plan", str(plan), "--dataset", str(ds), "--year", year])
    assert r.exit_code == 2 and r.stdout == ""
    assert r.stderr.splitlines() == [
        f"error: --year {year}: outside the plan's horizon {inp.years[0]}-{inp.years[-1]} "
        "(give --state for what was built in other years)"]


def test_a_dataset_that_does_not_exist_is_one_line(setup, tmp_path):
    plan, _ = setup
    r = _run(["--plan", str(plan), "--dataset", str(tmp_path / "nowhere")])
    assert r.exit_code == 2 and isinstance(r.exception, SystemExit)
    assert r.stderr.splitlines() == [
        f"error: {tmp_path / 'nowhere'}: no such dataset: not a bundled dataset (dprk), folder or CSV file"]


def test_an_indicators_file_that_is_not_text_is_one_line(setup):
    plan, ds = setup
    (ds / "indicators.yaml").write_bytes(b"capital: \xff\n")
    r = _run(["--plan", str(plan), "--dataset", str(ds)])
    assert r.exit_code == 2 and isinstance(r.exception, SystemExit)
    assert r.stderr.splitlines() == [f"error: {ds / 'indicators.yaml'}: not UTF-8 text (invalid start byte at byte 9)"]
