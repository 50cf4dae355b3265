"""Projects (one per county × facility type), their status machine, and milestones with evidence."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Select, bindparam, func, select
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


_PROJECT = Project.__table__


def _scope(actor: Actor) -> tuple[str, str | None] | None:
    """The project column and value that bound what the actor may read (None: all projects)."""
    if actor.role == Role.PROVINCE:
        return "province_id", actor.province_id
    if actor.role == Role.COUNTY:
        return "county_id", actor.county_id
    return None


def _scoped(q, actor: Actor):
    scope = _scope(actor)
    return q if scope is None else q.where(_PROJECT.c[scope[0]] == scope[1])


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


def _resolved(session: Session, f: ProjectFilter) -> ProjectFilter:
    """The filter with its province and county as region ids (Invalid names an unknown one)."""
    return replace(f, province=f.province and resolve_region(session, f.province, "province"),
                   county=f.county and resolve_region(session, f.county, "county"))


def _criteria(actor: Actor, f: ProjectFilter) -> dict[str, tuple[str, Any]]:
    """What a project list asks, as parameter name -> (project column, value): the actor's
    scope, then the filter (whose province and county are taken as region ids)."""
    out: dict[str, tuple[str, Any]] = {}
    scope = _scope(actor)
    if scope is not None:
        out["scope"] = scope
    if f.province:
        out["province"] = ("province_id", f.province)
    if f.county:
        out["county"] = ("county_id", f.county)
    if f.facility:
        if f.facility not in FACILITY_TYPES:
            raise Invalid(f"facility {f.facility!r} is not one of {', '.join(FACILITY_TYPES)}")
        out["facility"] = ("facility", f.facility)
    if f.status:
        if f.status not in STATUSES:
            raise Invalid(f"status {f.status!r} is not one of {', '.join(STATUSES)}")
        out["status"] = ("status", f.status)
    if f.year is not None:
        out["year"] = ("planned_year", f.year)
    return out


def _conditions(criteria: dict[str, tuple[str, Any]]) -> list:
    return [_PROJECT.c[column] == value for column, value in criteria.values()]


def _total(session: Session, criteria: dict[str, tuple[str, Any]]) -> int:
    return session.scalar(select(func.count()).select_from(_PROJECT).where(*_conditions(criteria))) or 0


def list_projects(session: Session, actor: Actor, f: ProjectFilter = ProjectFilter(), *, limit: int = 50,
                  offset: int = 0) -> tuple[list[Project], int]:
    """Projects the actor may read, filtered; (page, total)."""
    criteria = _criteria(actor, _resolved(session, f))
    # the total rides along with the page (one query); a page past the end counts separately
    page = session.execute(select(Project, func.count().over()).where(*_conditions(criteria))
                           .order_by(Project.id).limit(limit).offset(offset)).all()
    if page:
        return [r[0] for r in page], page[0][1]
    return [], _total(session, criteria)


_FIELDS = ("id", "county_id", "province_id", "facility", "status", "cohort_year", "planned_year", "title",
           "source", "version")
_LIST_KEYS = (*_FIELDS, "county", "province")
_COUNTY, _PROVINCE = Region.__table__.alias("county_region"), Region.__table__.alias("province_region")


@functools.lru_cache(maxsize=256)  # 3 scopes x 2^5 filters at most
def _list_statement(shape: tuple[tuple[str, str], ...]):
    """The API's list as one Core statement of plain table columns: the project's columns, its
    regions' names and the total, for criteria of ``shape`` ((parameter, column), ...), their
    values and the page as bound parameters. Statements are immutable, so one per shape is
    built and kept (SQLAlchemy then finds its compiled form without walking the statement);
    a request only binds its values."""
    return (select(*(_PROJECT.c[k] for k in _FIELDS), _COUNTY.c.name, _PROVINCE.c.name,
                   func.count().over())
            .select_from(_PROJECT.join(_COUNTY, _COUNTY.c.id == _PROJECT.c.county_id)
                         .join(_PROVINCE, _PROVINCE.c.id == _PROJECT.c.province_id))
            .where(*(_PROJECT.c[column] == bindparam(name) for name, column in shape))
            .order_by(_PROJECT.c.id).limit(bindparam("limit")).offset(bindparam("offset")))


def list_page_query(actor: Actor, f: ProjectFilter = ProjectFilter(), *, limit: int = 50,
                    offset: int = 0) -> tuple[Select, dict[str, Any]]:
    """The API's list as one statement and its parameters: the page of :func:`list_projects`
    as rows of the project's columns, its regions' names and the total (:func:`page_dicts`).
    The filter's province and county are taken as region ids, as clients send them: a page
    with rows proves the ids (projects reference their province and county), so the common
    request is this one query (``api.deps.fetch_rows`` runs it); an empty page is
    :func:`named_page`'s to answer."""
    criteria = _criteria(actor, f)
    stmt = _list_statement(tuple((name, column) for name, (column, _) in criteria.items()))
    return stmt, {**{name: value for name, (_, value) in criteria.items()}, "limit": limit, "offset": offset}


def page_dicts(rows: Sequence[Sequence[Any]]) -> tuple[list[dict[str, Any]], int]:
    """Rows of :func:`list_page_query` (not empty) as ``project_dict(p, region_names(...))``
    gives each project, and the total."""
    return [dict(zip(_LIST_KEYS, r[:-1], strict=True)) for r in rows], rows[0][-1]


def named_page(session: Session, actor: Actor, f: ProjectFilter = ProjectFilter(), *, limit: int = 50,
               offset: int = 0) -> tuple[list[dict[str, Any]], int]:
    """The page when :func:`list_page_query` found none: the filter's province and county
    resolved as :func:`resolve_region` does (Invalid for an unknown one), asked again where a
    name gave another id; an empty page has its total counted on its own."""
    ids = _resolved(session, f)
    if ids != f:
        rows = session.execute(*list_page_query(actor, ids, limit=limit, offset=offset)).all()
        if rows:
            return page_dicts(rows)
    return [], _total(session, _criteria(actor, ids))


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
