"""Regions, projects and milestones, plans, import and audit."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Query, Request, Response, UploadFile
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field
from sqlalchemy import func, select

from twentyten.api.deps import (
    ActorDep,
    IfMatch,
    LimitField,
    LinesDep,
    OffsetField,
    PagingDep,
    SessionDep,
    fetch_rows,
    read_in_pool,
)
from twentyten.api.responses import CompactJSON
from twentyten.api.schemas import (
    AuditRead,
    ImportResultRead,
    MilestoneCreate,
    MilestoneRead,
    Page,
    PlanDetail,
    PlanRead,
    ProblemRead,
    ProjectCreate,
    ProjectDetail,
    ProjectRead,
    RegionRead,
    StatusChange,
)
from twentyten.service import audit, plans, projects, transfer
from twentyten.service.errors import Invalid, NotFound
from twentyten.store.models import Region

ERRORS = {s: {"model": ProblemRead} for s in (400, 401, 403, 404, 409, 412, 422, 428)}
router = APIRouter(prefix="/api", responses=ERRORS)
# a name or id; a NUL character, which no name has and PostgreSQL cannot store, is refused (422)
NOT_NUL = r"^[^\x00]*$"
Name = Annotated[str | None, Query(max_length=120, pattern=NOT_NUL)]
NameField = Annotated[str | None, Field(max_length=120, pattern=NOT_NUL)]  # the same, in a model of query parameters


def _regions_q(level: str | None, province: str | None):
    q = select(Region)
    if level:
        q = q.where(Region.level == level)
    if province:
        q = q.where(Region.parent_id == province)
    return q


@router.get("/regions", response_model=Page[RegionRead], tags=["regions"])
def list_regions(session: SessionDep, actor: ActorDep, page: PagingDep,
                 level: Annotated[str | None, Query(pattern="^(province|county)$")] = None,
                 province: Name = None) -> dict:
    q = _regions_q(level, province)
    total = session.scalar(select(func.count()).select_from(q.subquery())) or 0
    rows = session.scalars(q.order_by(Region.id).limit(page.limit).offset(page.offset))
    return {"items": [RegionRead.model_validate(r, from_attributes=True) for r in rows], "total": total,
            "limit": page.limit, "offset": page.offset}


@router.get("/regions/{region_id}", response_model=RegionRead, tags=["regions"])
def get_region(region_id: str, session: SessionDep, actor: ActorDep) -> RegionRead:
    r = session.get(Region, region_id)
    if r is None:
        raise NotFound(f"no region {region_id!r}")
    return RegionRead.model_validate(r, from_attributes=True)


class ProjectQuery(BaseModel):
    """The project list's query parameters, read and checked as one model (a third of the
    route's framework time, against one parameter each)."""

    province: NameField = None
    county: NameField = None
    facility: NameField = None
    status: NameField = None
    year: Annotated[int | None, Field(ge=1, le=9999)] = None
    limit: LimitField = 50
    offset: OffsetField = 0


@router.get("/projects", response_model=Page[ProjectRead], tags=["projects"])
async def list_projects(request: Request, actor: ActorDep, q: Annotated[ProjectQuery, Query()]) -> CompactJSON:
    # the busiest read: no session or paging dependency (each costs a dependency solve per
    # request), one statement on the read side (an empty page, or names for ids, is rare)
    f = projects.ProjectFilter(q.province, q.county, q.facility, q.status, q.year)
    rows = await fetch_rows(request, *projects.list_page_query(actor, f, limit=q.limit, offset=q.offset))
    if rows:
        items, total = projects.page_dicts(rows)
    else:
        items, total = await read_in_pool(
            request, lambda session: projects.named_page(session, actor, f, limit=q.limit, offset=q.offset))
    # the dicts are ProjectRead's shape already (a test checks them against it): sent as they
    # are, without validating the page again on the way out
    return CompactJSON({"items": items, "total": total, "limit": q.limit, "offset": q.offset})


@router.post("/projects", response_model=ProjectRead, status_code=201, tags=["projects"])
def create_project(body: ProjectCreate, session: SessionDep, actor: ActorDep, response: Response) -> dict:
    p = projects.create_project(session, actor, body.county, body.facility, body.planned_year, body.title)
    response.headers["ETag"] = f'"{p.version}"'
    return projects.project_dict(p, projects.region_names(session))


@router.get("/projects/{project_id}", response_model=ProjectDetail, tags=["projects"])
def get_project(project_id: int, session: SessionDep,
                actor: ActorDep, response: Response) -> dict:
    p = projects.get_project(session, actor, project_id)
    response.headers["ETag"] = f'"{p.version}"'
    return projects.project_dict(p, projects.region_names(session), milestones=True)


@router.post("/projects/{project_id}/status", response_model=ProjectRead, tags=["projects"])
def change_status(project_id: int, body: StatusChange, session: SessionDep, actor: ActorDep, match: IfMatch,
                  response: Response) -> dict:
    p = projects.set_status(session, actor, project_id, body.status, reason=body.reason, override=body.override,
                            if_match=match, version=body.version)
    response.headers["ETag"] = f'"{p.version}"'
    return projects.project_dict(p, projects.region_names(session))


@router.post("/projects/{project_id}/milestones", response_model=MilestoneRead, status_code=201,
             tags=["projects"])
def add_milestone(project_id: int, body: MilestoneCreate, session: SessionDep, actor: ActorDep) -> dict:
    ev = [projects.EvidenceIn(**e.model_dump()) for e in body.evidence]
    m = projects.add_milestone(session, actor, project_id, body.kind, body.date, ev, body.note)
    return projects.milestone_dict(m)


@router.get("/plans", response_model=Page[PlanRead], tags=["plans"])
def list_plans(session: SessionDep, actor: ActorDep, page: PagingDep) -> dict:
    rows, total = plans.list_plans(session, page.limit, page.offset)
    return {"items": [plans.plan_dict(p) for p in rows], "total": total, "limit": page.limit, "offset": page.offset}


@router.get("/plans/{plan_id}", response_model=PlanDetail, tags=["plans"])
def get_plan(plan_id: int, session: SessionDep, actor: ActorDep) -> dict:
    return plans.plan_dict(plans.get_plan(session, plan_id), entries=True)


@router.post("/import", response_model=ImportResultRead, tags=["import"])
async def import_file(session: SessionDep, actor: ActorDep, lines: LinesDep, file: Annotated[UploadFile, File()],
                      dry_run: bool = False) -> dict:
    raw = await file.read(50 * 2**20 + 1)
    if len(raw) > 50 * 2**20:
        raise Invalid("the file is larger than 50 MiB")
    # an import of thousands of rows takes seconds: in the pool, so the server answers meanwhile
    res = await run_in_threadpool(transfer.import_records, session, actor, file.filename or "upload", raw,
                                  dry_run=dry_run, lines=lines)
    return res.as_dict()


@router.get("/audit", response_model=Page[AuditRead], tags=["audit"])
def list_audit(session: SessionDep, actor: ActorDep, page: PagingDep, entity: Name = None,
               province: Name = None) -> dict:
    rows, total = audit.list_audit(session, actor, entity=entity, province=province, limit=page.limit,
                                   offset=page.offset)
    return {"items": [audit.as_dict(a) for a in rows], "total": total, "limit": page.limit, "offset": page.offset}
