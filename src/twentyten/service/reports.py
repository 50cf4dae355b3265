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


def submit_report(session: Session, actor: Actor, project_id: int, r: ReportIn) -> Report:
    """Submit (or re-submit, while not approved) a factory's report for a month."""
    p = factory_project(session, actor, project_id)
    require_write(actor, p.province_id, p.county_id, f"report for project {project_id}")
    problems = check_report(r)
    if problems:
        raise Invalid("; ".join(f"{k}: {v}" for k, v in problems),
                      [{"where": k, "reason": v} for k, v in problems])
    old = session.scalars(select(Report).where(Report.project_id == p.id, Report.month == r.month)).first()
    if old is not None:
        if old.state == "approved":
            raise Conflict(f"the {r.month} report of project {p.id} is approved and locked; un-approve it first")
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
