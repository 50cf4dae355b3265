"""Plan versions in the database: import a saved plan with its fingerprint; the current
version gives every project its planned year."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from twentyten.domain.facility import FACILITY_TYPES
from twentyten.service import audit
from twentyten.service.actors import Actor, Role, require_role
from twentyten.service.errors import Invalid, NotFound
from twentyten.store.models import PlanEntry, PlanVersion, Project, Region


def plan_entries(doc: Any) -> list[tuple[str, str, int | None]]:
    """(county id, facility type, year or None) from a saved plan — the ONE reader of plan.json.

    Reads ``counties: [{"id": ..., "years": {facility: year}}]`` (the plan.json schema) and,
    for plans written before it, ``plan: [{"county_id", "facility_type", "year"}]`` rows.
    """
    if not isinstance(doc, dict):
        raise Invalid("plan.json: the top level is not an object")
    out: list[tuple[str, str, int | None]] = []
    if "counties" in doc:
        if not isinstance(doc["counties"], list):
            raise Invalid("plan.json counties: not a list")
        for i, c in enumerate(doc["counties"]):
            cid = c.get("id") or c.get("county_id") if isinstance(c, dict) else None
            years = c.get("years") if isinstance(c, dict) else None
            if not isinstance(cid, str) or not isinstance(years, dict):
                raise Invalid(f"plan.json counties[{i}]: needs an id and a years object")
            out += [(cid, k, v) for k, v in years.items()]
    elif "plan" in doc and isinstance(doc["plan"], list):
        for i, r in enumerate(doc["plan"]):
            if not isinstance(r, dict) or "county_id" not in r or "facility_type" not in r:
                raise Invalid(f"plan.json plan[{i}]: needs county_id and facility_type")
            out.append((r["county_id"], r["facility_type"], r.get("year")))
    else:
        raise Invalid("plan.json: no counties (or plan) list")
    return out


def fingerprint(raw: bytes) -> str:
    """SHA-256 of the plan's canonical JSON (key order and spacing do not change it)."""
    return hashlib.sha256(json.dumps(json.loads(raw), sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def import_plan(session: Session, actor: Actor, raw: bytes, name: str, source: str = "") -> PlanVersion:
    """Save a plan as the current version; projects take their planned year from it (projects
    for counties and facility types not in the record yet are created as planned)."""
    require_role(actor, (Role.PLANNER,), "import a plan")
    try:
        doc = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise Invalid(f"plan.json is not JSON: {e}") from None
    entries = plan_entries(doc)
    regions = dict(session.execute(select(Region.id, Region.parent_id).where(Region.level == "county")).all())
    problems = []
    for i, (cid, fac, year) in enumerate(entries):
        if cid not in regions:
            problems.append({"where": f"entry {i} county", "reason": f"{cid!r} is not a county of the database"})
        if fac not in FACILITY_TYPES:
            problems.append({"where": f"entry {i} facility", "reason": f"{fac!r} is not a facility type"})
        if year is not None and (not isinstance(year, int) or isinstance(year, bool)):
            problems.append({"where": f"entry {i} year", "reason": f"{year!r} is not a year"})
    if problems:
        raise Invalid(f"plan.json: {len(problems)} problem(s), first: {problems[0]['where']}: "
                      f"{problems[0]['reason']}", problems)
    if not name.strip():
        raise Invalid("the plan needs a name")
    session.execute(update(PlanVersion).values(current=False))
    pv = PlanVersion(name=name, fingerprint=fingerprint(raw), created_by=actor.name, current=True, source=source)
    pv.entries = [PlanEntry(county_id=c, facility=f, year=y) for c, f, y in dict(
        ((c, f), (c, f, y)) for c, f, y in entries).values()]
    session.add(pv)
    session.flush()
    projects = {(p.county_id, p.facility): p for p in session.scalars(select(Project))}
    created = changed = 0
    for e in pv.entries:
        p = projects.get((e.county_id, e.facility))
        if p is None and e.year is not None:
            session.add(Project(county_id=e.county_id, province_id=regions[e.county_id], facility=e.facility,
                                status="planned", planned_year=e.year, title=f"{e.county_id} {e.facility}",
                                source=f"plan {name!r} ({pv.fingerprint[:12]})", version=1))
            created += 1
        elif p is not None and p.planned_year != e.year:
            p.planned_year, p.version = e.year, p.version + 1
            changed += 1
    audit.record(session, actor, "import-plan", "plan", pv.id, None, None,
                 {"name": name, "fingerprint": pv.fingerprint, "entries": len(pv.entries),
                  "projects_created": created, "projects_replanned": changed})
    session.commit()
    return pv


def plan_dict(pv: PlanVersion, entries: bool = False) -> dict[str, Any]:
    d: dict[str, Any] = {"id": pv.id, "name": pv.name, "fingerprint": pv.fingerprint, "current": pv.current,
                         "created_at": pv.created_at.isoformat() if pv.created_at else None,
                         "created_by": pv.created_by, "source": pv.source}
    if entries:
        d["entries"] = [{"county_id": e.county_id, "facility": e.facility, "year": e.year} for e in pv.entries]
    return d


def list_plans(session: Session, limit: int = 50, offset: int = 0) -> tuple[list[PlanVersion], int]:
    total = session.scalar(select(func.count()).select_from(PlanVersion)) or 0
    return list(session.scalars(select(PlanVersion).order_by(PlanVersion.id).limit(limit).offset(offset))), total


def get_plan(session: Session, plan_id: int) -> PlanVersion:
    pv = session.get(PlanVersion, plan_id)
    if pv is None:
        raise NotFound(f"no plan {plan_id}")
    return pv


def compare_plans(session: Session, a: int, b: int) -> list[dict[str, Any]]:
    """County × facility entries whose year differs between plan versions ``a`` and ``b``."""
    ya = {(e.county_id, e.facility): e.year for e in get_plan(session, a).entries}
    yb = {(e.county_id, e.facility): e.year for e in get_plan(session, b).entries}
    return [{"county_id": k[0], "facility": k[1], "a": ya.get(k), "b": yb.get(k)}
            for k in sorted(set(ya) | set(yb)) if ya.get(k) != yb.get(k)]
