"""The region attributes, described as data: name, type, unit, whether required, meaning.

The loader, the validator, the JSON output and the README's schema table all read
this one table (a test checks the README against it)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AttributeSpec:
    name: str
    type: str  # "str", "int", "float", "bool", "list"
    unit: str
    required: bool
    description: str


REGION_COLUMNS: tuple[AttributeSpec, ...] = (
    AttributeSpec("id", "str", "", True, "Unique, stable identifier of the unit."),
    AttributeSpec("level", "str", "", True, "`province` (first level) or `county` (city/county level)."),
    AttributeSpec("parent_id", "str", "", False, "Id of the province a county belongs to; empty for provinces."),
    AttributeSpec("name", "str", "", True, "Romanised name."),
    AttributeSpec("name_local", "str", "", False, "Name in the local script (hangul for the DPRK)."),
    AttributeSpec("aliases", "list", "", False, "Other spellings seen in sources, `;`-separated."),
    AttributeSpec("wikidata", "str", "", False, "Wikidata item id (Q…)."),
    AttributeSpec("population", "int", "persons", True, "Population (census count for the bundled data)."),
    AttributeSpec("lon", "float", "degrees", False, "Longitude of the unit's label point (WGS84)."),
    AttributeSpec("lat", "float", "degrees", False, "Latitude of the unit's label point (WGS84)."),
    AttributeSpec("bbox_w", "float", "degrees", False, "Bounding box, west edge."),
    AttributeSpec("bbox_s", "float", "degrees", False, "Bounding box, south edge."),
    AttributeSpec("bbox_e", "float", "degrees", False, "Bounding box, east edge."),
    AttributeSpec("bbox_n", "float", "degrees", False, "Bounding box, north edge."),
    AttributeSpec("area_km2", "float", "km²", False, "Area (approximate where derived)."),
    AttributeSpec("coastal", "bool", "", False, "Whether the unit has a sea coast (`true`/`false`)."),
    AttributeSpec("physiography", "str", "", False, "One of mountainous, lowland, coastal, industrial-urban."),
    AttributeSpec("raw_materials", "list", "", False, "Local raw materials, `;`-separated (e.g. `seafood;seaweed`)."),
)

COLUMN_NAMES = tuple(a.name for a in REGION_COLUMNS)
REQUIRED = tuple(a.name for a in REGION_COLUMNS if a.required)
LEVELS = ("province", "county")
PHYSIOGRAPHY = ("mountainous", "lowland", "coastal", "industrial-urban")
