"""Press monitoring into the record: articles of the ``twentyten media`` store that name a
county with a milestone word and are not yet evidence. A planner accepts each (it becomes a
milestone's evidence) or rejects it (it is not suggested again); both are audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from twentyten.service import audit
from twentyten.service.actors import Actor, Role, require_role
from twentyten.service.errors import Conflict, Invalid, NotFound
from twentyten.service.projects import EvidenceIn, _scoped, add_milestone, resolve_region
from twentyten.store.models import Evidence, Project, Region, SuggestionDecision


def _mentions(store: Any, region: Region, limit: int | None) -> list[Any]:
    from twentyten.media.mentions import MentionQuery, find_mentions, resolve_county
    from twentyten.media.terms import bundled_groups

    names = resolve_county(region.name, [region.name_local] if region.name_local else []).names
    return find_mentions(store, MentionQuery(names=names, milestones=bundled_groups().milestones, limit=limit))


def suggestions(session: Session, actor: Actor, store: Any, county: str | None = None,
                limit: int = 20) -> list[dict[str, Any]]:
    """Candidate evidence per county with projects (in the actor's scope), newest first."""
    q = _scoped(select(Project.county_id).distinct(), actor)
    if county:
        q = q.where(Project.county_id == resolve_region(session, county, "county"))
    counties = sorted(session.scalars(q))
    used = {a for a in session.scalars(select(Evidence.article_id).where(Evidence.article_id.is_not(None)))}
    decided = set(session.execute(select(SuggestionDecision.article_id, SuggestionDecision.county_id)).all())
    out = []
    for cid in counties:
        region = session.get(Region, cid)
        for m in _mentions(store, region, None):
            aid = str(m.article_id)
            if aid in used or (aid, cid) in decided:
                continue
            out.append({**m.as_row(), "article_id": aid, "county_id": cid, "county": region.name,
                        "matched": m.county_term})
            if sum(o["county_id"] == cid for o in out) >= limit:
                break
    return out


def accept(session: Session, actor: Actor, store: Any, article_id: str, county: str, facility: str,
           kind: str) -> int:
    """Make the article the evidence of a new milestone of the county's project; the milestone id."""
    require_role(actor, (Role.PLANNER,), "accept suggested evidence")
    cid = resolve_region(session, county, "county")
    m = _find(session, store, article_id, cid)
    p = session.scalars(select(Project).where(Project.county_id == cid, Project.facility == facility)).first()
    if p is None:
        raise NotFound(f"{cid} has no {facility} project")
    ev = EvidenceIn(outlet=m.outlet, title=m.title, date=str(m.date), url=m.link or "", article_id=article_id,
                    note=f"suggested from the media store: {m.snippet}")
    milestone = add_milestone(session, actor, p.id, kind, str(m.date), [ev],
                              note="dated by the article, not by the event")
    session.add(SuggestionDecision(article_id=article_id, county_id=cid, decision="accepted",
                                   milestone_id=milestone.id, decided_by=actor.name, decided_at=dt.datetime.now(dt.UTC)))
    session.commit()
    return milestone.id


def reject(session: Session, actor: Actor, store: Any, article_id: str, county: str, reason: str) -> None:
    require_role(actor, (Role.PLANNER,), "reject suggested evidence")
    cid = resolve_region(session, county, "county")
    _find(session, store, article_id, cid)
    if not reason.strip():
        raise Invalid("a rejection needs a reason")
    d = SuggestionDecision(article_id=article_id, county_id=cid, decision="rejected", decided_by=actor.name,
                           decided_at=dt.datetime.now(dt.UTC), reason=reason)
    session.add(d)
    session.flush()
    reg = session.get(Region, cid)
    audit.record(session, actor, "reject", "suggestion", d.id, reg.parent_id, None,
                 {"article_id": article_id, "county_id": cid}, reason)
    session.commit()


def _find(session: Session, store: Any, article_id: str, cid: str) -> Any:
    if session.scalars(select(SuggestionDecision).where(SuggestionDecision.article_id == article_id,
                                                        SuggestionDecision.county_id == cid)).first():
        raise Conflict(f"article {article_id} for {cid} was decided already")
    for m in _mentions(store, session.get(Region, cid), None):
        if str(m.article_id) == article_id:
            return m
    raise NotFound(f"article {article_id} is not a suggestion for {cid} (no county name with a milestone word)")
