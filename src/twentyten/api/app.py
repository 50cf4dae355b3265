"""``create_app(settings)``: the FastAPI app over the service layer. Errors are RFC 9457
problem details (``application/problem+json``), never a bare 500 for bad input."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException

from twentyten.service.errors import ServiceError, Unavailable
from twentyten.store.engine import backend

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


@dataclass(frozen=True)
class ApiSettings:
    db: str | None = None  # default: the ``db`` setting
    token_ttl: dt.timedelta = field(default=dt.timedelta(hours=8))
    token_cache_ttl: dt.timedelta = field(default=dt.timedelta(seconds=2))  # zero: no cache
    pool_size: int = 20  # connections kept; as many again on demand


def problem(status: int, title: str, detail: str, errors: list | None = None) -> JSONResponse:
    return JSONResponse({"type": "about:blank", "title": title, "status": status, "detail": detail,
                         "errors": errors or []}, status_code=status, media_type="application/problem+json",
                        headers={"WWW-Authenticate": "Bearer"} if status == 401 else None)


def read_engine(engine: Engine, pool_size: int) -> Engine:
    """The engine of the API's reads (``deps.read_in_pool``, in the thread pool; on SQLite also
    ``deps.fetch_rows``, on the event loop), on the same database as ``engine``, with a pool that keeps a
    connection for each thread of the pool that runs the reads (40 threads: ``2 * pool_size``),
    so that busy reads never open and close overflow connections (a PostgreSQL connection
    starts a server process).

    PostgreSQL: autocommit connections, so a read is its statements alone, without the BEGIN and
    ROLLBACK round trips (each costs the server's CPU about as much as the query), and each
    statement sees the database as of its start. Not pinged before each use (a round trip per
    request, a tenth of the route's CPU): a read that meets a dead connection is run once more
    on a fresh one (``deps._in_session``).
    SQLite: the settings of ``make_engine`` (its reads take no round trips, and switching a
    connection's isolation level costs a PRAGMA each time).
    """
    from sqlalchemy import create_engine

    from twentyten.store import make_engine

    threads = 2 * pool_size
    if backend(engine) != "postgresql":
        return make_engine(engine.url.render_as_string(hide_password=False), pool_size=threads)
    return create_engine(engine.url, isolation_level="AUTOCOMMIT", pool_size=threads, max_overflow=0)


def create_app(settings: ApiSettings | None = None) -> FastAPI:
    from twentyten import __version__
    from twentyten.api.deps import TokenCache
    from twentyten.api.routes import auth, records, reports, storage
    from twentyten.store import make_engine, make_sessionmaker

    settings = settings or ApiSettings()
    engine = make_engine(settings.db, pool_size=settings.pool_size)
    reads = read_engine(engine, settings.pool_size)
    async_reads = None
    if backend(engine) == "postgresql":
        from twentyten.api.pgreads import AsyncReads

        # half the pool: each request holds a connection for one statement only (4 to 20 measured
        # the same on 2 cores, docs/track.md)
        async_reads = AsyncReads(engine.url, max(2, settings.pool_size // 2))

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        reads.dispose()  # the main engine is its creator's to dispose (app.state.engine)
        if async_reads is not None:
            await async_reads.close()

    app = FastAPI(title="twentyten record", version=__version__, lifespan=lifespan,
                  description="Projects, milestones with evidence, factory reports, plans and audit.")
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessions = make_sessionmaker(engine)
    app.state.read_engine = reads
    app.state.read_sessions = make_sessionmaker(reads)
    app.state.async_reads = async_reads  # deps.fetch_rows: asyncpg on PostgreSQL
    app.state.token_cache = TokenCache(settings.token_cache_ttl) if settings.token_cache_ttl else None

    @app.exception_handler(ServiceError)
    async def _service(_: Request, e: ServiceError) -> JSONResponse:
        return problem(e.status, e.title, e.detail, e.errors)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, e: RequestValidationError) -> JSONResponse:
        errs = [{"where": ".".join(str(x) for x in err.get("loc", ())), "reason": err.get("msg", "")}
                for err in e.errors()]
        first = errs[0] if errs else {"where": "", "reason": ""}
        return problem(422, "Invalid input", f"{first['where']}: {first['reason']}", errs)

    @app.exception_handler(SQLAlchemyError)
    async def _database(_: Request, e: SQLAlchemyError) -> JSONResponse:
        # the database refused or timed out: the request may be retried; nothing half-written
        u = Unavailable.of(e)
        return problem(u.status, u.title, u.detail)

    @app.exception_handler(HTTPException)
    async def _http(_: Request, e: HTTPException) -> JSONResponse:
        return problem(e.status_code, str(e.detail), str(e.detail))

    app.include_router(auth.router)
    app.include_router(records.router)
    app.include_router(reports.router)
    app.include_router(storage.router)
    return app
