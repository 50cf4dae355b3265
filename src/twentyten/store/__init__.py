"""The record's database: typed models, engine and sessions, migrations, backups.

The only package that speaks SQL. An SQLite file by default (the ``db`` setting), or any
PostgreSQL server by URL. Heavy imports (SQLAlchemy, Alembic) happen when these functions run.
"""

from __future__ import annotations

from twentyten.store.engine import default_url, make_engine, make_sessionmaker
from twentyten.store.migrate import downgrade, upgrade

__all__ = ["default_url", "downgrade", "make_engine", "make_sessionmaker", "upgrade"]
