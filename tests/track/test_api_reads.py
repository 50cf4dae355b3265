"""The API's hot reads: one token lookup shared by requests that miss together, and a read
that meets a dead database connection is answered (not a 503)."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from twentyten.api.deps import TokenCache
from twentyten.service.actors import Actor
from twentyten.service.errors import Unauthorized


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
    with app.state.engine.connect() as c:  # the read pool's connections die, as on a server restart
        c.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
    r = client.get("/api/projects?limit=5", headers=h)
    assert r.status_code == 200, r.text
    assert r.json()["items"]
