"""Load the atlas regions and the dataset's record (``rollout_sites.csv``,
``rollout_facts.csv``) into an empty database: projects per county × facility type, their
milestones with partial dates, and evidence with the source URLs."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from twentyten.service import audit
from twentyten.service.actors import SYSTEM
from twentyten.service.dates import PartialDate, parse_many, parse_partial
from twentyten.store.models import Evidence, Milestone, Project, Region


@dataclass
class LoadReport:
    regions: int = 0
    projects: int = 0
    milestones: int = 0
    evidence: int = 0
    notes: list[str] = field(default_factory=list)


def _types(text: str, keywords) -> tuple[str, ...]:
    from twentyten.plan.adapter import record_types  # the one reading of the record's facility text

    return record_types("", text, keywords)


def record_keywords(dataset: str | None = None):
    """The dataset's keywords that map a record row's text to facility types (programme.yaml);
    ValueError when the dataset has none, since the record cannot then be read."""
    from twentyten.plan.scenario import load_programme

    programme = load_programme(dataset)
    if programme is None or programme.record is None:
        raise ValueError(f"dataset {dataset or '(default)'}: no programme.yaml with record keywords; "
                         "the record's facility text cannot be read")
    return programme.record.keywords


def fact_kind(event: str) -> str:
    """The milestone kind a record fact describes (OC4IDS-like milestone types)."""
    # the event's own clause: "124th Regiment at work; inaugurated 2025-01-08" is progress
    e = re.split(r"[;(\[]", event, maxsplit=1)[0].lower()
    if "groundbreaking" in e or "construction of" in e and "started" in e:
        return "ground-breaking"
    if "inaugurat" in e or "completion ceremony" in e or "opening of" in e:
        return "inauguration"
    if "framework" in e and "completed" in e:
        return "structure-completed"
    return "progress"


def milestone_from(kind: str, d: PartialDate | None, note: str = "") -> Milestone:
    if d is None:
        return Milestone(kind=kind, date_text="", note=note)
    return Milestone(kind=kind, date_text=d.text, date_from=d.date_from, date_to=d.date_to, precision=d.precision,
                     earliest=d.earliest, latest=d.latest, note="; ".join(x for x in (d.note, note) if x))


def load_regions(session: Session, atlas) -> int:
    n = 0
    for r in atlas.regions:
        session.add(Region(id=r.id, level=str(r.level), name=r.name, name_local=r.name_local or "",
                           parent_id=r.parent_id, population=r.population, lon=r.lon, lat=r.lat))
        n += 1
    session.flush()
    return n


def _outlet(url: str) -> str:
    host = urlparse(url).hostname or ""
    return host.removeprefix("www.").removeprefix("m.")


def load_record(session: Session, dataset: str | None = None, atlas=None) -> LoadReport:
    """Regions and the record into an empty database, in one transaction."""
    from twentyten.atlas import load_atlas
    from twentyten.atlas.loader import dataset_folder
    from twentyten.atlas.model import AmbiguousRegion, UnknownRegion

    if session.scalar(select(func.count()).select_from(Region)):
        raise ValueError("the database already holds regions: the record is loaded once, by `db init`")
    keywords = record_keywords(dataset)
    atlas = atlas or load_atlas(dataset)
    folder = dataset_folder(dataset)
    rep = LoadReport(regions=load_regions(session, atlas))
    projects: dict[tuple[str, str], Project] = {}
    sites = _rows(folder / "rollout_sites.csv")
    for i, row in enumerate(sites, start=2):
        rid = (row.get("region_id") or "").strip()
        where = f"rollout_sites.csv row {i}"
        if not rid or rid not in atlas._by_id:
            rep.notes.append(f"{where} ({row.get('county')!r}): no county id in the atlas, left out")
            continue
        county = atlas.get(rid)
        kinds = _types(f"{row['programme']} {row['facilities']}", keywords)
        gb = _dates(row["groundbreaking_date"], f"{where} column groundbreaking_date", rep)
        ina = _dates(row["inauguration_date"], f"{where} column inauguration_date", rep)
        urls = row.get("source_urls", "").split()
        for t in kinds:
            if (rid, t) in projects:
                rep.notes.append(f"{where}: {rid} {t} listed again ({row['year']}); the first row is kept")
                continue
            p = Project(county_id=rid, province_id=county.parent_id, facility=t, status="planned",
                        cohort_year=int(row["year"]), planned_year=int(row["year"]),
                        title=f"{county.name} {t.replace('_', ' ')}",
                        source=f"{where}: {row['programme']}: {row['facilities']} ({row['confidence']})")
            for kind, dates in (("ground-breaking", gb), ("inauguration", ina)):
                for d in dates:
                    targets = _types(d.note, keywords)
                    if targets and t not in targets:
                        continue
                    m = milestone_from(kind, d)
                    for u in urls:
                        m.evidence.append(Evidence(outlet=_outlet(u), url=u, date="",
                                                   note=f"a source of {where} ({row['confidence']})"))
                    p.milestones.append(m)
                    p.status = "inaugurated" if kind == "inauguration" else (
                        p.status if p.status == "inaugurated" else "ground-breaking")
            projects[(rid, t)] = p
            session.add(p)
    by_county: dict[str, list[Project]] = {}
    for (rid, _), p in projects.items():
        by_county.setdefault(rid, []).append(p)
    for i, row in enumerate(_rows(folder / "rollout_facts.csv"), start=2):
        where = f"rollout_facts.csv row {i}"
        if not row.get("county", "").strip():
            continue  # a programme-level fact: no project to attach it to
        try:
            county = _find(atlas, row["county"], row.get("province") or None, where, rep)
        except (UnknownRegion, AmbiguousRegion) as e:
            rep.notes.append(f"{where}: county {row['county']!r}: {e}; left out")
            continue
        plist = by_county.get(county.id)
        if not plist:
            rep.notes.append(f"{where}: {county.name} has no project in rollout_sites.csv; fact left out")
            continue
        wanted = set(_types(row["event"], keywords))
        chosen = [p for p in plist if p.facility in wanted] or [p for p in plist if p.facility == "factory"] or plist
        try:
            d = parse_partial(row["date"]) if row["date"].strip() else None
        except ValueError as e:
            rep.notes.append(f"{where} column date: {e}; the fact is kept without a date")
            d = None
        kind = fact_kind(row["event"])
        for p in chosen:
            m = next((m for m in p.milestones if m.kind == kind and _overlaps(m, d)), None)
            if m is None:
                m = milestone_from(kind, d, row["event"])
                p.milestones.append(m)
            m.evidence.append(Evidence(outlet=_outlet(row["source_url"]), title=row.get("source_title", ""),
                                       date=row["date"], url=row["source_url"], note=row["event"]))
    session.flush()
    rep.projects = len(projects)
    rep.milestones = sum(len(p.milestones) for p in projects.values())
    rep.evidence = sum(len(m.evidence) for p in projects.values() for m in p.milestones)
    audit.record(session, SYSTEM, "load-record", "database", "record", None, None,
                 {"regions": rep.regions, "projects": rep.projects, "milestones": rep.milestones,
                  "evidence": rep.evidence, "dataset": str(folder)})
    session.commit()
    return rep


def _find(atlas, county: str, province: str | None, where: str, rep: LoadReport):
    """The county by name within its province, or by name alone when the record's province
    differs from the atlas's (noted)."""
    from twentyten.atlas.model import UnknownRegion

    try:
        return atlas.find(county, province=province)
    except UnknownRegion:
        if province is None:
            raise
        found = atlas.find(county)
        rep.notes.append(f"{where}: {county} is under {atlas.province_of(found).name} in the atlas, "
                         f"not {province} as the record says; attached to {found.id}")
        return found


def _overlaps(m: Milestone, d: PartialDate | None) -> bool:
    if d is None or m.earliest is None:
        return d is None and m.earliest is None
    return m.earliest <= d.latest and d.earliest <= m.latest


def _dates(text: str, where: str, rep: LoadReport) -> Sequence[PartialDate]:
    try:
        return parse_many(text)
    except ValueError as e:
        rep.notes.append(f"{where}: {e}; no milestone made from it")
        return []


def _rows(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    return list(csv.DictReader(io.StringIO(path.read_text("utf-8"))))
