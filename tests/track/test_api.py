"""The REST API on a real database: roles and scopes, audit, concurrency, problem bodies."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from sqlalchemy import func, select, update

from twentyten.service.actors import SYSTEM
from twentyten.service.reports import ReportIn, approve_report, submit_report
from twentyten.service.transfer import import_records
from twentyten.store.models import AuditEntry, Evidence, Milestone, PlanVersion, Project, Report

from .conftest import KUJANG, NP, SONGCHON, SP, USERS

TARGETS = {"songchon": (SP, SONGCHON), "kujang": (NP, KUJANG)}
ENDPOINTS = ("create-project", "status", "milestone", "report", "approve", "unapprove", "import")


def allowed(user: str, target: str, endpoint: str) -> bool:
    role, region = USERS[user]
    province, county = TARGETS[target]
    if role == "analyst":
        return False
    if endpoint in ("approve", "unapprove") and role == "county":
        return False
    return role == "planner" or region in (province, county)


def snapshot(sessions) -> dict:
    """Everything a refused write must leave as it was."""
    with sessions() as s:
        return {
            "counts": [s.scalar(select(func.count()).select_from(t)) for t in
                       (Project, Milestone, Evidence, Report, PlanVersion, AuditEntry)],
            "projects": s.execute(select(Project.id, Project.status, Project.version, Project.planned_year)
                                  .order_by(Project.id)).all(),
            "reports": s.execute(select(Report.id, Report.state, Report.version).order_by(Report.id)).all(),
        }


def audits(sessions) -> int:
    with sessions() as s:
        return s.scalar(select(func.count()).select_from(AuditEntry))


def factory(sessions, county: str) -> Project:
    with sessions() as s:
        return s.scalars(select(Project).where(Project.county_id == county, Project.facility == "factory")).one()


_months = (f"{y}-{m:02d}" for y, m in itertools.product(range(2030, 2100), range(1, 13)))


def attempt(client, user: str, target: str, endpoint: str):
    """Prepare what the write needs (as the operator), then try it as ``user``."""
    sessions, h = client.sessions, client.tokens[user]
    province, county = TARGETS[target]
    p = factory(sessions, county)
    if endpoint == "create-project":
        with sessions() as s:
            have = set(s.scalars(select(Project.facility).where(Project.county_id == county)))
        fac = next(f for f in ("hospital", "leisure_complex", "grain_storage", "offshore_farm") if f not in have)
        return client.post("/api/projects", json={"county": county, "facility": fac}, headers=h)
    if endpoint == "status":
        with sessions() as s:
            s.execute(update(Project).where(Project.id == p.id).values(status="completed"))
            s.commit()
        return client.post(f"/api/projects/{p.id}/status", json={"status": "inaugurated"},
                           headers={**h, "If-Match": f'"{p.version}"'})
    if endpoint == "milestone":
        return client.post(f"/api/projects/{p.id}/milestones", json={
            "kind": "progress", "date": "2026-03", "evidence": [{"url": "https://example.org/a", "outlet": "x"}]},
            headers=h)
    if endpoint == "report":
        return client.post("/api/reports", json={"project_id": p.id, "month": next(_months), "product_range": 3,
                                                 "output": [{"line": "soy sauce", "quantity": 12.5, "unit": "t"}]},
                           headers=h)
    if endpoint in ("approve", "unapprove"):
        with sessions() as s:
            r = submit_report(s, SYSTEM, p.id, ReportIn(month=next(_months)))
            if endpoint == "unapprove":
                r = approve_report(s, SYSTEM, r.id, version=r.version)
            rid, ver = r.id, r.version
        if endpoint == "approve":
            return client.post(f"/api/reports/{rid}/approve", headers={**h, "If-Match": f'"{ver}"'})
        return client.post(f"/api/reports/{rid}/unapprove", json={"reason": "figures wrong", "version": ver},
                           headers=h)
    csv = f"county,facility,kind,date,url\n{county},factory,progress,2026-04,https://example.org/b\n"
    return client.post("/api/import", files={"file": ("m.csv", csv.encode(), "text/csv")}, headers=h)


def test_every_role_against_every_write_endpoint(client):
    """In scope: done and audited. Out of scope or read-only: refused (4xx), nothing changed."""
    seen = []
    for user, target, endpoint in itertools.product(USERS, TARGETS, ENDPOINTS):
        before, n_audit = snapshot(client.sessions), audits(client.sessions)
        r = attempt(client, user, target, endpoint)
        case = (user, target, endpoint, r.status_code, r.text[:200])
        if allowed(user, target, endpoint):
            assert r.status_code in (200, 201), case
            assert audits(client.sessions) > n_audit, case
        else:
            assert 400 <= r.status_code < 500, case
            assert r.headers["content-type"] == "application/problem+json", case
            # the preparation itself (as the operator) may have written; compare from after it
            after = snapshot(client.sessions)
            if endpoint not in ("approve", "unapprove", "status"):
                assert after == before, case
            else:
                assert after["counts"][5] == before["counts"][5] + (
                    {"approve": 1, "unapprove": 2, "status": 0}[endpoint]), case
        seen.append(r.status_code)
    assert len(seen) == len(USERS) * len(TARGETS) * len(ENDPOINTS)


def test_refused_state_changes_leave_the_row_as_it_was(client):
    p = factory(client.sessions, KUJANG)
    with client.sessions() as s:
        r = submit_report(s, SYSTEM, p.id, ReportIn(month="2031-01"))
        rid = r.id
    before = snapshot(client.sessions)
    for user in ("sp", "song", "kuj", "ana"):
        resp = client.post(f"/api/reports/{rid}/approve", headers={**client.tokens[user], "If-Match": '"1"'})
        assert resp.status_code in (403, 404), (user, resp.text)
    assert snapshot(client.sessions) == before


def test_token_wrong_password_expired_and_revoked(client):
    r = client.post("/api/auth/token", data={"username": "plan", "password": "wrong"})
    assert r.status_code == 401 and r.json()["title"] == "Not signed in"
    assert client.get("/api/projects").status_code == 401
    h = client.tokens["ana"]
    assert client.get("/api/projects", headers=h).status_code == 200
    assert client.post("/api/auth/revoke", headers=h).status_code == 204
    assert client.get("/api/projects", headers=h).status_code == 401
    from twentyten.service.auth import issue_token

    with client.sessions() as s:
        old, _ = issue_token(s, "plan", "correct horse battery", ttl=dt.timedelta(seconds=-1))
    r = client.get("/api/projects", headers={"Authorization": f"Bearer {old}"})
    assert r.status_code == 401 and "expired" in r.json()["detail"]


def test_two_officers_editing_one_project(client):
    p = factory(client.sessions, SONGCHON)  # inaugurated
    h1, h2 = client.tokens["sp"], client.tokens["song"]
    etag = client.get(f"/api/projects/{p.id}", headers=h1).headers["ETag"]
    assert client.get(f"/api/projects/{p.id}", headers=h2).headers["ETag"] == etag
    r1 = client.post(f"/api/projects/{p.id}/status", json={"status": "operating"}, headers={**h1, "If-Match": etag})
    assert r1.status_code == 200 and r1.headers["ETag"] != etag
    r2 = client.post(f"/api/projects/{p.id}/status", json={"status": "delayed"}, headers={**h2, "If-Match": etag})
    assert r2.status_code == 412
    r3 = client.post(f"/api/projects/{p.id}/status", json={"status": "delayed", "version": p.version}, headers=h2)
    assert r3.status_code == 409
    r4 = client.post(f"/api/projects/{p.id}/status", json={"status": "delayed"}, headers=h2)
    assert r4.status_code == 428
    assert client.get(f"/api/projects/{p.id}", headers=h2).json()["status"] == "operating"


def test_impossible_transition_refused_with_reason_and_planner_override_audited(client):
    r = client.post("/api/projects", json={"county": "Sinyang", "facility": "hospital"}, headers=client.tokens["sp"])
    assert r.status_code == 201
    pid = r.json()["id"]
    r = client.post(f"/api/projects/{pid}/status", json={"status": "completed", "version": 1},
                    headers=client.tokens["sp"])
    assert r.status_code == 409 and "skips ground-breaking, under construction" in r.json()["detail"]
    r = client.post(f"/api/projects/{pid}/status", json={"status": "completed", "version": 1, "override": True,
                                                         "reason": "seen"}, headers=client.tokens["sp"])
    assert r.status_code == 409 and "only a planner" in r.json()["detail"]
    r = client.post(f"/api/projects/{pid}/status", json={"status": "completed", "version": 1, "override": True},
                    headers=client.tokens["plan"])
    assert r.status_code == 422 and "reason" in r.json()["detail"]
    r = client.post(f"/api/projects/{pid}/status", json={"status": "completed", "version": 1, "override": True,
                                                         "reason": "satellite image 2026-05"},
                    headers=client.tokens["plan"])
    assert r.status_code == 200 and r.json()["status"] == "completed"
    log = client.get("/api/audit", params={"entity": "project", "limit": 500}, headers=client.tokens["plan"]).json()
    last = [a for a in log["items"] if a["entity_id"] == str(pid)][-1]
    assert (last["action"], last["reason"]) == ("override-status", "satellite image 2026-05")
    assert (last["before"]["status"], last["after"]["status"]) == ("planned", "completed")


def test_approved_report_is_locked_until_unapproved_with_reason(client):
    p = factory(client.sessions, SONGCHON)
    body = {"project_id": p.id, "month": "2026-01", "quality_passed": 9, "quality_failed": 1,
            "opinion_score": 8.5, "opinion_responses": 40}
    r = client.post("/api/reports", json=body, headers=client.tokens["song"])
    assert r.status_code == 201
    rid = r.json()["id"]
    r = client.post(f"/api/reports/{rid}/approve", headers={**client.tokens["sp"], "If-Match": '"1"'})
    assert r.status_code == 200 and r.json()["state"] == "approved"
    r = client.post("/api/reports", json={**body, "quality_failed": 0}, headers=client.tokens["song"])
    assert r.status_code == 409 and "locked" in r.json()["detail"]
    r = client.post(f"/api/reports/{rid}/unapprove", json={"reason": "", "version": 2}, headers=client.tokens["sp"])
    assert r.status_code == 422
    r = client.post(f"/api/reports/{rid}/unapprove", json={"reason": "count was wrong", "version": 2},
                    headers=client.tokens["sp"])
    assert r.status_code == 200 and r.json()["state"] == "submitted"
    r = client.post("/api/reports", json={**body, "quality_failed": 0}, headers=client.tokens["song"])
    assert r.status_code == 201 and r.json()["quality_failed"] == 0
    log = client.get("/api/audit", params={"entity": "report"}, headers=client.tokens["sp"]).json()["items"]
    assert [a["action"] for a in log] == ["submit", "approve", "unapprove", "resubmit"]
    assert log[2]["reason"] == "count was wrong"


def test_lists_are_paginated_filtered_and_scoped(client):
    h = client.tokens["plan"]
    all_sp = client.get("/api/projects", params={"province": "South Pyongan", "limit": 500}, headers=h).json()
    assert all_sp["total"] == len(all_sp["items"]) > 3
    assert {p["province_id"] for p in all_sp["items"]} == {SP}
    page = client.get("/api/projects", params={"province": SP, "limit": 2, "offset": 2}, headers=h).json()
    assert page["total"] == all_sp["total"] and [p["id"] for p in page["items"]] == [
        p["id"] for p in all_sp["items"][2:4]]
    hosp = client.get("/api/projects", params={"facility": "hospital", "status": "inaugurated"}, headers=h).json()
    assert hosp["total"] >= 1 and all(p["facility"] == "hospital" for p in hosp["items"])
    mine = client.get("/api/projects", params={"limit": 500}, headers=client.tokens["song"]).json()
    assert {p["county_id"] for p in mine["items"]} == {SONGCHON}
    other = client.get("/api/projects", params={"province": NP}, headers=client.tokens["sp"]).json()
    assert other["total"] == 0
    kujang = factory(client.sessions, KUJANG).id
    assert client.get(f"/api/projects/{kujang}", headers=client.tokens["sp"]).status_code == 404
    r = client.get("/api/projects", params={"status": "finished"}, headers=h)
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
    regions = client.get("/api/regions", params={"level": "province"}, headers=h).json()
    assert regions["total"] >= 9
    assert client.get(f"/api/regions/{SP}", headers=h).json()["name"] == "South Pyongan"


def test_audit_is_read_by_scope(client):
    client.post("/api/projects", json={"county": KUJANG, "facility": "hospital"}, headers=client.tokens["np"])
    client.post("/api/projects", json={"county": SONGCHON, "facility": "hospital"}, headers=client.tokens["sp"])
    sp = client.get("/api/audit", params={"limit": 500}, headers=client.tokens["sp"]).json()["items"]
    assert sp and {a["province_id"] for a in sp} == {SP}
    everything = client.get("/api/audit", params={"limit": 500}, headers=client.tokens["plan"]).json()["items"]
    assert {SP, NP} <= {a["province_id"] for a in everything}
    for user in ("song", "ana"):
        assert client.get("/api/audit", headers=client.tokens[user]).status_code == 403


@pytest.mark.parametrize("body, where", [
    ({"county": 5, "facility": "factory"}, "body.county"),
    ({"county": "Songchon", "facility": "factory", "colour": "red"}, "body.colour"),
    ({"county": "Songchon", "facility": "spaceport"}, "body.facility"),
    ({"county": "Nowhere", "facility": "hospital"}, ""),
])
def test_bad_input_gets_a_problem_body(client, body, where):
    r = client.post("/api/projects", json=body, headers=client.tokens["plan"])
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
    assert where in r.json()["detail"]
    assert client.get("/api/projects/abc", headers=client.tokens["plan"]).status_code == 422
    assert client.get("/api/projects/1", headers={**client.tokens["plan"], "If-Match": "x"}).status_code == 200


def test_report_output_must_be_a_designed_line_in_its_unit(client):
    """Songchon (lowland, soybeans) is designed a soy-sauce line; Chosan (mountainous) is not."""
    p = factory(client.sessions, SONGCHON)
    h = client.tokens["plan"]
    ok = {"project_id": p.id, "month": "2027-01",
          "output": [{"line": "Soy sauce (kanjang)", "quantity": 4.0, "unit": "t"},
                     {"line": "bread_sweets", "quantity": 9.0, "unit": "t"}]}
    r = client.post("/api/reports", json=ok, headers=h)
    assert r.status_code == 201, r.text
    before = snapshot(client.sessions)
    bad_line = {**ok, "month": "2027-02", "output": [{"line": "shoes", "quantity": 300, "unit": "pairs"}]}
    r = client.post("/api/reports", json=bad_line, headers=h)
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
    assert r.json()["errors"][0]["where"] == "output[0].line"
    assert "'shoes' is not a line" in r.json()["detail"] and "soy_sauce (Soy sauce (kanjang))" in r.json()["detail"]
    bad_unit = {**ok, "month": "2027-02", "output": [ok["output"][1], {"line": "soy sauce", "quantity": 3, "unit": "kg"}]}
    r = client.post("/api/reports", json=bad_unit, headers=h)
    assert r.status_code == 422 and r.json()["errors"] == [
        {"where": "output[1].unit", "reason": "'kg' is not the unit of Soy sauce (kanjang): report it in t"}]
    with client.sessions() as s:
        import_records(s, SYSTEM, "projects.csv", b"county,facility\nPRK-jagang-chosan,factory\n")
    chosan = factory(client.sessions, "PRK-jagang-chosan")
    r = client.post("/api/reports", json={**ok, "project_id": chosan.id}, headers=h)
    assert r.status_code == 422 and r.json()["errors"][0]["where"] == "output[0].line"
    assert "not a line of PRK-jagang-chosan" in r.json()["detail"]
    assert snapshot(client.sessions)["reports"] == before["reports"]


@pytest.mark.parametrize("user, f", [
    ("plan", {"province": SP}), ("plan", {"province": "south pyongan", "facility": "factory"}),
    ("plan", {"status": "planned", "year": 2026}), ("sp", {}), ("song", {}), ("ana", {"county": KUJANG}),
    ("plan", {"province": SP, "facility": "hospital", "status": "cancelled"}),
])
def test_the_api_list_is_the_service_list_in_the_read_schema(client, user, f):
    """GET /api/projects sends its page without re-validating it: it must be exactly what
    list_projects + project_dict give, and valid against Page[ProjectRead]."""
    from twentyten.api.schemas import Page, ProjectRead
    from twentyten.service.auth import actor_for_token
    from twentyten.service.projects import ProjectFilter, list_projects, project_dict, region_names

    token = client.tokens[user]["Authorization"].removeprefix("Bearer ")
    for offset in (0, 3, 10_000):
        r = client.get("/api/projects", params={**f, "limit": 4, "offset": offset}, headers=client.tokens[user])
        assert r.status_code == 200
        with client.sessions() as s:
            rows, total = list_projects(s, actor_for_token(s, token), ProjectFilter(**f), limit=4, offset=offset)
            want = {"items": [project_dict(p, region_names(s, rows)) for p in rows], "total": total,
                    "limit": 4, "offset": offset}
        assert r.json() == want
        Page[ProjectRead].model_validate(r.json())


def test_a_revoked_token_is_refused_at_once_though_it_was_just_used(client):
    h = client.tokens["kuj"]
    for _ in range(3):
        assert client.get("/api/projects", headers=h).status_code == 200
    assert client.post("/api/auth/revoke", headers=h).status_code == 204
    assert client.get("/api/projects", headers=h).status_code == 401


@pytest.mark.parametrize("params, where", [
    ({"province": "Atlantis"}, "province 'Atlantis'"), ({"province": SONGCHON}, f"province '{SONGCHON}'"),
    ({"county": "South Pyongan"}, "county 'South Pyongan'"), ({"county": SP, "facility": "factory"}, f"county '{SP}'"),
])
def test_the_list_names_an_unknown_or_wrong_level_region(client, params, where):
    """The list takes a province or county as an id first (one query); a name, a county given as
    a province or an unknown region still gets the same answer as the service's lookup."""
    r = client.get("/api/projects", params=params, headers=client.tokens["plan"])
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
    assert r.json()["detail"].startswith(where) and "not in the database" in r.json()["detail"]


