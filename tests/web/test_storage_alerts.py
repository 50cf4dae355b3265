"""Grain storage alerts from readings posted to the API appear on the county page (and its
JSON twin), for those who may read the county."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from twentyten.service.actors import SYSTEM
from twentyten.service.projects import create_project
from twentyten.service.storage import post_readings
from twentyten.store import make_engine, make_sessionmaker
from twentyten.store.models import Project

from .conftest import SONGCHON
from .test_pages import sign_in

T0 = dt.datetime(2026, 10, 1, 0, 0)


def _hot_readings() -> list[dict]:
    rows = []
    for h in range(30):
        t = (T0 + dt.timedelta(hours=h)).isoformat()
        for cable in ("A", "B"):
            for depth in (1, 3):
                g = 24.0 + (0.8 * (h - 10) if (cable, depth) == ("A", 1) and h > 10 else 0.0)
                rows.append({"bin": "B7", "cable": cable, "depth": depth, "time": t, "grain_temp_c": round(g, 2),
                             "grain_moisture_pct": 14.0, "ambient_temp_c": 12.0, "ambient_rh_pct": 60.0})
    return rows


def test_alerts_of_posted_readings_are_on_the_county_page(client, db_url):
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as s:
        p = s.scalars(select(Project).where(Project.county_id == SONGCHON,
                                            Project.facility == "grain_storage")).first()
        pid = p.id if p else create_project(s, SYSTEM, SONGCHON, "grain_storage").id
        s.commit()
        result = post_readings(s, SYSTEM, pid, _hot_readings()).as_dict()
    engine.dispose()
    assert any(a["kind"] == "hot_spot" for a in result["alerts"])
    sign_in(client, "song")
    view = client.get(f"/county/{SONGCHON}.json").json()
    kinds = {a["kind"] for a in view["storage_alerts"]}
    assert "hot_spot" in kinds and all(a["bin"] == "B7" for a in view["storage_alerts"])
    page = client.get(f"/county/{SONGCHON}").text
    assert 'id="storage-alerts"' in page and 'data-alert="hot_spot"' in page


def test_a_county_without_readings_says_so(client):
    sign_in(client, "song")
    page = client.get(f"/county/{SONGCHON}").text
    assert "No alerts from the grain storage" in page
