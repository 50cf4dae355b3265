"""`twentyten db`: create, migrate, back up and restore the record's database."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from twentyten.cli._common import bad_input, fail, status

DB_HELP = "Database URL (sqlite:///FILE or postgresql://user:pass@host/db)."


def db_option(f: Callable) -> Callable:
    return click.option("--db", "db_url", metavar="URL", default=None,
                        show_default="$TWENTYTEN_DB or sqlite:///~/.local/share/twentyten/twentyten.db",
                        help=DB_HELP)(f)


def engine_for(db_url: str | None):
    """An engine for ``--db`` (or the setting), or a one-line refusal."""
    try:
        from twentyten.store.engine import BadDatabaseURL, make_engine
    except ImportError as e:
        fail(f"the record needs the track extra: pip install 'twentyten[track]' ({e})")
    try:
        return make_engine(db_url)
    except BadDatabaseURL as e:
        bad_input(str(e))


@contextmanager
def session_for(db_url: str | None, *, migrated: bool = True) -> Iterator[Any]:
    """A session on a migrated database; service errors become one clear line (exit 2)."""
    from sqlalchemy.exc import OperationalError

    from twentyten.service.errors import ServiceError
    from twentyten.store.engine import make_sessionmaker
    from twentyten.store.migrate import current, head

    engine = engine_for(db_url)
    try:
        if migrated and current(engine) != head():
            bad_input(f"{engine.url.render_as_string()}: the database is not at the current schema; "
                      "run `twentyten db init` (new) or `twentyten db upgrade`")
        with make_sessionmaker(engine)() as s:
            yield s
    except ServiceError as e:
        bad_input(e.detail, [f"{p['where']}: {p['reason']}" for p in e.errors[:50]]
                  + ([f"... and {len(e.errors) - 50} more"] if len(e.errors) > 50 else []))
    except OperationalError as e:
        fail(f"database {engine.url.render_as_string()}: {e.orig}")
    finally:
        engine.dispose()


@click.group("db")
def db() -> None:
    """The record's database: init, upgrade, backup, restore."""


@db.command("init")
@db_option
@click.option("--dataset", default=None, help="Dataset whose atlas and record are loaded (default: the setting).")
def init(db_url: str | None, dataset: str | None) -> None:
    """Create and migrate the database, then load the atlas regions and the record of sites."""
    from sqlalchemy import func, select

    from twentyten.service.record import load_record
    from twentyten.store.migrate import upgrade
    from twentyten.store.models import Project, Region

    engine = engine_for(db_url)
    upgrade(engine)
    with session_for(db_url) as s:
        if s.scalar(select(func.count()).select_from(Region)):
            n = s.scalar(select(func.count()).select_from(Project))
            status(f"{engine.url.render_as_string()}: migrated; it holds the record already ({n} projects), "
                   "nothing loaded")
            return
        rep = load_record(s, dataset)
    status(f"{engine.url.render_as_string()}: created; loaded {rep.regions} regions, {rep.projects} projects, "
           f"{rep.milestones} milestones, {rep.evidence} pieces of evidence")
    for n in rep.notes:
        status(f"  note: {n}")


@db.command("upgrade")
@db_option
def upgrade_cmd(db_url: str | None) -> None:
    """Migrate the database to the current schema."""
    from twentyten.store.migrate import current, head, upgrade

    engine = engine_for(db_url)
    before = current(engine)
    upgrade(engine)
    status(f"{engine.url.render_as_string()}: {before or 'empty'} -> {head()}")


@db.command("downgrade")
@db_option
@click.option("--to", "revision", default="base", show_default=True, help="Revision to go down to.")
def downgrade_cmd(db_url: str | None, revision: str) -> None:
    """Migrate the database down (``base`` drops every table of the record)."""
    from twentyten.store.migrate import current, downgrade

    engine = engine_for(db_url)
    before = current(engine)
    downgrade(engine, revision)
    status(f"{engine.url.render_as_string()}: {before} -> {current(engine) or 'base'}")


@db.command("backup")
@db_option
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup_cmd(db_url: str | None, file: Path) -> None:
    """Copy the live database to FILE (SQLite online backup, or pg_dump's custom format)."""
    from twentyten.store.backup import BackupError, backup

    try:
        backup(engine_for(db_url), file)
    except BackupError as e:
        fail(str(e))
    status(f"backup written: {file}")


@db.command("restore")
@db_option
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def restore_cmd(db_url: str | None, file: Path) -> None:
    """Replace the database's contents with the backup FILE."""
    from twentyten.store.backup import BackupError, restore

    try:
        restore(engine_for(db_url), file)
    except BackupError as e:
        bad_input(str(e))
    status(f"restored from {file}")
