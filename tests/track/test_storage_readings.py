"""Grain storage readings posted to the API: scope, all-or-nothing checks, stored alerts."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from twentyten.service.actors import SYSTEM, Actor, Role
from twentyten.service.errors import Forbidden
from twentyten.service.projects import create_project
from twentyten.service.storage import storage_alerts
from twentyten.store.models import AuditEntry, Project, StorageAlert, StorageReadingBatch

from .conftest import KUJANG, SONGCHON, SP

T0 = dt.datetime(2025, 10, 1, 0, 0)


def storage_id(sessions, county: str) -> int:
    """The county's grain storage project (created by the system when the record has none)."""
    with sessions() as s:
        p = s.scalars(select(Project).where(Project.county_id == county, Project.facility == "grain_storage")).first()
        return p.id if p else create_project(s, SYSTEM, county, "grain_storage").id


def readings(hours: int = 30, hot_from: int = 10, moisture: float = 18.0) -> list[dict]:
    """One bin, 2 cables x 2 depths, hourly; sensor A/1 climbs past 29.5 C from ``hot_from``."""
    rows = []
    for h in range(hours):
        t = (T0 + dt.timedelta(hours=h)).isoformat()
        for cable in ("A", "B"):
            for depth in (1, 3):
                g = 24.0 + (0.8 * (h - hot_from) if (cable, depth) == ("A", 1) and h > hot_from else 0.0)
                rows.append({"bin": "B1", "cable": cable, "depth": depth, "time": t, "grain_temp_c": round(g, 2),
                             "grain_moisture_pct": moisture, "ambient_temp_c": 12.0, "ambient_rh_pct": 60.0})
    return rows


def counts(sessions) -> tuple[int, int, int]:
    with sessions() as s:
        return tuple(s.scalar(select(func.count()).select_from(t)) for t in (StorageReadingBatch, StorageAlert,
                                                                               AuditEntry))


def test_county_officer_posts_readings_and_alerts_are_stored_and_audited(client):
    sid = storage_id(client.sessions, SONGCHON)
    before = counts(client.sessions)
    r = client.post(f"/api/storages/{sid}/readings", json={"crop": "paddy", "readings": readings()},
                    headers=client.tokens["song"])
    assert r.status_code == 201, r.text
    body = r.json()
    kinds = {a["kind"] for a in body["alerts"]}
    assert {"hot_spot", "moisture"} <= kinds
    hot = next(a for a in body["alerts"] if a["kind"] == "hot_spot")
    assert (hot["bin"], hot["cable"], hot["depth"], hot["county_id"]) == ("B1", "A", 1.0, SONGCHON)
    # the first hour above 29.5 C: 24 + 0.8 (h - 10) > 29.5 from h = 17
    assert hot["time"] == (T0 + dt.timedelta(hours=17)).isoformat()
    (b,) = body["bins"]
    assert b["hours"] == 30 and b["sensors"] == 4
    assert sum(run["hours"] for run in b["fan_runs"]) == 30
    assert b["fan_hours"] == sum(run["hours"] for run in b["fan_runs"] if run["fan"] == "on") > 0
    assert b["fan_runs"][0]["from"] == T0.isoformat() and b["fan_runs"][-1]["to"] == (
        T0 + dt.timedelta(hours=29)).isoformat()
    after = counts(client.sessions)
    assert after == (before[0] + 1, before[1] + len(body["alerts"]), before[2] + 1)
    with client.sessions() as s:
        a = s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert (a.actor, a.action, a.entity, a.province_id) == ("song", "post", "storage_readings", SP)
        assert a.after["rows"] == 120 and a.after["alerts"] == len(body["alerts"])
        batch = s.get(StorageReadingBatch, body["batch_id"])
        assert batch.n_rows == 120 and batch.rows[0]["bin"] == "B1" and batch.posted_by == "song"
    got = client.get(f"/api/storages/{sid}/alerts", headers=client.tokens["song"])
    assert got.status_code == 200 and got.json()["total"] == len(body["alerts"])


@pytest.mark.parametrize("user", ["kuj", "ana", "np"])
def test_out_of_scope_or_read_only_is_refused_and_nothing_stored(client, user):
    sid = storage_id(client.sessions, SONGCHON)
    before = counts(client.sessions)
    r = client.post(f"/api/storages/{sid}/readings", json={"readings": readings()}, headers=client.tokens[user])
    assert r.status_code == 403, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert counts(client.sessions) == before


@pytest.mark.parametrize("user", ["sp", "plan"])
def test_province_and_planner_may_post(client, user):
    sid = storage_id(client.sessions, SONGCHON)
    r = client.post(f"/api/storages/{sid}/readings", json={"readings": readings()}, headers=client.tokens[user])
    assert r.status_code == 201, r.text


def _dup(rows):
    rows[5] = dict(rows[1])  # item 6 repeats item 2's sensor and hour
    return rows, "readings, item 6", "duplicate timestamp"


