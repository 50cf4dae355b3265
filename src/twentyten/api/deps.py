"""The request's database session and acting user, as FastAPI dependencies (tests override
``get_session`` through ``app.dependency_overrides`` when they need to).

Dependencies that do no I/O are ``async`` so that a request does not hop through the thread
pool for each of them: the route itself runs in the pool, with the session. The acting user
comes from the token cache, or from a session of its own in the pool when the cache misses, so
a request whose route needs no session (:func:`read_in_pool`) opens none for its user."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Header, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import OAuth2PasswordBearer
from pydantic import Field
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql import Executable

from twentyten.service.actors import Actor
from twentyten.service.auth import actor_and_expiry
from twentyten.service.errors import Invalid, Unauthorized
from twentyten.service.reports import DesignedLines

oauth2 = OAuth2PasswordBearer(tokenUrl="/api/auth/token", auto_error=False)


async def get_session(request: Request) -> AsyncIterator[Session]:
    # opening a session does no I/O (the route's first query takes a connection); closing it
    # ends the route's read transaction and returns the connection to the pool
    session = request.app.state.sessions()
    try:
        yield session
    finally:
        session.close()


SessionDep = Annotated[Session, Depends(get_session)]
T = TypeVar("T")


def _in_session(sessions: sessionmaker[Session], read: Callable[[Session], T]) -> T:
    """``read`` in a session; once more when its pooled connection turns out dead (the read
    engine does not ping each connection before use, which would cost a round trip per
    request; a read can safely be repeated)."""
    try:
        with sessions() as session:
            return read(session)
    except DBAPIError as e:
        if not e.connection_invalidated:
            raise
    with sessions() as session:
        return read(session)


async def fetch_rows(request: Request, stmt: Executable, params: dict[str, Any]) -> Sequence[Sequence[Any]]:
    """The rows of a plain read statement (``stmt`` must not write) on the app's read side:

    - PostgreSQL: through asyncpg on the event loop (:class:`twentyten.api.pgreads.AsyncReads`),
      which costs the server about a quarter of the CPU of the driver in a pool thread.
    - SQLite: on the event loop itself, without a hop to a thread (the hop and the GIL
      contention of the pool's threads cost more server CPU than the query). The file is in
      WAL mode, where a reader never waits for a writer, and a page is bounded (``limit``),
      so a read holds the loop for about a millisecond.
    """
    reads = request.app.state.async_reads
    if reads is not None:
        return await reads.fetch(stmt, params)
    with request.app.state.read_engine.connect() as connection:
        return connection.execute(stmt, params).all()


async def read_in_pool(request: Request, read: Callable[[Session], T]) -> T:
    """``read(session)`` in the thread pool, in a session of the app's read engine
    (:func:`twentyten.api.app.read_engine`: autocommit on PostgreSQL) opened and closed there.
    An ``async`` read route calls it instead of taking :data:`SessionDep`, which saves the
    generator dependency and its exit stack on every request (the hot list route). ``read``
    must not write."""
    return await run_in_threadpool(_in_session, request.app.state.read_sessions, read)


class TokenCache:
    """Recently checked bearer tokens → their actor, for a few seconds: most requests then need
    no token query. Keyed by the token's SHA-256; an entry lives until ``ttl`` has passed or
    the token expires, whichever is first. A revocation through this app drops its entry at
    once; one made elsewhere (another process, the CLI) is honoured within ``ttl``. One per
    app (``app.state.token_cache``), never shared between apps."""

    def __init__(self, ttl: dt.timedelta = dt.timedelta(seconds=2), size: int = 4096) -> None:
        self.ttl, self.size = ttl, size
        self._entries: OrderedDict[str, tuple[Actor, dt.datetime]] = OrderedDict()
        self._lock = threading.Lock()
        self._pending: dict[str, asyncio.Task] = {}  # lookups under way, on the event loop

    @staticmethod
    def _key(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    def get(self, token: str) -> Actor | None:
        key, now = self._key(token), dt.datetime.now(dt.UTC)
        with self._lock:
            hit = self._entries.get(key)
            if hit is None:
                return None
            if hit[1] <= now:
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return hit[0]

    def put(self, token: str, actor: Actor, expires: dt.datetime) -> None:
        until = min(dt.datetime.now(dt.UTC) + self.ttl, expires)
        with self._lock:
            self._entries[self._key(token)] = (actor, until)
            self._entries.move_to_end(self._key(token))
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    async def lookup(self, token: str, fetch: Callable[[], Awaitable[tuple[Actor, dt.datetime]]]) -> Actor:
        """The token's actor from the cache, else from ``fetch()`` (then cached). Requests that
        miss together (when an entry has just expired, every open connection at once) share one
        ``fetch``: its answer, or its error, is theirs."""
        actor = self.get(token)
        if actor is not None:
            return actor
        key = self._key(token)
        task = self._pending.get(key)
        if task is None:
            async def fetch_and_keep() -> Actor:
                actor, expires = await fetch()
                self.put(token, actor, expires)
                return actor

            task = self._pending[key] = asyncio.ensure_future(fetch_and_keep())
            task.add_done_callback(lambda _: self._pending.pop(key, None))
        return await asyncio.shield(task)  # one waiter's cancellation leaves the others theirs

    def drop(self, token: str) -> None:
        with self._lock:
            self._entries.pop(self._key(token), None)


async def current_actor(request: Request, token: Annotated[str | None, Depends(oauth2)]) -> Actor:
    if not token:
        raise Unauthorized("sign in: POST /api/auth/token, then send Authorization: Bearer <token>")
    cache: TokenCache | None = getattr(request.app.state, "token_cache", None)

    async def fetch() -> tuple[Actor, dt.datetime]:
        return await read_in_pool(request, lambda session: actor_and_expiry(session, token))

    if cache is None:
        return (await fetch())[0]
    return await cache.lookup(token, fetch)


ActorDep = Annotated[Actor, Depends(current_actor)]


async def if_match(value: Annotated[str | None, Header(alias="If-Match")] = None) -> int | None:
    """The version in an ``If-Match: "3"`` header (the ETag this API gives)."""
    if value is None:
        return None
    v = value.strip().removeprefix("W/").strip('"')
    if not v.isdigit() or len(v) > 12:
        raise Invalid(f"If-Match {value!r} is not an ETag of this API (\"<version>\")")
    return int(v)


IfMatch = Annotated[int | None, Depends(if_match)]


def designed_lines(request: Request) -> DesignedLines:
    """The request's view of the counties' designed factory lines: the atlas and standards are
    loaded once per app (on ``app.state``), each county is designed at most once per request."""
    state = request.app.state
    if getattr(state, "design_inputs", None) is None:
        from twentyten.atlas import load_atlas
        from twentyten.standards import load_standards

        state.design_inputs = (load_atlas(), load_standards())
    return DesignedLines(*state.design_inputs)


LinesDep = Annotated[DesignedLines, Depends(designed_lines)]


class Paging:
    def __init__(self, limit: int = 50, offset: int = 0):
        self.limit, self.offset = limit, offset


MAX_LIMIT, MAX_OFFSET = 500, 10**9  # a page's bounds, for every list
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT)]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]


# the same bounds as fields of a model of query parameters (read and checked as one model: one
# validation per request instead of one per parameter)
LimitField = Annotated[int, Field(ge=1, le=MAX_LIMIT)]
OffsetField = Annotated[int, Field(ge=0, le=MAX_OFFSET)]


async def paging(limit: Limit = 50, offset: Offset = 0) -> Paging:
    return Paging(limit, offset)


PagingDep = Annotated[Paging, Depends(paging)]
