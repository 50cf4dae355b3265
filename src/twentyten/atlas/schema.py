"""The dataset tables, described as data: each column's name, type, unit, whether it is
required, its allowed values and meaning; and the strict reading of one CSV cell.

This table is the one schema of a dataset. :mod:`twentyten.atlas.rows` builds the typed
pydantic models from it (the loader validates every row with them, an API serves them),
and the README's schema table is checked against it. No pydantic import here, so that
``import twentyten.atlas`` stays cheap.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class AttributeSpec:
    name: str
    type: str  # "str", "int", "float", "bool", "list"
    unit: str
    required: bool
    description: str
    minimum: float | None = None  # allowed range (inclusive), checked after parsing
    maximum: float | None = None
    positive: bool = False  # strictly greater than zero
    choices: tuple[str, ...] = ()  # allowed values of a text column


LEVELS = ("province", "county")
PHYSIOGRAPHY = ("mountainous", "lowland", "coastal", "industrial-urban")
METHODS = ("quoted", "derived", "corrected", "estimate", "user")

REGION_COLUMNS: tuple[AttributeSpec, ...] = (
    AttributeSpec("id", "str", "", True, "Unique, stable identifier of the unit."),
    AttributeSpec("level", "str", "", True, "`province` (first level) or `county` (city/county level).", choices=LEVELS),
    AttributeSpec("parent_id", "str", "", False, "Id of the province a county belongs to; empty for provinces."),
    AttributeSpec("name", "str", "", True, "Romanised name."),
    AttributeSpec("name_local", "str", "", False, "Name in the local script (hangul for the DPRK)."),
    AttributeSpec("aliases", "list", "", False, "Other spellings seen in sources, `;`-separated."),
    AttributeSpec("wikidata", "str", "", False, "Wikidata item id (Q…)."),
    AttributeSpec("population", "int", "persons", True,
                  "Population (census count for the bundled data): digits, or digits grouped by threes with commas.",
                  minimum=0),
    AttributeSpec("lon", "float", "degrees", False, "Longitude of the unit's label point (WGS84).", minimum=-180, maximum=180),
    AttributeSpec("lat", "float", "degrees", False, "Latitude of the unit's label point (WGS84).", minimum=-90, maximum=90),
    AttributeSpec("bbox_w", "float", "degrees", False, "Bounding box, west edge.", minimum=-180, maximum=180),
    AttributeSpec("bbox_s", "float", "degrees", False, "Bounding box, south edge.", minimum=-90, maximum=90),
    AttributeSpec("bbox_e", "float", "degrees", False, "Bounding box, east edge.", minimum=-180, maximum=180),
    AttributeSpec("bbox_n", "float", "degrees", False, "Bounding box, north edge.", minimum=-90, maximum=90),
    AttributeSpec("area_km2", "float", "km²", False, "Area (approximate where derived).", positive=True),
    AttributeSpec("coastal", "bool", "", False, "Whether the unit has a sea coast (`true`/`false`)."),
    AttributeSpec("physiography", "str", "", False, "One of mountainous, lowland, coastal, industrial-urban.",
                  choices=PHYSIOGRAPHY),
    AttributeSpec("raw_materials", "list", "", False, "Local raw materials, `;`-separated (e.g. `seafood;seaweed`)."),
)

#: ``sources.csv``: the citable sources of a dataset.
SOURCE_COLUMNS: tuple[AttributeSpec, ...] = (
    AttributeSpec("id", "str", "", True, "Source id, cited from provenance.csv."),
    AttributeSpec("title", "str", "", True, "Title of the source."),
    AttributeSpec("url", "str", "", False, "Address of the source."),
    AttributeSpec("licence", "str", "", False, "Licence of the source."),
    AttributeSpec("attribution", "str", "", False, "Attribution the licence asks for."),
)

#: ``provenance.csv``: where each attribute's values came from (``*`` = every region).
PROVENANCE_COLUMNS: tuple[AttributeSpec, ...] = (
    AttributeSpec("region_id", "str", "", True, "Region id, or `*` for every region."),
    AttributeSpec("attribute", "str", "", True, "Attribute (a column of regions.csv, or `bbox`)."),
    AttributeSpec("sources", "list", "", False, "Source ids of sources.csv, `;`-separated."),
    AttributeSpec("method", "str", "", True, "How the value was obtained.", choices=METHODS),
    AttributeSpec("rule", "str", "", False, "For derived values, the rule in words."),
)

COLUMN_NAMES = tuple(a.name for a in REGION_COLUMNS)
REQUIRED = tuple(a.name for a in REGION_COLUMNS if a.required)

# -- reading one cell ------------------------------------------------------------------

#: Digits, or digits grouped by threes with commas (43614, 43,614, 1,299,830); nothing else.
_INT = r"[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)"
INT_TEXT = re.compile(_INT)
FLOAT_TEXT = re.compile(_INT + r"(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_NUMBERISH = re.compile(r"[+-]?[0-9][0-9,]*(?:\.[0-9]+)?")
_TRUE, _FALSE = {"true", "yes", "y", "1"}, {"false", "no", "n", "0"}


def parse_int(raw: str) -> int:
    """A whole number written in digits, optionally grouped by threes with commas.

    >>> parse_int("43,614"), parse_int("43614")
    (43614, 43614)
    >>> parse_int("4,36,14")
    Traceback (most recent call last):
    ValueError: digits grouped wrongly: '4,36,14' (write 43614 or 43,614)
    """
    if INT_TEXT.fullmatch(raw):
        return int(raw.replace(",", ""))
    _refuse_grouping(raw)
    if FLOAT_TEXT.fullmatch(raw):
        raise ValueError(f"not a whole number in digits: {raw!r}")
    raise ValueError(f"not a number: {raw!r}")


def parse_float(raw: str) -> float:
    """A finite decimal number; commas only as thousands separators (1,234.5)."""
    if not FLOAT_TEXT.fullmatch(raw):
        _refuse_grouping(raw)
        reason = "not a finite number" if raw.lower().lstrip("+-") in ("nan", "inf", "infinity") else "not a number"
        raise ValueError(f"{reason}: {raw!r}")
    v = float(raw.replace(",", ""))
    if not math.isfinite(v):
        raise ValueError(f"not a finite number: {raw!r}")
    return v


def _refuse_grouping(raw: str) -> None:
    if "," in raw and _NUMBERISH.fullmatch(raw):
        whole, _, frac = raw.partition(".")
        if INT_TEXT.fullmatch(whole):
            return  # grouped right; something else is wrong with it
        digits = whole.replace(",", "").lstrip("+-")
        sign = whole[: len(whole) - len(whole.lstrip("+-"))]
        plain = sign + digits + (f".{frac}" if frac else "")
        grouped = sign + (f"{int(digits):,}" if digits else "") + (f".{frac}" if frac else "")
        raise ValueError(f"digits grouped wrongly: {raw!r} (write {plain} or {grouped})")


def parse_bool(raw: str) -> bool:
    if raw.lower() in _TRUE:
        return True
    if raw.lower() in _FALSE:
        return False
    raise ValueError(f"not true/false: {raw!r}")


def parse_list(raw: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in raw.split(";") if x.strip())


PARSERS = {"int": parse_int, "float": parse_float, "bool": parse_bool, "list": parse_list, "str": str}
