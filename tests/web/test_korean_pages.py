"""Korean pages say in Korean what the services make: words and sentences a service uses for
values (physiography, population bands, raw materials, methods, solver and job states, what a
figure counts, why a chart is missing) go through the gettext catalogue, and so do the sentences
the design and the planner write (a facility's lines and reasons, the plan's explanation, what
moved between plans). What stays English is data (names, sources, evidence titles, the
standards' own words inside those sentences), which the page marks with lang="en"."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from tests.web.conftest import SONGCHON
from tests.web.test_pages import csrf_of, sign_in

#: English words and phrases services put on pages; none may show on a Korean page.
SERVICE_ENGLISH = (
    "mountainous", "lowland", "coastal", "industrial-urban", "under 50k", "50k-100k", "100k and over",
    "grain", "soybeans", "industrial crops", "livestock", "seafood", "timber", "medicinal herbs", "wild fruit",
    "quoted", "derived", "corrected", "optimal", "feasible", "greedy baseline", "running", "failed",
    "the record's cohort years", "plan '", "started:", "target:", "comparable", "ground-broken",
    "latest monthly report", "per month", "no media corpus", "fragile", "yes", "no",
    # the design's lines and reasons
    "chosen because", "sized to", "beds", "first-aid posts", "operating theatre", "reader seats", "computers",
    "cost shared", "built to the", "wards", "cinema", "drying", "storage", "online lecture room",
    # the plan's explanation and what moved between plans
    "need score", "benefit", "per year in service", "not built in the horizon", "is full", "bind together",
    "trading places", "objective", "packages moved", "later in B", "setting", "reason",
    # the catalogue's names and reasons (catalogue.yaml translates them itself)
    "foodstuff factory", "daily-necessities factory", "garment factory", "bread, biscuits and sweets",
    "laundry and fragrant soap", "basic foodstuffs every county factory makes",
)
#: Catalogue texts that a Korean page shows in Korean, nowhere in English (not even marked lang="en").
CATALOGUE_ENGLISH = ("Foodstuff factory", "Bread, biscuits and sweets", "Garment factory",
                     "Basic foodstuffs every county factory makes", "Every city and county gets a grain storage that dries")
PAGES = ("/map", f"/county/{SONGCHON}", "/progress", "/plans", "/league?theme=schedule", "/league?theme=output",
         "/league?theme=quality", "/league?theme=opinion", "/media", "/plans?a=default+plan&b=default+plan")
#: Parts of pages fetched after load (the county's explanation).
FRAGMENTS = (f"/county/{SONGCHON}/explain",)


class KoreanText(HTMLParser):
    """The page's visible text, without scripts, styles and the parts marked lang="en" (the
    page's own language, on <html>, is what is checked)."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[bool] = []  # per open element: is it (or an ancestor) left out?
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        out = (self.stack[-1] if self.stack else False) or tag in ("script", "style") or (tag != "html" and dict(attrs).get("lang") == "en")
        self.stack.append(out)

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]) and data.strip():
            self.text.append(data.strip())


def english_left(html: str) -> list[str]:
    p = KoreanText()
    p.feed(html)
    found = []
    for chunk in p.text:
        for w in SERVICE_ENGLISH:
            if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", chunk, flags=re.IGNORECASE):
                found.append(f"{w!r} in {chunk[:120]!r}")
    return found


@pytest.fixture
def korean(client):
    sign_in(client, "plan")
    html = client.get("/map").text
    assert client.post("/lang", data={"csrf": csrf_of(html), "lang": "ko", "next": "/map"}).status_code == 200
    return client


def test_no_service_english_on_korean_pages(korean):
    left = {}
    for path in PAGES:
        r = korean.get(path)
        assert r.status_code == 200 and '<html lang="ko">' in r.text, path
        if found := english_left(r.text):
            left[path] = found
    for path in FRAGMENTS:
        r = korean.get(path)
        assert r.status_code == 200 and "<pre" in r.text, path  # an explanation, not its absence
        if found := english_left(r.text):
            left[path] = found
    assert left == {}


def test_the_scan_finds_service_english(client):
    """The check can fail: the English page has the words the Korean one must not."""
    sign_in(client, "plan")
    assert english_left(client.get(f"/county/{SONGCHON}").text)  # physiography, raw materials, methods
    assert english_left(client.get("/league?theme=schedule").text)  # basis, bands
    assert english_left(client.get(f"/county/{SONGCHON}/explain").text)  # need score, benefit
    assert english_left(client.get("/plans?a=default+plan&b=default+plan").text)  # objective, packages moved


def test_korean_page_words_the_values(korean):
    county = korean.get(f"/county/{SONGCHON}").text
    assert "평야" in county  # lowland
    assert "알곡" in county and "콩" in county  # grain, soybeans
    assert "계획 “" in county  # planned years from the plan ...
    league = korean.get("/league").text
    assert "인구 10만 이상" in league or "인구 5만~10만" in league or "인구 5만 미만" in league
    # the design's lines and reasons: the hospital's wards and beds, why each factory line was chosen
    assert "입원실 (" in county and "1차 의뢰(지역) 병원 등급의 기준" in county and "선택 이유: " in county
    # names and fixed lines the dataset translates itself (design_texts.yaml)
    assert "시·군 병원" in county and "체육관" in county and "City/county hospital" not in county
    explain = korean.get(f"/county/{SONGCHON}/explain").text
    assert "필요 점수" in explain and "가동 1년당 편익" in explain
    plans = korean.get("/plans?a=default+plan&b=default+plan").text
    assert "목적값: A " in plans and "묶음 0개 이동" in plans
    media = korean.get("/media").text
    assert "언론 자료가 없습니다" in media
    # the charts' own words: the load chart's facets name the plan's resources in Korean
    import json

    progress = korean.get("/progress").text
    spec = json.loads(re.search(r'<script type="application/json" id="spec-load">(.*?)</script>', progress, re.S)[1])
    assert {r["resource_label"] for r in spec["data"]["values"]} == {"로력", "예산", "자재"}


def test_korean_county_page_names_the_catalogue_in_korean(korean, client):
    """Facility-type, factory and line names and their reasons come from catalogue.yaml's
    translations: in Korean on the Korean page, in English on the English one."""
    county = korean.get(f"/county/{SONGCHON}").text
    assert "식료공장" in county and "일용품공장" in county and "피복공장" in county
    assert "빵, 과자와 사탕" in county and "모든 군 식료공장이 만드는 기본식료품이다" in county
    assert "해충살균을 자동으로 조절하면서" in county  # the grain storage's reason (a facility type's)
    assert [w for w in CATALOGUE_ENGLISH if w in county] == []
    korean.post("/lang", data={"csrf": csrf_of(county), "lang": "en", "next": "/map"})
    english = korean.get(f"/county/{SONGCHON}").text
    assert [w for w in CATALOGUE_ENGLISH if w not in english] == []
    assert "식료공장" not in english
