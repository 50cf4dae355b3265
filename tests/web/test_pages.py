"""The dashboard over HTTP (no browser): sign-in, cookies, CSRF, roles, JSON twins, languages."""

from __future__ import annotations

import re

from tests.web.conftest import KUJANG, PASSWORD, SONGCHON


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf" value="([^"]+)"', html)
    assert m, "the page has no CSRF field"
    return m.group(1)


def sign_in(client, name: str) -> None:
    page = client.get("/login")
    r = client.post("/login", data={"csrf": csrf_of(page.text), "name": name, "password": PASSWORD, "next": "/map"},
                    follow_redirects=False)
    assert r.status_code == 303, r.text


def test_pages_need_sign_in(client):
    r = client.get("/map", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    assert client.get("/map.json").status_code == 401


def test_session_cookie_is_httponly_and_samesite(client):
    r = client.get("/login")
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert "connect-src 'self'" in r.headers["content-security-policy"]


def test_wrong_password_refused(client):
    page = client.get("/login")
    r = client.post("/login", data={"csrf": csrf_of(page.text), "name": "song", "password": "wrong one!"})
    assert r.status_code == 401
    assert "Wrong user name or password" in r.text


def test_form_without_csrf_is_refused(client):
    client.get("/login")
    r = client.post("/login", data={"csrf": "forged", "name": "song", "password": PASSWORD})
    assert r.status_code == 400
    assert client.get("/map.json").status_code == 401  # not signed in


def test_every_form_carries_the_csrf_token(client):
    sign_in(client, "song")
    html = client.get(f"/county/{SONGCHON}").text
    forms = re.findall(r"<form[^>]*method=\"post\"[^>]*>(.*?)</form>", html, flags=re.S)
    assert len(forms) >= 4  # language, sign out, milestone, report
    assert all('name="csrf"' in f for f in forms)


def test_map_json_is_the_pages_data(client):
    sign_in(client, "plan")
    view = client.get("/map.json").json()
    ids = {c["id"] for c in view["counties"]}
    assert SONGCHON in ids and len(ids) > 150
    years = [c["planned_year"] for c in view["counties"] if c["planned_year"]]
    assert min(years) >= 2024 and max(years) <= 2033
    assert any(c["record"] for c in view["counties"])
    html = client.get("/map").text
    assert SONGCHON in html  # the same counties are in the page's data


def test_county_officer_reports_a_milestone(client):
    sign_in(client, "song")
    before = client.get(f"/county/{SONGCHON}.json").json()
    p = before["projects"][0]
    html = client.get(f"/county/{SONGCHON}").text
    r = client.post(f"/county/{SONGCHON}/milestone", data={
        "csrf": csrf_of(html), "project_id": p["id"], "kind": "inauguration", "date": "2026-10-10",
        "evidence_url": "https://example.org/news/1", "evidence_title": "Inaugurated"}, follow_redirects=False)
    assert r.status_code == 303
    after = client.get(f"/county/{SONGCHON}.json").json()
    q = next(x for x in after["projects"] if x["id"] == p["id"])
    assert len(q["milestones"]) == len(p["milestones"]) + 1
    assert q["stage"] == "inaugurated"
    assert q["milestones"][-1]["evidence"][0]["url"] == "https://example.org/news/1"


def test_milestone_without_evidence_is_refused_with_reason(client):
    sign_in(client, "song")
    p = client.get(f"/county/{SONGCHON}.json").json()["projects"][0]
    html = client.get(f"/county/{SONGCHON}").text
    r = client.post(f"/county/{SONGCHON}/milestone", data={
        "csrf": csrf_of(html), "project_id": p["id"], "kind": "inauguration", "date": "2026-10-10"})
    assert r.status_code == 422
    assert "needs evidence" in r.text


def test_county_officer_cannot_edit_another_county(client):
    sign_in(client, "plan")
    theirs = client.get(f"/county/{KUJANG}.json").json()["projects"][0]
    client.cookies.clear()
    sign_in(client, "song")
    plan = client.get(f"/county/{KUJANG}.json").json()
    assert plan["readable"] is False and plan["projects"] == []
    html = client.get(f"/county/{KUJANG}").text
    assert "/milestone" not in html  # no form offered
    r = client.post(f"/county/{KUJANG}/milestone", data={
        "csrf": csrf_of(html), "project_id": theirs["id"], "kind": "inauguration", "date": "2026",
        "evidence_note": "seen"})
    assert r.status_code == 404  # out of scope reads as absent
    client.cookies.clear()
    sign_in(client, "plan")
    again = next(p for p in client.get(f"/county/{KUJANG}.json").json()["projects"] if p["id"] == theirs["id"])
    assert again["milestones"] == theirs["milestones"]  # nothing was added


def test_province_approves_and_the_report_is_locked(client):
    sign_in(client, "song")
    view = client.get(f"/county/{SONGCHON}.json").json()
    factory = next(p for p in view["projects"] if p["facility"] == "factory")
    html = client.get(f"/county/{SONGCHON}").text
    r = client.post(f"/county/{SONGCHON}/report", data={
        "csrf": csrf_of(html), "project_id": factory["id"], "month": "2026-09", "line": "soy sauce",
        "quantity": "120", "unit": "t", "quality_passed": "95", "quality_failed": "5", "opinion_score": "8",
        "opinion_responses": "40"}, follow_redirects=False)
    assert r.status_code == 303
    rep = client.get(f"/county/{SONGCHON}.json").json()["reports"][0]
    assert rep["state"] == "submitted"
    client.cookies.clear()
    sign_in(client, "sp")
    html = client.get(f"/county/{SONGCHON}").text
    r = client.post(f"/county/{SONGCHON}/report/{rep['id']}/approve",
                    data={"csrf": csrf_of(html), "version": rep["version"]}, follow_redirects=False)
    assert r.status_code == 303
    assert client.get(f"/county/{SONGCHON}.json").json()["reports"][0]["state"] == "approved"
    client.cookies.clear()
    sign_in(client, "song")
    html = client.get(f"/county/{SONGCHON}").text
    r = client.post(f"/county/{SONGCHON}/report", data={
        "csrf": csrf_of(html), "project_id": factory["id"], "month": "2026-09", "quantity": "1", "unit": "t",
        "line": "x"})
    assert r.status_code == 409 and "locked" in r.text


def test_korean_switch(client):
    sign_in(client, "plan")
    html = client.get("/map").text
    r = client.post("/lang", data={"csrf": csrf_of(html), "lang": "ko", "next": "/map"})
    assert r.status_code == 200
    assert '<html lang="ko">' in r.text and "전국 지도" in r.text
    assert "National map" not in r.text.split("<main>")[1]


def test_progress_json_counts(client):
    sign_in(client, "plan")
    view = client.get("/progress.json").json()
    rows = [r for r in view["facility_rows"] if r["facility"] == "factory"]
    plan = {r["year"]: r["counties"] for r in rows if r["series"] == "plan"}
    target = {r["year"]: r["counties"] for r in rows if r["series"] == "target"}
    assert target[2024] == 20 and target[2033] == 200
    assert all(plan[y] <= plan[y + 1] for y in range(2024, 2033))  # cumulative
    labour = [r for r in view["load_rows"] if r["resource"] == "labour"]
    assert len(labour) == 10 and all(r["capacity"] is None or r["used"] <= r["capacity"] + 1e-6 for r in labour)


def test_local_redirects_only(client):
    page = client.get("/login")
    r = client.post("/login", data={"csrf": csrf_of(page.text), "name": "plan", "password": PASSWORD,
                                    "next": "//evil.example/x"}, follow_redirects=False)
    assert r.headers["location"] == "/map"


def test_plan_explorer_runs_a_scenario_in_the_background(client):
    import time

    sign_in(client, "plan")
    view = client.get("/plans.json").json()
    assert [p["name"] for p in view["plans"]] == ["default plan"]
    same = client.get("/plans.json", params={"a": "default plan", "b": "default plan"}).json()
    assert same["compare"]["moves"] == []
    html = client.get("/plans").text
    t0 = time.monotonic()
    r = client.post("/plans/run", data={"csrf": csrf_of(html), "name": "less-labour", "time_limit": "5",
                                        "scenario": "capacity:\n  labour:\n    per_year: 720\n"},
                    follow_redirects=False)
    assert r.status_code == 303 and time.monotonic() - t0 < 2  # the page does not wait for the solver
    while True:
        jobs = client.get("/plans/jobs.json").json()
        if jobs[0]["state"] != "running" or time.monotonic() - t0 > 120:
            break
        time.sleep(0.5)
    assert jobs[0]["state"] == "done", jobs
    cmp = client.get("/plans.json", params={"a": "default plan", "b": "less-labour"}).json()["compare"]
    assert cmp["moves_total"] > 0 and all(m["why"] for m in cmp["moves"])
    only = client.get("/plans.json", params={"a": "default plan", "b": "less-labour", "facility": "hospital"}).json()
    assert {m["facility"] for m in only["compare"]["moves"]} <= {"hospital"}


def test_scenario_runs_are_for_planners_and_checked(client):
    sign_in(client, "plan")
    html = client.get("/plans").text
    r = client.post("/plans/run", data={"csrf": csrf_of(html), "name": "Bad Name!", "scenario": "x: 1"})
    assert r.status_code == 422 and "lower-case" in r.text
    client.cookies.clear()
    sign_in(client, "ana")
    html = client.get("/plans").text
    assert 'action="/plans/run"' not in html
    r = client.post("/plans/run", data={"csrf": csrf_of(html), "name": "x", "scenario": "{}"})
    assert r.status_code == 403


def test_league_ranks_by_level_with_peer_leaders(client):
    sign_in(client, "plan")
    view = client.get("/league.json", params={"theme": "schedule"}).json()
    rows = view["rows"]
    assert rows, "the record gives every recorded county a schedule figure"
    levels = [r["level"] for r in rows]
    assert levels == sorted(levels, reverse=True)
    assert all(0 <= v <= 100 for v in levels)
    for r in rows:  # leaders are comparable and ahead
        for x in r["leaders"]:
            peer = next(y for y in rows if y["county_id"] == x["county_id"])
            assert (peer["physiography"], peer["size_band"]) == (r["physiography"], r["size_band"])
            assert peer["level"] > r["level"]
    assert client.get("/league.json", params={"theme": "nonsense"}).status_code == 422
    assert "League table" in client.get("/league").text


def test_league_quality_follows_reports(client):
    sign_in(client, "song")
    factory = next(p for p in client.get(f"/county/{SONGCHON}.json").json()["projects"] if p["facility"] == "factory")
    for month, passed in (("2026-08", 80), ("2026-09", 95)):
        html = client.get(f"/county/{SONGCHON}").text
        r = client.post(f"/county/{SONGCHON}/report", data={
            "csrf": csrf_of(html), "project_id": factory["id"], "month": month, "quality_passed": str(passed),
            "quality_failed": str(100 - passed)}, follow_redirects=False)
        assert r.status_code == 303
    rows = client.get("/league.json", params={"theme": "quality"}).json()["rows"]
    assert [r["county_id"] for r in rows] == [SONGCHON]  # a county officer sees only its own county
    mine = rows[0]
    assert mine["level"] == 95.0 and mine["improvement"] == 15.0


def test_county_page_explains_its_year(client):
    sign_in(client, "ana")
    view = client.get(f"/county/{SONGCHON}.json").json()
    assert view["explain"]["lines"][0].startswith("Songchon")
    assert str(view["planned_year"]) in "\n".join(view["explain"]["lines"])
    page = client.get(f"/county/{SONGCHON}").text
    assert "Why this year" in page and f'data-src="/county/{SONGCHON}/explain"' in page
    fragment = client.get(f"/county/{SONGCHON}/explain").text  # what the page fetches once loaded
    assert view["explain"]["lines"][0] in fragment and "<html" not in fragment
    client.cookies.clear()
    assert client.get(f"/county/{SONGCHON}/explain").status_code == 401


def test_progress_is_kept_per_revision_and_reader_yet_follows_the_record(client, template_db):
    """The progress view is kept between requests (it is the slowest page to compute), keyed by
    the record's revision and the reader: a new milestone shows at once, and another role sees
    its own view, not the one kept for the last reader."""
    county = template_db["county"]

    def started(year: int) -> dict[str, int]:
        view = client.get("/progress.json").json()
        return {r["facility"]: r["counties"] for r in view["facility_rows"]
                if r["series"] == "started" and r["year"] == year}

    sign_in(client, "fresh")
    before = started(2033)
    assert started(2033) == before
    project = next(p for p in client.get(f"/county/{county}.json").json()["projects"] if not p["milestones"])
    html = client.get(f"/county/{county}").text
    r = client.post(f"/county/{county}/milestone", data={
        "csrf": csrf_of(html), "project_id": project["id"], "kind": "ground-breaking", "date": "2026-04",
        "evidence_url": "https://example.org/news/2", "evidence_title": "Ground broken"}, follow_redirects=False)
    assert r.status_code == 303
    after = started(2033)
    assert after[project["facility"]] == before[project["facility"]] + 1
    assert {k: v for k, v in after.items() if k != project["facility"]} == {
        k: v for k, v in before.items() if k != project["facility"]}
    sign_in(client, "plan")  # the planner reads every county: more started than one county's officer
    assert sum(started(2033).values()) > sum(after.values())
