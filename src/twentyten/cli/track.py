"""`twentyten track`: the programme's record — plans, status against plan, import, export."""

from __future__ import annotations

from pathlib import Path

import click

from twentyten.cli._common import FORMATS, bad_input, emit_rows, status
from twentyten.cli.db import db_option, session_for


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as e:
        bad_input(f"{path}: {e.strerror}")


@click.group("track")
def track() -> None:
    """The record: projects, milestones, reports, plan versions (acting as the operator, a planner)."""


@track.command("import-plan")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--name", required=True, help="Name of this plan version.")
@db_option
def import_plan(file: Path, name: str, db_url: str | None) -> None:
    """Save a plan (plan.json) as the current version; projects take their planned year from it."""
    from twentyten.service.actors import SYSTEM
    from twentyten.service.plans import import_plan as run

    with session_for(db_url) as s:
        pv = run(s, SYSTEM, _read(file), name, source=str(file))
        status(f"plan {pv.id} {pv.name!r} saved as current ({len(pv.entries)} entries, "
               f"fingerprint {pv.fingerprint[:12]})")


@track.command("plans")
@db_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
def plans_cmd(db_url: str | None, fmt: str) -> None:
    """The plan versions."""
    from twentyten.service.plans import list_plans, plan_dict

    with session_for(db_url) as s:
        rows = [plan_dict(p) for p in list_plans(s, limit=10**6)[0]]
    emit_rows(rows, fmt, title="Plan versions", columns=["id", "name", "fingerprint", "current"])


@track.command("status")
@db_option
@click.option("--province", default=None, help="Only this province (id or name).")
@click.option("--year", type=int, default=None, help="Only this year.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
def status_cmd(db_url: str | None, province: str | None, year: int | None, fmt: str) -> None:
    """Plan against actual per year and province, and the slip of each project."""
    import json

    from twentyten.service.actors import SYSTEM
    from twentyten.service.status import track_status

    with session_for(db_url) as s:
        st = track_status(s, SYSTEM, province, year)
    if fmt == "json":
        click.echo(json.dumps({"rows": st.rows, "slips": st.slips, "basis": st.basis}, indent=1))
        return
    if fmt == "table":  # years are labels, not amounts
        for r in (*st.rows, *st.slips):
            for k in ("year", "planned_year", "ground_broken" if "slip_years" in r else "", "project_id"):
                if k in r and r[k] is not None:
                    r[k] = str(r[k])
    cols = ["year", "province", "planned", "ground_broken", "completed", "operating", "adherence"]
    emit_rows([{c: r[c] for c in cols} for r in st.rows], fmt, title="Plan against actual", columns=cols)
    if fmt == "table":
        emit_rows(st.slips, fmt, title="Slip per project (years)")
        status(st.basis)


@track.command("projects")
@db_option
@click.option("--province", default=None)
@click.option("--county", default=None)
@click.option("--facility", default=None)
@click.option("--status", "state", default=None)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
def projects_cmd(db_url, province, county, facility, state, fmt) -> None:
    """Projects of the record, filtered."""
    from twentyten.service.actors import SYSTEM
    from twentyten.service.projects import ProjectFilter, list_projects, project_dict, region_names

    with session_for(db_url) as s:
        rows, _ = list_projects(s, SYSTEM, ProjectFilter(province, county, facility, state), limit=10**6)
        names = region_names(s)
        out = [{k: v for k, v in project_dict(p, names).items() if k not in ("source",)} for p in rows]
    emit_rows(out, fmt, title="Projects", columns=["id", "county", "facility", "status"])


@track.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Validate only; write nothing.")
@db_option
def import_cmd(file: Path, dry_run: bool, db_url: str | None) -> None:
    """Import projects, milestones or reports (CSV or JSON): all rows or none."""
    from twentyten.service.actors import SYSTEM
    from twentyten.service.transfer import import_records

    with session_for(db_url) as s:
        res = import_records(s, SYSTEM, file.name, _read(file), dry_run=dry_run)
    verb = "would import (dry run, nothing written)" if dry_run else "imported"
    status(f"{file}: {verb} {res.projects} projects, {res.milestones} milestones, {res.reports} reports")


@track.command("export")
@click.option("--format", "fmt", type=click.Choice(["csv", "json", "geojson"]), default="csv", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write here (whole or not at all) instead of stdout.")
@db_option
def export_cmd(fmt: str, output: Path | None, db_url: str | None) -> None:
    """Export the projects with milestones and evidence."""
    from twentyten.service.actors import SYSTEM
    from twentyten.service.transfer import export_records

    with session_for(db_url) as s:
        text = export_records(s, SYSTEM, fmt)
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
        return
    from twentyten.outputs import write_file

    output.parent.mkdir(parents=True, exist_ok=True)
    write_file(output, text)
    status(f"written: {output}")


def _media_option(f):
    return click.option("--media-db", type=click.Path(dir_okay=False, path_type=Path), default=None,
                        show_default="$TWENTYTEN_MEDIA_DB", help="The `twentyten media` store.")(f)


def _media(path: Path | None):
    from twentyten import settings

    try:
        from twentyten.media.store import open_store
    except ImportError as e:
        bad_input(f"suggestions need the media extra: pip install 'twentyten[media]' ({e})")
    p = Path(path or settings.get("media_db")).expanduser()
    try:
        return open_store(p, read_only=True)
    except FileNotFoundError as e:
        bad_input(str(e))


@track.command("suggest")
@db_option
@_media_option
@click.option("--county", default=None, help="Only this county (id or name).")
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True, help="Per county.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
def suggest_cmd(db_url, media_db, county, limit, fmt) -> None:
    """Articles naming a county with a milestone word that are not yet evidence."""
    from twentyten.service.actors import SYSTEM
    from twentyten.service.suggest import suggestions

    with session_for(db_url) as s, _media(media_db) as store:
        rows = suggestions(s, SYSTEM, store, county, limit)
    cols = ["article_id", "county", "date", "outlet", "title", "milestones", "link"]
    emit_rows([{c: r[c] for c in cols} for r in rows] if fmt == "table" else rows, fmt,
              title="Suggested evidence", columns=cols)


@track.command("accept")
@click.argument("article_id")
@click.option("--county", required=True)
@click.option("--facility", default="factory", show_default=True)
@click.option("--kind", required=True, help="Milestone kind (ground-breaking, inauguration, ...).")
@db_option
@_media_option
def accept_cmd(article_id, county, facility, kind, db_url, media_db) -> None:
    """Accept a suggested article: it becomes the evidence of a new milestone."""
    from twentyten.service.actors import SYSTEM
    from twentyten.service.suggest import accept

    with session_for(db_url) as s, _media(media_db) as store:
        mid = accept(s, SYSTEM, store, article_id, county, facility, kind)
    status(f"article {article_id} is the evidence of milestone {mid}")


@track.command("reject")
@click.argument("article_id")
@click.option("--county", required=True)
@click.option("--reason", required=True)
@db_option
@_media_option
def reject_cmd(article_id, county, reason, db_url, media_db) -> None:
    """Reject a suggested article (it is not suggested again)."""
    from twentyten.service.actors import SYSTEM
    from twentyten.service.suggest import reject

    with session_for(db_url) as s, _media(media_db) as store:
        reject(s, SYSTEM, store, article_id, county, reason)
    status(f"article {article_id} rejected for {county}")
