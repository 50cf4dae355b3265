"""The API's hot reads: one token lookup shared by requests that miss together, and a read
that meets a dead database connection is answered (not a 503)."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from twentyten.api.deps import TokenCache
from twentyten.service.actors import Actor
from twentyten.service.errors import Unauthorized

from .conftest import NP, SONGCHON, SP


def _actor() -> Actor:
    return Actor("ana", "planner", None, None)


def test_requests_that_miss_together_share_one_lookup() -> None:
    cache, calls = TokenCache(dt.timedelta(seconds=60)), []

    async def fetch():
        calls.append(1)
        await asyncio.sleep(0.05)
        return _actor(), dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)

    async def main():
        return await asyncio.gather(*(cache.lookup("tok", fetch) for _ in range(32)))

    actors = asyncio.run(main())
    assert len(calls) == 1
    assert {a.name for a in actors} == {"ana"}
    assert asyncio.run(cache.lookup("tok", fetch)).name == "ana" and len(calls) == 1  # cached now


def test_a_refused_token_is_refused_for_every_waiter_and_not_cached() -> None:
    cache, calls = TokenCache(dt.timedelta(seconds=60)), []

    async def fetch():
        calls.append(1)
        await asyncio.sleep(0.01)
        raise Unauthorized("token expired")

    async def main():
        return await asyncio.gather(*(cache.lookup("tok", fetch) for _ in range(5)), return_exceptions=True)

    out = asyncio.run(main())
    assert len(calls) == 1 and all(isinstance(e, Unauthorized) for e in out)
    asyncio.run(main())
    assert len(calls) == 2  # an error is not kept


@pytest.mark.parametrize("loaded_url", ["postgresql"], indirect=True)  # a server can drop its clients
def test_a_read_after_the_server_dropped_its_connections_is_answered(client) -> None:
    from sqlalchemy import text

    app = client.app
    assert app.state.read_engine.dialect.name == "postgresql"
    h = client.tokens["plan"]
    assert client.get("/api/projects?limit=5", headers=h).status_code == 200
    for _ in range(8):  # the server ends a connection while it sits in the pool: at any moment
        with app.state.engine.connect() as c:  # the read pools' connections die, as on a server restart
            c.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                           "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
        r = client.get("/api/projects?limit=5", headers=h)
        assert r.status_code == 200, r.text
        assert r.json()["items"]
    if app.state.async_reads is not None:  # PostgreSQL with asyncpg: the list read went through it
        assert app.state.async_reads._opening is not None


LISTS = [{}, {"province": SP}, {"province": "south pyongan"}, {"county": SONGCHON, "facility": "factory"},
         {"status": "inaugurated", "limit": 3, "offset": 2}, {"year": 2024}, {"province": SP, "offset": 500},
         {"province": NP, "limit": 1}, {"county": "Kujang"}]


def test_the_list_read_gives_what_the_orm_list_gives(client) -> None:
    """The API's list runs one statement on the read side (asyncpg on PostgreSQL, the event
    loop on SQLite): for users of every scope and filters by id and by name, its page is the
    service's ORM list (``list_projects`` + ``project_dict``), item for item, with the total."""
    from twentyten.service.auth import actor_and_expiry
    from twentyten.service.projects import ProjectFilter, list_projects, project_dict, region_names

    assert (client.app.state.async_reads is not None) == (client.app.state.engine.dialect.name == "postgresql")
    seen = 0
    for user in ("plan", "sp", "song", "kuj"):
        token = client.tokens[user]["Authorization"].removeprefix("Bearer ")
        for q in LISTS:
            r = client.get("/api/projects", params=q, headers=client.tokens[user])
            assert r.status_code == 200, (user, q, r.text)
            limit, offset = q.get("limit", 50), q.get("offset", 0)
            f = ProjectFilter(**{k: v for k, v in q.items() if k not in ("limit", "offset")})
            with client.sessions() as s:
                page, total = list_projects(s, actor_and_expiry(s, token)[0], f, limit=limit, offset=offset)
                names = region_names(s)
                expected = [project_dict(p, names) for p in page]
            assert r.json() == {"items": expected, "total": total, "limit": limit, "offset": offset}, (user, q)
            seen += len(expected)
    assert seen > 50  # the pages are not all empty


def test_a_database_that_cannot_be_reached_is_a_503_for_the_list_read() -> None:
    """asyncpg's failure to connect is the API's ``Unavailable`` (503, problem+json), not a 500."""
    pytest.importorskip("asyncpg", reason="asyncpg is part of the track extra")
    import socket

    from sqlalchemy.engine import make_url

    from twentyten.api.pgreads import AsyncReads
    from twentyten.service.errors import Unavailable
    from twentyten.service.projects import list_page_query

    with socket.socket() as s:  # a port where nothing listens
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    reads = AsyncReads(make_url(f"postgresql+psycopg://nobody:x@127.0.0.1:{port}/none"), 2)

    async def main():
        try:
            await reads.fetch(*list_page_query(Actor("ana", "planner", None, None)))
        finally:
            await reads.close()

    with pytest.raises(Unavailable, match="127.0.0.1|Connect|refused") as e:
        asyncio.run(main())
    assert e.value.status == 503


