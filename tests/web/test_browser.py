"""The dashboard in Debian's Chromium (Playwright): an officer's report changes the map and the
progress chart; another county is refused; the province approves and the report locks; Korean;
no console errors, no request leaves 127.0.0.1, axe-core finds no serious or critical problem;
a screenshot of every page in both languages at both sizes."""

from __future__ import annotations

import json
import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest
from tests.web.conftest import KUJANG, PASSWORD

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
SIZES = {"1280x800": (1280, 800), "768x1024": (768, 1024)}
STATUS_COLOUR = {"planned": "#c6dbef", "ground-breaking": "#fdae6b"}  # static/map.js


class Watched:
    """A page with what went wrong while it was used: console errors and outside requests."""

    def __init__(self, page, base: str):
        self.page, self.base = page, base
        self.errors: list[str] = []
        self.outside: list[str] = []

    def go(self, path: str) -> None:
        self.page.goto(self.base + path)
        self.page.wait_for_load_state("networkidle")

    def axe(self) -> list[str]:
        self.page.add_script_tag(path=str(AXE))
        res = self.page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        return [f"{v['id']} ({v['impact']}): {v['help']} — {len(v['nodes'])} node(s)"
                for v in res["violations"] if v["impact"] in ("serious", "critical")]


@contextmanager
def browser_page(base: str, size=(1280, 800)):
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("CI must install Chromium (.ci/run does, with apt-get)")
        pytest.skip("no Chromium on this machine (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in the [test] extra")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            # bypass_csp: only so that the test can inject axe-core; the pages themselves run under the CSP
            ctx = browser.new_context(viewport={"width": size[0], "height": size[1]}, bypass_csp=True)
            page = ctx.new_page()
            w = Watched(page, base)

            def route(r):
                if r.request.url.startswith(("http://127.0.0.1", "data:", "about:", "blob:")):
                    r.continue_()
                else:
                    w.outside.append(r.request.url)
                    r.abort()

            ctx.route("**/*", route)
            page.on("console", lambda m: w.errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: w.errors.append(str(e)))
            yield w
        finally:
            browser.close()


def sign_in(w: Watched, name: str) -> None:
    w.go("/login")
    w.page.fill("#name", name)
    w.page.fill("#password", PASSWORD)
    w.page.click("form.login button[type=submit]")
    w.page.wait_for_load_state("networkidle")


def county_fill(w: Watched, county: str, layer: str = "status") -> str:
    w.go("/map")
    w.page.wait_for_selector("#map[data-ready]")
    w.page.check(f"input[name=layer][value={layer}]")
    return w.page.get_attribute(f"path[data-county='{county}']", "fill")


def started(w: Watched, facility_label: str, year: int) -> int:
    w.go("/progress")
    w.page.wait_for_selector("body[data-charts-ready]")
    spec = json.loads(w.page.text_content("#spec-facility"))
    return next(r["counties"] for r in spec["data"]["values"]
                if r["facility"] == facility_label and r["year"] == year and r["series"] == "started")


def _a_designed_line(county: str) -> str:
    """A production line the county's design has in every year (reports are checked against it)."""
    from twentyten.service.reports import DesignedLines

    designed = DesignedLines()
    every = None
    for year in range(2024, 2034):
        lines = designed.of(county, year)
        assert isinstance(lines, dict), lines
        names = {line.name for line in lines.values()}
        every = names if every is None else every & names
    assert every, f"{county}: no line in every year's design"
    return sorted(every)[0]


def _design_capacity(db_url: str, county: str, line: str) -> float:
    """The line's capacity (t a year) in the design of the county's factory, read from the
    design itself at the year its reports are checked against."""
    from sqlalchemy import select

    from twentyten.atlas import load_atlas
    from twentyten.design import design_package
    from twentyten.service.reports import DesignedLines
    from twentyten.standards import load_standards
    from twentyten.store import make_engine, make_sessionmaker
    from twentyten.store.models import Project

    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as s:
        factory = s.scalars(select(Project).where(Project.county_id == county, Project.facility == "factory")).one()
        year = DesignedLines().year_of(factory)
    engine.dispose()
    std = load_standards()
    rule = next(r for r in std.lines if r.name == line)
    pkg = design_package(load_atlas().get(county), year, std, explain=False)
    [capacity] = [f.capacity[f"{rule.id}_t_per_year"] for f in pkg.facilities
                  if f.facility_type == "factory" and line in f.lines]
    return capacity


