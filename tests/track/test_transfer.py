"""Import (all or nothing, errors by row and column), export, plan versions, status."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from twentyten.cli import cli
from twentyten.service.actors import SYSTEM
from twentyten.service.errors import Invalid
from twentyten.service.transfer import import_records
from twentyten.store.models import AuditEntry, Milestone, Project, Report

from .test_api import snapshot


def report_csv(rows: int, bad_last: bool = False) -> bytes:
    lines = ["county,month,output,product_range,quality_passed,quality_failed,opinion_score,opinion_responses"]
    for i in range(rows):
        month = f"{2030 + i // 12}-{i % 12 + 1:02d}"
        score = "eleven" if bad_last and i == rows - 1 else "7.5"
        lines.append(f"Songchon,{month},soy sauce:12:t; Laundry and fragrant soap:300:t,4,10,1,{score},25")
    return ("\n".join(lines) + "\n").encode()


def test_import_failing_at_its_last_row_leaves_nothing(loaded):
    raw = report_csv(40, bad_last=True)
    before = snapshot(loaded)
    with loaded() as s, pytest.raises(Invalid) as e:
        import_records(s, SYSTEM, "reports.csv", raw)
    assert e.value.errors == [{"where": "reports.csv row 41 column opinion_score", "reason": "'eleven' is not a number"}]
    assert snapshot(loaded) == before


def test_import_writes_every_row_with_an_audit_entry_each(loaded):
    with loaded() as s:
        n_audit = s.scalar(select(func.count()).select_from(AuditEntry))
        res = import_records(s, SYSTEM, "reports.csv", report_csv(30))
    assert res.reports == 30
    with loaded() as s:
        assert s.scalar(select(func.count()).select_from(Report)) == 30
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == n_audit + 30
        r = s.scalars(select(Report).where(Report.month == "2030-01")).one()
        assert r.output == [{"line": "soy sauce", "quantity": 12.0, "unit": "t"},
                            {"line": "Laundry and fragrant soap", "quantity": 300.0, "unit": "t"}]
    with loaded() as s, pytest.raises(Invalid, match="has a 2030-01 report already"):
        import_records(s, SYSTEM, "reports.csv", report_csv(1))


def test_dry_run_validates_and_writes_nothing(loaded):
    before = snapshot(loaded)
    with loaded() as s:
        res = import_records(s, SYSTEM, "reports.csv", report_csv(5), dry_run=True)
    assert (res.reports, res.dry_run) == (5, True)
    assert snapshot(loaded) == before


@pytest.mark.parametrize("raw, where", [
    (b"county,facility,colour\nSongchon,hospital,red\n", "header"),
    (b"county,facility\nAtlantis,hospital\n", "row 2 column county"),
    (b"county,facility\nSongchon,spaceport\n", "row 2 column facility"),
    (b"county,facility,kind,date,url\nSongchon,factory,progress,2024-02-30,https://x\n", "row 2 column date"),
    (b"county,facility,kind,date,url\nSongchon,factory,progress,2024-02,\n", "row 2 column url"),
    (b"county,month\nSongchon,2024-13\n", "row 2 column month"),
    (b"county,month,output\nSongchon,2024-12,soy sauce:1:t; shoes:3:pairs\n", "row 2 column output[1].line"),
    (b"county,month,output\nSongchon,2024-12,bread_sweets:1:t; soy_sauce:3:l\n", "row 2 column output[1].unit"),
])
def test_errors_name_row_and_column(loaded, raw, where):
    with loaded() as s, pytest.raises(Invalid) as e:
        import_records(s, SYSTEM, "f.csv", raw)
    assert where in str(e.value)


def test_json_import_of_projects_and_milestones_and_api_import(loaded, client):
    doc = {"projects": [{"county": "Songchon", "facility": "hospital", "planned_year": 2027}],
           "milestones": [{"county": "Songchon", "facility": "hospital", "kind": "ground-breaking",
                           "date": "2027-03 (early)", "url": "https://example.org/x", "outlet": "example"}]}
    r = client.post("/api/import", files={"file": ("r.json", json.dumps(doc).encode(), "application/json")},
                    headers=client.tokens["song"])
    assert r.status_code == 200 and r.json() == {"projects": 1, "milestones": 1, "reports": 0, "dry_run": False,
                                                 "written": True}
    with client.sessions() as s:
        p = s.scalars(select(Project).where(Project.county_id == "PRK-south-pyongan-songchon",
                                            Project.facility == "hospital")).one()
        m = s.scalars(select(Milestone).where(Milestone.project_id == p.id)).one()
        assert (m.date_from, m.precision, m.note) == ("2027-03", "month", "early")
    doc["projects"][0]["county"] = "Kujang"
    r = client.post("/api/import", files={"file": ("r.json", json.dumps(doc).encode(), "application/json")},
                    headers=client.tokens["song"])
    assert r.status_code == 422 and "projects[0] column county" in r.json()["detail"]


def test_export_formats(loaded_url):
    run = CliRunner().invoke
    rows = list(csv.DictReader(io.StringIO(run(cli, ["track", "export", "--format", "csv", "--db", loaded_url]).output)))
    song = next(r for r in rows if r["county"] == "Songchon")
    assert (song["ground_breaking"], song["inauguration"], song["status"]) == ("2024-02-28", "2024-12", "inaugurated")
    data = json.loads(run(cli, ["track", "export", "--format", "json", "--db", loaded_url]).output)
    assert len(data) == len(rows) and all(m["evidence"] for p in data for m in p["milestones"])
    geo = json.loads(run(cli, ["track", "export", "--format", "geojson", "--db", loaded_url]).output)
    assert geo["type"] == "FeatureCollection" and len(geo["features"]) == len(rows)
    assert sum(f["geometry"] is not None for f in geo["features"]) > 0


def test_plan_versions_set_planned_years(loaded_url, tmp_path):
    run = CliRunner().invoke
    v1 = {"counties": [{"id": "PRK-south-pyongan-songchon", "years": {"factory": 2024, "hospital": 2027}},
                       {"id": "PRK-north-pyongan-kujang", "years": {"factory": 2025}}]}
    f = tmp_path / "plan.json"
    f.write_text(json.dumps(v1))
    r = run(cli, ["track", "import-plan", str(f), "--name", "first", "--db", loaded_url])
    assert r.exit_code == 0, r.output
    v1["counties"][1]["years"]["factory"] = 2026
    f.write_text(json.dumps(v1, indent=3))
    assert run(cli, ["track", "import-plan", str(f), "--name", "second", "--db", loaded_url]).exit_code == 0
    plans = json.loads(run(cli, ["track", "plans", "--format", "json", "--db", loaded_url]).output)
    assert [p["current"] for p in plans] == [False, True]
    assert plans[0]["fingerprint"] != plans[1]["fingerprint"]
    st = json.loads(run(cli, ["track", "status", "--format", "json", "--year", "2026", "--db", loaded_url]).output)
    kujang = next(s for s in st["slips"] if s["county"] == "Kujang")
    assert (kujang["planned_year"], kujang["ground_broken"], kujang["slip_years"]) == (2026, 2024, -2)
    projects = json.loads(run(cli, ["track", "projects", "--county", "Songchon", "--format", "json",
                                    "--db", loaded_url]).output)
    assert {p["facility"]: p["planned_year"] for p in projects}["hospital"] == 2027
    f.write_text('{"counties": [{"id": "PRK-nowhere", "years": {"factory": 2025}}]}')
    r = run(cli, ["track", "import-plan", str(f), "--name", "bad", "--db", loaded_url])
    assert r.exit_code == 2 and "PRK-nowhere" in r.output


def test_same_plan_same_fingerprint_whatever_the_spacing():
    from twentyten.service.plans import fingerprint

    assert fingerprint(b'{"a": 1, "b": [1, 2]}') == fingerprint(b'{\n "b":[1,2],"a":1}')
    assert fingerprint(b'{"a": 1}') != fingerprint(b'{"a": 2}')


def test_track_status_counts_the_record(loaded_url):
    r = CliRunner().invoke(cli, ["track", "status", "--format", "json", "--year", "2024", "--db", loaded_url])
    st = json.loads(r.output)
    sp = next(x for x in st["rows"] if x["province"] == "South Pyongan")
    assert sp["planned"] == 2 and sp["ground_broken"] == 2 and sp["adherence"] == 1.0
    r = CliRunner().invoke(cli, ["track", "status", "--province", "Atlantis", "--db", loaded_url])
    assert r.exit_code == 2 and "Atlantis" in r.output


def test_import_checks_each_row_against_its_county_design_once(loaded):
    """A 300-row import over two counties designs each county once, and names the row of the
    one line the county's factories do not have."""
    from twentyten.service.reports import DesignedLines

    class Counting(DesignedLines):
        designed: list[str] = []

        def _design(self, county_id, year):
            self.designed.append(county_id)
            return super()._design(county_id, year)

    with loaded() as s:
        import_records(s, SYSTEM, "projects.csv", b"county,facility\nPRK-jagang-chosan,factory\n")
    rows = ["county,month,output"]
    for i in range(300):
        county, line = ("Songchon", "soy sauce") if i % 2 else ("PRK-jagang-chosan", "wild_fruit")
        rows.append(f"{county},{2030 + i // 24}-{(i // 2) % 12 + 1:02d},{line}:2:t")
    rows[-2] = rows[-2].replace("wild_fruit", "soy sauce")
    lines = Counting()
    before = snapshot(loaded)
    with loaded() as s, pytest.raises(Invalid) as e:
        import_records(s, SYSTEM, "reports.csv", ("\n".join(rows) + "\n").encode(), lines=lines)
    assert [p["where"] for p in e.value.errors] == ["reports.csv row 300 column output[0].line"]
    assert sorted(lines.designed) == ["PRK-jagang-chosan", "PRK-south-pyongan-songchon"]
    assert snapshot(loaded) == before
