"""Typed SQLAlchemy 2 models of the record: the stored ("Table") role of each entity.

The API's Create / Read / Update roles are pydantic models in ``twentyten.api.schemas``;
the domain rules (statuses, transitions, scopes) live in ``twentyten.service``.
Every change here needs a migration in ``store/migrations/versions``; a test compares the
two (alembic autogenerate) on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Region(Base):
    """A province or county of the atlas (copied at ``db init``; the atlas stays the source)."""

    __tablename__ = "region"
    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    level: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(120))
    name_local: Mapped[str] = mapped_column(String(120), default="")
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("region.id"), index=True)
    population: Mapped[int | None] = mapped_column(Integer)
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)


class User(Base):
    __tablename__ = "user_account"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    region_id: Mapped[str | None] = mapped_column(ForeignKey("region.id"))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Token(Base):
    """A bearer token: only its SHA-256 is stored; revoked or expired tokens are refused."""

    __tablename__ = "token"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    issued_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class Project(Base):
    """One facility type in one county (OC4IDS: a project with a ``status`` and milestones)."""

    __tablename__ = "project"
    __table_args__ = (UniqueConstraint("county_id", "facility", name="uq_project_county_facility"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    county_id: Mapped[str] = mapped_column(ForeignKey("region.id"), index=True)
    province_id: Mapped[str] = mapped_column(ForeignKey("region.id"), index=True)
    facility: Mapped[str] = mapped_column(String(32), index=True)
    status: Mapped[str] = mapped_column(String(24), index=True)
    cohort_year: Mapped[int | None] = mapped_column(Integer)
    planned_year: Mapped[int | None] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200), default="")
    source: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    milestones: Mapped[list[Milestone]] = relationship(
        back_populates="project", order_by="Milestone.id", cascade="all, delete-orphan"
    )


class Milestone(Base):
    """A dated step of a project. The date keeps its precision: ``date_from``/``date_to`` are
    ISO strings of 4, 7 or 10 characters (year, month, day), ``date_to`` set for a range;
    ``earliest``/``latest`` are the bounds the text allows (for sorting and filtering)."""

    __tablename__ = "milestone"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    date_text: Mapped[str] = mapped_column(String(120), default="")
    date_from: Mapped[str | None] = mapped_column(String(10))
    date_to: Mapped[str | None] = mapped_column(String(10))
    precision: Mapped[str | None] = mapped_column(String(8))
    earliest: Mapped[dt.date | None] = mapped_column(Date)
    latest: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    project: Mapped[Project] = relationship(back_populates="milestones")
    evidence: Mapped[list[Evidence]] = relationship(
        back_populates="milestone", order_by="Evidence.id", cascade="all, delete-orphan"
    )


class Evidence(Base):
    """What a milestone rests on: a link or a note, or an article of the media store."""

    __tablename__ = "evidence"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    milestone_id: Mapped[int] = mapped_column(ForeignKey("milestone.id"), index=True)
    outlet: Mapped[str] = mapped_column(String(120), default="")
    title: Mapped[str] = mapped_column(Text, default="")
    date: Mapped[str] = mapped_column(String(40), default="")
    url: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    article_id: Mapped[str | None] = mapped_column(String(120), index=True)
    milestone: Mapped[Milestone] = relationship(back_populates="evidence")


class Report(Base):
    """A factory's monthly report. ``state``: submitted or approved (approved is locked)."""

    __tablename__ = "report"
    __table_args__ = (UniqueConstraint("project_id", "month", name="uq_report_project_month"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    month: Mapped[str] = mapped_column(String(7))
    output: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    product_range: Mapped[int] = mapped_column(Integer, default=0)
    quality_passed: Mapped[int] = mapped_column(Integer, default=0)
    quality_failed: Mapped[int] = mapped_column(Integer, default=0)
    opinion_score: Mapped[float | None] = mapped_column(Float)
    opinion_responses: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[str] = mapped_column(String(16), default="submitted", index=True)
    submitted_by: Mapped[str] = mapped_column(String(80), default="")
    approved_by: Mapped[str | None] = mapped_column(String(80))
    version: Mapped[int] = mapped_column(Integer, default=1)


class PlanVersion(Base):
    __tablename__ = "plan_version"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    fingerprint: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(80), default="")
    current: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(Text, default="")
    entries: Mapped[list[PlanEntry]] = relationship(cascade="all, delete-orphan", order_by="PlanEntry.id")


class PlanEntry(Base):
    __tablename__ = "plan_entry"
    __table_args__ = (UniqueConstraint("plan_id", "county_id", "facility", name="uq_plan_entry_key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan_version.id"), index=True)
    county_id: Mapped[str] = mapped_column(ForeignKey("region.id"))
    facility: Mapped[str] = mapped_column(String(32))
    year: Mapped[int | None] = mapped_column(Integer)


class AuditEntry(Base):
    """Append-only (triggers refuse UPDATE and DELETE): who, when, what, before and after."""

    __tablename__ = "audit"
    __table_args__ = (Index("ix_audit_province_at", "province_id", "at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(80))
    province_id: Mapped[str | None] = mapped_column(String(80))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text, default="")


class SuggestionDecision(Base):
    """A planner's decision on a media article suggested as evidence for a county:
    accepted (it became the evidence of ``milestone_id``) or rejected (not suggested again)."""

    __tablename__ = "suggestion_decision"
    __table_args__ = (UniqueConstraint("article_id", "county_id", name="uq_suggestion_article_county"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[str] = mapped_column(String(120))
    county_id: Mapped[str] = mapped_column(ForeignKey("region.id"), index=True)
    decision: Mapped[str] = mapped_column(String(16))
    milestone_id: Mapped[int | None] = mapped_column(ForeignKey("milestone.id"))
    decided_by: Mapped[str] = mapped_column(String(80))
    decided_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    reason: Mapped[str] = mapped_column(Text, default="")


class StorageReadingBatch(Base):
    """One post of temperature-cable readings to a county's grain storage (a ``grain_storage``
    project): the checked rows as given, and the advice's summary per bin."""

    __tablename__ = "storage_reading_batch"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    crop: Mapped[str] = mapped_column(String(16))
    first_time: Mapped[str] = mapped_column(String(40))  # ISO 8601 as posted
    last_time: Mapped[str] = mapped_column(String(40))
    n_rows: Mapped[int] = mapped_column(Integer)
    rows: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    summary: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    posted_by: Mapped[str] = mapped_column(String(80))
    posted_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class StorageAlert(Base):
    """An alert the advisor raised from a batch: hot spot, moisture or insects, at the hour of
    the readings (``time``, ISO 8601 as posted) for a bin and, for hot spots, a sensor."""

    __tablename__ = "storage_alert"
    __table_args__ = (Index("ix_storage_alert_project_time", "project_id", "time"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("storage_reading_batch.id"), index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"))
    bin: Mapped[str] = mapped_column(String(80))
    cable: Mapped[str] = mapped_column(String(80), default="")
    depth: Mapped[float | None] = mapped_column(Float)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    time: Mapped[str] = mapped_column(String(40))
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
