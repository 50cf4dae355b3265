"""Grain storage readings (``POST /api/storages/{id}/readings``) and their alerts: the storage
id is the county's ``grain_storage`` project id."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from twentyten.api.deps import ActorDep, PagingDep, SessionDep
from twentyten.api.routes.records import ERRORS
from twentyten.api.schemas import In, Page
from twentyten.service import storage

router = APIRouter(prefix="/api/storages", tags=["grain storage"], responses=ERRORS)
StorageId = Annotated[int, Path(ge=1, le=2**31 - 1)]
Crop = Literal["maize", "paddy", "wheat", "soybean", "barley"]


class ReadingsIn(In):
    """Readings as ``twentyten grain advise`` takes them in JSON: each item has ``bin``,
    ``cable``, ``depth``, ``time`` (ISO 8601, hourly), ``grain_temp_c``, ``ambient_temp_c``,
    ``ambient_rh_pct`` and optionally ``grain_moisture_pct``. Every item is checked first;
    problems name the item (numbered from 1)."""

    crop: Crop = storage.DEFAULT_CROP
    readings: Annotated[list[dict[str, Any]], Field(min_length=1, max_length=storage.MAX_ROWS)]


class FanRun(BaseModel):
    model_config = {"populate_by_name": True}
    from_: str = Field(alias="from")
    to: str
    hours: int
    fan: str
    decision: str
    reason: str


class BinSummary(BaseModel):
    model_config = {"populate_by_name": True}
    bin: str
    from_: str = Field(alias="from")
    to: str
    hours: int
    sensors: int
    fan_hours: int
    dml_pct: float
    days_left: float = Field(alias="days_left_to_0.5pct_dml")
    warmest_c_now: float
    alerts: int
    fan_runs: list[FanRun]


class AlertRead(BaseModel):
    id: int
    storage_id: int
    batch_id: int
    county_id: str
    bin: str
    cable: str
    depth: float | None
    kind: str
    time: str
    message: str


class ReadingsPosted(BaseModel):
    batch_id: int
    storage_id: int
    crop: str
    rows: int
    bins: list[BinSummary]
    alerts: list[AlertRead]
    warnings: list[str]


@router.post("/{storage_id}/readings", status_code=201, response_model=ReadingsPosted, response_model_by_alias=True)
def post_readings(storage_id: StorageId, body: ReadingsIn, session: SessionDep, actor: ActorDep) -> dict:
    """Check, advise and store a storage's readings: alerts and the fan decisions hour by hour
    (merged into runs of the same decision). Bad readings: 422 naming each item; nothing stored."""
    return storage.post_readings(session, actor, storage_id, body.readings, crop=body.crop).as_dict()


@router.get("/{storage_id}/alerts", response_model=Page[AlertRead])
def list_alerts(storage_id: StorageId, session: SessionDep, actor: ActorDep, page: PagingDep,
                kind: Annotated[Literal["hot_spot", "moisture", "insects"] | None, Query()] = None) -> dict:
    """The storage's alerts, newest reading hour first."""
    items, total = storage.storage_alerts(session, actor, project_id=storage_id, kind=kind, limit=page.limit,
                                          offset=page.offset)
    return {"items": items, "total": total, "limit": page.limit, "offset": page.offset}
