"""The media attention page over a small hand-made corpus: group picker, measure switch,
correlation table, and the same numbers in its JSON twin as ``media trend`` computes."""

from __future__ import annotations

import json

import pytest
from tests.web.test_pages import csrf_of, sign_in

pytest.importorskip("duckdb", reason="the media extra is not installed")

ROWS = [  # 2023: 1 of 2 articles regional (2 mentions); 2024: 2 of 2 regional, 1 munitions
    {"date": "2023-03-01", "outlet": "kcna", "title": "a", "text": "regional industry and regional industry again"},
    {"date": "2023-05-01", "outlet": "kcna", "title": "b", "text": "weather"},
    {"date": "2024-03-01", "outlet": "kcna", "title": "c", "text": "local industry factories"},
    {"date": "2024-06-01", "outlet": "kcna", "title": "d", "text": "regional economy and munitions industry"},
]


@pytest.fixture
def media_client(tmp_path, db_url, template_db):
    from fastapi.testclient import TestClient

    from twentyten.api.app import ApiSettings, create_app
    from twentyten.media.ingest import IngestOptions, ingest
    from twentyten.web import WebSettings, mount

    src = tmp_path / "corpus.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in ROWS), encoding="utf-8")
    db = tmp_path / "media.duckdb"
    assert ingest([src], db, IngestOptions()).loaded
    app = mount(create_app(ApiSettings(db=db_url)), WebSettings(secret="t", default_plan=template_db["default_plan"],
                                                                  media_db=str(db)))
    with TestClient(app, base_url="http://127.0.0.1") as c:
        yield c


def values(view, group):
    return {r["period"]: r["value"] for r in view["rows"] if r["group"] == group}


def test_measures_switch(media_client):
    sign_in(media_client, "ana")
    share = media_client.get("/media.json", params={"group": ["regional", "munitions"]}).json()
    assert share["available"] and values(share, "regional") == {"2023": 50.0, "2024": 100.0}
    occ = media_client.get("/media.json", params={"group": "regional", "measure": "occurrences"}).json()
    assert values(occ, "regional") == {"2023": 2, "2024": 2}
    arts = media_client.get("/media.json", params={"group": "munitions", "measure": "articles"}).json()
    assert values(arts, "munitions") == {"2023": 0, "2024": 1}
    assert share["correlations"] and {c["a"] for c in share["correlations"]} <= {"regional", "munitions"}
    html = media_client.get("/media", params={"group": "regional"}).text
    assert 'id="media-spec"' in html


def test_unknown_group_is_refused(media_client):
    sign_in(media_client, "ana")
    r = media_client.get("/media.json", params={"group": "nonsense"})
    assert r.status_code == 422 and "nonsense" in r.json()["detail"]


def test_no_corpus_says_so(client):
    sign_in(client, "ana")
    view = client.get("/media.json").json()
    assert view["available"] is False and "media ingest" in view["reason"]


def test_per10k_measure_counts_over_all_characters_of_the_period(media_client):
    sign_in(media_client, "ana")
    occ = values(media_client.get("/media.json", params={"group": "regional", "measure": "occurrences"}).json(),
                 "regional")
    per = media_client.get("/media.json", params={"group": "regional", "measure": "per10k"}).json()
    assert "per10k" in per["measures"] and per["measure"] == "per10k"
    chars = {y: sum(len(r["text"]) for r in ROWS if r["date"].startswith(y)) for y in ("2023", "2024")}
    assert values(per, "regional") == pytest.approx({y: 10_000 * occ[y] / chars[y] for y in chars})
    html = media_client.get("/media", params={"group": "regional", "measure": "per10k"}).text
    assert "occurrences per 10,000 characters" in html
    media_client.post("/lang", data={"csrf": csrf_of(html), "lang": "ko", "next": "/media"})
    html = media_client.get("/media", params={"group": "regional", "measure": "per10k"}).text
    assert '<html lang="ko">' in html and "1만 자당 출현 횟수" in html
