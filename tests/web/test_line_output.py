"""Factory reports against the design: the county page's output chart puts each product line's
monthly output beside the capacity the county's design gives that line."""

from __future__ import annotations

import pytest


@pytest.fixture
def session_and_county(db_url, template_db):
    from twentyten.store import make_engine, make_sessionmaker

    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as s:
        yield s, template_db["county"]
    engine.dispose()


def _designed(county: str, year: int) -> dict[str, float]:
    """Line name -> capacity (t a year), read straight from the design (not through the service)."""
    from twentyten.atlas import load_atlas
    from twentyten.design import design_package
    from twentyten.standards import load_standards

    std = load_standards()
    pkg = design_package(load_atlas().get(county), year, std, explain=False)
    ids = {r.name: r.id for r in std.lines}
    return {name: f.capacity[f"{ids[name]}_t_per_year"]
            for f in pkg.facilities if f.facility_type == "factory" for name in f.lines}


def test_the_chart_capacity_is_the_designs_capacity_of_that_line(session_and_county):
    from sqlalchemy import select

    from twentyten.atlas import load_atlas
    from twentyten.service.actors import Actor
    from twentyten.service.reports import DesignedLines, OutputLine, ReportIn, submit_report
    from twentyten.service.web_views import county_view
    from twentyten.store.models import Project
    from twentyten.web.charts import report_specs

    s, county = session_and_county
    factory = s.scalars(select(Project).where(Project.county_id == county, Project.facility == "factory")).one()
    officer = Actor("fresh", "county", province_id=factory.province_id, county_id=county)
    year = DesignedLines().year_of(factory)
    designed = _designed(county, year)
    first, second = sorted(designed)[:2]
    submit_report(s, officer, factory.id, ReportIn("2026-05", [OutputLine(first, 7.5, "t"), OutputLine(second, 2, "t")],
                                                   quality_passed=9, quality_failed=1))
    submit_report(s, officer, factory.id, ReportIn("2026-06", [OutputLine(first, 8, "t")]))
    view = county_view(s, officer, load_atlas(), county)
    rows = {(r["line"], r["month"]): r for r in view["line_output"]}
    assert set(rows) == {(first, "2026-05"), (second, "2026-05"), (first, "2026-06")}
    for (line, _), r in rows.items():
        assert r["capacity_per_year"] == designed[line]
        assert r["capacity"] == pytest.approx(designed[line] / 12, abs=1e-3)
    assert rows[(first, "2026-06")]["output"] == 8 and rows[(second, "2026-05")]["output"] == 2
    # the chart draws these rows: bars of output and a rule at the capacity, per line
    spec = report_specs(view, "en")
    lines = spec["vconcat"][0]
    assert lines["data"]["values"] == view["line_output"]
    assert lines["facet"]["field"] == "line"
    bar, rule = lines["spec"]["layer"]
    assert (bar["mark"]["type"], bar["encoding"]["y"]["field"]) == ("bar", "output")
    assert (rule["mark"]["type"], rule["encoding"]["y"]["field"]) == ("rule", "capacity")


def test_a_line_the_design_does_not_know_has_no_capacity(session_and_county):
    """Reports written before the check (or imported) keep their line; no capacity is made up."""
    from sqlalchemy import select

    from twentyten.atlas import load_atlas
    from twentyten.service.actors import Actor
    from twentyten.service.web_views import county_view
    from twentyten.store.models import Project, Report

    s, county = session_and_county
    factory = s.scalars(select(Project).where(Project.county_id == county, Project.facility == "factory")).one()
    s.add(Report(project_id=factory.id, month="2026-01", output=[{"line": "Bicycles", "quantity": 3, "unit": "pcs"}],
                 product_range=0, quality_passed=0, quality_failed=0, opinion_score=None, opinion_responses=0,
                 state="submitted", submitted_by="import", version=1))
    s.commit()
    planner = Actor("plan", "planner")
    [row] = county_view(s, planner, load_atlas(), county)["line_output"]
    assert (row["line"], row["line_id"], row["capacity"], row["output"]) == ("Bicycles", None, None, 3)
