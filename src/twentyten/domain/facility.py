"""The facility types of a programme: one registry that design, standards, plan and the
faces all import (STYLE: one place per concept).

A facility type's key is its stable name in data files, scenarios and APIs; ``norm_prefix``
is the prefix of its norms in the standards tables; ``short`` is the column label in narrow
terminal tables; ``coastal_only`` marks types that only coastal counties get.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FacilityType:
    key: str
    label: str
    norm_prefix: str
    short: str
    coastal_only: bool = False


FACILITIES: tuple[FacilityType, ...] = (
    FacilityType("factory", "Regional-industry factories", "factory", "fac"),
    FacilityType("hospital", "Hospital", "hospital", "hosp"),
    FacilityType("leisure_complex", "Leisure complex", "leisure", "leis"),
    FacilityType("grain_storage", "Grain storage", "grain", "grain"),
    FacilityType("offshore_farm", "Offshore farm", "offshore", "farm", coastal_only=True),
)

#: The keys in their canonical order: the facility axis of every plan array.
FACILITY_TYPES: tuple[str, ...] = tuple(f.key for f in FACILITIES)
BY_KEY: dict[str, FacilityType] = {f.key: f for f in FACILITIES}
#: Norm-key prefix of each facility type.
NORM_PREFIX: dict[str, str] = {f.key: f.norm_prefix for f in FACILITIES}
SHORT: dict[str, str] = {f.key: f.short for f in FACILITIES}
COASTAL_ONLY: frozenset[str] = frozenset(f.key for f in FACILITIES if f.coastal_only)


def facility(key: str) -> FacilityType:
    """The registered facility type ``key``; ``KeyError`` names the known ones."""
    try:
        return BY_KEY[key]
    except KeyError:
        raise KeyError(f"unknown facility type {key!r} (known: {', '.join(FACILITY_TYPES)})") from None
