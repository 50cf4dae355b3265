"""The API's hot reads on PostgreSQL through asyncpg, on the event loop itself.

The project list is one statement per request (``service.projects.list_page_query``). Run on a
pooled psycopg connection in a thread, as the other reads are, the thread hop, the GIL
contention of the pool's threads and the driver cost the server about 650 µs of CPU per query
(32 concurrent requests); asyncpg, awaited on the loop, about 150 µs (``benchmarks/bench_api.py``
and docs/track.md). The statement stays SQLAlchemy Core: it is compiled once for asyncpg's
dialect (``$n`` parameters) and its parameters are bound by name, so the service layer keeps
one definition of the query for both databases and both drivers.

Only for statements whose parameters and columns are plain values (text, integers): no
SQLAlchemy type conversion runs on the way in or out.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from typing import Any

from sqlalchemy import URL
from sqlalchemy.sql import Executable

from twentyten.service.errors import Unavailable


async def _nothing_to_reset(_connection) -> None:
    """The pool's reset of a connection given back: none. Its connections only run single read
    statements, never SET, LISTEN, cursors or advisory locks, so asyncpg's default reset (a
    round trip to the server per request, a fifth of the route's CPU) has nothing to undo; an
    open transaction is still rolled back by asyncpg before this is called, and a connection
    whose statement failed is closed rather than given back (:func:`_fetch`)."""


async def _fetch(pool, sql: str, args: list[Any]) -> Sequence[Sequence[Any]]:
    """``sql`` on a connection of ``pool``. A connection whose statement failed is closed, never
    given back as it is (the pool does not reset connections, :func:`_nothing_to_reset`): the
    pool opens a fresh one when it next needs one."""
    import asyncpg

    async with pool.acquire() as connection:
        try:
            return await connection.fetch(sql, *args)
        except BaseException:
            # when the server closed it, asyncpg has released it already
            with contextlib.suppress(asyncpg.InterfaceError):
                connection.terminate()
            raise


class AsyncReads:
    """A pool of asyncpg connections to the database at ``url``, opened on first use on the
    running loop and closed by :meth:`close` (the app's lifespan). uvicorn runs the app on one
    loop; a caller on another loop (a test's ``asyncio.run``) gets a pool of its own, and the
    first loop's pool is left to that loop. Connections are autocommit: each statement sees
    the database as of its start."""

    def __init__(self, url: URL, size: int) -> None:
        self._dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._size = size
        self._loop: asyncio.AbstractEventLoop | None = None
        self._opening: asyncio.Task | None = None  # the pool, once opened on ``_loop``
        self._compiled: dict[Executable, tuple[str, tuple[str, ...]]] = {}

    async def _pool(self):
        """The running loop's pool; requests that arrive while it opens wait for the same one,
        and a failed opening is tried again by the next request."""
        import asyncpg

        loop, task = asyncio.get_running_loop(), self._opening
        if self._loop is not loop or task is None or (task.done() and (task.cancelled() or task.exception())):
            async def opened():
                return await asyncpg.create_pool(self._dsn, min_size=1, max_size=self._size, reset=_nothing_to_reset)

            task = self._opening = loop.create_task(opened())
            self._loop = loop
        return await asyncio.shield(task)

    def _sql(self, stmt: Executable) -> tuple[str, tuple[str, ...]]:
        hit = self._compiled.get(stmt)
        if hit is None:
            from sqlalchemy.dialects.postgresql.asyncpg import PGDialect_asyncpg

            compiled = stmt.compile(dialect=PGDialect_asyncpg())
            hit = self._compiled[stmt] = (compiled.string, tuple(compiled.positiontup or ()))
        return hit

    async def fetch(self, stmt: Executable, params: dict[str, Any]) -> Sequence[Sequence[Any]]:
        """The rows of ``stmt`` with ``params`` (bound by name). When a pooled connection turns
        out dead or broken (the server restarted, or ended it while it sat in the pool), every
        connection of the pool is replaced and the read run once more on a fresh one (a read
        can safely be repeated); any other failure of the database is :class:`Unavailable`
        (503)."""
        import asyncpg

        sql, names = self._sql(stmt)
        args = [params[n] for n in names]
        try:
            pool = await self._pool()
            try:
                return await _fetch(pool, sql, args)
            except (asyncpg.PostgresConnectionError, asyncpg.AdminShutdownError, asyncpg.InterfaceError,
                    asyncpg.InternalClientError, ConnectionError):
                # the others in the pool are likely dead too (a restart ends them all): each is
                # replaced when next taken
                await pool.expire_connections()
                return await _fetch(pool, sql, args)
        except (asyncpg.PostgresError, asyncpg.InterfaceError, asyncpg.InternalClientError, OSError) as e:
            raise Unavailable.of(e) from e

    async def close(self) -> None:
        """Close the pool when it is this loop's (another loop's pool belongs to that loop)."""
        task, self._opening = self._opening, None
        if task is not None and self._loop is asyncio.get_running_loop():
            if task.done() and not task.cancelled() and task.exception() is None:
                await task.result().close()
            else:
                task.cancel()
