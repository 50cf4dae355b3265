"""The scenario schema: one typed model of the planner's settings (pydantic v2).

The same models validate a user's scenario file and a dataset's ``programme.yaml``
(its defaults). Every model forbids unknown keys and takes strict types, so
``solver: {time_limt: 1}``, ``record: "false"``, ``start: true`` or ``2027.9`` for a year
are refused with the key path. Errors are turned into one line per problem by
:func:`twentyten.schema_errors.error_lines`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    create_model,
    field_validator,
    model_validator,
)

from twentyten.domain.facility import FACILITY_TYPES
from twentyten.plan.inputs import RESOURCES
from twentyten.schema_errors import error_lines

STRICT = ConfigDict(extra="forbid", strict=True, populate_by_name=True, frozen=True)

FacilityType = Literal[FACILITY_TYPES]  # type: ignore[valid-type]
Year = Annotated[int, Field(ge=1, le=9999)]
Amount = Annotated[float, Field(ge=0, allow_inf_nan=False)]
NEED_TERMS = ("remoteness", "sparsity", "mountainous")


class Strict(BaseModel):
    model_config = STRICT


class Basis(Strict):
    """Where a default comes from: a source id of the dataset's ``sources.csv`` (with a
    note saying what it states) or a named assumption with its reasoning."""

    source: str | None = None
    assumption: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _one(self) -> Basis:
        if (self.source is None) == (self.assumption is None):
            raise ValueError("give either a source id or an assumption")
        return self


class Limit(Strict):
    """A per-year number: ``per_year`` (null: unlimited), ``from`` (no planned builds before
    it), ``years`` (per-year overrides). A bare number or null is short for ``{per_year: n}``."""

    per_year: Amount | None = None
    from_: Year | None = Field(default=None, alias="from")
    years: dict[Year, Amount] = Field(default_factory=dict)
    basis: Basis | None = None

    @model_validator(mode="before")
    @classmethod
    def _short(cls, v: Any) -> Any:
        if v is None or (isinstance(v, int | float) and not isinstance(v, bool)):
            return {"per_year": v}
        if not isinstance(v, dict):
            raise ValueError("expected a number, null or {per_year, from, years}")
        return v

    def value(self, year: int) -> float | None:
        return self.years.get(year, self.per_year)


def _named(name: str, keys: tuple[str, ...], kind: Any) -> type[Strict]:
    """A model with one optional field per name (facility types, resources, need terms)."""
    fields = {k: (kind | None, None) for k in keys}
    return create_model(name, __base__=Strict, **fields)  # type: ignore[call-overload]


Caps = _named("Caps", FACILITY_TYPES, Limit)
Capacity = _named("Capacity", RESOURCES, Limit)
TypeWeights = _named("TypeWeights", FACILITY_TYPES, Amount)
NeedTerms = _named("NeedTerms", NEED_TERMS, Amount)


class Horizon(Strict):
    start: Year
    end: Year
    basis: Basis | None = None

    @model_validator(mode="after")
    def _order(self) -> Horizon:
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self


class Weights(Strict):
    types: TypeWeights | None = None  # type: ignore[valid-type]
    need: Amount | None = None
    population: Amount | None = None
    basis: Basis | None = None


class BalanceSpec(Strict):
    types: list[FacilityType] | None = None
    strength: Amount | None = None
    tolerance: Amount | None = None
    basis: Basis | None = None


class BundleSpec(Strict):
    lead: FacilityType
    members: list[FacilityType]
    from_: Year = Field(alias="from")
    basis: Basis | None = None

    @model_validator(mode="after")
    def _members_follow_another(self) -> BundleSpec:
        if self.lead in self.members:
            raise ValueError(f"the lead {self.lead} is also a member: a bundle's members follow another type")
        return self


class PrecedenceSpec(Strict):
    before: FacilityType
    after: FacilityType
    min_gap: Annotated[int, Field(ge=0)] = 0

    @model_validator(mode="after")
    def _two_types(self) -> PrecedenceSpec:
        if self.before == self.after:
            raise ValueError(f"before and after are both {self.before}: a precedence orders two types")
        return self


class CommitmentAdd(Strict):
    county: str
    facility: FacilityType
    year: Year


class Commitments(Strict):
    record: bool | None = None
    add: list[CommitmentAdd] | None = None
    drop: list[str] | None = None

    @field_validator("add")
    @classmethod
    def _unique(cls, add: list[CommitmentAdd] | None) -> list[CommitmentAdd] | None:
        seen: dict[tuple[str, str], int] = {}
        for i, a in enumerate(add or ()):
            key = (a.county, a.facility)
            if key in seen:
                raise ValueError(f"{a.county} {a.facility} is committed twice (add[{seen[key]}] and add[{i}])")
            seen[key] = i
        return add


class Solver(Strict):
    time_limit: Annotated[float, Field(gt=0, allow_inf_nan=False)] | None = None
    gap: Annotated[float, Field(ge=0, lt=1, allow_inf_nan=False)] | None = None
    basis: Basis | None = None


class ScenarioSpec(Strict):
    """A scenario file. Every key is optional; what is missing comes from the dataset's
    programme defaults (``programme.yaml``)."""

    horizon: Horizon | None = None
    replan_from: Year | None = None
    caps: Caps | None = None  # type: ignore[valid-type]
    targets: Caps | None = None  # type: ignore[valid-type]
    capacity: Capacity | None = None  # type: ignore[valid-type]
    weights: Weights | None = None
    need: NeedTerms | None = None  # type: ignore[valid-type]
    balance: BalanceSpec | None = None
    bundles: list[BundleSpec] | None = None
    precedence: list[PrecedenceSpec] | None = None
    commitments: Commitments | None = None
    solver: Solver | None = None


class RecordRules(Strict):
    """How the dataset's record of sites maps to facility types: each type's keywords, found
    (lower case) in a row's ``programme`` or ``facilities`` text."""

    file: str = "rollout_sites.csv"
    keywords: dict[FacilityType, list[str]]
    source: str | None = None


class Programme(Strict):
    """A dataset's ``programme.yaml``: the programme's planning defaults and its record rules."""

    name: str
    defaults: ScenarioSpec
    record: RecordRules | None = None


__all__ = [
    "Basis", "BundleSpec", "Commitments", "Horizon", "Limit", "Programme", "RecordRules",
    "ScenarioSpec", "Solver", "error_lines",
]
