"""The HTML report as a user sees it: drawn in headless Chromium from the file alone, offline,
by the same Vega-Lite chart as the dashboard's media page."""

import re

import pytest

from twentyten.media.report import chart_rows, trend_spec, write_report
from twentyten.media.store import open_store
from twentyten.media.terms import parse_groups
from twentyten.media.trend import Measure, TrendOptions, compute_trend

YEARS = range(2009, 2014)
LABELS = ["지방공업 (regional industry)", "Munitions", "Defence science"]
GROUPS = parse_groups(
    {
        "groups": {
            "regional": {"label": LABELS[0], "any": ["지방공업"]},
            "munitions": {"label": LABELS[1], "any": ["군수공업"]},
            "science": {"label": LABELS[2], "any": ["국방과학"]},
        }
    },
    "test",
)


@pytest.fixture
def trend(build_store):
    def make(peak_on=Measure.SHARE):
        rows = []
        for y in YEARS:
            # two articles a year; regional peaks in 2011 (2 of 2), munitions in 2010
            rows.append(
                {
                    "date": f"{y}-03-01",
                    "outlet": "R",
                    "title": f"a{y}",
                    "text": "지방공업 지방 공업" if y == 2011 else "지방공업" if y % 2 else "날씨",
                }
            )
            rows.append(
                {
                    "date": f"{y}-06-01",
                    "outlet": "R",
                    "title": f"b{y}",
                    "text": "군수공업" if y == 2010 else "지방공업" if y == 2011 else "국방과학",
                }
            )
        db = build_store(rows)
        with open_store(db, read_only=True) as store:
            return compute_trend(store, list(GROUPS.groups.values()), TrendOptions(peak_on=peak_on))

    return make


@pytest.fixture
def report(trend, tmp_path):
    def make(peak_on=Measure.SHARE, measure=Measure.SHARE):
        return write_report(trend(peak_on), tmp_path / f"report-{peak_on}-{measure}.html",
                            title="Attention test", measure=measure)

    return make


TITLES = {"chart-share": "Share of articles (%)", "chart-occurrences": "Occurrences",
          "chart-per10k": "Occurrences per 10,000 characters"}


def drawn(page, chart: str) -> dict[str, list[dict]]:
    """The points Vega drew in ``chart``, per group label: period, value (as the tooltip reads
    it), y and dot radius, read from the SVG itself (each symbol's aria-label, position, path)."""
    page.wait_for_selector("body[data-charts-ready]", timeout=30_000)
    symbols = page.evaluate(
        """id => [...document.querySelectorAll(`[data-vega-id="${id}"] svg g.mark-symbol.role-mark path`)]
              .map(e => [e.getAttribute('aria-label'), e.getAttribute('transform'), e.getAttribute('d')])""",
        chart,
    )
    out: dict[str, list[dict]] = {}
    for label, transform, d in symbols:
        fields = dict(part.split(": ", 1) for part in label.split("; "))
        y = float(re.search(r"translate\([^,]+,([^)]+)\)", transform).group(1))
        radius = float(re.match(r"M([\d.]+),0", d).group(1))
        value = fields[TITLES[chart]]
        out.setdefault(fields["Group"], []).append({"period": fields["Period"], "y": y, "r": radius,
                                                   "value": value})
    return out


def test_chart_draws_one_line_per_group_with_one_point_per_period(open_page, report):
    with open_page(report()) as page:
        points = drawn(page, "chart-share")
        assert page.locator("[data-vega-id] svg").count() == 1  # one chart: peaks are on the share
        assert sorted(points) == sorted(LABELS)
        periods = [str(y) for y in YEARS]
        for label in LABELS:
            assert [p["period"] for p in points[label]] == periods
        lines = page.locator('[data-vega-id="chart-share"] svg g.mark-line path')
        assert lines.count() == 3
        for i in range(3):
            box = lines.nth(i).bounding_box()
            assert box is not None and box["width"] > 400  # each line spans the plot
        # regional: 1/2, 0/2, 2/2, 0/2, 1/2 -> 2011 highest, 2010 and 2012 on the axis,
        # peaks (above the mean and above the previous period) in 2009, 2011 and 2013: larger dots
        regional = points[LABELS[0]]
        ys = [p["y"] for p in regional]
        assert ys[2] < ys[0] == ys[4] < ys[1] == ys[3]
        big = [p["r"] > 4 for p in regional]
        assert big == [True, False, True, False, True]
        assert [p["value"] for p in regional] == ["50", "0", "100", "0", "50"]
        # labels: every period on the axis, every group in the legend in the groups' order, a % axis
        svg = page.locator('[data-vega-id="chart-share"] svg')
        axis = svg.locator("g.role-axis-label text").all_text_contents()
        assert axis[:5] == periods and "100" in axis
        assert svg.locator("g.role-legend-label text").all_text_contents() == LABELS
        assert "Share of articles (%)" in svg.locator("g.role-axis-title text").all_text_contents()
        assert page.locator("table").count() == 2
        assert page.errors == []  # no console errors and no request that leaves the file


