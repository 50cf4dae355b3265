"""Monthly factory reports: a county submits, its province approves; approved is locked
until un-approved with an audited reason (DHIS2's data-approval workflow, in small)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from twentyten.service import audit
from twentyten.service.actors import Actor, Role, require_role, require_write
from twentyten.service.errors import Conflict, Invalid, NotFound
from twentyten.service.projects import _scoped, check_version, resolve_region
from twentyten.store.models import Project, Report

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
LINE_UNIT = "t"  # the designed lines are sized in tonnes a year (design.factory): a month's output is in t


@dataclass(frozen=True)
class OutputLine:
    line: str
    quantity: float
    unit: str


@dataclass(frozen=True)
class ReportIn:
    month: str
    output: list[OutputLine] = field(default_factory=list)
    product_range: int = 0
    quality_passed: int = 0
    quality_failed: int = 0
    opinion_score: float | None = None
    opinion_responses: int = 0


def check_report(r: ReportIn) -> list[tuple[str, str]]:
    """(field, reason) for each problem of a report."""
    out = []
    if not MONTH.match(r.month):
        out.append(("month", f"{r.month!r} is not a month YYYY-MM"))
    for i, o in enumerate(r.output):
        if not o.line.strip():
            out.append((f"output[{i}].line", "empty product line"))
        if not o.unit.strip():
            out.append((f"output[{i}].unit", "empty unit"))
        if not o.quantity >= 0:
            out.append((f"output[{i}].quantity", f"{o.quantity} is negative"))
    for name in ("product_range", "quality_passed", "quality_failed", "opinion_responses"):
        if getattr(r, name) < 0:
            out.append((name, f"{getattr(r, name)} is negative"))
    if r.opinion_score is not None and not 0 <= r.opinion_score <= 10:
        out.append(("opinion_score", f"{r.opinion_score} is outside 0-10"))
    if r.opinion_score is not None and r.opinion_responses == 0:
        out.append(("opinion_responses", "a score needs the number of responses"))
    return out


def _norm(s: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", s.lower()).split())


@dataclass(frozen=True)
class DesignedLine:
    id: str
    name: str
    factory: str
    unit: str
    capacity_per_year: float | None = None  # in ``unit`` a year, as designed (``{id}_t_per_year``)


class DesignedLines:
    """The production lines of each county's designed factories (``twentyten.design``), each
    county designed once: make one per request or import, never share it between them.

    A report names a line by its catalogue id (``soy_sauce``) or name (``Soy sauce (kanjang)``),
    case and punctuation aside."""

    def __init__(self, atlas: Any = None, standards: Any = None) -> None:
        self._atlas, self._standards = atlas, standards
        self._regions: dict[str, Any] | None = None
        self._lines: dict[tuple[str, int], dict[str, DesignedLine] | str] = {}

    def _load(self) -> tuple[Any, Any]:
        if self._atlas is None:
            from twentyten.atlas import load_atlas

            self._atlas = load_atlas()
        if self._standards is None:
            from twentyten.standards import load_standards

            self._standards = load_standards()
        return self._atlas, self._standards

    def _designed(self) -> dict[str, Any]:
        """The counties as designed (with the dataset's county inputs), read once."""
        if self._regions is None:
            from twentyten.design.inputs import designed_regions

            self._regions = designed_regions(self._load()[0])
        return self._regions

    def year_of(self, p: Project) -> int:
        """The standard a factory is designed at: its cohort's year, else its planned year,
        else the programme's first (never before the standards' base year)."""
        std = self._load()[1]
        y = p.cohort_year or p.planned_year or std.base_year
        return max(y, std.base_year)

    def of(self, county_id: str, year: int) -> dict[str, DesignedLine] | str:
        """Normalised id and name → line, or why the county has no design."""
        key = (county_id, year)
        if key not in self._lines:
            self._lines[key] = self._design(county_id, year)
        return self._lines[key]

    def _design(self, county_id: str, year: int) -> dict[str, DesignedLine] | str:
        from twentyten.atlas.model import UnknownRegion
        from twentyten.design import DesignError, design_package

        atlas, std = self._load()
        try:
            region = atlas.get(county_id)
            pkg = design_package(self._designed().get(region.id, region), year, std, explain=False)
        except UnknownRegion:
            return f"{county_id} is not in the atlas, so its factories have no design"
        except DesignError as e:
            return f"{county_id} has no design: {e}"
        rules = {r.name: r for r in std.lines}
        out: dict[str, DesignedLine] = {}
        for f in pkg.facilities:
            if f.facility_type != "factory":
                continue
            for name in f.lines:
                r = rules[name]
                line = DesignedLine(r.id, r.name, f.name, LINE_UNIT, f.capacity.get(f"{r.id}_t_per_year"))
                out[_norm(r.id)] = out[_norm(r.name)] = line
        return out

    def line(self, p: Project, name: str) -> DesignedLine | None:
        """The designed line a report of ``p`` names ``name`` (id or name), or None."""
        lines = self.of(p.county_id, self.year_of(p))
        return None if isinstance(lines, str) else lines.get(_norm(name))

    def check(self, p: Project, output: list[OutputLine]) -> list[tuple[str, str]]:
        """(field, reason) for each output line that is not a designed line in its unit."""
        if not output:
            return []
        year = self.year_of(p)
        lines = self.of(p.county_id, year)
        if isinstance(lines, str):
            return [("output", lines)]
        out = []
        for i, o in enumerate(output):
            d = lines.get(_norm(o.line))
            if d is None:
                names = sorted({f"{x.id} ({x.name})" for x in lines.values()})
                out.append((f"output[{i}].line", f"{o.line!r} is not a line of {p.county_id}'s factories as "
                            f"designed at the {year} standard: {'; '.join(names) or 'none'}"))
            elif o.unit != d.unit:
                out.append((f"output[{i}].unit", f"{o.unit!r} is not the unit of {d.name}: report it in {d.unit}"))
        return out


def report_dict(r: Report) -> dict[str, Any]:
    return {"id": r.id, "project_id": r.project_id, "month": r.month, "output": r.output,
            "product_range": r.product_range, "quality_passed": r.quality_passed,
            "quality_failed": r.quality_failed, "opinion_score": r.opinion_score,
            "opinion_responses": r.opinion_responses, "state": r.state, "submitted_by": r.submitted_by,
            "approved_by": r.approved_by, "version": r.version}


def factory_project(session: Session, actor: Actor, project_id: int) -> Project:
    p = session.get(Project, project_id)
    if p is None or not actor.reads(p.province_id, p.county_id):
        raise NotFound(f"no project {project_id}")
    if p.facility != "factory":
        raise Invalid(f"project {project_id} is a {p.facility}: monthly reports are for factories")
    return p


def new_report(p: Project, r: ReportIn, actor: Actor) -> Report:
    return Report(project_id=p.id, month=r.month, output=[vars(o) for o in r.output],
                  product_range=r.product_range, quality_passed=r.quality_passed, quality_failed=r.quality_failed,
                  opinion_score=r.opinion_score, opinion_responses=r.opinion_responses, state="submitted",
                  submitted_by=actor.name, version=1)


def _raise_if(problems: list[tuple[str, str]]) -> None:
    if problems:
        raise Invalid("; ".join(f"{k}: {v}" for k, v in problems),
                      [{"where": k, "reason": v} for k, v in problems])


def submit_report(session: Session, actor: Actor, project_id: int, r: ReportIn,
                  lines: DesignedLines | None = None) -> Report:
    """Submit (or re-submit, while not approved) a factory's report for a month. Its output
    lines must be lines of the county's designed factories, in their unit (``lines``: the
    designs to check against; a fresh :class:`DesignedLines` when not given)."""
    p = factory_project(session, actor, project_id)
    require_write(actor, p.province_id, p.county_id, f"report for project {project_id}")
    _raise_if(check_report(r))
    old = session.scalars(select(Report).where(Report.project_id == p.id, Report.month == r.month)).first()
    if old is not None and old.state == "approved":
        raise Conflict(f"the {r.month} report of project {p.id} is approved and locked; un-approve it first")
    _raise_if((lines or DesignedLines()).check(p, r.output))
    if old is not None:
        before = report_dict(old)
        fresh = new_report(p, r, actor)
        for k in ("output", "product_range", "quality_passed", "quality_failed", "opinion_score",
                  "opinion_responses", "submitted_by"):
            setattr(old, k, getattr(fresh, k))
        old.version += 1
        audit.record(session, actor, "resubmit", "report", old.id, p.province_id, before, report_dict(old))
        session.commit()
        return old
    rep = new_report(p, r, actor)
    session.add(rep)
    session.flush()
    audit.record(session, actor, "submit", "report", rep.id, p.province_id, None, report_dict(rep))
    session.commit()
    return rep


def _get(session: Session, actor: Actor, report_id: int) -> tuple[Report, Project]:
    rep = session.get(Report, report_id)
    p = session.get(Project, rep.project_id) if rep else None
    if rep is None or not actor.reads(p.province_id, p.county_id):
        raise NotFound(f"no report {report_id}")
    return rep, p


def get_report(session: Session, actor: Actor, report_id: int) -> Report:
    return _get(session, actor, report_id)[0]


def approve_report(session: Session, actor: Actor, report_id: int, *, if_match: int | None = None,
                   version: int | None = None) -> Report:
    rep, p = _get(session, actor, report_id)
    require_role(actor, (Role.PLANNER, Role.PROVINCE), "approve reports")
    require_write(actor, p.province_id, None, f"approve report {report_id}")
    check_version(rep.version, if_match, version)
    if rep.state == "approved":
        raise Conflict(f"report {report_id} is approved already")
    before = report_dict(rep)
    rep.state, rep.approved_by, rep.version = "approved", actor.name, rep.version + 1
    audit.record(session, actor, "approve", "report", rep.id, p.province_id, before, report_dict(rep))
    session.commit()
    return rep


def unapprove_report(session: Session, actor: Actor, report_id: int, reason: str, *,
                     if_match: int | None = None, version: int | None = None) -> Report:
    rep, p = _get(session, actor, report_id)
    require_role(actor, (Role.PLANNER, Role.PROVINCE), "un-approve reports")
    require_write(actor, p.province_id, None, f"un-approve report {report_id}")
    check_version(rep.version, if_match, version)
    if rep.state != "approved":
        raise Conflict(f"report {report_id} is not approved")
    if not reason.strip():
        raise Invalid("un-approving needs a reason")
    before = report_dict(rep)
    rep.state, rep.approved_by, rep.version = "submitted", None, rep.version + 1
    audit.record(session, actor, "unapprove", "report", rep.id, p.province_id, before, report_dict(rep), reason)
    session.commit()
    return rep


def list_reports(session: Session, actor: Actor, *, province: str | None = None, county: str | None = None,
                 state: str | None = None, month: str | None = None, limit: int = 50,
                 offset: int = 0) -> tuple[list[Report], int]:
    q = _scoped(select(Report).join(Project, Project.id == Report.project_id), actor)
    if province:
        q = q.where(Project.province_id == resolve_region(session, province, "province"))
    if county:
        q = q.where(Project.county_id == resolve_region(session, county, "county"))
    if state:
        if state not in ("submitted", "approved"):
            raise Invalid(f"state {state!r} is not submitted or approved")
        q = q.where(Report.state == state)
    if month:
        q = q.where(Report.month == month)
    total = session.scalar(select(func.count()).select_from(q.subquery())) or 0
    return list(session.scalars(q.order_by(Report.id).limit(limit).offset(offset))), total
