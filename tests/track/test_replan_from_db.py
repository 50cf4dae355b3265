"""`twentyten plan --from-db`: what the database says was started is fixed to its year, the
rest is re-planned; planned and cancelled projects stay free."""

from __future__ import annotations

import csv

from click.testing import CliRunner
from sqlalchemy import select

from twentyten.cli import cli
from twentyten.service.replan import record_commitments
from twentyten.store.models import Project


def _plan_rows(out) -> dict[tuple[str, str], str]:
    with open(out / "plan.csv", encoding="utf-8") as f:
        return {(r["county_id"], r["facility_type"]): r["year"] for r in csv.DictReader(f)}


def test_started_projects_are_commitments_and_planned_ones_are_not(loaded) -> None:
    with loaded() as s:
        started = {(c.county, c.facility_type): c.year for c in record_commitments(s)[0]}
        statuses = {(p.county_id, p.facility): p.status for p in s.scalars(select(Project))}
    assert started, "the bundled record has started projects"
    for key in started:
        assert statuses[key] not in ("planned", "cancelled")
    for key, st in statuses.items():
        if st in ("planned", "cancelled"):
            assert key not in started


def test_plan_from_db_fixes_a_project_the_database_says_is_under_construction(loaded_url, loaded, tmp_path) -> None:
    county = "PRK-north-hamgyong-orang"
    with loaded() as s:
        p = s.scalar(select(Project).where(Project.county_id == county, Project.facility == "hospital"))
        if p is None:  # not in the record: an officer reported it
            prov = s.scalar(select(Project.province_id).where(Project.county_id.like("PRK-north-hamgyong-%")))
            p = Project(county_id=county, province_id=prov, facility="hospital", status="planned", title="t")
            s.add(p)
        p.status, p.cohort_year = "under construction", 2031
        s.commit()
    out = tmp_path / "out"
    r = CliRunner().invoke(cli, ["plan", "--from-db", "--db", loaded_url, "--method", "greedy", "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert "commitments from the database" in r.stderr
    assert _plan_rows(out)[(county, "hospital")] == "2031"


def test_db_without_from_db_is_refused(tmp_path) -> None:
    r = CliRunner().invoke(cli, ["plan", "--db", f"sqlite:///{tmp_path}/x.db", "--out", str(tmp_path / "o")])
    assert r.exit_code == 2
    assert "--db is for --from-db" in r.stderr
    assert not (tmp_path / "o").exists()


def test_simulate_from_db_needs_a_current_plan_then_simulates_it(loaded_url, tmp_path) -> None:
    import json

    r = CliRunner().invoke(cli, ["simulate", "--from-db", "--db", loaded_url, "--runs", "50", "--format", "json"])
    assert r.exit_code == 2 and "no current plan" in r.stderr
    out = tmp_path / "p"
    r = CliRunner().invoke(cli, ["plan", "--method", "greedy", "--out", str(out)])
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(cli, ["track", "import-plan", str(out / "plan.json"), "--name", "greedy", "--db", loaded_url])
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(cli, ["simulate", "--from-db", "--db", loaded_url, "--runs", "200", "--seed", "3",
                                 "--sensitivity-runs", "0", "--format", "json"])
    assert r.exit_code == 0, r.output
    s = json.loads(r.stdout)
    assert s["runs"] == 200
    assert 0.0 <= s["finish_all"]["p"] <= 1.0
    with open(out / "plan.csv", encoding="utf-8") as f:
        planned = {row["county_id"] for row in csv.DictReader(f) if row["year"]}
    assert s["counties_in_plan"] <= len(planned)
