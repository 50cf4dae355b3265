"""What a county gets: a package of facilities, each sized, costed and explained.

These types are the contract between ``design`` (which fills them) and ``plan``
(which schedules them under yearly capacity).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class PayerSplit:
    """Shares of the cost paid by each level; they sum to 1."""

    centre: float
    province: float
    county: float

    def __post_init__(self) -> None:
        total = self.centre + self.province + self.county
        if abs(total - 1.0) > 1e-9:
            raise ValueError(f"payer shares must sum to 1, got {total:.6f}")


@dataclass(frozen=True)
class FacilityDesign:
    """One facility of a package (a factory, hospital, leisure complex, grain storage, farm).

    ``facility_type`` is the catalogue key (e.g. ``"factory"``, ``"hospital"``).
    Resource fields are what the planner schedules against yearly capacity.
    """

    facility_type: str
    name: str
    capacity: Mapping[str, float]  # e.g. {"beds": 120, "staff": 180}
    lines: tuple[str, ...] = ()  # production lines or sub-facilities
    reasons: tuple[str, ...] = ()  # why each choice was made, in plain words
    cost: float = 0.0  # in the dataset's cost unit (see standards)
    labour_regiment_months: float = 0.0
    materials_t: float = 0.0
    build_months: float = 0.0
    workforce: int = 0
    payer_split: PayerSplit | None = None
    sources: tuple[str, ...] = ()  # norm ids / source ids behind the numbers
    outputs: Mapping[str, float] = field(default_factory=dict)  # e.g. {"foodstuff_t_per_year": 900}
    # how each capacity/output number was obtained: formula, values and sources
    basis: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Package:
    """Everything one county gets at the standard of one year."""

    county_id: str
    year: int
    facilities: tuple[FacilityDesign, ...]
    notes: tuple[str, ...] = ()  # choices not made and why (e.g. no offshore farm inland)

    @property
    def cost(self) -> float:
        return sum(f.cost for f in self.facilities)

    @property
    def labour_regiment_months(self) -> float:
        return sum(f.labour_regiment_months for f in self.facilities)

    @property
    def materials_t(self) -> float:
        return sum(f.materials_t for f in self.facilities)

    def by_type(self, facility_type: str) -> tuple[FacilityDesign, ...]:
        return tuple(f for f in self.facilities if f.facility_type == facility_type)
