"""The append-only audit log: written inside each use case's transaction, read by scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from twentyten.service.actors import Actor, Role
from twentyten.service.errors import Forbidden
from twentyten.store.models import AuditEntry


def record(session: Session, actor: Actor, action: str, entity: str, entity_id: Any,
           province_id: str | None, before: dict | None, after: dict | None, reason: str = "") -> None:
    """Add an audit entry to the session (committed with the change it describes)."""
    session.add(AuditEntry(
        at=dt.datetime.now(dt.UTC), actor=actor.name, action=action, entity=entity, entity_id=str(entity_id),
        province_id=province_id, before=before, after=after, reason=reason,
    ))


def list_audit(session: Session, actor: Actor, *, entity: str | None = None, province: str | None = None,
               limit: int = 50, offset: int = 0) -> tuple[list[AuditEntry], int]:
    """Planners read all of it, a province its own; others are refused."""
    if actor.role not in (Role.PLANNER, Role.PROVINCE):
        raise Forbidden(f"{actor.name} ({actor.role}) may not read the audit log: planners and provinces only")
    q = select(AuditEntry)
    if actor.role == Role.PROVINCE:
        q = q.where(AuditEntry.province_id == actor.province_id)
    if province:
        q = q.where(AuditEntry.province_id == province)
    if entity:
        q = q.where(AuditEntry.entity == entity)
    total = session.scalar(select(func.count()).select_from(q.subquery())) or 0
    rows = session.scalars(q.order_by(AuditEntry.id).limit(limit).offset(offset)).all()
    return list(rows), total


def as_dict(a: AuditEntry) -> dict[str, Any]:
    return {"id": a.id, "at": a.at.isoformat() if a.at else None, "actor": a.actor, "action": a.action,
            "entity": a.entity, "entity_id": a.entity_id, "province_id": a.province_id,
            "before": a.before, "after": a.after, "reason": a.reason}
