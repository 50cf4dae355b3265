"""Projects (one per county × facility type), their status machine, and milestones with evidence."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from twentyten.domain.facility import FACILITY_TYPES
from twentyten.service import audit
from twentyten.service.actors import Actor, Role, require_write
from twentyten.service.dates import parse_partial
from twentyten.service.errors import (
    Conflict,
    Invalid,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
)
from twentyten.store.models import Evidence, Milestone, Project, Region

#: The life of a project, in order (OC4IDS project status, refined for construction).
PATH = ("planned", "ground-breaking", "under construction", "completed", "inaugurated", "operating")
STATUSES = (*PATH, "delayed", "cancelled")
MILESTONE_KINDS = ("ground-breaking", "structure-completed", "completion", "inauguration", "operation",
                   "progress")


def transition_problem(old: str, new: str, resume: str | None = None) -> str | None:
    """Why ``old → new`` is impossible, or None when it is allowed.

    Forward one step along :data:`PATH`; ``delayed`` from any step before inauguration and back
    to where it was (``resume``, or any step up to under construction); ``cancelled`` from
    anything not yet completed. Cancelled and operating are final.
    """
    if new not in STATUSES:
        return f"{new!r} is not a status (one of: {', '.join(STATUSES)})"
    if old == new:
        return f"the project is already {old}"
    if old == "cancelled":
        return "a cancelled project stays cancelled"
    if old == "operating":
        return "an operating project has reached the end of its path"
    if new == "cancelled":
        return None if old in ("planned", "ground-breaking", "under construction", "delayed") else (
            f"a {old} project cannot be cancelled: it has been built")
    if new == "delayed":
        return None if PATH.index(old) <= PATH.index("completed") else f"a {old} project cannot be delayed"
    if old == "delayed":
        allowed = PATH[: PATH.index("completed") + 1]
        return None if new in allowed else f"a delayed project resumes as one of {', '.join(allowed)}"
    i, j = PATH.index(old), PATH.index(new)
    if j < i:
        return f"{old} → {new} goes backwards"
    if j > i + 1:
        return f"{old} → {new} skips {', '.join(PATH[i + 1: j])}"
    return None


@dataclass(frozen=True)
class ProjectFilter:
    province: str | None = None
    county: str | None = None
    facility: str | None = None
    status: str | None = None
    year: int | None = None


def project_dict(p: Project, names: dict[str, str] | None = None, milestones: bool = False) -> dict[str, Any]:
    d: dict[str, Any] = {
        "id": p.id, "county_id": p.county_id, "province_id": p.province_id, "facility": p.facility,
        "status": p.status, "cohort_year": p.cohort_year, "planned_year": p.planned_year, "title": p.title,
        "source": p.source, "version": p.version,
    }
    if names is not None:
        d["county"] = names.get(p.county_id, p.county_id)
        d["province"] = names.get(p.province_id, p.province_id)
    if milestones:
        d["milestones"] = [milestone_dict(m) for m in p.milestones]
    return d


def milestone_dict(m: Milestone) -> dict[str, Any]:
    return {"id": m.id, "project_id": m.project_id, "kind": m.kind, "date_text": m.date_text,
            "date_from": m.date_from, "date_to": m.date_to, "precision": m.precision,
            "earliest": m.earliest.isoformat() if m.earliest else None,
            "latest": m.latest.isoformat() if m.latest else None, "note": m.note,
            "evidence": [{"id": e.id, "outlet": e.outlet, "title": e.title, "date": e.date, "url": e.url,
                          "note": e.note, "article_id": e.article_id} for e in m.evidence]}


def _scoped(q, actor: Actor):
    if actor.role == Role.PROVINCE:
        return q.where(Project.province_id == actor.province_id)
    if actor.role == Role.COUNTY:
        return q.where(Project.county_id == actor.county_id)
    return q


def region_names(session: Session, projects: list[Project] | None = None) -> dict[str, str]:
    """Region id -> name: of the regions of ``projects`` only, when given."""
    q = select(Region.id, Region.name)
    if projects is not None:
        q = q.where(Region.id.in_({p.county_id for p in projects} | {p.province_id for p in projects}))
    return dict(session.execute(q).all())


def resolve_region(session: Session, query: str | None, level: str) -> str | None:
    """A region id from an id or a name (case-insensitive); Invalid names the query."""
    if query is None:
        return None
    r = session.get(Region, query)
    if r is None:
        found = session.scalars(select(Region).where(func.lower(Region.name) == query.lower(),
                                                     Region.level == level)).all()
        if len(found) > 1:
            raise Invalid(f"{level} {query!r} is ambiguous: {', '.join(f.id for f in found)}")
        r = found[0] if found else None
    if r is None or r.level != level:
        raise Invalid(f"{level} {query!r} is not in the database")
    return r.id


def _conditions(session: Session, actor: Actor, f: ProjectFilter) -> list:
    """The WHERE clauses of a project list: the actor's scope, then the filter."""
    out = _scoped(select(Project), actor).whereclause
    conds = [] if out is None else [out]
    if f.province:
        conds.append(Project.province_id == resolve_region(session, f.province, "province"))
    if f.county:
        conds.append(Project.county_id == resolve_region(session, f.county, "county"))
    if f.facility:
        if f.facility not in FACILITY_TYPES:
            raise Invalid(f"facility {f.facility!r} is not one of {', '.join(FACILITY_TYPES)}")
        conds.append(Project.facility == f.facility)
    if f.status:
        if f.status not in STATUSES:
            raise Invalid(f"status {f.status!r} is not one of {', '.join(STATUSES)}")
        conds.append(Project.status == f.status)
    if f.year is not None:
        conds.append(Project.planned_year == f.year)
    return conds


