"""Fixtures of the record's tests: a real database (SQLite file, and PostgreSQL from
``TWENTYTEN_TEST_PG``), migrated and loaded with the bundled record, and signed-in users.

Loading the record and hashing passwords (argon2) is slow, so each backend builds one
template database per session and every test gets a fresh copy of it (a file copy for
SQLite, ``CREATE DATABASE ... TEMPLATE`` for PostgreSQL).
"""

from __future__ import annotations

import itertools
import os
import shutil

import pytest

pytest.importorskip("sqlalchemy", reason="the track extra is not installed: pip install 'twentyten[track]'")

PG_ENV = "TWENTYTEN_TEST_PG"
BACKENDS = ("sqlite", "postgresql")
PASSWORD = "correct horse battery"
_copies = itertools.count()

# users of the tests: one per role, provinces and counties inside and outside the scope
SP, NP = "PRK-south-pyongan", "PRK-north-pyongan"
SONGCHON, KUJANG = "PRK-south-pyongan-songchon", "PRK-north-pyongan-kujang"
USERS = {
    "plan": ("planner", None),
    "ana": ("analyst", None),
    "sp": ("province", SP),
    "np": ("province", NP),
    "song": ("county", SONGCHON),
    "kuj": ("county", KUJANG),
}


def pg_url() -> str:
    url = os.environ.get(PG_ENV)
    if not url:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{PG_ENV} is unset under CI: .ci/postgres.sh must start PostgreSQL and export it")
        pytest.skip(f"{PG_ENV} is unset: no PostgreSQL server to test against (see .ci/postgres.sh)")
    return url


def _pg_admin(sql: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    u = make_url(pg_url()).set(drivername="postgresql+psycopg")
    e = create_engine(u, isolation_level="AUTOCOMMIT")
    with e.connect() as c:
        c.execute(text(sql))
    e.dispose()


def _pg_db(name: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(pg_url()).set(database=name).render_as_string(hide_password=False)


def fresh_url(backend: str, tmp_path) -> str:
    """An empty database of the backend (PostgreSQL: the test server's public schema, emptied)."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'record.db'}"
    from sqlalchemy import text

    from twentyten.store import make_engine

    url = pg_url()
    engine = make_engine(url)
    with engine.begin() as c:
        c.execute(text("DROP SCHEMA public CASCADE"))
        c.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


@pytest.fixture(params=BACKENDS)
def empty_url(request, tmp_path) -> str:
    return fresh_url(request.param, tmp_path)


@pytest.fixture
def engine(empty_url):
    from twentyten.store import make_engine

    e = make_engine(empty_url)
    yield e
    e.dispose()


# one template per test process: runs side by side on one server must not drop each other's
TEMPLATE = f"twentyten_template_{os.getpid()}"


@pytest.fixture(scope="session")
def templates(tmp_path_factory):
    """backend -> (template URL, tokens per user); built once per session, on first use."""
    built: dict[str, tuple[str, dict[str, str]]] = {}

    def get(backend: str) -> tuple[str, dict[str, str]]:
        if backend in built:
            return built[backend]
        from twentyten.service.auth import add_user, issue_token
        from twentyten.service.record import load_record
        from twentyten.store import make_engine, make_sessionmaker, upgrade

        if backend == "sqlite":
            url = f"sqlite:///{tmp_path_factory.mktemp('template') / 'record.db'}"
        else:
            pg_url()
            _pg_admin(f"DROP DATABASE IF EXISTS {TEMPLATE} WITH (FORCE)")
            _pg_admin(f"CREATE DATABASE {TEMPLATE}")
            url = _pg_db(TEMPLATE)
        e = make_engine(url)
        upgrade(e)
        tokens = {}
        with make_sessionmaker(e)() as s:
            load_record(s)
            for name, (role, region) in USERS.items():
                add_user(s, name, role, PASSWORD, region)
                tokens[name] = issue_token(s, name, PASSWORD)[0]
        e.dispose()
        built[backend] = (url, tokens)
        return built[backend]

    yield get
    if "postgresql" in built:
        _drop_pg(TEMPLATE)


@pytest.fixture(params=BACKENDS)
def loaded_url(request, templates, tmp_path):
    """A fresh copy of the loaded template: the record, the test users and their tokens."""
    url, _ = templates(request.param)
    if request.param == "sqlite":
        dest = tmp_path / "record.db"
        shutil.copy(url[len("sqlite:///"):], dest)
        yield f"sqlite:///{dest}"
        return
    name = f"twentyten_t{os.getpid()}_{next(_copies)}"
    _pg_admin(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
    yield _pg_db(name)
    _drop_pg(name)


def _drop_pg(name: str) -> None:
    """Drop a test database; an autovacuum worker on it (which the test role may not end)
    delays the drop for a moment, so try again for up to 30 s."""
    import time

    from sqlalchemy.exc import DBAPIError

    for _ in range(60):
        try:
            _pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            return
        except DBAPIError:
            time.sleep(0.5)
    _pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def loaded(loaded_url):
    """A session factory on a fresh loaded database."""
    from twentyten.store import make_engine, make_sessionmaker

    e = make_engine(loaded_url)
    yield make_sessionmaker(e)
    e.dispose()


@pytest.fixture
def client(loaded_url, loaded, templates, request):
    """A TestClient of the real app on a fresh loaded database, and a bearer header per user."""
    from fastapi.testclient import TestClient

    from twentyten.api.app import ApiSettings, create_app

    backend = "sqlite" if loaded_url.startswith("sqlite") else "postgresql"
    _, tokens = templates(backend)
    app = create_app(ApiSettings(db=loaded_url))
    with TestClient(app, raise_server_exceptions=False) as c:
        c.tokens = {n: {"Authorization": f"Bearer {t}"} for n, t in tokens.items()}
        c.sessions = loaded
        yield c
    app.state.engine.dispose()
