"""Migrations on both databases, no drift, the loaded record, append-only audit, backups."""

import pytest
from click.testing import CliRunner
from sqlalchemy import func, inspect, select, text
from sqlalchemy.exc import DBAPIError

from twentyten.cli import cli
from twentyten.store import downgrade, upgrade
from twentyten.store.migrate import current, drift, head
from twentyten.store.models import AuditEntry, Evidence, Milestone, Project, Region


def test_migrations_go_up_and_down_without_drift(engine):
    upgrade(engine)
    assert current(engine) == head()
    assert drift(engine) == []
    downgrade(engine)
    assert current(engine) is None
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    upgrade(engine)
    assert "project" in inspect(engine).get_table_names()


def test_the_record_is_loaded_with_partial_dates_and_sources(loaded):
    with loaded() as s:
        assert s.scalar(select(func.count()).select_from(Region).where(Region.level == "county")) > 150
        song = s.scalars(select(Project).where(Project.county_id == "PRK-south-pyongan-songchon",
                                               Project.facility == "factory")).one()
        assert song.status == "inaugurated" and song.cohort_year == 2024
        kinds = {m.kind: m for m in song.milestones}
        assert (kinds["ground-breaking"].date_from, kinds["ground-breaking"].precision) == ("2024-02-28", "day")
        assert (kinds["inauguration"].date_from, kinds["inauguration"].precision) == ("2024-12", "month")
        urls = {e.url for m in song.milestones for e in m.evidence}
        assert "https://38north.org/2025/03/the-20x10-project-begins-songchon-and-yonthan" in urls
        kujang = s.scalars(select(Project).where(Project.county_id == "PRK-north-pyongan-kujang")).first()
        gb = next(m for m in kujang.milestones if m.kind == "ground-breaking")
        assert (gb.date_from, gb.date_to) == ("2024-03-06", "2024-03-10")
        # Kangdong: the hospital's inauguration (2025-11-19) is not the factories'
        kd = {p.facility: p for p in s.scalars(select(Project).where(Project.county_id == "PRK-pyongyang-kangdong"))}
        assert kd["hospital"].status == "inaugurated" and kd["factory"].status == "ground-breaking"
        # every milestone carries evidence
        bare = s.scalar(select(func.count()).select_from(Milestone).where(~Milestone.evidence.any()))
        assert bare == 0
        assert s.scalar(select(func.count()).select_from(Evidence).where(Evidence.url == "")) == 0


def test_audit_log_is_append_only_in_the_database(loaded, loaded_url):
    from twentyten.store import make_engine

    engine = make_engine(loaded_url)
    with loaded() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry)) >= 1
    for stmt in ("UPDATE audit SET actor = 'x'", "DELETE FROM audit"):
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as c:
            c.execute(text(stmt))
    with loaded() as s:
        assert s.scalar(select(AuditEntry.actor)) == "system"
    engine.dispose()


def test_db_init_backup_and_restore_by_cli(empty_url, tmp_path):
    run = CliRunner().invoke
    r = run(cli, ["db", "init", "--db", empty_url])
    assert r.exit_code == 0, r.output
    assert "69 projects" in r.output
    r = run(cli, ["db", "init", "--db", empty_url])
    assert r.exit_code == 0 and "nothing loaded" in r.output
    bak = tmp_path / "record.bak"
    assert run(cli, ["db", "backup", str(bak), "--db", empty_url]).exit_code == 0
    assert bak.stat().st_size > 0
    r = run(cli, ["users", "add", "late", "--role", "analyst", "--password-stdin", "--db", empty_url],
            input="a long password\n")
    assert r.exit_code == 0, r.output
    r = run(cli, ["db", "restore", str(bak), "--db", empty_url])
    assert r.exit_code == 0, r.output
    r = run(cli, ["users", "list", "--format", "csv", "--db", empty_url])
    assert r.exit_code == 0 and "late" not in r.output  # the user added after the backup is gone
    r = run(cli, ["track", "projects", "--format", "csv", "--db", empty_url])
    assert r.output.count("\n") == 70


def test_restore_refuses_a_file_that_is_not_a_backup(empty_url, tmp_path):
    junk = tmp_path / "junk.bak"
    junk.write_text("not a backup")
    r = CliRunner().invoke(cli, ["db", "restore", str(junk), "--db", empty_url])
    assert r.exit_code == 2 and "not a" in r.output


def test_commands_refuse_an_unmigrated_database(tmp_path):
    r = CliRunner().invoke(cli, ["track", "status", "--db", f"sqlite:///{tmp_path / 'new.db'}"])
    assert r.exit_code == 2 and "db init" in r.output
    r = CliRunner().invoke(cli, ["track", "status", "--db", "mysql://x/y"])
    assert r.exit_code == 2 and "sqlite" in r.output


def test_serve_answers_on_loopback(loaded_url):
    """`twentyten serve` starts uvicorn on the database and serves the OpenAPI document."""
    import os
    import socket
    import subprocess
    import sys
    import time

    import httpx

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.Popen([sys.executable, "-m", "twentyten", "serve", "--db", loaded_url, "--port", str(port)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        for _ in range(300):
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=2)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stderr.read().decode()
                time.sleep(0.1)
        assert r.status_code == 200 and "/api/projects" in r.json()["paths"]
        assert httpx.get(f"http://127.0.0.1:{port}/api/projects").status_code == 401
    finally:
        proc.terminate()
        proc.wait(timeout=30)