def _total(session: Session, conds: list) -> int:
    return session.scalar(select(func.count()).select_from(Project).where(*conds)) or 0


def list_projects(session: Session, actor: Actor, f: ProjectFilter = ProjectFilter(), *, limit: int = 50,
                  offset: int = 0) -> tuple[list[Project], int]:
    """Projects the actor may read, filtered; (page, total)."""
    conds = _conditions(session, actor, f)
    # the total rides along with the page (one query); a page past the end counts separately
    page = session.execute(select(Project, func.count().over()).where(*conds).order_by(Project.id)
                           .limit(limit).offset(offset)).all()
    if page:
        return [r[0] for r in page], page[0][1]
    return [], _total(session, conds)


_FIELDS = ("id", "county_id", "province_id", "facility", "status", "cohort_year", "planned_year", "title",
           "source", "version")


def list_project_dicts(session: Session, actor: Actor, f: ProjectFilter = ProjectFilter(), *, limit: int = 50,
                       offset: int = 0) -> tuple[list[dict[str, Any]], int]:
    """The page of :func:`list_projects` as ``project_dict(p, region_names(...))`` gives it, in
    one query of columns with the regions' names joined (no ORM objects: the API's list)."""
    from sqlalchemy.orm import aliased

    conds = _conditions(session, actor, f)
    county, province = aliased(Region), aliased(Region)
    q = (select(*(getattr(Project, k) for k in _FIELDS), county.name, province.name, func.count().over())
         .join(county, county.id == Project.county_id).join(province, province.id == Project.province_id)
         .where(*conds).order_by(Project.id).limit(limit).offset(offset))
    page = session.execute(q).all()
    if not page:
        return [], _total(session, conds)
    n = len(_FIELDS)
    return [{**dict(zip(_FIELDS, r[:n], strict=True)), "county": r[n], "province": r[n + 1]} for r in page], page[0][-1]


def get_project(session: Session, actor: Actor, project_id: int) -> Project:
    p = session.get(Project, project_id, options=[selectinload(Project.milestones).selectinload(Milestone.evidence)])
    if p is None or not actor.reads(p.province_id, p.county_id):
        raise NotFound(f"no project {project_id}")  # out of scope reads as absent
    return p