def test_officer_reports_province_approves(server, template_db, db_url):
    county = template_db["county"]
    with browser_page(server) as w:
        sign_in(w, "fresh")
        assert county_fill(w, county) == STATUS_COLOUR["planned"]
        before = started(w, "factory", 2026)

        w.go(f"/county/{county}")
        # the plan's explanation arrives after the page has loaded
        w.page.wait_for_selector("#explain[data-ready='1']", state="attached")
        assert w.page.text_content("#explain pre").strip()
        w.page.select_option("#ms-project", label=w.page.text_content("#ms-project option:first-child").strip())
        factory_id = w.page.get_attribute("#rp-h ~ input[name=project_id]", "value")
        w.page.select_option("#ms-project", value=factory_id)
        w.page.select_option("#ms-kind", value="ground-breaking")
        w.page.fill("#ms-date", "2026-05")
        w.page.fill("#ms-url", "https://example.org/report/groundbreaking")
        w.page.fill("#ms-title", "Ground broken for the county's factories")
        w.page.click("form[action$='/milestone'] button[type=submit]")
        w.page.wait_for_load_state("networkidle")
        assert w.page.is_visible(".msg.done")
        assert w.page.get_attribute(f"#project-{factory_id} .badge", "data-stage") == "ground-breaking"
        link = w.page.locator(f"#project-{factory_id} a[href='https://example.org/report/groundbreaking']")
        assert link.count() == 1

        assert county_fill(w, county) == STATUS_COLOUR["ground-breaking"]  # the map changed
        assert started(w, "factory", 2026) == before + 1  # and the progress chart

        w.go(f"/county/{KUJANG}")  # another county: no form, and the record is not shown
        assert w.page.locator("form[action$='/milestone']").count() == 0
        assert w.page.locator(".msg.error").count() == 1

        w.go(f"/county/{county}")
        w.page.fill("#rp-month", "2026-09")
        w.page.fill("#rp-line", _a_designed_line(county))
        w.page.fill("#rp-qty", "120")
        w.page.fill("#rp-unit", "t")
        w.page.fill("#rp-pass", "95")
        w.page.fill("#rp-fail", "5")
        w.page.fill("#rp-op", "8")
        w.page.fill("#rp-n", "40")
        w.page.click("form[action$='/report'] button[type=submit]")
        w.page.wait_for_load_state("networkidle")
        assert w.page.get_attribute("tr[data-report]", "data-state") == "submitted"
        assert w.page.locator("tr[data-report] form").count() == 0  # an officer cannot approve
        # the chart draws the line's output beside its design capacity a month (a rule)
        w.page.wait_for_selector('[data-vega-id="report-spec"][data-ready]')
        chart = '[data-vega-id="report-spec"] svg'
        rules = w.page.eval_on_selector_all(f"{chart} g.mark-rule.role-mark line",
                                            "els => els.map(e => e.getAttribute('aria-label'))")
        assert len(rules) == 1, rules
        capacity = float(rules[0].rsplit(": ", 1)[1].replace(",", ""))
        assert capacity == pytest.approx(_design_capacity(db_url, county, _a_designed_line(county)) / 12, rel=1e-3)
        bars = w.page.eval_on_selector_all(f"{chart} g.mark-rect.role-mark path",
                                           "els => els.map(e => e.getAttribute('aria-label'))")
        assert len(bars) == 1 and "2026-09" in bars[0] and "120" in bars[0]

        w.page.click("form[action='/logout'] button")
        w.page.wait_for_load_state("networkidle")
        sign_in(w, "freshprov")
        w.go(f"/county/{county}")
        w.page.click("tr[data-report] form button")
        w.page.wait_for_load_state("networkidle")
        assert w.page.get_attribute("tr[data-report]", "data-state") == "approved"
        assert w.page.locator("tr[data-report] form").count() == 0  # locked: nothing left to approve

        w.page.click("form.lang button[value=ko]")
        w.page.wait_for_load_state("networkidle")
        assert w.page.get_attribute("html", "lang") == "ko"
        assert "승인됨 (잠김)" in w.page.text_content("tr[data-report]")
        assert w.page.text_content("nav.main") .count("전국 지도") == 1

        assert w.errors == []
        assert w.outside == []


PAGES = ("/login", "/map", "/county/{county}", "/progress", "/plans", "/league", "/media")


def test_every_page_accessible_and_shot(server, template_db):
    """axe-core on every page in both languages; screenshots of each at both sizes."""
    shots = Path(os.environ.get("TWENTYTEN_SHOTS", "/tmp/twentyten-shots"))
    shots.mkdir(parents=True, exist_ok=True)
    problems: dict[str, list[str]] = {}
    saved = []
    for size_name, size in SIZES.items():
        with browser_page(server, size) as w:
            for lang in ("en", "ko"):
                w.page.context.clear_cookies()
                w.page.context.add_cookies([{"name": "twentyten_lang", "value": lang, "url": server}])
                for path in PAGES:
                    if path == "/map":
                        sign_in(w, "plan")
                    w.go(path.format(county=template_db["county"]))
                    if path == "/map":
                        w.page.wait_for_selector("#map[data-ready]")
                    if path in ("/progress",):
                        w.page.wait_for_selector("body[data-charts-ready]")
                    assert w.page.get_attribute("html", "lang") == lang
                    name = (path.strip("/").split("/")[0] or "home") + f"-{lang}-{size_name}.png"
                    w.page.screenshot(path=str(shots / name), full_page=True)
                    saved.append(name)
                    if size_name == "1280x800":
                        found = w.axe()
                        if found:
                            problems[f"{path} {lang}"] = found
            assert w.errors == []
            assert w.outside == []
    assert problems == {}
    assert len(saved) == len(PAGES) * 2 * len(SIZES)


def test_keyboard_reaches_a_county_from_the_map(server, template_db):
    """Tab from the top of the map page to the county picker, choose with the keyboard, open it."""
    county = template_db["county"]
    with browser_page(server) as w:
        sign_in(w, "ana")
        w.go("/map")
        w.page.wait_for_selector("#map[data-ready]")
        for _ in range(40):
            w.page.keyboard.press("Tab")
            if w.page.evaluate("document.activeElement.id") == "county-pick":
                break
        assert w.page.evaluate("document.activeElement.id") == "county-pick"
        w.page.select_option("#county-pick", value=county)  # what arrow keys do, without counting rows
        w.page.focus("#county-pick")
        w.page.keyboard.press("Tab")
        assert w.page.evaluate("document.activeElement.type") == "submit"
        with w.page.expect_navigation():
            w.page.keyboard.press("Enter")
        w.page.wait_for_load_state("networkidle")
        assert w.page.url.endswith(f"/county/{county}")
        assert w.errors == [] and w.outside == []
