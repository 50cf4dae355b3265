"""Plan against actual: per year and province, what was planned, ground-broken, completed and
operating; adherence; and the slip of each project."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from twentyten.service.actors import Actor
from twentyten.service.projects import _scoped, region_names, resolve_region
from twentyten.store.models import Project

DONE = ("completion", "inauguration", "operation")


@dataclass(frozen=True)
class Status:
    rows: list[dict[str, Any]]
    slips: list[dict[str, Any]]
    basis: str


def _year(ms, kinds) -> int | None:
    years = [int(m.date_from[:4]) for m in ms if m.kind in kinds and m.date_from]
    return min(years) if years else None


def track_status(session: Session, actor: Actor, province: str | None = None, year: int | None = None) -> Status:
    q = _scoped(select(Project), actor).options(selectinload(Project.milestones))
    if province:
        q = q.where(Project.province_id == resolve_region(session, province, "province"))
    names = region_names(session)
    table: dict[tuple[int, str], dict[str, Any]] = {}
    slips = []

    def cell(y: int, pid: str) -> dict[str, Any]:
        return table.setdefault((y, pid), {"year": y, "province_id": pid, "province": names.get(pid, pid),
                                           "planned": 0, "ground_broken": 0, "completed": 0, "operating": 0,
                                           "started_on_time": 0})

    for p in session.scalars(q):
        gb = _year(p.milestones, ("ground-breaking",))
        done = _year(p.milestones, DONE)
        if p.planned_year is not None:
            c = cell(p.planned_year, p.province_id)
            c["planned"] += 1
            c["started_on_time"] += int(gb is not None and gb <= p.planned_year)
            if p.status == "operating":
                c["operating"] += 1
        if gb is not None:
            cell(gb, p.province_id)["ground_broken"] += 1
        if done is not None:
            cell(done, p.province_id)["completed"] += 1
        if p.planned_year is not None and (year is None or p.planned_year == year):
            slips.append({"project_id": p.id, "county": names.get(p.county_id, p.county_id), "facility": p.facility,
                          "status": p.status, "planned_year": p.planned_year, "ground_broken": gb,
                          "slip_years": None if gb is None else gb - p.planned_year})
    rows = []
    for (y, _), c in sorted(table.items(), key=lambda kv: (kv[0][0], kv[1]["province"])):
        if year is not None and y != year:
            continue
        c["adherence"] = round(c["started_on_time"] / c["planned"], 3) if c["planned"] else None
        rows.append(c)
    return Status(rows, slips, "planned year: the current plan version where one was imported, "
                  "else the record's cohort year; adherence: share of the year's planned projects "
                  "ground-broken by that year")
