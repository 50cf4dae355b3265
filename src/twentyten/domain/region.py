"""Regions (provinces, counties) and where each of their values came from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class Level(StrEnum):
    """Tier of the administrative hierarchy."""

    PROVINCE = "province"
    COUNTY = "county"


class Method(StrEnum):
    """How a value was obtained."""

    QUOTED = "quoted"  # copied from the source as published
    DERIVED = "derived"  # computed from quoted values by a stated rule
    CORRECTED = "corrected"  # a quoted value replaced by a documented correction
    ESTIMATE = "estimate"  # an assumption or approximation; treat with care
    USER = "user"  # supplied by the user's own file, no further source


@dataclass(frozen=True)
class Source:
    """A citable source of values."""

    id: str
    title: str
    url: str = ""
    licence: str = ""
    attribution: str = ""


@dataclass(frozen=True)
class Provenance:
    """Where one attribute value came from: sources, method and, for derived values, the rule."""

    sources: tuple[str, ...]
    method: Method = Method.QUOTED
    rule: str = ""

    @property
    def is_estimate(self) -> bool:
        return self.method in (Method.ESTIMATE, Method.DERIVED)

    def as_dict(self) -> dict[str, object]:
        d: dict[str, object] = {"sources": list(self.sources), "method": str(self.method)}
        if self.rule:
            d["rule"] = self.rule
        d["estimate"] = self.is_estimate
        return d


@dataclass(frozen=True)
class Region:
    """A province-level unit or a city/county with its attributes.

    Attribute values that are unknown are ``None``. ``provenance`` maps an
    attribute name to its :class:`Provenance`.
    """

    id: str
    level: Level
    name: str
    parent_id: str | None = None
    name_local: str = ""
    aliases: tuple[str, ...] = ()
    population: int | None = None
    lon: float | None = None
    lat: float | None = None
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north
    area_km2: float | None = None
    coastal: bool | None = None
    physiography: str = ""
    raw_materials: tuple[str, ...] = ()
    wikidata: str = ""
    provenance: Mapping[str, Provenance] = field(default_factory=dict)

    @property
    def density(self) -> float | None:
        """People per km² (as exact as the area is)."""
        if self.population is None or not self.area_km2:
            return None
        return self.population / self.area_km2