def test_a_name_with_a_nul_character_is_refused_on_both_databases(client) -> None:
    """PostgreSQL cannot store NUL and no region's name has one: 422 naming the parameter, not a
    503 from the database (and not a different answer per database)."""
    h = client.tokens["plan"]
    for q in ({"province": "a\x00b"}, {"county": "\x00"}):
        r = client.get("/api/projects", params=q, headers=h)
        assert r.status_code == 422, r.text
        assert r.json()["errors"][0]["where"] == f"query.{next(iter(q))}"


@pytest.mark.parametrize("loaded_url", ["postgresql"], indirect=True)  # the asyncpg reads
def test_the_database_url_options_reach_the_list_read_too(loaded_url) -> None:
    """A psycopg URL's libpq options work for the asyncpg list read: connect_timeout is not sent
    to the server as a setting (which would fail every list), options' -c settings are."""
    from fastapi.testclient import TestClient

    from twentyten.api.app import ApiSettings, create_app
    from twentyten.service.auth import issue_token

    from .conftest import PASSWORD

    url = loaded_url + "?connect_timeout=10&options=-c%20application_name%3Dtwentyten-list"
    app = create_app(ApiSettings(db=url))
    with TestClient(app) as c, app.state.sessions() as s:
        h = {"Authorization": f"Bearer {issue_token(s, 'plan', PASSWORD)[0]}"}
        r = c.get("/api/projects", params={"province": SP}, headers=h)
        assert r.status_code == 200, r.text
        assert r.json()["items"]
        from sqlalchemy import text

        names = s.execute(text("SELECT application_name FROM pg_stat_activity WHERE datname = current_database()"))
        assert "twentyten-list" in {n for (n,) in names}
    app.state.engine.dispose()


def test_libpq_options_are_translated_or_refused() -> None:
    pytest.importorskip("asyncpg", reason="asyncpg is part of the track extra")
    from sqlalchemy.engine import make_url

    from twentyten.api.pgreads import connect_args
    from twentyten.store.engine import BadDatabaseURL

    dsn, kw = connect_args(make_url("postgresql+psycopg://u:p@h:5433/db?connect_timeout=7&sslmode=require"
                                    "&options=-c%20search_path%3Dplans%20-cstatement_timeout%3D5000"))
    assert dsn == "postgresql://u:p@h:5433/db?sslmode=require"
    assert kw == {"timeout": 7.0, "server_settings": {"search_path": "plans", "statement_timeout": "5000"}}
    for bad in ("options=-x", "options=-c%20novalue", "connect_timeout=soon"):
        with pytest.raises(BadDatabaseURL, match=bad.split("=")[0]):
            connect_args(make_url(f"postgresql+psycopg://u@h/db?{bad}"))


@pytest.mark.parametrize("loaded_url", ["postgresql"], indirect=True)
def test_an_unreachable_server_is_a_503_problem_from_the_list_route(client) -> None:
    import socket

    from sqlalchemy.engine import make_url

    from twentyten.api.pgreads import AsyncReads

    with socket.socket() as s:  # a port where nothing listens
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    client.app.state.async_reads = AsyncReads(make_url(f"postgresql+psycopg://nobody:x@127.0.0.1:{port}/none"), 2)
    r = client.get("/api/projects", headers=client.tokens["plan"])
    assert r.status_code == 503
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["title"] == "Database unavailable"


@pytest.mark.parametrize("loaded_url", ["postgresql"], indirect=True)
def test_a_statement_the_server_refuses_keeps_its_connection_and_values_bound_in_it_work(loaded_url) -> None:
    """A statement error is not a broken connection: the pool keeps it (the next read runs on
    the same server process). A value written into a statement is bound like a parameter."""
    from sqlalchemy import bindparam, func, literal, select
    from sqlalchemy.engine import make_url

    from twentyten.api.pgreads import AsyncReads
    from twentyten.service.errors import Unavailable

    reads = AsyncReads(make_url(loaded_url), 1)
    pid = select(func.pg_backend_pid())

    async def main():
        try:
            before = (await reads.fetch(pid, {}))[0][0]
            with pytest.raises(Unavailable, match="DivisionByZero"):
                await reads.fetch(select(literal(1) / bindparam("zero")), {"zero": 0})
            after = (await reads.fetch(pid, {}))[0][0]
            value = (await reads.fetch(select(literal(41) + bindparam("one")), {"one": 1}))[0][0]
            return before, after, value
        finally:
            await reads.close()

    before, after, value = asyncio.run(main())
    assert before == after
    assert value == 42
