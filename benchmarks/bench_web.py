"""First load of every dashboard page in Chromium on loopback (Navigation Timing), and what
each page transfers. The baseline, measured in the same run, is the sign-in page (no data,
no library): each page's ratio says what its data and libraries cost.

    python benchmarks/bench_web.py            # prepares a database in a temp folder (about 30 s)
    python benchmarks/bench_web.py --db sqlite:///path/record.db   # one prepared by `twentyten serve`

Targets (issue 10): every page under 1 s to the load event; the map page under 2 MB.
"""

from __future__ import annotations

import argparse
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PASSWORD = "bench password 1"
#: When a page is ready: the map drawn; the charts of the first screen drawn (the others are drawn
#: after, one at a time). "all ms": every chart drawn, and on a county page the plan's explanation
#: (fetched once the page has loaded, into a closed <details>) arrived.
READY = {"/map": "#map[data-ready]", "/progress": "body[data-charts-visible]"}
ALL = {"/progress": "body[data-charts-ready]", "/county/": "#explain[data-ready]"}


def _after(table: dict[str, str], path: str) -> str | None:
    return next((sel for p, sel in table.items() if path == p or (p.endswith("/") and path.startswith(p))), None)


def _serve(url: str):
    import uvicorn

    from twentyten.api.app import ApiSettings, create_app
    from twentyten.web import WebSettings, mount

    app = mount(create_app(ApiSettings(db=url)), WebSettings(secret="bench"))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=srv.run, daemon=True).start()
    while not srv.started:
        time.sleep(0.05)
    return srv, f"http://127.0.0.1:{port}"


def _measure(page, base: str, path: str) -> dict[str, float]:
    t0 = time.perf_counter()
    page.goto(base + path)
    page.wait_for_load_state("load")
    if _after(READY, path):
        page.wait_for_selector(_after(READY, path), state="attached")
    ready = time.perf_counter() - t0
    if _after(ALL, path):
        page.wait_for_selector(_after(ALL, path), state="attached")
    every = time.perf_counter() - t0
    page.wait_for_load_state("networkidle")
    nav = page.evaluate("(() => { const n = performance.getEntriesByType('navigation')[0];"
                        " return {load: n.loadEventEnd - n.startTime, dcl: n.domContentLoadedEventEnd - n.startTime,"
                        " bytes: n.transferSize + performance.getEntriesByType('resource')"
                        ".reduce((a, r) => a + r.transferSize, 0)}; })()")
    return {"load_ms": nav["load"], "dcl_ms": nav["dcl"], "ready_ms": ready * 1000, "all_ms": every * 1000,
            "kb": nav["bytes"] / 1024}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", default=None, help="a prepared database (default: prepare one in a temp folder)")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright
    from sqlalchemy import select

    from twentyten.service.auth import add_user
    from twentyten.store import make_engine, make_sessionmaker
    from twentyten.store.models import User
    from twentyten.web.bootstrap import prepare

    tmp = tempfile.TemporaryDirectory()
    url = args.db or f"sqlite:///{Path(tmp.name) / 'record.db'}"
    t = time.perf_counter()
    prepare(url)
    print(f"prepare: {time.perf_counter() - t:.1f} s", file=sys.stderr)
    engine = make_engine(url)
    with make_sessionmaker(engine)() as s:
        if not s.scalars(select(User).where(User.name == "bench")).first():
            add_user(s, "bench", "planner", PASSWORD)
    engine.dispose()
    srv, base = _serve(url)
    county = "PRK-south-pyongan-songchon"
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        ctx = browser.new_context(viewport={"width": 1280, "height": 800})
        page = ctx.new_page()
        rows.append(("/login", _measure(page, base, "/login")))
        page.fill("#name", "bench")
        page.fill("#password", PASSWORD)
        page.click("form.login button[type=submit]")
        page.wait_for_load_state("networkidle")
        cookies = ctx.cookies()
        for path in ("/map", f"/county/{county}", "/progress", "/plans"):
            cold = browser.new_context(viewport={"width": 1280, "height": 800})  # empty cache: a first load
            cold.add_cookies(cookies)
            rows.append((path, _measure(cold.new_page(), base, path)))
            cold.close()
        browser.close()
    srv.should_exit = True
    base_ms = rows[0][1]["load_ms"]
    print(f"{'page':42} {'load ms':>8} {'ready ms':>9} {'all ms':>7} {'DCL ms':>7} {'KB':>7} {'x login':>8}")
    for path, m in rows:
        print(f"{path:42} {m['load_ms']:8.0f} {m['ready_ms']:9.0f} {m['all_ms']:7.0f} {m['dcl_ms']:7.0f} "
              f"{m['kb']:7.0f} {m['load_ms'] / base_ms:8.1f}")
    slow = [p for p, m in rows if max(m["load_ms"], m["ready_ms"]) >= 1000]
    heavy = [p for p, m in rows if p == "/map" and m["kb"] >= 2048]
    print(f"under 1 s: {'all' if not slow else 'NOT ' + ', '.join(slow)}; map under 2 MB: {'yes' if not heavy else 'NO'}")
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
