"""Benchmark of the record's API (issue #9), on loopback, bounded in count and time.

    .venv/bin/python benchmarks/bench_api.py [--pg postgresql://user:pass@localhost/db] [--requests 2000] [--rounds 3]

For SQLite (a temporary file) and, with ``--pg`` (or ``TWENTYTEN_TEST_PG``), PostgreSQL (a
database created on that server and dropped afterwards):

1. throughput of authenticated ``GET /api/projects?province=...`` with 32 concurrent
   connections, as a ratio to a bare FastAPI endpoint returning a constant JSON, served by the
   same uvicorn settings in the same run, rounds of the two alternating, best of each (goal >= 0.5);
2. latency at 200 requests/s offered (open loop, ``--seconds`` long): p50 and p95 (goal p95 < 50 ms);
3. a 10,000-row report import through the service (goal < 5 s).

Both servers run uvicorn with the settings ``twentyten serve`` gets (uvloop and httptools when
the ``track`` extra is installed: it asks for ``uvicorn[standard]``), one worker. The load
generator is one aiohttp client in this process, the same for both servers; on a 2-core machine
it competes with the server for the CPUs, so the figures are lower bounds for a separate client.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"
PROVINCE = "PRK-south-pyongan"


def bare_app():
    """The baseline: a bare FastAPI endpoint returning a constant JSON."""
    from fastapi import FastAPI

    app = FastAPI()
    body = {"items": [{"id": i, "status": "planned"} for i in range(10)], "total": 10}

    @app.get("/api/projects")
    def projects() -> dict:
        return body

    return app


def record_app():
    from twentyten.api.app import ApiSettings, create_app

    return create_app(ApiSettings(db=os.environ["BENCH_DB"]))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(factory: str, db: str | None) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), str(HERE)]), "BENCH_DB": db or ""}
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "--factory", f"bench_api:{factory}", "--host",
                             "127.0.0.1", "--port", str(port), "--log-level", "warning", "--no-access-log"],
                            env=env)
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            with urllib.request.urlopen(base + "/openapi.json", timeout=1):
                return proc, base
        except OSError:  # refused while uvicorn starts
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"the {factory} server did not start")


class ServerCPU:
    """CPU seconds (user + system) a server process spends inside ``with`` blocks, summed; None
    without psutil. Other work on the machine slows a round down but hardly changes this."""

    def __init__(self, proc: subprocess.Popen) -> None:
        try:
            import psutil
        except ImportError:
            self._proc, self.seconds = None, None
            return
        self._proc, self.seconds = psutil.Process(proc.pid), 0.0

    def _now(self) -> float:
        t = self._proc.cpu_times()
        return t.user + t.system

    def __enter__(self) -> None:
        if self._proc is not None:
            self._start = self._now()

    def __exit__(self, *_) -> None:
        if self._proc is not None:
            self.seconds += self._now() - self._start


def server_stack() -> str:
    """What uvicorn's ``auto`` settings pick in this environment (as in ``twentyten serve``)."""
    import importlib.util

    loop = "uvloop" if importlib.util.find_spec("uvloop") else "asyncio"
    http = "httptools" if importlib.util.find_spec("httptools") else "h11"
    return f"uvicorn {loop} + {http}, 1 worker"