def _impossible(rows):
    rows[7]["ambient_rh_pct"] = 140.0
    return rows, "readings, item 8", "impossible"


def _backwards(rows):
    rows[0]["time"], rows[4]["time"] = rows[4]["time"], rows[0]["time"]  # sensor A/1: hour 1, then hour 0
    return rows, "readings, item 5", "time goes backwards"


def _mixed_zones(rows):
    rows[2]["time"] = rows[2]["time"] + "+09:00"
    return rows, "readings, item 3", "UTC offset"


def _wrong_type(rows):
    rows[3]["bin"] = {"nested": 1}
    return rows, "readings, item 4", "bin must be"


def _huge(rows):
    rows[9]["grain_temp_c"] = 10**400  # valid JSON, beyond any float
    return rows, "readings, item 10", "grain_temp_c"


def _nul(rows):
    rows[10]["cable"] = "A\x00"  # PostgreSQL refuses NUL in text: refused here first
    return rows, "readings, item 11", "NUL"


@pytest.mark.parametrize("spoil", [_dup, _impossible, _backwards, _mixed_zones, _wrong_type, _huge, _nul])
def test_bad_readings_get_422_naming_the_item_and_nothing_is_stored(client, spoil):
    sid = storage_id(client.sessions, SONGCHON)
    rows, where, reason = spoil(readings())
    before = counts(client.sessions)
    r = client.post(f"/api/storages/{sid}/readings", json={"readings": rows}, headers=client.tokens["song"])
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    errs = r.json()["errors"]
    assert any(e["where"].startswith(where) and reason in e["reason"] for e in errs), errs
    assert counts(client.sessions) == before


@pytest.mark.parametrize("body", [{"readings": []}, {"readings": readings(2), "crop": "rice"},
                                  {"readings": readings(2), "extra": 1}, {"readings": [1, 2]}, {}])
def test_malformed_bodies_get_422(client, body):
    sid = storage_id(client.sessions, SONGCHON)
    before = counts(client.sessions)
    r = client.post(f"/api/storages/{sid}/readings", json=body, headers=client.tokens["song"])
    assert r.status_code == 422, r.text
    assert counts(client.sessions) == before


def test_hours_posted_before_are_refused_and_later_hours_taken(client):
    sid = storage_id(client.sessions, SONGCHON)
    first = readings(30)
    post = lambda rows: client.post(f"/api/storages/{sid}/readings", json={"readings": rows},  # noqa: E731
                                    headers=client.tokens["song"])
    assert post(first[:40]).status_code == 201  # hours 0-9
    before = counts(client.sessions)
    again = post(first[36:60])  # hours 9-14: hour 9 was posted
    assert again.status_code == 409, again.text
    assert again.json()["errors"][0]["where"] == "readings, bin B1"
    assert counts(client.sessions) == before
    assert post(first[40:]).status_code == 201  # hours 10-29


def test_a_project_that_is_no_storage_is_404(client):
    with client.sessions() as s:
        fid = s.scalars(select(Project.id).where(Project.county_id == SONGCHON, Project.facility == "factory")).one()
    r = client.post(f"/api/storages/{fid}/readings", json={"readings": readings(2)}, headers=client.tokens["song"])
    assert r.status_code == 404 and "factory" in r.json()["detail"]


def test_alerts_are_read_by_scope(client):
    song, kuj = storage_id(client.sessions, SONGCHON), storage_id(client.sessions, KUJANG)
    for sid, user in ((song, "song"), (kuj, "kuj")):
        assert client.post(f"/api/storages/{sid}/readings", json={"readings": readings()},
                           headers=client.tokens[user]).status_code == 201
    assert client.get(f"/api/storages/{kuj}/alerts", headers=client.tokens["song"]).status_code == 403
    assert client.get(f"/api/storages/{kuj}/alerts", headers=client.tokens["sp"]).status_code == 403
    assert client.get(f"/api/storages/{kuj}/alerts", headers=client.tokens["ana"]).status_code == 200
    hot = client.get(f"/api/storages/{song}/alerts?kind=hot_spot", headers=client.tokens["sp"]).json()
    assert hot["total"] >= 1 and {a["kind"] for a in hot["items"]} == {"hot_spot"}
    # the service function the county page calls: by county, within the actor's scope
    county_officer = Actor("song", Role.COUNTY, SP, SONGCHON)
    with client.sessions() as s:
        items, total = storage_alerts(s, county_officer, county_id=SONGCHON)
        assert total >= 2 and {a["county_id"] for a in items} == {SONGCHON}
        mine, _ = storage_alerts(s, county_officer)
        assert {a["county_id"] for a in mine} == {SONGCHON}
        everyone, _ = storage_alerts(s, Actor("ana", Role.ANALYST))
        assert {a["county_id"] for a in everyone} == {SONGCHON, KUJANG}
        with pytest.raises(Forbidden):
            storage_alerts(s, county_officer, county_id=KUJANG)
