"""Grain storage readings posted to the record, and the alerts the advisor raises from them.

A county's grain storage is its ``grain_storage`` project (the storage id is the project id).
``post_readings`` checks every row first (the checks of ``twentyten grain advise``), then
stores the rows, the advice's summary per bin and its alerts (hot spot, moisture, insects)
in one transaction with an audit entry. Each post is advised on its own hours: a hot spot
by rise needs more than 24 hours in the post; a bin's hours posted before are refused.
``storage_alerts`` reads them by scope.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from twentyten.service import audit
from twentyten.service.actors import Actor, require_write
from twentyten.service.errors import Conflict, Forbidden, Invalid, NotFound
from twentyten.service.projects import _scoped, resolve_region
from twentyten.store.models import Project, Region, StorageAlert, StorageReadingBatch

FACILITY = "grain_storage"
DEFAULT_CROP = "paddy"  # the design's crop of a county grain storage
MAX_ROWS = 200_000  # one post; more: post in parts
MAX_NAME = 80  # bin and cable names (the columns' width)
SOURCE = "readings"
RUN_LABELS = ("off: air not cooler", "off: RH above limit", "off: air would wet the grain",
              "off: grain cool enough", "on: cooling", "on: finishing the cooling front")


@dataclass(frozen=True)
class PostResult:
    batch_id: int
    storage_id: int
    crop: str
    rows: int
    bins: list[dict[str, Any]]  # per bin: hours, fan hours, DML, days left, fan runs
    alerts: list[dict[str, Any]]
    warnings: list[str]

    def as_dict(self) -> dict[str, Any]:
        return {"batch_id": self.batch_id, "storage_id": self.storage_id, "crop": self.crop, "rows": self.rows,
                "bins": self.bins, "alerts": self.alerts, "warnings": self.warnings}


def storage_project(session: Session, project_id: int) -> Project:
    p = session.get(Project, project_id)
    if p is None:
        raise NotFound(f"no storage {project_id}: no such project")
    if p.facility != FACILITY:
        raise NotFound(f"no storage {project_id}: project {project_id} is a {p.facility}, not a {FACILITY}")
    return p


def _split(problem: str) -> dict[str, str]:
    where, _, reason = problem.partition(": ")
    return {"where": where, "reason": reason} if reason else {"where": SOURCE, "reason": problem}


def _runs(times, fan, reason, result, b: int) -> list[dict[str, Any]]:
    """Hours with the same decision and reason, merged: (from, to, hours, fan, reason of the first hour)."""
    out: list[dict[str, Any]] = []
    start = 0
    n = len(times)
    for h in range(1, n + 1):
        if h == n or fan[h] != fan[start] or reason[h] != reason[start]:
            out.append({"from": times[start].isoformat(), "to": times[h - 1].isoformat(), "hours": h - start,
                        "fan": "on" if fan[start] else "off", "decision": RUN_LABELS[int(reason[start])],
                        "reason": result.reason_text(b, start)})
            start = h
    return out


def _check_names(rows: list[dict]) -> list[str]:
    out = []
    for i, r in enumerate(rows, start=1):
        if not isinstance(r, dict):
            continue
        for k in ("bin", "cable"):
            v = r.get(k)
            if isinstance(v, str | int) and not isinstance(v, bool) and len(str(v).strip()) > MAX_NAME:
                out.append(f"{SOURCE}, item {i}: {k} is longer than {MAX_NAME} characters")
            if isinstance(v, str) and "\x00" in v:
                out.append(f"{SOURCE}, item {i}: {k} holds a NUL character")
    return out


def _refuse_overlap(session: Session, project_id: int, bins) -> None:
    """A bin's hours already posted are refused (Conflict): alerts would be raised twice."""
    clashes = []
    for batch_id, summary in session.execute(select(StorageReadingBatch.id, StorageReadingBatch.summary)
                                             .where(StorageReadingBatch.project_id == project_id)):
        for s in summary:
            for br in bins:
                if s["bin"] != br.bin:
                    continue
                t0, t1 = dt.datetime.fromisoformat(s["from"]), dt.datetime.fromisoformat(s["to"])
                where = f"{SOURCE}, bin {br.bin}"
                if (t0.tzinfo is None) != (br.times[0].tzinfo is None):
                    clashes.append({"where": where, "reason": f"batch {batch_id} gave its times "
                                    f"{'with' if t0.tzinfo else 'without'} a UTC offset: give every time alike"})
                elif t0 <= br.times[-1] and br.times[0] <= t1:
                    clashes.append({"where": where,
                                    "reason": f"hours {s['from']} to {s['to']} were posted already (batch {batch_id})"})
    if clashes:
        raise Conflict(f"{len(clashes)} bin(s) overlap readings posted before; send each hour once. "
                       f"First: {clashes[0]['where']}: {clashes[0]['reason']}", clashes)


