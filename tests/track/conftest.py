"""Fixtures of the record's tests: a real database (SQLite file, and PostgreSQL from
``TWENTYTEN_TEST_PG``), migrated and loaded with the bundled record, and signed-in users."""

from __future__ import annotations

import os

import pytest

pytest.importorskip("sqlalchemy", reason="the track extra is not installed: pip install 'twentyten[track]'")

PG_ENV = "TWENTYTEN_TEST_PG"
BACKENDS = ("sqlite", "postgresql")
PASSWORD = "correct horse battery"


def pg_url() -> str:
    url = os.environ.get(PG_ENV)
    if not url:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{PG_ENV} is unset under CI: .ci/postgres.sh must start PostgreSQL and export it")
        pytest.skip(f"{PG_ENV} is unset: no PostgreSQL server to test against (see .ci/postgres.sh)")
    return url


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


@pytest.fixture
def loaded(engine):
    """A migrated database holding the bundled record; yields a session factory."""
    from twentyten.service.record import load_record
    from twentyten.store import make_sessionmaker, upgrade

    upgrade(engine)
    sessions = make_sessionmaker(engine)
    with sessions() as s:
        load_record(s)
    return sessions


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


@pytest.fixture
def client(loaded, engine):
    """A TestClient of the real app on the loaded database, and a token per user."""
    from fastapi.testclient import TestClient

    from twentyten.api.app import ApiSettings, create_app
    from twentyten.service.auth import add_user

    with loaded() as s:
        for name, (role, region) in USERS.items():
            add_user(s, name, role, PASSWORD, region)
    app = create_app(ApiSettings(db=engine.url.render_as_string(hide_password=False)))
    with TestClient(app, raise_server_exceptions=False) as c:
        c.tokens = {}
        for name in USERS:
            r = c.post("/api/auth/token", data={"username": name, "password": PASSWORD})
            assert r.status_code == 200, r.text
            c.tokens[name] = {"Authorization": f"Bearer {r.json()['access_token']}"}
        c.sessions = loaded
        yield c
    app.state.engine.dispose()
