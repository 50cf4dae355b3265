"""Vega-Lite specifications of the dashboard's charts, built from the page's view data (the
same numbers as its JSON twin). Rendered in the browser by the vendored vega-embed."""

from __future__ import annotations

from typing import Any

from twentyten.domain.facility import BY_KEY

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"  # an identifier only: never fetched
SERIES_COLOURS = {"target": "#6e7781", "plan": "#0072B2", "started": "#D55E00"}


def _t(lang: str):
    from twentyten.web.i18n import translations

    return translations(lang).gettext


def series_labels(lang: str) -> dict[str, str]:
    _ = _t(lang)
    return {"target": _("target (counties a year, cumulated)"), "plan": _("current plan"),
            "started": _("started (ground-breaking)")}


def facility_label(key: str, lang: str) -> str:
    return _t(lang)(BY_KEY[key].label)


def drawn_height(spec: dict[str, Any] | None) -> int | None:
    """About how tall vega-embed draws ``spec`` (px): facets in rows of ``columns``, each with
    its axes, plus the legend; the page keeps that room from the start."""
    if spec is None:
        return None
    if "facet" not in spec:
        return int(spec.get("height", 200)) + 90
    n = len({r[spec["facet"]["field"]] for r in spec["data"]["values"]})
    rows = -(-n // spec.get("columns", n))
    return rows * (int(spec["spec"]["height"]) + 50) + 60


def progress_specs(view: dict[str, Any], lang: str) -> dict[str, Any]:
    """Two specs: cumulative counties per facility type (small multiples) and per province."""
    _ = _t(lang)
    labels = series_labels(lang)
    order = [labels[k] for k in ("target", "plan", "started")]
    colour = {"field": "series_label", "type": "nominal", "title": _("Series"),
              "scale": {"domain": order, "range": [SERIES_COLOURS[k] for k in ("target", "plan", "started")]},
              "legend": {"orient": "top"}}
    facility_rows = [{**r, "series_label": labels[r["series"]], "facility_label": facility_label(r["facility"], lang)}
                     for r in view["facility_rows"]]
    by_facility = {
        "$schema": SCHEMA, "description": _("Cumulative counties per facility type: target, plan and started"),
        "data": {"values": facility_rows},
        "facet": {"field": "facility_label", "type": "nominal", "title": None},
        "columns": 3,
        "spec": {"width": 240, "height": 150, "mark": {"type": "line", "point": True},
                 "encoding": {"x": {"field": "year", "type": "ordinal", "title": _("Year")},
                              "y": {"field": "counties", "type": "quantitative", "title": _("Counties (cumulative)")},
                              "color": colour,
                              "strokeDash": {"condition": {"test": "datum.series == 'target'", "value": [4, 3]},
                                             "value": [1, 0]},
                              "tooltip": [{"field": "facility_label", "title": _("Facility type")},
                                          {"field": "year", "title": _("Year")},
                                          {"field": "series_label", "title": _("Series")},
                                          {"field": "counties", "title": _("Counties")}]}},
    }
    province_rows = [{**r, "series_label": labels[r["series"]],
                      "province_label": (r["province_local"] or r["province"]) if lang == "ko" else r["province"]}
                     for r in view["province_rows"]]
    by_province = {
        "$schema": SCHEMA, "description": _("Cumulative counties with a package, per province: plan and started"),
        "data": {"values": province_rows},
        "facet": {"field": "province_label", "type": "nominal", "title": None},
        "columns": 4,
        "spec": {"width": 170, "height": 110, "mark": {"type": "line", "point": True},
                 "encoding": {"x": {"field": "year", "type": "ordinal", "title": _("Year")},
                              "y": {"field": "counties", "type": "quantitative", "title": _("Counties")},
                              "color": colour,
                              "tooltip": [{"field": "province_label", "title": _("Province")},
                                          {"field": "year", "title": _("Year")},
                                          {"field": "series_label", "title": _("Series")},
                                          {"field": "counties", "title": _("Counties")}]}},
    }
    load = None
    resource = {"labour": _("labour"), "budget": _("budget"), "materials": _("materials")}  # plan.inputs.RESOURCES
    if view.get("load_rows"):
        enc_x = {"field": "year", "type": "ordinal", "title": _("Year")}
        load = {"$schema": SCHEMA, "description": _("Yearly load against each capacity"),
                "data": {"values": [{**r, "resource_label": resource.get(r["resource"], r["resource"])}
                                    for r in view["load_rows"]]},
                "facet": {"field": "resource_label", "type": "nominal", "title": None}, "columns": 3,
                "resolve": {"scale": {"y": "independent"}},
                "spec": {"width": 220, "height": 140, "layer": [
                    {"mark": {"type": "bar", "color": SERIES_COLOURS["plan"]},
                     "encoding": {"x": enc_x, "y": {"field": "used", "type": "quantitative", "title": _("Use")},
                                  "tooltip": [{"field": "year", "title": _("Year")}, {"field": "used", "title": _("Use")},
                                              {"field": "capacity", "title": _("Capacity")}]}},
                    {"mark": {"type": "tick", "color": "#cf222e", "thickness": 3, "aria": False},
                     "transform": [{"filter": "datum.capacity != null"}],
                     "encoding": {"x": enc_x, "y": {"field": "capacity", "type": "quantitative"}}}]}}
    return {"by_facility": by_facility, "by_province": by_province, "load": load}


def report_specs(view: dict[str, Any], lang: str) -> dict[str, Any] | None:
    """A county's factory reports: each product line's monthly output against its design
    capacity (a red rule), then the quality pass rate and customer opinion. None when it has
    no reports."""
    _ = _t(lang)
    reports = view["reports"]
    if not reports:
        return None
    rows = []
    for r in reports:
        checked = r["quality_passed"] + r["quality_failed"]
        rows.append({"month": r["month"], "pass_rate": round(100 * r["quality_passed"] / checked, 1)
                     if checked else None, "opinion": r["opinion_score"], "state": r["state"]})
    base = {"width": 260, "height": 140, "data": {"values": rows}}
    x = {"field": "month", "type": "ordinal", "title": _("Month"), "axis": {"labelAngle": 0}}
    trends = {"hconcat": [
        {**base, "title": _("Quality pass rate (%)"), "mark": {"type": "line", "point": True},
         "encoding": {"x": x, "y": {"field": "pass_rate", "type": "quantitative", "title": "%",
                                    "scale": {"domain": [0, 100]}},
                      "tooltip": [{"field": "month", "title": _("Month")},
                                  {"field": "pass_rate", "title": _("Quality pass rate (%)")}]}},
        {**base, "title": _("Customer opinion (0-10)"), "mark": {"type": "line", "point": True},
         "encoding": {"x": x, "y": {"field": "opinion", "type": "quantitative", "title": _("Score"),
                                    "scale": {"domain": [0, 10]}},
                      "tooltip": [{"field": "month", "title": _("Month")},
                                  {"field": "opinion", "title": _("Customer opinion (0-10)")}]}}]}
    spec: dict[str, Any] = {"$schema": SCHEMA, "description": _(
        "Factory reports: output against design capacity per line, quality pass rate, customer opinion")}
    lines = view.get("line_output") or []
    if not lines:
        return {**spec, **trends}
    capacity_title = _("Design capacity a month")
    output = {
        "title": _("Output per product line against design capacity (t a month)"),
        "data": {"values": lines},
        "facet": {"field": "line", "type": "nominal", "title": None},
        "columns": 3,
        "resolve": {"scale": {"y": "independent"}},
        "spec": {"width": 220, "height": 130, "layer": [
            {"mark": {"type": "bar", "color": SERIES_COLOURS["plan"]},
             "encoding": {"x": x, "y": {"field": "output", "type": "quantitative", "title": _("Output")},
                          "tooltip": [{"field": "line", "title": _("Product line")},
                                      {"field": "month", "title": _("Month")},
                                      {"field": "output", "title": _("Output")}, {"field": "unit", "title": _("Unit")},
                                      {"field": "capacity", "title": capacity_title}]}},
            {"mark": {"type": "rule", "color": "#cf222e", "strokeDash": [5, 3], "size": 2},
             "transform": [{"filter": "datum.capacity != null"}],
             "encoding": {"y": {"aggregate": "max", "field": "capacity", "type": "quantitative",
                                "title": capacity_title},
                          "tooltip": [{"aggregate": "max", "field": "capacity", "title": capacity_title}]}}]}}
    return {**spec, "vconcat": [output, trends]}


def media_spec(view: dict[str, Any], lang: str) -> dict[str, Any] | None:
    """The trend chart of ``twentyten media trend --html``, on the page's rows, in ``lang``."""
    if not view.get("rows"):
        return None
    from twentyten.media.report import trend_spec

    return trend_spec(view["rows"], view["measure"], gettext=_t(lang))
