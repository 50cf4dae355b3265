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

The database URL is psycopg's (the rest of the app's): asyncpg reads the same host, port,
user, password, database and SSL options; libpq's ``connect_timeout`` and ``options=-c name=value``
are translated (:func:`connect_args`), so both drivers open the same session.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from typing import Any

from sqlalchemy import URL
from sqlalchemy.sql import Executable

from twentyten.service.errors import Unavailable
from twentyten.store.engine import BadDatabaseURL


def connect_args(url: URL) -> tuple[str, dict[str, Any]]:
    """asyncpg's DSN and keyword arguments for the database at ``url`` (a psycopg URL).
    asyncpg understands libpq's host, port, user, password, database and ``ssl*`` options in
    the DSN, and sends any other option to the server as a setting; libpq's ``connect_timeout``
    (seconds) and ``options`` (``-c name=value`` settings) are not server settings, so they
    are passed as asyncpg's ``timeout`` and ``server_settings``."""
    query = {k: v if isinstance(v, str) else v[-1] for k, v in url.query.items()}  # libpq: the last one counts
    kwargs: dict[str, Any] = {}
    if "connect_timeout" in query:
        value = query.pop("connect_timeout")
        try:
            kwargs["timeout"] = float(value)
        except ValueError:
            raise BadDatabaseURL(f"database URL option connect_timeout={value!r} is not a number of seconds") from None
    if "options" in query:
        kwargs["server_settings"] = _libpq_settings(query.pop("options"))
    return url.set(drivername="postgresql", query=query).render_as_string(hide_password=False), kwargs


def _libpq_settings(value: str) -> dict[str, str]:
    """libpq's ``options`` (``-c name=value``, ``-cname=value`` or ``--name=value``, space
    separated) as server settings; anything else is refused (BadDatabaseURL) rather than
    half-applied."""
    import shlex

    settings, words = {}, shlex.split(value)
    while words:
        word = words.pop(0)
        if word == "-c" and words:
            setting = words.pop(0)
        elif word.startswith(("-c", "--")) and len(word) > 2:
            setting = word[2:]
        else:
            setting = ""
        name, eq, val = setting.partition("=")
        if not (name and eq):
            raise BadDatabaseURL(f"database URL option options={value!r}: only '-c name=value' settings are "
                                 "understood by the API's PostgreSQL reads (asyncpg)")
        settings[name.replace("-", "_")] = val
    return settings


async def _nothing_to_reset(_connection) -> None:
    """The pool's reset of a connection given back: none. Its connections only run single read
    statements, never SET, LISTEN, cursors or advisory locks, so asyncpg's default reset (a
    round trip to the server per request, a fifth of the route's CPU) has nothing to undo; an
    open transaction is still rolled back by asyncpg before this is called, and a connection
    whose statement failed is closed rather than given back (:func:`_fetch`)."""


async def _fetch(pool, sql: str, args: list[Any]) -> Sequence[Sequence[Any]]:
    """``sql`` on a connection of ``pool``. A connection that failed other than by the server
    refusing the statement (it died, broke, or the request was cancelled mid-query) is closed,
    never given back as it is (the pool does not reset connections, :func:`_nothing_to_reset`):
    the pool opens a fresh one when it next needs one."""
    import asyncpg

    async with pool.acquire() as connection:
        try:
            return await connection.fetch(sql, *args)
        except BaseException as e:
            refused = isinstance(e, asyncpg.PostgresError) and not isinstance(
                e, (asyncpg.PostgresConnectionError, asyncpg.AdminShutdownError))
            if not refused:
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
        self._dsn, self._connect = connect_args(url)
        self._size = size
        self._loop: asyncio.AbstractEventLoop | None = None
        self._opening: asyncio.Task | None = None  # the pool, once opened on ``_loop``
        self._compiled: dict[Executable, Any] = {}  # statement -> its compiled form for asyncpg

    async def _pool(self):
        """The running loop's pool; requests that arrive while it opens wait for the same one,
        and a failed opening is tried again by the next request."""
        import asyncpg

        loop, task = asyncio.get_running_loop(), self._opening
        if self._loop is not loop or task is None or (task.done() and (task.cancelled() or task.exception())):
            async def opened():
                return await asyncpg.create_pool(self._dsn, min_size=1, max_size=self._size, reset=_nothing_to_reset,
                                                 **self._connect)

            task = self._opening = loop.create_task(opened())
            self._loop = loop
        return await asyncio.shield(task)

    def _sql(self, stmt: Executable, params: dict[str, Any]) -> tuple[str, list[Any]]:
        """``stmt`` as asyncpg's SQL (compiled once) and its positional arguments: ``params``
        by name, and any value the statement carries itself."""
        compiled = self._compiled.get(stmt)
        if compiled is None:
            from sqlalchemy.dialects.postgresql.asyncpg import PGDialect_asyncpg

            compiled = self._compiled[stmt] = stmt.compile(dialect=PGDialect_asyncpg())
        values = compiled.construct_params(params)
        return compiled.string, [values[name] for name in compiled.positiontup or ()]

    async def fetch(self, stmt: Executable, params: dict[str, Any]) -> Sequence[Sequence[Any]]:
        """The rows of ``stmt`` with ``params`` (bound by name). When a pooled connection turns
        out dead or broken (the server restarted, or ended it while it sat in the pool), every
        connection of the pool is replaced and the read run once more on a fresh one (a read
        can safely be repeated); any other failure of the database is :class:`Unavailable`
        (503)."""
        import asyncpg

        sql, args = self._sql(stmt, params)
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
