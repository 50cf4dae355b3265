"""The HTML report as a user sees it: drawn in headless Chromium, offline."""

import pytest

from twentyten.media.report import write_report
from twentyten.media.store import open_store
from twentyten.media.terms import parse_groups
from twentyten.media.trend import Measure, TrendOptions, compute_trend

YEARS = range(2009, 2014)
GROUPS = parse_groups(
    {
        "groups": {
            "regional": {"label": "지방공업 (regional industry)", "any": ["지방공업"]},
            "munitions": {"label": "Munitions", "any": ["군수공업"]},
            "science": {"label": "Defence science", "any": ["국방과학"]},
        }
    },
    "test",
)


@pytest.fixture
def report(build_store, tmp_path):
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
            t = compute_trend(store, list(GROUPS.groups.values()), TrendOptions(peak_on=peak_on))
        return write_report(t, tmp_path / f"report-{peak_on}.html", title="Attention test")

    return make


def test_chart_draws_one_series_per_group_with_one_point_per_period(open_page, report):
    with open_page(report()) as page:
        chart = page.locator('svg.chart[data-measure="share"]')
        assert chart.count() == 1
        series = chart.locator("g.series")
        assert [series.nth(i).get_attribute("data-group") for i in range(series.count())] == [
            "regional",
            "munitions",
            "science",
        ]
        periods = [str(y) for y in YEARS]
        for i in range(series.count()):
            points = series.nth(i).locator("circle.point")
            assert [
                points.nth(k).get_attribute("data-period") for k in range(points.count())
            ] == periods
            box = series.nth(i).locator("path").bounding_box()
            assert box is not None and box["width"] > 400  # the line spans the plot
        # regional: 1/2, 0/2, 2/2, 0/2, 1/2 -> 2011 highest, 2010 and 2012 on the axis,
        # peaks (above the mean and above the previous period) in 2009, 2011 and 2013
        regional = series.nth(0).locator("circle.point")
        ys = [float(regional.nth(k).get_attribute("cy")) for k in range(5)]
        assert ys[2] < ys[0] == ys[4] < ys[1] == ys[3]
        assert [regional.nth(k).get_attribute("class") for k in range(5)] == [
            "point peak",
            "point",
            "point peak",
            "point",
            "point peak",
        ]
        # labels: every period on the axis, every group in the legend, a % axis
        assert chart.locator("text.period").all_text_contents() == periods
        assert chart.locator("text.legend").all_text_contents() == [
            "지방공업 (regional industry)",
            "Munitions",
            "Defence science",
        ]
        assert "100%" in chart.locator("text.tick").all_text_contents()
        assert page.locator("table").count() == 2
        assert page.errors == []  # no console errors and no network request


def test_page_declares_korean_fonts_for_text_and_chart(open_page, report):
    with open_page(report()) as page:
        for selector in ("body", "svg.chart text.legend"):
            family = page.locator(selector).first.evaluate("e => getComputedStyle(e).fontFamily")
            assert "Noto Sans CJK KR" in family and "Malgun Gothic" in family
            assert "Apple SD Gothic Neo" in family
        assert page.errors == []


def test_peaks_on_occurrences_get_their_own_chart(open_page, report):
    with open_page(report(Measure.OCCURRENCES)) as page:
        assert page.locator("svg.chart").count() == 2
        share = page.locator('svg.chart[data-measure="share"]')
        occ = page.locator('svg.chart[data-measure="occurrences"]')
        # filled dots only where the peaks were found: on the occurrences chart
        assert share.locator("circle.peak").count() == 0
        assert (
            occ.locator('g.series[data-group="regional"] circle.peak').get_attribute("data-period")
            == "2011"
        )
        assert page.errors == []
