"""Engines and sessions: factories, never module globals (STYLE habit 9)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import Session, sessionmaker


class BadDatabaseURL(ValueError):
    """A database URL that SQLAlchemy cannot use (the message names the URL and why)."""


def default_url() -> str:
    """The ``db`` setting (``TWENTYTEN_DB``), with ``~`` expanded in an SQLite path."""
    from twentyten import settings

    url = settings.get("db")
    if url.startswith("sqlite:///"):
        path = Path(url[len("sqlite:///"):]).expanduser()
        url = f"sqlite:///{path}"
    return url


def make_engine(url: str | None = None, *, pool_size: int = 20) -> Engine:
    """An engine for ``url`` (default: the ``db`` setting).

    SQLite files get foreign keys on, WAL journaling and a busy timeout, so the API's threads
    and a CLI command can share one file; the file's folder is created. ``postgresql://`` URLs
    use psycopg 3. Up to ``2 * pool_size`` connections: the API's thread pool (40 threads) each
    holds one during a request.
    """
    from sqlalchemy import create_engine, event
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    url = url or default_url()
    try:
        u = make_url(url)
    except ArgumentError as e:
        raise BadDatabaseURL(f"database URL {url!r}: {e}") from None
    if u.drivername in ("postgresql", "postgres"):
        u = u.set(drivername="postgresql+psycopg")
    try:
        if u.get_backend_name() == "sqlite":
            if u.database and u.database != ":memory:":
                Path(u.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(u, connect_args={"check_same_thread": False, "timeout": 30},
                                   pool_size=pool_size, max_overflow=pool_size)

            @event.listens_for(engine, "connect")
            def _pragmas(dbapi_conn, _record) -> None:  # noqa: ANN001
                cur = dbapi_conn.cursor()
                cur.execute("PRAGMA foreign_keys=ON")
                cur.execute("PRAGMA journal_mode=WAL")
                cur.execute("PRAGMA synchronous=NORMAL")
                cur.close()

            return engine
        if u.get_backend_name() != "postgresql":
            raise BadDatabaseURL(f"database URL {url!r}: only sqlite:/// and postgresql:// are supported")
        return create_engine(u, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)
    except (NoSuchModuleError, ModuleNotFoundError) as e:
        raise BadDatabaseURL(f"database URL {url!r}: driver not installed ({e}); pip install 'twentyten[track]'") from None


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    from sqlalchemy.orm import sessionmaker

    return sessionmaker(engine, expire_on_commit=False)


def backend(engine: Engine) -> str:
    """``"sqlite"`` or ``"postgresql"``."""
    return engine.url.get_backend_name()
