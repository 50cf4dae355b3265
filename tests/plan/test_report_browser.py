"""The HTML report as a user sees it, in headless Chromium: the map draws every county in the
colour of its planned year, the load-vs-capacity chart and the table are there, and the page
makes no network request and logs no error."""

from __future__ import annotations

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
        legend = dict(page.eval_on_selector_all(
            "#map svg .legend", "els => els.map(e => [e.dataset.year, e.getAttribute('fill')])"))
        assert page.errors == []
    assert sorted(s[0] for s in shapes) == sorted(inp.counties)  # every county, once
    assert all(s[3] > 0 for s in shapes)  # drawn with an area, not collapsed
    planned = {cid: ("" if result.year[c, k] < 0 else str(inp.years[result.year[c, k]]))
               for c, cid in enumerate(inp.counties)}
    for cid, year, fill, _ in shapes:
        assert year == planned[cid]
        assert fill == legend[year], (cid, year, fill)
    used = {y for y in planned.values()}
    assert len({legend[y] for y in used}) == len(used)  # one colour per planned year


def test_load_chart_and_table_are_present(report, open_page) -> None:
    result, path = report
    inp = result.inputs
    with open_page(path) as page:
        labour_rows = page.locator("#load table.bars[data-resource='labour'] tr").count()
        cap_marks = page.locator("#load table.bars[data-resource='labour'] .cap").count()
        bar_widths = page.eval_on_selector_all(
            "#load table.bars[data-resource='labour'] .bar", "els => els.map(e => e.offsetWidth)")
        table_rows = page.locator("#plan-table tr.plan-row").count()
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


def test_report_makes_no_network_request(report, open_page) -> None:
    _, path = report
    html = path.read_text(encoding="utf-8")
    assert "<script" not in html
    with open_page(path) as page:
        page.wait_for_load_state("networkidle")
        assert not [e for e in page.errors if e.startswith("network request")]
