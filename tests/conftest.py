"""Shared fixtures. Tests that need ../shared use the ``shared_dir`` fixture, which
skips with a clear reason when the folder is absent (a user's clone has none)."""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _find_shared() -> Path | None:
    env = os.environ.get("TWENTYTEN_SHARED")
    candidates = [Path(env)] if env else []
    candidates.append(REPO.parent / "shared")
    for c in candidates:
        if (c / "data").is_dir():
            return c
    return None


SHARED = _find_shared()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The ../shared folder with the source data; skip when it is not there."""
    if SHARED is None:
        if os.environ.get("CI"):
            pytest.fail("CI must have ../shared beside the repo")
        pytest.skip("../shared (source data) is not beside the repo; set TWENTYTEN_SHARED to run")
    return SHARED


@pytest.fixture(scope="session")
def repo_dir() -> Path:
    return REPO


# --------------------------------------------------------------------------- browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


class ShownPage:
    """A Playwright page plus the console errors and network requests seen while it loaded."""

    def __init__(self, page, errors: list[str]):
        self.page, self.errors = page, errors

    def __getattr__(self, name: str):
        return getattr(self.page, name)


@contextmanager
def _open_page(path: Path):
    """A Playwright page showing ``path``; collects console errors in ``page.errors``."""
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("CI must install Chromium (.ci/run does, with apt-get)")
        pytest.skip("no Chromium on this machine (apt-get install chromium; CI installs it)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in the [test] extra")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("request", lambda r: errors.append("network request: " + r.url) if not r.url.startswith(("file:", "data:", "about:")) else None)
            page.goto(path.resolve().as_uri())
            yield ShownPage(page, errors)
        finally:
            browser.close()


@pytest.fixture
def open_page():
    """Context manager: ``with open_page(path) as page`` shows ``path`` in headless Chromium."""
    return _open_page