def test_county_by_name_and_id_give_the_same_page(client):
    h = client.tokens["plan"]
    by_id = client.get("/api/projects", params={"county": SONGCHON}, headers=h).json()
    by_name = client.get("/api/projects", params={"county": "songchon"}, headers=h).json()
    assert by_id == by_name and by_id["total"] >= 1
    assert {p["county_id"] for p in by_id["items"]} == {SONGCHON}


def test_an_import_does_not_hold_up_other_requests(client):
    """POST /api/import runs the import in the thread pool: a list asked for while a few
    thousand rows are imported is answered before the import ends."""
    import asyncio

    import httpx

    from .test_transfer import report_csv

    rows = 6000
    raw = report_csv(rows).replace(b"Songchon,", f"{SONGCHON},".encode())
    h = client.tokens["plan"]
    # the first import loads the atlas and standards (once per app): done before the one timed
    warm = client.post("/api/import", params={"dry_run": True}, headers=h,
                       files={"file": ("w.csv", report_csv(1).replace(b"Songchon,", f"{SONGCHON},".encode()))})
    assert warm.status_code == 200, warm.text

    async def both():
        transport = httpx.ASGITransport(app=client.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test", timeout=120) as c:
            imp = asyncio.create_task(c.post("/api/import", files={"file": ("r.csv", raw, "text/csv")}, headers=h))
            await asyncio.sleep(0.2)  # the upload is read and the import under way
            listed = await c.get("/api/projects", params={"province": SP}, headers=h)
            done_first = imp.done()
            return listed, done_first, await imp

    listed, import_done_first, imported = asyncio.run(both())
    assert listed.status_code == 200 and listed.json()["total"] > 3
    assert imported.status_code == 200 and imported.json()["reports"] == rows
    assert not import_done_first
