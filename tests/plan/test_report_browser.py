"""The HTML report as a user sees it, in headless Chromium: the map draws every county in the
colour of its planned year, record years are marked, the load chart, the province bars and the
table are there, the table sorts and filters, and the page makes no network request and logs
no error."""

from __future__ import annotations

import re

import numpy as np
import pytest

from twentyten.plan.report import plan_rows, write_all
from twentyten.plan.solve import SolveOptions, solve_plan

pytest.importorskip("highspy")


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    from twentyten.atlas import load_atlas
    from twentyten.plan.adapter import inputs_from_atlas

    inp = inputs_from_atlas()
    result = solve_plan(inp, SolveOptions(time_limit=4))
    out = tmp_path_factory.mktemp("report")
    write_all(result, out, load_atlas().shapes())
    return result, out / "report.html"


def _lum(colour: str) -> float:
    r, g, b = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_map_colours_every_county_by_its_planned_year(report, open_page) -> None:
    result, path = report
    inp = result.inputs
    k = inp.type_index("factory")
    with open_page(path) as page:
        shapes = page.eval_on_selector_all(
            "#map svg .county",
            "els => els.map(e => [e.dataset.county, e.dataset.year, e.getAttribute('fill'),"
            " e.getBBox().width * e.getBBox().height])",
        )
        legend = page.eval_on_selector_all(
            "#map svg .legend", "els => els.map(e => [e.dataset.year, e.getAttribute('fill'), e.dataset.record])")
        assert page.errors == []
    assert sorted(s[0] for s in shapes) == sorted(inp.counties)  # every county, once
    assert all(s[3] > 0 for s in shapes)  # drawn with an area, not collapsed
    colour = {year: fill for year, fill, _ in legend}
    planned = {cid: ("" if result.year[c, k] < 0 else str(inp.years[result.year[c, k]]))
               for c, cid in enumerate(inp.counties)}
    for cid, year, fill, _ in shapes:
        assert year == planned[cid]
        assert fill == colour[year], (cid, year, fill)
    used = {y for y in planned.values()}
    assert len({colour[y] for y in used}) == len(used)  # one colour per planned year
    # sequential: each later year lighter than the one before, none of them pale as the page
    years = [str(y) for y in inp.years]
    lum = [_lum(colour[y]) for y in years]
    assert lum == sorted(lum) and len(set(lum)) == len(lum) and max(lum) < 0.85
    # the record's years are marked in the legend: those with a commitment
    committed = {str(cm.year) for cm in inp.commitments}
    assert committed and {y for y, _, rec in legend if rec == "yes"} == committed


def test_load_chart_and_table_are_present(report, open_page) -> None:
    result, path = report
    inp = result.inputs
    with open_page(path) as page:
        labour_rows = page.locator("#load table.bars[data-resource='labour'] tr").count()
        cap_marks = page.locator("#load table.bars[data-resource='labour'] .cap").count()
        bar_widths = page.eval_on_selector_all(
            "#load table.bars[data-resource='labour'] .bar", "els => els.map(e => e.offsetWidth)")
        table_rows = page.locator("#plan-table tr.plan-row").count()
        full = page.eval_on_selector_all("#yearly .full", "els => els.map(e => [e.textContent, e.title])")
        text = page.inner_text("body")
        assert page.errors == []
    assert labour_rows == len(inp.years)
    assert cap_marks == int(np.isfinite(inp.capacity["labour"]).sum())
    load, capa = result.load("labour"), inp.capacity["labour"]
    top = max(float(np.where(np.isfinite(capa), capa, 0).max()), float(load.max()))
    assert np.allclose(bar_widths, 300 * load / top, atol=1.0)  # bar length = the year's load
    assert table_rows == len(plan_rows(result))
    assert "gap" in text and "greedy" in text.lower()
    assert result.status.value in text
    # full caps read "full"; the model's row name stays in the tooltip, not the text
    counts = result.counts()
    expected = {f"year-cap[{t},{y}]" for k, t in enumerate(inp.types) for j, y in enumerate(inp.years)
                if 0 < inp.cap[k, j] <= counts[k, j]}
    assert {title for _, title in full} == expected and {t for t, _ in full} <= {"full"}
    assert "year-cap[" not in text


