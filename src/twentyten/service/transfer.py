"""Import (CSV or JSON of projects, milestones and reports: validated first, then all or
nothing) and export (csv, json, geojson) of the record."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session, selectinload

from twentyten.domain.facility import FACILITY_TYPES
from twentyten.service.actors import Actor
from twentyten.service.dates import parse_partial
from twentyten.service.errors import Forbidden, Invalid
from twentyten.service.projects import (
    MILESTONE_KINDS,
    _scoped,
    milestone_dict,
    project_dict,
    region_names,
)
from twentyten.service.record import milestone_from
from twentyten.service.reports import DesignedLines, OutputLine, ReportIn, check_report
from twentyten.store.models import AuditEntry, Evidence, Milestone, Project, Region, Report

KINDS = ("projects", "milestones", "reports")
COLUMNS = {
    "projects": ("county", "facility", "planned_year"),
    "milestones": ("county", "facility", "kind", "date", "url", "title", "outlet", "note", "article_id"),
    "reports": ("county", "month", "output", "product_range", "quality_passed", "quality_failed",
                "opinion_score", "opinion_responses"),
}
REQUIRED = {"projects": ("county", "facility"), "milestones": ("county", "facility", "kind", "date"),
            "reports": ("county", "month")}


@dataclass
class ImportResult:
    projects: int = 0
    milestones: int = 0
    reports: int = 0
    dry_run: bool = False
    problems: list[dict[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"projects": self.projects, "milestones": self.milestones, "reports": self.reports,
                "dry_run": self.dry_run, "written": not self.dry_run and not self.problems}


def read_rows(name: str, raw: bytes) -> list[tuple[str, str, dict[str, Any]]]:
    """(kind, where, row) for every row of a CSV (one kind per file, told by its header) or a JSON
    object ``{"projects": [...], "milestones": [...], "reports": [...]}``."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise Invalid(f"{name}: not UTF-8 ({e})") from None
    if name.lower().endswith(".json") or text.lstrip().startswith("{"):
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as e:
            raise Invalid(f"{name}: not JSON: {e}") from None
        if not isinstance(doc, dict) or not doc or set(doc) - set(KINDS):
            raise Invalid(f"{name}: expected an object with lists {', '.join(KINDS)}; "
                          f"unknown keys: {sorted(set(doc) - set(KINDS)) if isinstance(doc, dict) else doc!r}")
        out = []
        for kind in KINDS:
            rows = doc.get(kind, [])
            if not isinstance(rows, list):
                raise Invalid(f"{name} {kind}: not a list")
            for i, r in enumerate(rows):
                if not isinstance(r, dict):
                    raise Invalid(f"{name} {kind}[{i}]: not an object")
                out.append((kind, f"{name} {kind}[{i}]", r))
        return out
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    kind = "reports" if "month" in header else "milestones" if "kind" in header else "projects"
    unknown = set(header) - set(COLUMNS[kind])
    if unknown:
        raise Invalid(f"{name} header: unknown column(s) {', '.join(sorted(unknown))} for {kind} "
                      f"(columns: {', '.join(COLUMNS[kind])})")
    return [(kind, f"{name} row {i}", r) for i, r in enumerate(reader, start=2)]


def _int(v: Any, col: str, where: str, problems: list, default: int | None = 0) -> int | None:
    if v is None or v == "":
        return default
    if isinstance(v, bool) or (isinstance(v, float) and not v.is_integer()):
        problems.append({"where": f"{where} column {col}", "reason": f"{v!r} is not a whole number"})
        return default
    try:
        return int(v)
    except (TypeError, ValueError):
        problems.append({"where": f"{where} column {col}", "reason": f"{v!r} is not a whole number"})
        return default


def _output(v: Any, where: str, problems: list) -> list[OutputLine]:
    """``line:quantity:unit; ...`` in CSV, a list of {line, quantity, unit} in JSON."""
    items = v if isinstance(v, list) else [
        dict(zip(("line", "quantity", "unit"), p.split(":"), strict=False)) for p in str(v or "").split(";") if p.strip()]
    out = []
    for i, o in enumerate(items):
        try:
            if not isinstance(o, dict) or set(o) != {"line", "quantity", "unit"}:
                raise ValueError("needs line, quantity and unit (CSV: line:quantity:unit; ...)")
            q = o["quantity"]
            if isinstance(q, bool):
                raise ValueError(f"quantity {q!r} is not a number")
            out.append(OutputLine(str(o["line"]).strip(), float(q), str(o["unit"]).strip()))
        except (TypeError, ValueError) as e:
            problems.append({"where": f"{where} column output[{i}]", "reason": str(e)})
    return out


