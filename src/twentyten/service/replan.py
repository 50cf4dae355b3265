"""The record as the planner's commitments (``twentyten plan --from-db``): what was built or is
under way is fixed to its year, and the rest is left to the optimiser."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from twentyten.plan.inputs import Commitment
from twentyten.store.models import Project

#: Statuses of a project that was started: the planner may not move it.
STARTED = ("ground-breaking", "under construction", "completed", "inaugurated", "operating", "delayed")


def _first_year(milestones, kind: str) -> int | None:
    years = [int(m.date_from[:4]) for m in milestones if m.kind == kind and m.date_from]
    return min(years) if years else None


def record_commitments(session: Session) -> tuple[list[Commitment], list[str]]:
    """Commitments for every started project, and notes on what could not be fixed.

    The year is the project's cohort year in the programme (the year the record gives it), else
    the year of its ground-breaking milestone, else its planned year. A started project with
    none of these is not fixed, and a note says so: the planner never invents a year.
    """
    q = (select(Project).where(Project.status.in_(STARTED))
         .options(selectinload(Project.milestones)).order_by(Project.county_id, Project.facility))
    out: list[Commitment] = []
    notes: list[str] = []
    for p in session.scalars(q):
        year, how = p.cohort_year, "cohort year"
        if year is None:
            year, how = _first_year(p.milestones, "ground-breaking"), "ground-breaking"
        if year is None:
            year, how = p.planned_year, "planned year"
        if year is None:
            notes.append(f"{p.county_id} {p.facility}: {p.status} in the database but no year: not fixed")
            continue
        out.append(Commitment(p.county_id, p.facility, int(year), source=f"database project {p.id} ({p.status}, {how})"))
    return out, notes



def current_plan(session: Session) -> tuple[str, str, dict[tuple[str, str], int | None]]:
    """(name, fingerprint, years by (county, facility)) of the current plan version; LookupError
    when the database holds no plan (import one with ``twentyten track import-plan``)."""
    from twentyten.store.models import PlanVersion

    pv = session.scalar(select(PlanVersion).where(PlanVersion.current.is_(True)).options(
        selectinload(PlanVersion.entries)))
    if pv is None:
        raise LookupError("the database holds no current plan: import one with "
                          "`twentyten track import-plan out/plan.json --name NAME`")
    return pv.name, pv.fingerprint, {(e.county_id, e.facility): e.year for e in pv.entries}


__all__ = ["STARTED", "current_plan", "record_commitments"]