def client_loop():
    """The client's event loop runner: uvloop's when installed (a cheaper client leaves more of
    the CPUs to the server it measures), else asyncio's."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run
    return uvloop.run


URL = f"/api/projects?province={PROVINCE}&limit=50"


async def throughput(base: str, headers: dict, n: int, conns: int = 32) -> tuple[float, int]:
    """Requests per second over ``n`` requests on ``conns`` kept-alive connections; and the
    number that failed (dropped connections, non-200), counted in the time but not retried."""
    import aiohttp

    async with aiohttp.ClientSession(base, headers=headers, connector=aiohttp.TCPConnector(limit=conns),
                                     timeout=aiohttp.ClientTimeout(total=30)) as c:
        async with c.get(URL) as r:
            assert r.status == 200, await r.text()
        left, errors = n, 0

        async def worker() -> None:
            nonlocal left, errors
            while left > 0:
                left -= 1
                try:
                    async with c.get(URL) as r:
                        await r.read()
                        errors += r.status != 200
                except (aiohttp.ClientError, TimeoutError):
                    errors += 1

        t = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(conns)))
        return n / (time.perf_counter() - t), errors


async def latency(base: str, headers: dict, rate: float, seconds: float) -> tuple[float, float, int]:
    """Open loop: a request every ``1/rate`` s whether or not the earlier ones have been answered;
    p50 and p95 of their times (ms), and the number that failed."""
    import aiohttp

    async with aiohttp.ClientSession(base, headers=headers, connector=aiohttp.TCPConnector(limit=256),
                                     timeout=aiohttp.ClientTimeout(total=30)) as c:
        times: list[float] = []
        errors = 0

        async def one() -> None:
            nonlocal errors
            t = time.perf_counter()
            try:
                async with c.get(URL) as r:
                    await r.read()
                    errors += r.status != 200
            except (aiohttp.ClientError, TimeoutError):  # timeouts and dropped connections count as errors
                errors += 1
            times.append(time.perf_counter() - t)

        async with c.get(URL) as r:  # a warm connection and server
            await r.read()
        tasks, start = [], time.perf_counter()
        for i in range(int(rate * seconds)):
            delay = start + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one()))
        await asyncio.gather(*tasks)
    q = statistics.quantiles(times, n=100)
    return q[49] * 1000, q[94] * 1000, errors


def prepare(url: str) -> str:
    """Migrate, load the record, add a planner; a bearer token."""
    from twentyten.service.auth import add_user, issue_token
    from twentyten.service.record import load_record
    from twentyten.store import make_engine, make_sessionmaker, upgrade

    e = make_engine(url)
    upgrade(e)
    with make_sessionmaker(e)() as s:
        load_record(s)
        add_user(s, "bench", "planner", "bench password")
        token = issue_token(s, "bench", "bench password")[0]
    e.dispose()
    return token


def import_10k(url: str, rows: int = 10_000) -> float:
    """Seconds to import ``rows`` monthly reports (factories in every county, 2030 onwards)."""
    from sqlalchemy import select

    from twentyten.service.actors import SYSTEM
    from twentyten.service.transfer import import_records
    from twentyten.store import make_engine, make_sessionmaker
    from twentyten.store.models import Project, Region

    e = make_engine(url)
    with make_sessionmaker(e)() as s:
        have = set(s.scalars(select(Project.county_id).where(Project.facility == "factory")))
        counties = list(s.scalars(select(Region.id).where(Region.level == "county").order_by(Region.id)))
        extra = "county,facility\n" + "".join(f"{c},factory\n" for c in counties if c not in have)
        import_records(s, SYSTEM, "projects.csv", extra.encode())
        lines = ["county,month,output,product_range,quality_passed,quality_failed,opinion_score,opinion_responses"]
        months = [f"{y}-{m:02d}" for y in range(2030, 2100) for m in range(1, 13)]
        for i in range(rows):
            c, m = counties[i % len(counties)], months[i // len(counties)]
            lines.append(f"{c},{m},bread_sweets:12.5:t; soap:3:t,4,10,1,7.5,25")
        raw = ("\n".join(lines) + "\n").encode()
    with make_sessionmaker(e)() as s:
        t = time.perf_counter()
        res = import_records(s, SYSTEM, "reports.csv", raw)
        dt = time.perf_counter() - t
    assert res.reports == rows
    e.dispose()
    return dt


def run_backend(name: str, url: str, args) -> None:
    token = prepare(url)
    headers = {"Authorization": f"Bearer {token}"}
    run = client_loop()
    rec, rec_base = serve("record_app", url)
    bare, bare_base = serve("bare_app", None)
    try:
        # bare and record alternate, round by round; the best round of each counts (other work
        # on a shared machine only ever slows a round down)
        bare_rounds, rec_rounds = [], []
        cpu_bare, cpu_rec = ServerCPU(bare), ServerCPU(rec)
        for _ in range(args.rounds):
            with cpu_bare:
                bare_rounds.append(run(throughput(bare_base, {}, args.requests)))
            with cpu_rec:
                rec_rounds.append(run(throughput(rec_base, headers, args.requests)))
        tb, tr = max(r for r, _ in bare_rounds), max(r for r, _ in rec_rounds)
        eb, er = sum(e for _, e in bare_rounds), sum(e for _, e in rec_rounds)
        p50, p95, errors = run(latency(rec_base, headers, args.rate, args.seconds))
    finally:
        for p in (rec, bare):
            p.terminate()
            p.wait()
    imp = import_10k(url)
    print(f"[{name}] server: {server_stack()}; client: aiohttp")
    print(f"[{name}] throughput, 32 connections, best of {args.rounds} rounds of {args.requests} requests: "
          f"bare {tb:,.0f} req/s, GET /api/projects?province {tr:,.0f} req/s, ratio {tr / tb:.2f} (goal >= 0.5); "
          f"failed requests: bare {eb}, record {er}")
    if cpu_bare.seconds is not None:
        n = args.rounds * args.requests
        ub, ur = cpu_bare.seconds / n * 1e6, cpu_rec.seconds / n * 1e6
        print(f"[{name}] server CPU per request (the same figure on a busy machine): bare {ub:.0f} us, "
              f"record {ur:.0f} us, ratio {ub / ur:.2f}")
    print(f"[{name}] {args.rate:.0f} req/s offered for {args.seconds:.0f} s: p50 {p50:.1f} ms, p95 {p95:.1f} ms "
          f"(goal p95 < 50 ms), errors {errors}")
    print(f"[{name}] 10,000-row report import: {imp:.2f} s (goal < 5 s)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pg", default=os.environ.get("TWENTYTEN_TEST_PG"), help="PostgreSQL server URL (optional).")
    ap.add_argument("--requests", type=int, default=2000, help="Requests per throughput round.")
    ap.add_argument("--rounds", type=int, default=3, help="Throughput rounds of each server (alternating).")
    ap.add_argument("--rate", type=float, default=200.0)
    ap.add_argument("--seconds", type=float, default=5.0)
    args = ap.parse_args()
    sys.path.insert(0, str(SRC))
    with tempfile.TemporaryDirectory() as tmp:
        run_backend("sqlite", f"sqlite:///{Path(tmp) / 'bench.db'}", args)
    if args.pg:
        from sqlalchemy import create_engine, text
        from sqlalchemy.engine import make_url

        server = make_url(args.pg).set(drivername="postgresql+psycopg")
        admin = create_engine(server, isolation_level="AUTOCOMMIT")
        name = f"twentyten_bench_{os.getpid()}"
        with admin.connect() as c:
            c.execute(text(f"CREATE DATABASE {name}"))
        try:
            run_backend("postgresql", server.set(database=name).render_as_string(hide_password=False), args)
        finally:
            with admin.connect() as c:
                c.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            admin.dispose()
    else:
        print("[postgresql] skipped: give --pg URL or set TWENTYTEN_TEST_PG")


if __name__ == "__main__":
    main()