def import_records(session: Session, actor: Actor, name: str, raw: bytes, dry_run: bool = False,
                   lines: DesignedLines | None = None) -> ImportResult:
    """Validate every row, then write all of it in one transaction, or nothing. A report's
    output lines must be lines of its county's designed factories, in their unit (``lines``:
    the designs, each county designed once; a fresh :class:`DesignedLines` when not given).

    Raises :class:`Invalid` listing each problem (row and column) when any row is wrong.
    """
    if actor.role == "analyst":
        raise Forbidden(f"{actor.name} (analyst) may not import: the role is read-only")
    rows = read_rows(name, raw)
    problems: list[dict[str, str]] = []
    counties = {r.id: r for r in session.scalars(select(Region).where(Region.level == "county"))}
    by_name: dict[str, list[str]] = {}
    for r in counties.values():
        by_name.setdefault(r.name.lower(), []).append(r.id)
    projects = {(p.county_id, p.facility): p for p in session.scalars(select(Project))}
    new_projects: set[tuple[str, str]] = set()
    reports_seen = {(r[0], r[1]) for r in session.execute(select(Report.project_id, Report.month))}
    months_new: set[tuple[str, str]] = set()
    plan: list[tuple[str, str, dict[str, Any]]] = []
    for kind, where, row in rows:
        unknown = set(row) - set(COLUMNS[kind])
        if unknown:
            problems.append({"where": f"{where} column {sorted(unknown)[0]}", "reason": "unknown column"})
            continue
        missing = [c for c in REQUIRED[kind] if row.get(c) in (None, "")]
        if missing:
            problems += [{"where": f"{where} column {c}", "reason": "missing"} for c in missing]
            continue
        q = str(row["county"]).strip()
        ids = [q] if q in counties else by_name.get(q.lower(), [])
        if len(ids) != 1:
            problems.append({"where": f"{where} column county",
                             "reason": f"{q!r} is {'ambiguous' if ids else 'not a county of the database'}"})
            continue
        cid = ids[0]
        pid = counties[cid].parent_id
        if not actor.writes(pid, cid):
            problems.append({"where": f"{where} column county", "reason": f"{cid} is outside {actor.name}'s scope "
                             f"({actor.scope()}{', read-only' if actor.role == 'analyst' else ''})"})
            continue
        fac = str(row.get("facility") or "factory")
        if fac not in FACILITY_TYPES:
            problems.append({"where": f"{where} column facility", "reason": f"{fac!r} is not one of "
                             f"{', '.join(FACILITY_TYPES)}"})
            continue
        n0 = len(problems)
        if kind == "projects":
            year = _int(row.get("planned_year"), "planned_year", where, problems, None)
            if (cid, fac) in projects or (cid, fac) in new_projects:
                problems.append({"where": f"{where} column facility", "reason": f"{cid} has a {fac} project already"})
            new_projects.add((cid, fac))
            item = {"county_id": cid, "province_id": pid, "facility": fac, "planned_year": year}
        elif kind == "milestones":
            if (cid, fac) not in projects and (cid, fac) not in new_projects:
                problems.append({"where": f"{where} column facility", "reason": f"{cid} has no {fac} project"})
            if row["kind"] not in MILESTONE_KINDS:
                problems.append({"where": f"{where} column kind", "reason": f"{row['kind']!r} is not one of "
                                 f"{', '.join(MILESTONE_KINDS)}"})
            try:
                d = parse_partial(str(row["date"]))
            except ValueError as e:
                problems.append({"where": f"{where} column date", "reason": str(e)})
                d = None
            ev = {k: str(row.get(k) or "") for k in ("url", "title", "outlet", "note")}
            if not (ev["url"] or ev["note"] or row.get("article_id")):
                problems.append({"where": f"{where} column url", "reason": "evidence needs a url, a note or an article_id"})
            item = {"key": (cid, fac), "kind": row["kind"], "date": d, "evidence": ev,
                    "article_id": row.get("article_id") or None}
        else:
            p = projects.get((cid, "factory"))
            if p is None:
                problems.append({"where": f"{where} column county", "reason": f"{cid} has no factory project"})
                continue
            score = row.get("opinion_score")
            try:
                score = None if score in (None, "") else float(score)
            except (TypeError, ValueError):
                problems.append({"where": f"{where} column opinion_score", "reason": f"{score!r} is not a number"})
                score = None
            rin = ReportIn(month=str(row["month"]), output=_output(row.get("output"), where, problems),
                           **{c: _int(row.get(c), c, where, problems) for c in
                              ("product_range", "quality_passed", "quality_failed", "opinion_responses")},
                           opinion_score=score)
            own = check_report(rin)
            if not own and rin.output:
                lines = lines or DesignedLines()
                own = lines.check(p, rin.output)
            problems += [{"where": f"{where} column {k}", "reason": v} for k, v in own]
            key = (p.id, rin.month)
            if key in reports_seen or key in months_new:
                problems.append({"where": f"{where} column month",
                                 "reason": f"{cid} has a {rin.month} report already"})
            months_new.add(key)
            item = {"project": p, "report": rin}
        if len(problems) == n0:
            plan.append((kind, where, item))
    if problems:
        first = problems[0]
        raise Invalid(f"{len(problems)} problem(s); nothing was written. First: {first['where']}: {first['reason']}",
                      problems)
    res = ImportResult(dry_run=dry_run)
    for kind, _, _ in plan:
        setattr(res, kind, getattr(res, kind) + 1)
    if dry_run:
        return res
    _write(session, actor, name, plan)
    return res


