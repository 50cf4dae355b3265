"""`track suggest`: media articles naming a county with a milestone word become evidence when a
planner accepts them, and are not suggested again once decided."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from twentyten.cli import cli
from twentyten.service.actors import SYSTEM, Actor, Role
from twentyten.service.errors import Forbidden
from twentyten.store.models import AuditEntry, Evidence

pytest.importorskip("duckdb", reason="the media extra is not installed")


@pytest.fixture
def media_db(tmp_path):
    from twentyten.media.ingest import IngestOptions, ingest

    rows = [
        {"date": "2024-02-29", "outlet": "KCNA", "title": "Songchon start", "link": "https://kcna.example/1",
         "text": "성천군 지방공업공장 건설 착공식이 진행되였다."},
        {"date": "2024-12-20", "outlet": "KCNA", "title": "Songchon opening", "link": "https://kcna.example/2",
         "text": "성천군 지방공업공장들의 준공식이 있었다."},
        {"date": "2024-05-01", "outlet": "KCNA", "title": "weather", "link": "https://kcna.example/3",
         "text": "성천군에 비가 내렸다."},
        {"date": "2024-03-08", "outlet": "KCNA", "title": "Kujang start", "link": "https://kcna.example/4",
         "text": "구장군 지방공업공장 착공식."},
    ]
    src = tmp_path / "corpus.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    db = tmp_path / "media.duckdb"
    assert ingest([src], db, IngestOptions()).loaded
    return db


def test_suggest_accept_reject(loaded_url, media_db):
    run = CliRunner().invoke
    args = ["--db", loaded_url, "--media-db", str(media_db)]
    r = run(cli, ["track", "suggest", "--county", "Songchon", "--format", "json", *args])
    assert r.exit_code == 0, r.output
    found = {s["title"]: s for s in json.loads(r.stdout)}
    assert set(found) == {"Songchon start", "Songchon opening"}  # the weather article has no milestone word
    start, opening = found["Songchon start"]["article_id"], found["Songchon opening"]["article_id"]
    r = run(cli, ["track", "accept", start, "--county", "Songchon", "--kind", "ground-breaking", *args])
    assert r.exit_code == 0, r.output
    r = run(cli, ["track", "reject", opening, "--county", "Songchon", "--reason", "duplicate of the record", *args])
    assert r.exit_code == 0, r.output
    r = run(cli, ["track", "suggest", "--county", "Songchon", "--format", "json", *args])
    assert json.loads(r.stdout) == []
    r = run(cli, ["track", "accept", start, "--county", "Songchon", "--kind", "ground-breaking", *args])
    assert r.exit_code == 2 and "decided already" in r.output

    from twentyten.store import make_engine, make_sessionmaker

    e = make_engine(loaded_url)
    with make_sessionmaker(e)() as s:
        ev = s.scalars(select(Evidence).where(Evidence.article_id == start)).one()
        assert (ev.url, ev.outlet, ev.date) == ("https://kcna.example/1", "KCNA", "2024-02-29")
        actions = [a.action for a in s.scalars(select(AuditEntry).where(AuditEntry.entity.in_(
            ("milestone", "suggestion"))))]
        assert actions == ["create", "reject"]
    e.dispose()


def test_only_planners_decide(loaded, media_db):
    from twentyten.media.store import open_store
    from twentyten.service.suggest import reject, suggestions

    province = Actor("sp", Role.PROVINCE, province_id="PRK-south-pyongan")
    with loaded() as s, open_store(media_db, read_only=True) as store:
        mine = suggestions(s, province, store)
        assert {m["county"] for m in mine} == {"Songchon"}  # Kujang is outside the province
        assert len(suggestions(s, SYSTEM, store)) == 3
        with pytest.raises(Forbidden):
            reject(s, province, store, mine[0]["article_id"], "Songchon", "no")