def post_readings(session: Session, actor: Actor, project_id: int, rows: list[dict],
                  crop: str = DEFAULT_CROP) -> PostResult:
    """Check ``rows`` (JSON objects with the fields of ``twentyten grain advise``), advise, and
    store the rows, summary and alerts with an audit entry; all or nothing.

    Raises NotFound (no such grain storage), Forbidden (out of the actor's write scope, or an
    analyst), Invalid (an unknown crop, or bad rows: ``errors`` name each item, numbered
    from 1, and the reason) and Conflict (a bin's hours posted before).
    """
    from twentyten.grain.advise import AdvisorConfig, advise_arrays
    from twentyten.grain.norms import CROPS, GrainNormsError
    from twentyten.grain.norms import crop as load_crop
    from twentyten.grain.readings import ReadingsError, check_rows

    p = storage_project(session, project_id)
    require_write(actor, p.province_id, p.county_id, f"post readings for storage {project_id}")
    if crop not in CROPS:
        raise Invalid(f"crop {crop!r} is not one of {', '.join(CROPS)}",
                      [{"where": "crop", "reason": f"not one of {', '.join(CROPS)}"}])
    if len(rows) > MAX_ROWS:
        raise Invalid(f"{len(rows)} readings in one post; at most {MAX_ROWS}: post them in parts",
                      [{"where": SOURCE, "reason": f"more than {MAX_ROWS} items"}])
    problems = _check_names(rows)
    try:
        bins = check_rows(rows, SOURCE, is_json=True)
    except ReadingsError as exc:
        problems += exc.problems
    if problems:
        raise Invalid(f"{len(problems)} problem(s) in the readings; nothing was stored. First: {problems[0]}",
                      [_split(q) for q in problems])
    _refuse_overlap(session, p.id, bins)
    try:
        c = load_crop(crop)
    except GrainNormsError as exc:  # the bundled norms lack the crop: not the poster's fault, but refused whole
        raise Invalid(str(exc)) from None
    cfg = AdvisorConfig()
    summaries: list[dict[str, Any]] = []
    alerts: list[StorageAlert] = []
    warnings: list[str] = []
    for br in bins:
        mo = None if br.moisture is None else br.moisture[None]
        r = advise_arrays(c, br.grain_t[None], br.ambient_t[None], br.ambient_rh[None], cfg, moisture=mo)
        warnings += [w for w in r.warnings if w not in warnings]
        summaries.append({
            "bin": br.bin, "from": br.times[0].isoformat(), "to": br.times[-1].isoformat(), "hours": len(br.times),
            "sensors": len(br.sensors), "fan_hours": int(r.fan.sum()), "dml_pct": round(float(r.dml_pct[0]), 4),
            "days_left_to_0.5pct_dml": round(float(r.days_left[0]), 1),
            "warmest_c_now": round(float(r.grain_max_c[0, -1]), 1), "alerts": len(r.alerts),
            "fan_runs": _runs(br.times, r.fan[0], r.reason[0], r, 0),
        })
        for a in r.alerts:
            cable, depth = br.sensors[a.sensor] if a.sensor >= 0 else ("", None)
            alerts.append(StorageAlert(project_id=p.id, bin=br.bin, cable=cable, depth=depth, kind=a.kind,
                                       time=br.times[a.hour].isoformat(), message=a.message))
    first = min(br.times[0] for br in bins).isoformat()
    last = max(br.times[-1] for br in bins).isoformat()
    batch = StorageReadingBatch(project_id=p.id, crop=crop, first_time=first, last_time=last, n_rows=len(rows),
                                rows=rows, summary=[{k: v for k, v in s.items() if k != "fan_runs"} for s in summaries],
                                posted_by=actor.name)
    session.add(batch)
    session.flush()
    for a in alerts:
        a.batch_id = batch.id
    session.add_all(alerts)
    session.flush()
    audit.record(session, actor, "post", "storage_readings", batch.id, p.province_id, None,
                 {"storage_id": p.id, "county_id": p.county_id, "crop": crop, "rows": len(rows),
                  "bins": [s["bin"] for s in summaries], "from": first, "to": last, "alerts": len(alerts)})
    session.commit()
    return PostResult(batch.id, p.id, crop, len(rows), summaries, [alert_dict(a, p) for a in alerts], warnings)


def alert_dict(a: StorageAlert, p: Project | None = None) -> dict[str, Any]:
    d = {"id": a.id, "storage_id": a.project_id, "batch_id": a.batch_id, "bin": a.bin, "cable": a.cable,
         "depth": a.depth, "kind": a.kind, "time": a.time, "message": a.message}
    if p is not None:
        d["county_id"] = p.county_id
    return d


def storage_alerts(session: Session, actor: Actor, *, county_id: str | None = None, project_id: int | None = None,
                   kind: str | None = None, limit: int = 100, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
    """Alerts of the grain storages the actor may read, newest reading hour first: of one
    storage (``project_id``), one county (``county_id``: an id or a name), or all in scope.

    Returns (page of alert dicts with ``county_id``, total). Forbidden when the storage or
    county is out of the actor's read scope; NotFound for a project that is no storage.
    """
    if project_id is not None:
        p = storage_project(session, project_id)
        if not actor.reads(p.province_id, p.county_id):
            raise Forbidden(f"{actor.name} ({actor.role}) may not read storage {project_id}: "
                            f"limited to {actor.scope()}")
    cid = resolve_region(session, county_id, "county") if county_id is not None else None
    q = _scoped(select(StorageAlert, Project).join(Project, Project.id == StorageAlert.project_id), actor)
    if cid is not None:
        reg = session.get(Region, cid)
        if not actor.reads(reg.parent_id, cid):
            raise Forbidden(f"{actor.name} ({actor.role}) may not read {reg.name}'s storage: limited to {actor.scope()}")
        q = q.where(Project.county_id == cid)
    if project_id is not None:
        q = q.where(StorageAlert.project_id == project_id)
    if kind is not None:
        if kind not in ("hot_spot", "moisture", "insects"):
            raise Invalid(f"kind {kind!r} is not hot_spot, moisture or insects")
        q = q.where(StorageAlert.kind == kind)
    total = session.scalar(select(func.count()).select_from(q.subquery())) or 0
    page = session.execute(q.order_by(StorageAlert.time.desc(), StorageAlert.id.desc()).limit(limit).offset(offset))
    return [alert_dict(a, p) for a, p in page.all()], total