def _write(session: Session, actor: Actor, name: str, plan: list) -> None:
    now = dt.datetime.now(dt.UTC)
    audits: list[dict[str, Any]] = []

    def log(entity: str, eid: Any, province: str | None, after: dict) -> None:
        audits.append({"at": now, "actor": actor.name, "action": "import", "entity": entity, "entity_id": str(eid),
                       "province_id": province, "before": None, "after": after, "reason": f"import {name}"})

    try:
        made: dict[tuple[str, str], Project] = {}
        for kind, _, it in plan:
            if kind == "projects":
                p = Project(county_id=it["county_id"], province_id=it["province_id"], facility=it["facility"],
                            status="planned", planned_year=it["planned_year"], title=f"{it['county_id']} {it['facility']}",
                            source=f"import {name} by {actor.name}", version=1)
                session.add(p)
                made[(p.county_id, p.facility)] = p
        session.flush()
        for p in made.values():
            log("project", p.id, p.province_id, project_dict(p))
        projects = {(p.county_id, p.facility): p for p in session.scalars(select(Project))}
        for kind, _, it in plan:
            if kind == "milestones":
                p = projects[it["key"]]
                m = milestone_from(it["kind"], it["date"])
                m.project_id = p.id
                m.evidence = [Evidence(**it["evidence"], article_id=it["article_id"])]
                session.add(m)
                session.flush()
                log("milestone", m.id, p.province_id, milestone_dict(m))
        report_rows = []
        for kind, _, it in plan:
            if kind == "reports":
                p, r = it["project"], it["report"]
                report_rows.append({
                    "project_id": p.id, "month": r.month, "output": [vars(o) for o in r.output],
                    "product_range": r.product_range, "quality_passed": r.quality_passed,
                    "quality_failed": r.quality_failed, "opinion_score": r.opinion_score,
                    "opinion_responses": r.opinion_responses, "state": "submitted", "submitted_by": actor.name,
                    "version": 1})
                log("report", f"{p.id}:{r.month}", p.province_id, report_rows[-1])
        if report_rows:
            session.execute(insert(Report), report_rows)
        if audits:
            session.execute(insert(AuditEntry), audits)
        session.commit()
    except BaseException:
        session.rollback()
        raise


def export_records(session: Session, actor: Actor, fmt: str) -> str:
    """The projects the actor may read, with milestones and evidence, as csv, json or geojson."""
    if fmt not in ("csv", "json", "geojson"):
        raise Invalid(f"format {fmt!r} is not csv, json or geojson")
    q = _scoped(select(Project), actor).options(
        selectinload(Project.milestones).selectinload(Milestone.evidence)).order_by(Project.id)
    projects = list(session.scalars(q))
    names = region_names(session)
    if fmt == "json":
        return json.dumps([project_dict(p, names, milestones=True) for p in projects], ensure_ascii=False, indent=1)
    if fmt == "csv":
        buf = io.StringIO()
        cols = ["id", "county_id", "county", "province_id", "province", "facility", "status", "cohort_year",
                "planned_year", "ground_breaking", "inauguration", "milestones", "evidence", "version"]
        w = csv.DictWriter(buf, fieldnames=cols, lineterminator="\n", extrasaction="ignore")
        w.writeheader()
        for p in projects:
            d = project_dict(p, names)
            d["ground_breaking"] = _first(p.milestones, "ground-breaking")
            d["inauguration"] = _first(p.milestones, "inauguration")
            d["milestones"] = len(p.milestones)
            d["evidence"] = sum(len(m.evidence) for m in p.milestones)
            w.writerow(d)
        return buf.getvalue()
    where = {r.id: (r.lon, r.lat) for r in session.scalars(select(Region))}
    feats = []
    for p in projects:
        lon, lat = where.get(p.county_id, (None, None))
        feats.append({"type": "Feature", "id": p.id,
                      "geometry": None if lon is None or lat is None else {"type": "Point", "coordinates": [lon, lat]},
                      "properties": project_dict(p, names)})
    return json.dumps({"type": "FeatureCollection", "features": feats}, ensure_ascii=False)


def _first(ms: Iterable[Milestone], kind: str) -> str:
    return next((m.date_text for m in ms if m.kind == kind), "")
