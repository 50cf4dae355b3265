"""Helpers for media tests: small hand-made corpora written to tmp_path and ingested."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest

pytest.importorskip("duckdb")
pytest.importorskip("pyarrow")


def write_jsonl(path: Path, rows: Sequence[dict]) -> Path:
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
    return path


@pytest.fixture
def build_store(tmp_path):
    """Ingest rows (dicts with date, outlet, title, text[, link]) into a fresh DuckDB file."""
    from twentyten.media.ingest import IngestOptions, ingest

    counter = {"n": 0}

    def build(rows: Sequence[dict], **options) -> Path:
        counter["n"] += 1
        src = write_jsonl(tmp_path / f"corpus{counter['n']}.jsonl", rows)
        db = tmp_path / f"media{counter['n']}.duckdb"
        report = ingest([src], db, IngestOptions(**options))
        assert report.loaded, [str(r) for r in report.rejected]
        return db

    return build
