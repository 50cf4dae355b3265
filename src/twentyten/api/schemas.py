"""Pydantic v2 schemas of the API: one model per role (Create / Read / Update) of each entity.
Input models forbid unknown keys and take strict types."""

from __future__ import annotations

from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from twentyten.domain.facility import FACILITY_TYPES
from twentyten.service.projects import MILESTONE_KINDS, STATUSES

STRICT = ConfigDict(extra="forbid", strict=True)
Facility = Literal[FACILITY_TYPES]  # type: ignore[valid-type]
Status = Literal[STATUSES]  # type: ignore[valid-type]
MilestoneKind = Literal[MILESTONE_KINDS]  # type: ignore[valid-type]
Text = Annotated[str, Field(max_length=2000)]
Count = Annotated[int, Field(ge=0, le=10**12)]
T = TypeVar("T")


class In(BaseModel):
    model_config = STRICT


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


class RegionRead(BaseModel):
    id: str
    level: str
    name: str
    name_local: str
    parent_id: str | None
    population: int | None
    lon: float | None
    lat: float | None


class ProjectCreate(In):
    county: Annotated[str, Field(min_length=1, max_length=120)]
    facility: Facility
    planned_year: Annotated[int, Field(ge=1900, le=2200)] | None = None
    title: Annotated[str, Field(max_length=200)] = ""


class StatusChange(In):
    status: Status
    reason: Text = ""
    override: bool = False
    version: int | None = None


class EvidenceIn(In):
    outlet: Annotated[str, Field(max_length=120)] = ""
    title: Text = ""
    date: Annotated[str, Field(max_length=40)] = ""
    url: Text = ""
    note: Text = ""
    article_id: Annotated[str, Field(max_length=120)] | None = None


class EvidenceRead(EvidenceIn):
    model_config = ConfigDict()
    id: int


class MilestoneCreate(In):
    kind: MilestoneKind
    date: Annotated[str, Field(min_length=4, max_length=120)]
    note: Text = ""
    evidence: Annotated[list[EvidenceIn], Field(min_length=1, max_length=50)]


class MilestoneRead(BaseModel):
    id: int
    project_id: int
    kind: str
    date_text: str
    date_from: str | None
    date_to: str | None
    precision: str | None
    earliest: str | None
    latest: str | None
    note: str
    evidence: list[EvidenceRead]


class ProjectRead(BaseModel):
    id: int
    county_id: str
    county: str
    province_id: str
    province: str
    facility: str
    status: str
    cohort_year: int | None
    planned_year: int | None
    title: str
    source: str
    version: int


class ProjectDetail(ProjectRead):
    milestones: list[MilestoneRead]


class OutputLineIn(In):
    line: Annotated[str, Field(min_length=1, max_length=120)]
    quantity: Annotated[float, Field(ge=0, allow_inf_nan=False)]
    unit: Annotated[str, Field(min_length=1, max_length=40)]


class ReportCreate(In):
    project_id: int
    month: Annotated[str, Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]
    output: Annotated[list[OutputLineIn], Field(max_length=200)] = []
    product_range: Count = 0
    quality_passed: Count = 0
    quality_failed: Count = 0
    opinion_score: Annotated[float, Field(ge=0, le=10, allow_inf_nan=False)] | None = None
    opinion_responses: Count = 0


class ReportRead(BaseModel):
    id: int
    project_id: int
    month: str
    output: list[dict[str, Any]]
    product_range: int
    quality_passed: int
    quality_failed: int
    opinion_score: float | None
    opinion_responses: int
    state: str
    submitted_by: str
    approved_by: str | None
    version: int


class ApproveIn(In):
    version: int | None = None


class UnapproveIn(In):
    reason: Annotated[str, Field(min_length=1, max_length=2000)]
    version: int | None = None


class PlanRead(BaseModel):
    id: int
    name: str
    fingerprint: str
    current: bool
    created_at: str | None
    created_by: str
    source: str


class PlanEntryRead(BaseModel):
    county_id: str
    facility: str
    year: int | None


class PlanDetail(PlanRead):
    entries: list[PlanEntryRead]


class AuditRead(BaseModel):
    id: int
    at: str | None
    actor: str
    action: str
    entity: str
    entity_id: str
    province_id: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    reason: str


class ImportResultRead(BaseModel):
    projects: int
    milestones: int
    reports: int
    dry_run: bool
    written: bool


class TokenRead(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_at: str


class ProblemRead(BaseModel):
    """RFC 9457 problem details."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: list[dict[str, Any]] = []
