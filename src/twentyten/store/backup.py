"""Backups of the record: SQLite's online backup API, ``pg_dump``/``pg_restore`` for PostgreSQL.
A backup file appears whole or not at all (written beside it, then renamed)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

from sqlalchemy.engine import Engine, make_url


class BackupError(RuntimeError):
    """A backup or restore that could not be done (the message says why; nothing was changed)."""


def _pg_url(engine: Engine) -> str:
    return engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return path


def backup(engine: Engine, dest: Path) -> Path:
    """Copy the live database to ``dest`` (an SQLite file, or a pg_dump custom-format archive)."""
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", dir=dest.parent)
    os.close(fd)
    try:
        if engine.url.get_backend_name() == "sqlite":
            src = sqlite3.connect(engine.url.database)
            out = sqlite3.connect(tmp)
            try:
                src.backup(out)
            finally:
                out.close()
                src.close()
        else:
            r = subprocess.run([_tool("pg_dump"), "--format=custom", "--no-owner", "--file", tmp, _pg_url(engine)],
                               capture_output=True, text=True)
            if r.returncode != 0:
                raise BackupError(f"pg_dump failed: {r.stderr.strip()}")
        os.replace(tmp, dest)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return dest


def restore(engine: Engine, src: Path) -> None:
    """Replace the database's contents with a backup made by :func:`backup`."""
    src = Path(src)
    if not src.is_file():
        raise BackupError(f"{src}: no such backup file")
    if engine.url.get_backend_name() == "sqlite":
        try:
            source = sqlite3.connect(f"file:{src}?mode=ro", uri=True)
            source.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.DatabaseError as e:
            raise BackupError(f"{src}: not a twentyten SQLite backup ({e})") from None
        engine.dispose()
        live = sqlite3.connect(make_url(str(engine.url)).database)
        try:
            source.backup(live)
        finally:
            live.close()
            source.close()
        return
    head = src.read_bytes()[:5]
    if head != b"PGDMP":
        raise BackupError(f"{src}: not a pg_dump custom-format archive")
    engine.dispose()
    r = subprocess.run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
                        "--dbname", _pg_url(engine), str(src)], capture_output=True, text=True)
    if r.returncode != 0:
        raise BackupError(f"pg_restore failed (nothing was changed: one transaction): {r.stderr.strip()}")