def test_province_bars_add_up_to_the_planned_counties(report, open_page) -> None:
    result, path = report
    inp = result.inputs
    k = inp.type_index("factory")
    with open_page(path) as page:
        bars = page.eval_on_selector_all(
            "#province-progress tbody tr",
            "rows => rows.map(r => [r.dataset.province, r.querySelector('.progress').offsetWidth,"
            " Array.from(r.querySelectorAll('.seg')).map(s => [s.dataset.year, s.offsetWidth])])")
        assert page.errors == []
    by_name = {inp.province_name(p): p for p in range(len(inp.provinces))}
    assert {b[0] for b in bars} == {inp.province_name(p) for p in set(inp.county_province.tolist())}
    for name, width, segs in bars:
        ys = result.year[inp.county_province == by_name[name], k]
        n = len(ys)
        for year, w in segs:
            built = int((ys == inp.year_index(int(year))).sum())
            assert built > 0 and abs(w - (width - 2) * built / n) <= 1.5, (name, year)
        assert {int(y) for y, _ in segs} == {inp.years[j] for j in ys[ys >= 0]}


def _column(page, name: str) -> list[str]:
    idx = ["county", "province", "facility", "year", "status", "need"].index(name)
    return page.eval_on_selector_all(
        "#plan-table tbody tr:not([hidden])", f"rows => rows.map(r => r.cells[{idx}].dataset.sort ?? r.cells[{idx}].textContent.trim())")


def test_table_sorts_by_a_column_either_way_with_empty_years_last(report, open_page) -> None:
    result, path = report
    rows = plan_rows(result)
    with open_page(path) as page:
        header = page.locator("#plan-table th", has_text="year")
        header.locator("button").click()
        up = _column(page, "year")
        assert header.get_attribute("aria-sort") == "ascending"
        header.locator("button").click()
        down = _column(page, "year")
        assert header.get_attribute("aria-sort") == "descending"
        # by keyboard: focus the need heading, press Enter
        page.locator("#plan-table th", has_text="need").locator("button").focus()
        page.keyboard.press("Enter")
        need = [float(v) for v in _column(page, "need")]
        counties = page.locator("#plan-table tbody tr").count()
        assert page.errors == []
    years = sorted(r["year"] for r in rows if r["year"] is not None)
    n_none = sum(r["year"] is None for r in rows)
    assert up == [str(y) for y in years] + [""] * n_none
    assert down == [str(y) for y in reversed(years)] + [""] * n_none
    assert need == sorted(r["need"] for r in rows)
    assert counties == len(rows)  # sorting keeps every row


def test_table_filters_by_every_word_typed(report, open_page) -> None:
    result, path = report
    inp = result.inputs
    province = inp.province_name(int(inp.county_province[0]))
    with open_page(path) as page:
        box = page.get_by_label("Filter rows")
        box.fill(f"{province.lower()} hospital")
        shown = page.eval_on_selector_all(
            "#plan-table tbody tr:not([hidden])", "rows => rows.map(r => [r.cells[1].textContent, r.cells[2].textContent])")
        status = page.locator("[data-count-for='plan-table']").inner_text()
        box.fill("")
        all_back = page.locator("#plan-table tbody tr:not([hidden])").count()
        assert page.errors == []
    pid = {p: inp.provinces[p] for p in range(len(inp.provinces))}
    expected = [r for r in plan_rows(result)
                if inp.province_name(list(pid.values()).index(r["province_id"])) == province
                and r["facility_type"] == "hospital"]
    assert len(shown) == len(expected) > 0
    assert all(p == province and f == "Hospital" for p, f in shown)
    assert re.fullmatch(rf"{len(expected)} of {len(plan_rows(result))} rows shown", status)
    assert all_back == len(plan_rows(result))


def test_report_makes_no_network_request(report, open_page) -> None:
    _, path = report
    html = path.read_text(encoding="utf-8")
    assert "<script src" not in html and "<link" not in html
    with open_page(path) as page:
        page.wait_for_load_state("networkidle")
        assert not [e for e in page.errors if e.startswith("network request")]