def test_the_file_loads_nothing_from_anywhere(open_page, report):
    path = report()
    from html.parser import HTMLParser

    class Addresses(HTMLParser):  # the text of <script> elements is not markup: not read as tags
        found: list[str] = []

        def handle_starttag(self, tag, attrs):
            self.found += [f"{tag} {k}={v}" for k, v in attrs if k in ("src", "href", "data", "srcset") and v]

    parser = Addresses()
    parser.feed(path.read_text(encoding="utf-8"))
    assert parser.found == []  # the libraries and the data are inside the file
    html = path.read_text(encoding="utf-8")
    for lib in ("vega", "vega-lite", "vega-embed", "vega-tooltip (in vega-embed)"):  # their notices travel too
        assert f"<h3>{lib}</h3>" in html
    with open_page(path) as page:
        seen: list[str] = []
        page.on("request", lambda r: seen.append(r.url))
        page.reload()
        drawn(page, "chart-share")
        assert [u for u in seen if u != path.resolve().as_uri()] == []
        assert page.errors == []


def test_page_declares_korean_fonts_for_text_and_chart(open_page, report):
    with open_page(report()) as page:
        drawn(page, "chart-share")
        for selector in ("body", "[data-vega-id] svg g.role-legend-label text"):
            family = page.locator(selector).first.evaluate("e => getComputedStyle(e).fontFamily")
            assert "Noto Sans CJK KR" in family and "Malgun Gothic" in family
            assert "Apple SD Gothic Neo" in family
        assert page.errors == []


def test_peaks_on_occurrences_get_their_own_chart(open_page, report):
    with open_page(report(Measure.OCCURRENCES)) as page:
        share, occ = drawn(page, "chart-share"), drawn(page, "chart-occurrences")
        assert page.locator("[data-vega-id] svg").count() == 2
        # larger dots only where the peaks were found: on the occurrences chart
        assert not any(p["r"] > 4 for pts in share.values() for p in pts)
        assert [p["period"] for p in occ[LABELS[0]] if p["r"] > 4] == ["2011"]
        assert [p["period"] for p in occ[LABELS[1]] if p["r"] > 4] == ["2010"]
        assert page.errors == []


def test_per10k_measure_draws_occurrences_per_10000_characters(open_page, report, trend):
    t = trend(Measure.PER10K)
    expected = {p.period: p.per10k for p in t.group("regional").points}
    with open_page(report(Measure.PER10K, Measure.PER10K)) as page:
        points = drawn(page, "chart-per10k")
        assert page.locator("[data-vega-id] svg").count() == 1
        assert {p["period"]: float(p["value"].replace(",", "")) for p in points[LABELS[0]]} == pytest.approx(
            expected, abs=1e-3)
        title = page.locator('[data-vega-id="chart-per10k"] svg g.role-axis-title text').all_text_contents()
        assert "Occurrences per 10,000 characters" in title
        assert page.errors == []


def test_the_web_and_the_report_draw_the_same_specification(trend):
    """One function builds the chart: the dashboard's media page passes its rows and catalogue."""
    from twentyten.web.charts import media_spec

    t = trend()
    rows = chart_rows(t, Measure.OCCURRENCES)
    view = {"rows": rows, "measure": "occurrences"}
    assert media_spec(view, "en") == trend_spec(rows, Measure.OCCURRENCES)
    ko = media_spec(view, "ko")
    assert ko["layer"][0]["encoding"]["y"]["title"] != "Occurrences"  # translated, same shape
    assert ko["data"] == trend_spec(rows, Measure.OCCURRENCES)["data"]
