"""Shared fixtures. Tests that need ../shared use the ``shared_dir`` fixture, which
skips with a clear reason when the folder is absent (a user's clone has none)."""

from __future__ import annotations

import os
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
        pytest.skip("../shared (source data) is not beside the repo; set TWENTYTEN_SHARED to run")
    return SHARED


@pytest.fixture(scope="session")
def repo_dir() -> Path:
    return REPO
