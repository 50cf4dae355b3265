"""Fixtures of the dashboard's tests: one database prepared like ``twentyten serve`` does
(atlas, record, default plan) per session, users of every role, and the app served by
uvicorn on a free loopback port in a thread."""

from __future__ import annotations

import shutil
import socket
import threading
import time

import pytest

pytest.importorskip("fastapi", reason="the track extra is not installed: pip install 'twentyten[track]'")
pytest.importorskip("babel", reason="the web extra is not installed: pip install 'twentyten[web]'")

PASSWORD = "correct horse battery"
SP, NP = "PRK-south-pyongan", "PRK-north-pyongan"
SONGCHON, KUJANG = "PRK-south-pyongan-songchon", "PRK-north-pyongan-kujang"
USERS = {"plan": ("planner", None), "ana": ("analyst", None), "sp": ("province", SP),
         "song": ("county", SONGCHON), "kuj": ("county", KUJANG)}


@pytest.fixture(scope="session")
def template_db(tmp_path_factory) -> dict[str, str]:
    """A prepared database file (made once; tests copy it): ``path``, and ``county``: a county
    with only planned projects (none from the record), whose officer is ``fresh`` and whose
    province's user is ``freshprov``."""
    from sqlalchemy import select

    from twentyten.service.auth import add_user
    from twentyten.store import make_engine, make_sessionmaker
    from twentyten.store.models import Project
    from twentyten.web.bootstrap import prepare

    folder = tmp_path_factory.mktemp("webdb")
    url = f"sqlite:///{folder / 'record.db'}"
    prepare(url)
    engine = make_engine(url)
    with make_sessionmaker(engine)() as s:
        for name, (role, region) in USERS.items():
            add_user(s, name, role, PASSWORD, region)
        projects = list(s.scalars(select(Project)))
        recorded = {p.county_id for p in projects if p.cohort_year is not None}
        fresh = sorted(
            (p.county_id, p.province_id) for p in projects if p.county_id not in recorded and p.facility == "factory"
            and p.province_id != SP)[0]
        add_user(s, "fresh", "county", PASSWORD, fresh[0])
        add_user(s, "freshprov", "province", PASSWORD, fresh[1])
    engine.dispose()
    return {"path": str(folder / "record.db"), "county": fresh[0], "province": fresh[1],
            "default_plan": str(folder / "default-plan")}


@pytest.fixture
def db_url(template_db, tmp_path) -> str:
    path = tmp_path / "record.db"
    shutil.copy(template_db["path"], path)
    return f"sqlite:///{path}"


@pytest.fixture
def web_app(db_url, template_db):
    from twentyten.api.app import ApiSettings, create_app
    from twentyten.web import WebSettings, mount

    folder = db_url.removeprefix("sqlite:///").rsplit("/", 1)[0]
    return mount(create_app(ApiSettings(db=db_url)), WebSettings(
        secret="test-secret", default_plan=template_db["default_plan"], plans=f"{folder}/plans",
        media_db=f"{folder}/media.duckdb"))


@pytest.fixture
def client(web_app):
    from fastapi.testclient import TestClient

    with TestClient(web_app, base_url="http://127.0.0.1") as c:
        yield c


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(web_app):
    """The app on http://127.0.0.1:PORT (a uvicorn server in a thread, stopped after the test)."""
    import uvicorn

    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(web_app, host="127.0.0.1", port=port, log_level="warning"))
    t = threading.Thread(target=srv.run, daemon=True)
    t.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start in 20 s")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    t.join(10)