def create_project(session: Session, actor: Actor, county: str, facility: str, planned_year: int | None = None,
                   title: str = "") -> Project:
    county_id = resolve_region(session, county, "county")
    if facility not in FACILITY_TYPES:
        raise Invalid(f"facility {facility!r} is not one of {', '.join(FACILITY_TYPES)}")
    reg = session.get(Region, county_id)
    require_write(actor, reg.parent_id, county_id, f"create a project in {reg.name}")
    if session.scalars(select(Project).where(Project.county_id == county_id, Project.facility == facility)).first():
        raise Conflict(f"{reg.name} has a {facility} project already (one per county × facility)")
    p = Project(county_id=county_id, province_id=reg.parent_id, facility=facility, status="planned",
                planned_year=planned_year, title=title or f"{reg.name} {facility.replace('_', ' ')}",
                source=f"created by {actor.name}", version=1)
    session.add(p)
    session.flush()
    audit.record(session, actor, "create", "project", p.id, p.province_id, None, project_dict(p))
    session.commit()
    return p


def check_version(current: int, if_match: int | None, body_version: int | None) -> None:
    """Optimistic concurrency: If-Match (412 when stale) or a body version (409 when stale)."""
    if if_match is None and body_version is None:
        raise PreconditionRequired("give the version you read (If-Match header or version field)")
    if if_match is not None and if_match != current:
        raise PreconditionFailed(f"If-Match names version {if_match}, the project is at version {current}; "
                                 "read it again")
    if body_version is not None and body_version != current:
        raise Conflict(f"version {body_version} is stale, the project is at version {current}; read it again")


def set_status(session: Session, actor: Actor, project_id: int, new: str, *, reason: str = "",
               override: bool = False, if_match: int | None = None, version: int | None = None) -> Project:
    """Move a project to ``new``. An impossible transition is refused with its reason, unless a
    planner overrides it giving a reason (audited)."""
    p = get_project(session, actor, project_id)
    require_write(actor, p.province_id, p.county_id, f"change project {project_id}")
    check_version(p.version, if_match, version)
    problem = transition_problem(p.status, new)
    if problem and new not in STATUSES:
        raise Invalid(problem)
    if problem:
        if not override:
            raise Conflict(f"{p.status} → {new} refused: {problem}")
        if actor.role != Role.PLANNER:
            raise Conflict(f"{p.status} → {new} refused: {problem}; only a planner may override")
        if not reason.strip():
            raise Invalid("an override needs a reason")
    before = project_dict(p)
    p.status = new
    p.version += 1
    audit.record(session, actor, "override-status" if problem else "status", "project", p.id, p.province_id,
                 before, project_dict(p), reason)
    session.commit()
    return p


@dataclass(frozen=True)
class EvidenceIn:
    outlet: str = ""
    title: str = ""
    date: str = ""
    url: str = ""
    note: str = ""
    article_id: str | None = None


def add_milestone(session: Session, actor: Actor, project_id: int, kind: str, date: str,
                  evidence: list[EvidenceIn], note: str = "") -> Milestone:
    """A milestone with at least one piece of evidence (a link, a note or a media article)."""
    from twentyten.service.record import milestone_from

    p = get_project(session, actor, project_id)
    require_write(actor, p.province_id, p.county_id, f"add a milestone to project {project_id}")
    if kind not in MILESTONE_KINDS:
        raise Invalid(f"milestone kind {kind!r} is not one of {', '.join(MILESTONE_KINDS)}")
    try:
        d = parse_partial(date)
    except ValueError as e:
        raise Invalid(f"date: {e}") from None
    if not evidence:
        raise Invalid("a milestone needs evidence: a link, a note or a media article")
    for i, e in enumerate(evidence):
        if not (e.url.strip() or e.note.strip() or (e.article_id or "").strip()):
            raise Invalid(f"evidence[{i}]: give a url, a note or an article_id")
    m = milestone_from(kind, d, note)
    m.evidence = [Evidence(**vars(e)) for e in evidence]
    p.milestones.append(m)
    p.version += 1
    session.flush()
    audit.record(session, actor, "create", "milestone", m.id, p.province_id, None, milestone_dict(m))
    session.commit()
    return m
