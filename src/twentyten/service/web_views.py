"""The dashboard's pages as data: one function per page, used by the HTML page and by its
JSON twin alike (STYLE habit 10). Reads go through the record's scoping (an actor sees
what its role may read); the plan and the atlas are public to every signed-in user."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from twentyten.domain.facility import FACILITY_TYPES
from twentyten.service.actors import Actor
from twentyten.service.errors import NotFound
from twentyten.service.projects import PATH, _scoped, project_dict
from twentyten.service.reports import report_dict
from twentyten.store.models import AuditEntry, Milestone, PlanVersion, Project, Report

if TYPE_CHECKING:
    from twentyten.atlas.model import Atlas

#: The stage a milestone shows a project has reached, on the project PATH.
MILESTONE_STAGE = {"ground-breaking": "ground-breaking", "structure-completed": "under construction",
                   "completion": "completed", "inauguration": "inaugurated", "operation": "operating"}
#: What a map may be coloured by.
LAYERS = ("year", "status", "population", "density")


def stage(p: Project) -> str:
    """How far a project has come: its status, or further where a milestone shows more."""
    if p.status not in PATH:
        return p.status  # delayed, cancelled
    best = PATH.index(p.status)
    for m in p.milestones:
        s = MILESTONE_STAGE.get(m.kind)
        if s is not None:
            best = max(best, PATH.index(s))
    return PATH[best]


def _first_year(p: Project, kinds: tuple[str, ...]) -> int | None:
    years = [int(m.date_from[:4]) for m in p.milestones if m.kind in kinds and m.date_from]
    return min(years) if years else None


def current_plan(session: Session) -> PlanVersion | None:
    return session.scalars(select(PlanVersion).where(PlanVersion.current.is_(True))
                           .options(selectinload(PlanVersion.entries))).first()


def planned_years(session: Session) -> tuple[dict[str, int], str, str | None]:
    """Each county's package year under the current plan (its earliest facility year), what
    it came from (the current plan version, else the record's cohort years), and that plan's
    name (None: the record's years), for a page to say in its own language."""
    pv = current_plan(session)
    years: dict[str, int] = {}
    if pv is not None:
        for e in pv.entries:
            if e.year is not None:
                years[e.county_id] = min(e.year, years.get(e.county_id, e.year))
        return years, f"plan {pv.name!r}", pv.name
    for cid, y in session.execute(select(Project.county_id, Project.planned_year)):
        if y is not None:
            years[cid] = min(y, years.get(cid, y))
    return years, "the record's cohort years (no plan imported)", None


def record_revision(session: Session) -> tuple[Any, ...]:
    """A cheap fingerprint of what the record's pages are computed from: the current plan
    version, the newest audited change, and the milestones' and projects' counts and newest ids.
    Any import, submission, status change or approval changes it, so a page computed under one
    revision can be kept until the revision moves."""
    from sqlalchemy import func

    pv = session.scalar(select(PlanVersion.id).where(PlanVersion.current.is_(True)))
    audit = session.scalar(select(func.max(AuditEntry.id)))
    ms = session.execute(select(func.count(Milestone.id), func.max(Milestone.id))).one()
    pj = session.execute(select(func.count(Project.id), func.max(Project.id), func.max(Project.updated_at))).one()
    return (pv, audit, *ms, *pj)


def record_counties(session: Session) -> set[str]:
    """Counties the record fixes (a project with a cohort year from the record)."""
    return set(session.scalars(select(Project.county_id).where(Project.cohort_year.is_not(None))))


def _projects(session: Session, actor: Actor, county: str | None = None) -> list[Project]:
    q = _scoped(select(Project), actor).options(selectinload(Project.milestones))
    if county:
        q = q.where(Project.county_id == county)
    return list(session.scalars(q.order_by(Project.id)))


def map_view(session: Session, actor: Actor, atlas: Atlas) -> dict[str, Any]:
    """Every county with its planned year, record flag, actual stage (as far as the actor may
    read) and indicators; the provinces with their labels' positions."""
    years, basis, year_plan = planned_years(session)
    record = record_counties(session)
    stages: dict[str, str] = {}
    for p in _projects(session, actor):
        s = stage(p)
        old = stages.get(p.county_id)
        if old is None or _rank(s) > _rank(old):
            stages[p.county_id] = s
    provinces = {p.id: p for p in atlas.provinces()}
    counties = []
    for c in atlas.counties():
        prov = provinces.get(c.parent_id or "")
        counties.append({
            "id": c.id, "name": c.name, "name_local": c.name_local or "", "province_id": c.parent_id,
            "province": prov.name if prov else "", "province_local": (prov.name_local or "") if prov else "",
            "planned_year": years.get(c.id), "record": c.id in record,
            "status": stages.get(c.id) if actor.reads(c.parent_id, c.id) else None,
            "readable": actor.reads(c.parent_id, c.id),
            "population": c.population, "density": round(c.density, 1) if c.density else None,
            "physiography": c.physiography,
        })
    plan_years = sorted({y for y in years.values()})
    return {"counties": counties, "years": plan_years, "year_basis": basis, "year_plan": year_plan,
            "statuses": list(PATH) + ["delayed", "cancelled"], "layers": list(LAYERS),
            "provinces": [{"id": p.id, "name": p.name, "name_local": p.name_local or "", **_label_at(atlas, p)}
                          for p in provinces.values()]}


def _label_at(atlas: Atlas, province) -> dict[str, float | None]:
    """Where a province's label goes: its own point, else the mean of its counties' points."""
    if province.lon is not None and province.lat is not None:
        return {"lon": province.lon, "lat": province.lat}
    pts = [(c.lon, c.lat) for c in atlas.counties() if c.parent_id == province.id and c.lon is not None]
    if not pts:
        return {"lon": None, "lat": None}
    return {"lon": round(sum(x for x, _ in pts) / len(pts), 4), "lat": round(sum(y for _, y in pts) / len(pts), 4)}


def _rank(s: str) -> int:
    return PATH.index(s) if s in PATH else -1


def county_view(session: Session, actor: Actor, atlas: Atlas, county_id: str, standards=None) -> dict[str, Any]:
    """One county: its profile with sources, its designed package with reasons, its projects
    with milestones and evidence, and its factory reports (each as far as the actor may read).
    ``standards``: the loaded standards (read here when not given)."""
    from twentyten.atlas.model import UnknownRegion
    from twentyten.domain.region import Level

    try:
        region = atlas.get(county_id)
    except UnknownRegion:
        raise NotFound(f"no county {county_id}") from None
    if region.level != Level.COUNTY:
        raise NotFound(f"{county_id} is a {region.level}, not a county")
    prov = atlas.province_of(region)
    years, basis, year_plan = planned_years(session)
    readable = actor.reads(region.parent_id, region.id)
    projects = _projects(session, actor, county_id) if readable else []
    reports: list[Report] = []
    factories = [p for p in projects if p.facility == "factory"]
    if factories:
        reports = list(session.scalars(select(Report).where(Report.project_id.in_([p.id for p in factories]))
                                       .order_by(Report.month)))
    return {
        "id": region.id, "name": region.name, "name_local": region.name_local or "",
        "province": prov.name if prov else "", "province_local": (prov.name_local or "") if prov else "",
        "profile": atlas.record(region), "planned_year": years.get(region.id), "year_basis": basis,
        "year_plan": year_plan,
        "package": design_view(_designed(atlas).get(region.id, region), years.get(region.id), standards),
        "readable": readable, "writable": actor.writes(region.parent_id, region.id),
        "approves": actor.role in ("planner", "province") and actor.writes(region.parent_id, None),
        "projects": [{**project_dict(p, milestones=True), "stage": stage(p)} for p in projects],
        "reports": [report_dict(r) for r in reports],
        "line_output": line_output(factories, reports, atlas, standards),
        "storage_alerts": _storage_alerts(session, actor, region.id) if readable else [],
    }


def line_output(factories: list[Project], reports: list[Report], atlas: Atlas,
                standards=None) -> list[dict[str, Any]]:
    """Each report's output per product line against that line's design capacity: one row per
    month and line, with the designed line's id, name and unit, and its capacity a month (the
    design's yearly capacity / 12; None for a line the design does not have, or another unit).
    The design is the one reports are checked against (:class:`DesignedLines`)."""
    from twentyten.service.reports import DesignedLines

    designed = DesignedLines(atlas, standards)
    by_id = {p.id: p for p in factories}
    rows: dict[tuple[str, str, str], dict[str, Any]] = {}
    for r in reports:
        p = by_id[r.project_id]
        for o in r.output:
            d = designed.line(p, str(o.get("line", "")))
            unit = str(o.get("unit", ""))
            fits = d is not None and d.unit == unit and d.capacity_per_year is not None
            key = (r.month, d.id if d else str(o.get("line", "")), unit)
            row = rows.setdefault(key, {
                "month": r.month, "line_id": d.id if d else None, "line": d.name if d else str(o.get("line", "")),
                "unit": unit, "output": 0.0, "state": r.state, "design_year": designed.year_of(p),
                "capacity_per_year": d.capacity_per_year if fits else None,
                "capacity": round(d.capacity_per_year / 12, 3) if fits else None})
            row["output"] = round(row["output"] + float(o.get("quantity", 0)), 3)
    return sorted(rows.values(), key=lambda x: (x["line"], x["month"]))


def _storage_alerts(session: Session, actor: Actor, county_id: str, limit: int = 50) -> list[dict[str, Any]]:
    """The newest alerts of the county's grain storage (from readings posted to the API)."""
    from twentyten.service.storage import storage_alerts

    alerts, _ = storage_alerts(session, actor, county_id=county_id, limit=limit)
    return alerts


def _designed(atlas) -> dict[str, Any]:
    """The atlas's counties as designed (with the dataset's county inputs)."""
    from twentyten.design.inputs import designed_regions

    return designed_regions(atlas)


def design_view(region, year: int | None, standards=None) -> dict[str, Any] | None:
    """The county's package at its planned year's standard (the programme's first year when
    it has none yet)."""
    from twentyten.design import DesignError, design_package, package_dict
    from twentyten.standards import load_standards

    std = standards if standards is not None else load_standards()
    try:
        pkg = design_package(region, year or std.first_programme_year, std, explain=False)
    except DesignError as e:
        return {"error": str(e)}
    d = package_dict(pkg, std)
    return {k: d[k] for k in ("year", "cost", "cost_unit", "build_months", "workforce", "notes")} | {
        "facilities": [{k: f[k] for k in ("facility_type", "name", "lines", "capacity", "reasons", "sources")}
                       for f in d["facilities"]]}


def load_rows(plan_json) -> list[dict[str, Any]]:
    """Yearly use of each resource against its capacity (None: unlimited), from a saved plan's
    ``summary.years`` (each row checked against ``saved.YearRow``; reading only that part keeps
    the page fast: the whole saved plan takes most of a second to validate)."""
    import json
    from pathlib import Path

    from pydantic import ValidationError

    from twentyten.plan.saved import YearRow

    try:
        doc = json.loads(Path(plan_json).read_text(encoding="utf-8"))
        years = [YearRow.model_validate(y) for y in doc["summary"]["years"]]
    except (OSError, json.JSONDecodeError, KeyError, TypeError, ValidationError):
        return []  # no saved plan (or not one this version reads): the page shows no load chart
    return [{"year": y.year, "resource": r, "used": round(v, 1), "capacity": y.capacity.get(r), "record": y.record}
            for y in years for r, v in y.used.items()]


def progress_view(session: Session, actor: Actor, atlas: Atlas, per_year: int = 20,
                  first_year: int = 2024, last_year: int = 2033, plan_json=None) -> dict[str, Any]:
    """Cumulative counties per facility type against the target (``per_year`` a year) and the
    current plan; per province, the same for whole packages; each row says what it counts."""
    pv = current_plan(session)
    plan: dict[str, dict[str, int]] = defaultdict(dict)  # facility -> county -> year
    if pv is not None:
        for e in pv.entries:
            if e.year is not None:
                plan[e.facility][e.county_id] = e.year
    else:
        for p in session.scalars(select(Project)):
            if p.planned_year is not None:
                plan[p.facility][p.county_id] = p.planned_year
    started: dict[str, dict[str, int]] = defaultdict(dict)
    for p in _projects(session, actor):
        y = _first_year(p, ("ground-breaking",))
        if y is None and stage(p) != "planned":
            y = _first_year(p, tuple(MILESTONE_STAGE))
        if y is not None:
            started[p.facility][p.county_id] = y
    years = list(range(first_year, last_year + 1))
    rows = []
    for f in FACILITY_TYPES:
        for y in years:
            rows.append({"facility": f, "year": y, "series": "target", "counties": per_year * (y - first_year + 1)})
            rows.append({"facility": f, "year": y, "series": "plan",
                         "counties": sum(1 for v in plan[f].values() if v <= y)})
            rows.append({"facility": f, "year": y, "series": "started",
                         "counties": sum(1 for v in started[f].values() if v <= y)})
    county_prov = {c.id: c.parent_id for c in atlas.counties()}
    pkg_plan: dict[str, int] = {}
    for f in plan.values():
        for cid, y in f.items():
            pkg_plan[cid] = min(y, pkg_plan.get(cid, y))
    pkg_started: dict[str, int] = {}
    for f in started.values():
        for cid, y in f.items():
            pkg_started[cid] = min(y, pkg_started.get(cid, y))
    provinces = []
    for p in atlas.provinces():
        for y in years:
            for series, src in (("plan", pkg_plan), ("started", pkg_started)):
                provinces.append({"province": p.name, "province_local": p.name_local or "", "year": y,
                                  "series": series,
                                  "counties": sum(1 for c, v in src.items() if county_prov.get(c) == p.id and v <= y)})
    return {"facility_rows": rows, "province_rows": provinces, "per_year": per_year,
            "load_rows": load_rows(plan_json) if plan_json is not None else [],
            "plan": pv.name if pv else None,
            "basis": "started: the first ground-breaking milestone (or, without one, the first milestone) "
                     "of each project the user may read; plan: the current plan version's year per county "
                     "and facility; target: the programme's counties a year, cumulated"}


def saved_plans(default_dir, plans_dir) -> list[dict[str, Any]]:
    """Saved plans on disk: the default plan, then each scenario run (``plans_dir/NAME/plan.json``)."""
    import json
    from pathlib import Path

    found = []
    candidates = [("default plan", Path(default_dir) / "plan.json")]
    if plans_dir is not None and Path(plans_dir).is_dir():
        candidates += [(p.parent.name, p) for p in sorted(Path(plans_dir).glob("*/plan.json"))]
    for name, path in candidates:
        if not path.exists():
            continue
        try:
            summary = json.loads(path.read_text(encoding="utf-8")).get("summary", {})
        except (OSError, json.JSONDecodeError) as e:
            found.append({"name": name, "path": str(path), "error": f"{path}: {e}"})
            continue
        found.append({"name": name, "path": str(path), "status": summary.get("status"),
                      "objective": summary.get("objective"), "gap": summary.get("mip_gap"),
                      "scenario": summary.get("scenario", "")})
    return found


def plan_compare_view(plans: list[dict[str, Any]], a: str, b: str, facility: str | None = None,
                      limit: int = 500) -> dict[str, Any]:
    """What moved from saved plan ``a`` to ``b`` (by name) and why: ``plan compare`` on saved plans."""
    from twentyten.plan.compare import compare_plans
    from twentyten.plan.saved import SavedPlanError, load_result
    from twentyten.service.errors import Invalid

    by_name = {p["name"]: p for p in plans}
    for x in (a, b):
        if x not in by_name:
            raise Invalid(f"no saved plan named {x!r} (known: {', '.join(by_name)})")
    try:
        ra = load_result(by_name[a]["path"])[1]
        rb = load_result(by_name[b]["path"])[1]
        cmp = compare_plans(ra, rb)
    except (SavedPlanError, ValueError) as e:
        raise Invalid(f"{a} and {b}: {e}") from None
    moves = [{"county_id": m.county, "county": m.name, "facility": m.facility_type, "year_a": m.year_a,
              "year_b": m.year_b, "why": m.why} for m in cmp.moves if facility in (None, "", m.facility_type)]
    return {"a": a, "b": b, "headline": cmp.headline(), "lines": cmp.lines(), "settings": list(cmp.settings),
            "moves": moves[:limit], "moves_total": len(moves), "facility": facility or ""}


#: League themes: what is ranked, and whether more is better.
THEMES = ("schedule", "output", "quality", "opinion")
SIZE_BANDS = ((0, 50_000, "under 50k"), (50_000, 100_000, "50k-100k"), (100_000, 10**12, "100k and over"))


def size_band(population: int | None) -> str:
    for lo, hi, name in SIZE_BANDS:
        if population is not None and lo <= population < hi:
            return name
    return "unknown"


def _theme_series(projects: list[Project], reports: dict[int, list[Report]], now_year: int) -> dict[str, list[float]]:
    """Per theme, the county's values in time order (level: the last; improvement: last - first)."""
    out: dict[str, list[float]] = {t: [] for t in THEMES}
    due = [p for p in projects if p.planned_year is not None and p.planned_year <= now_year]
    if due:  # schedule: share of due projects ground-broken by their planned year
        on_time = sum(1 for p in due if (y := _first_year(p, ("ground-breaking",))) is not None and y <= p.planned_year)
        out["schedule"] = [round(100 * on_time / len(due), 1)]
    months = sorted((r for p in projects for r in reports.get(p.id, [])), key=lambda r: r.month)
    for r in months:
        out["output"].append(sum(float(o.get("quantity", 0)) for o in r.output))
        checked = r.quality_passed + r.quality_failed
        if checked:
            out["quality"].append(round(100 * r.quality_passed / checked, 1))
        if r.opinion_score is not None:
            out["opinion"].append(r.opinion_score)
    return out


def league_view(session: Session, actor: Actor, atlas: Atlas, theme: str = "schedule",
                now_year: int | None = None) -> dict[str, Any]:
    """Counties ranked on one theme by level and by improvement, each with the leaders among
    comparable counties (same physiography and population band) to learn from."""
    import datetime as dt

    from twentyten.service.errors import Invalid

    if theme not in THEMES:
        raise Invalid(f"theme {theme!r} is not one of {', '.join(THEMES)}")
    now_year = now_year or dt.date.today().year
    projects = _projects(session, actor)
    by_county: dict[str, list[Project]] = defaultdict(list)
    for p in projects:
        by_county[p.county_id].append(p)
    reports: dict[int, list[Report]] = defaultdict(list)
    ids = [p.id for p in projects if p.facility == "factory"]
    if ids:
        for r in session.scalars(select(Report).where(Report.project_id.in_(ids))):
            reports[r.project_id].append(r)
    rows = []
    for c in atlas.counties():
        if c.id not in by_county:
            continue
        series = _theme_series(by_county[c.id], reports, now_year)[theme]
        if not series:
            continue
        rows.append({"county_id": c.id, "county": c.name, "county_local": c.name_local or "",
                     "physiography": c.physiography or "unknown", "size_band": size_band(c.population),
                     "level": series[-1], "improvement": round(series[-1] - series[0], 2) if len(series) > 1 else None,
                     "points": len(series)})

    def ranks(key: str) -> dict[str, int]:
        have = sorted((r for r in rows if r[key] is not None), key=lambda r: (-r[key], r["county"]))
        out, prev, rank = {}, None, 0
        for i, r in enumerate(have, start=1):
            if r[key] != prev:
                rank, prev = i, r[key]
            out[r["county_id"]] = rank  # ties share a rank
        return out

    rl, ri = ranks("level"), ranks("improvement")
    peers: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for r in rows:
        peers[(r["physiography"], r["size_band"])].append(r)
    for r in rows:
        r["rank_level"], r["rank_improvement"] = rl.get(r["county_id"]), ri.get(r["county_id"])
        group = sorted((x for x in peers[(r["physiography"], r["size_band"])] if x is not r and x["level"] > r["level"]),
                       key=lambda x: -x["level"])
        r["leaders"] = [{"county_id": x["county_id"], "county": x["county"], "level": x["level"]} for x in group[:3]]
    rows.sort(key=lambda r: (r["rank_level"], r["county"]))
    basis = {"schedule": "share (%) of the county's projects due by this year that were ground-broken by their "
                         "planned year",
             "output": "output of the county's factory reports, all lines, per month (level: latest month)",
             "quality": "quality checks passed (%) in the latest monthly report",
             "opinion": "customer-opinion score (0-10) in the latest monthly report"}[theme]
    return {"theme": theme, "themes": list(THEMES), "rows": rows, "basis": basis,
            "peer_rule": "comparable: same physiography and population band (" +
                         ", ".join(b[2] for b in SIZE_BANDS) + ")"}


DEFAULT_MEDIA_GROUPS = ("regional", "munitions", "defence_science")


def media_view(media_db, groups: list[str] | None = None, measure: str = "share", by: str = "year") -> dict[str, Any]:
    """``media trend`` on the stored corpus: one measure per group and period, peaks, and the
    correlation table. ``available`` is False (with the reason) when there is no corpus."""
    from pathlib import Path

    from twentyten.service.errors import Invalid

    try:
        from twentyten.media.store import StoreError, open_store
        from twentyten.media.terms import TermFileError, bundled_groups
        from twentyten.media.trend import Measure, Period, TrendOptions, compute_trend
    except ImportError as e:
        return {"available": False, "reason": f"the media extra is not installed ({e})", "reason_code": "no-extra",
                "groups": [], "rows": []}
    gf = bundled_groups()
    known = [{"name": n, "label": g.label} for n, g in gf.groups.items()]
    try:
        m, p = Measure(measure), Period(by)
    except ValueError:
        raise Invalid(f"measure {measure!r} or period {by!r}: measures are {', '.join(Measure)}, "
                      f"periods {', '.join(Period)}") from None
    names = list(groups or DEFAULT_MEDIA_GROUPS)
    try:
        selected = gf.select(names)
    except TermFileError as e:
        raise Invalid(str(e)) from None
    base = {"groups": known, "selected": names, "measure": str(m), "measures": [str(x) for x in Measure],
            "by": str(p), "db": str(media_db)}
    if not Path(media_db).exists():
        return {**base, "available": False, "rows": [], "correlations": [], "reason_code": "no-corpus",
                "reason": f"no media corpus at {media_db}: load one with `twentyten media ingest`"}
    try:
        with open_store(media_db, read_only=True) as store:
            trend = compute_trend(store, selected, TrendOptions(by=p, peak_on=m))
    except StoreError as e:
        raise Invalid(f"{media_db}: {e}") from None
    from twentyten.media.report import chart_rows

    rows = chart_rows(trend, m)
    import math

    corr = [{"a": c.a, "b": c.b, "lag": c.lag, "n": c.n,
             "pearson": None if math.isnan(c.pearson) else round(c.pearson, 3),
             "spearman": None if math.isnan(c.spearman) else round(c.spearman, 3), "note": c.note}
            for c in trend.correlations]
    return {**base, "available": bool(trend.periods), "rows": rows, "correlations": corr,
            "reason": "" if trend.periods else "no article in the corpus",
            "reason_code": "" if trend.periods else "no-article"}


def explain_view(result, county_id: str) -> dict[str, Any] | None:
    """``plan explain`` for one county on a plan result: its lines, and the binding rows by year."""
    if result is None:
        return None
    from twentyten.plan.explain import explain_county

    try:
        ex = explain_county(result, county_id)
    except (KeyError, ValueError, LookupError):
        return None  # the county is not in that plan
    return {"lines": ex.lines(), "binding_by_year": {str(y): v for y, v in ex.binding_by_year.items()}}
