"""Monthly factory reports: submit, approve, un-approve."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from twentyten.api.deps import ActorDep, IfMatch, LinesDep, PagingDep, SessionDep
from twentyten.api.routes.records import ERRORS, Name
from twentyten.api.schemas import ApproveIn, Page, ReportCreate, ReportRead, UnapproveIn
from twentyten.service import reports

router = APIRouter(prefix="/api/reports", tags=["reports"], responses=ERRORS)


@router.get("", response_model=Page[ReportRead])
def list_reports(session: SessionDep, actor: ActorDep, page: PagingDep, province: Name = None, county: Name = None,
                 state: Name = None,
                 month: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}$")] = None) -> dict:
    rows, total = reports.list_reports(session, actor, province=province, county=county, state=state, month=month,
                                       limit=page.limit, offset=page.offset)
    return {"items": [reports.report_dict(r) for r in rows], "total": total, "limit": page.limit,
            "offset": page.offset}


@router.post("", response_model=ReportRead, status_code=201)
def submit(body: ReportCreate, session: SessionDep, actor: ActorDep, lines: LinesDep, response: Response) -> dict:
    data = body.model_dump()
    pid = data.pop("project_id")
    data["output"] = [reports.OutputLine(**o) for o in data["output"]]
    r = reports.submit_report(session, actor, pid, reports.ReportIn(**data), lines)
    response.headers["ETag"] = f'"{r.version}"'
    return reports.report_dict(r)


@router.get("/{report_id}", response_model=ReportRead)
def get(report_id: int, session: SessionDep, actor: ActorDep, response: Response) -> dict:
    r = reports.get_report(session, actor, report_id)
    response.headers["ETag"] = f'"{r.version}"'
    return reports.report_dict(r)


@router.post("/{report_id}/approve", response_model=ReportRead)
def approve(report_id: int, session: SessionDep, actor: ActorDep, match: IfMatch, body: ApproveIn | None = None) -> dict:
    r = reports.approve_report(session, actor, report_id, if_match=match, version=body.version if body else None)
    return reports.report_dict(r)


@router.post("/{report_id}/unapprove", response_model=ReportRead)
def unapprove(report_id: int, body: UnapproveIn, session: SessionDep, actor: ActorDep, match: IfMatch) -> dict:
    r = reports.unapprove_report(session, actor, report_id, body.reason, if_match=match, version=body.version)
    return reports.report_dict(r)
