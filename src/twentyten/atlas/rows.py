"""Typed rows of a dataset: pydantic models built from the column table in
:mod:`twentyten.atlas.schema`, so each column is described once.

``RegionRow`` (regions.csv), ``SourceRow`` (sources.csv) and ``ProvenanceRow``
(provenance.csv) forbid unknown fields and take each value either as CSV text (read
strictly: ``43,614`` or ``43614``, never ``4,36,14``) or as its own JSON type (an API
client sends ``43614``; ``true`` is not a number, ``"1"`` is not a list).

Imports pydantic: import this module inside functions, not at package import.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, create_model
from pydantic_core import PydanticCustomError

from twentyten.atlas.schema import (
    PARSERS,
    PROVENANCE_COLUMNS,
    REGION_COLUMNS,
    SOURCE_COLUMNS,
    AttributeSpec,
)

__all__ = ["ProvenanceRow", "RegionRow", "SourceRow", "ValidationError", "cell_errors", "parse_cell"]

_PY = {"str": str, "int": int, "float": float, "bool": bool, "list": tuple[str, ...]}


def parse_cell(spec: AttributeSpec, value: Any) -> Any:
    """One value of column ``spec``: CSV text or its JSON type; ``None`` when empty.

    Raises ``ValueError`` with the reason in words.
    """
    if isinstance(value, str):
        if "\n" in value or "\r" in value:
            raise ValueError("a line break inside a cell (an unterminated quote swallows the rows after it?)")
        value = value.strip()
        if value == "":
            value = None
        elif spec.type != "str":
            value = PARSERS[spec.type](value)
    if value is None:
        if spec.required:
            raise ValueError("missing value")
        return None
    value = _native(spec, value)
    _check_allowed(spec, value)
    return value


_IS = {
    "str": lambda v: isinstance(v, str),
    "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "float": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "bool": lambda v: isinstance(v, bool),
    "list": lambda v: isinstance(v, (list, tuple)) and all(isinstance(x, str) for x in v),
}
_WANT = {"str": "text", "int": "a whole number", "float": "a number", "bool": "true or false", "list": "a list of texts"}


def _native(spec: AttributeSpec, v: Any) -> Any:
    t = spec.type
    if not _IS[t](v):
        raise ValueError(f"expected {_WANT[t]}, got {type(v).__name__} {v!r}")
    if t == "float":
        v = float(v)
        if not math.isfinite(v):
            raise ValueError(f"not a finite number: {v!r}")
    return tuple(v) if t == "list" else v


def _check_allowed(spec: AttributeSpec, v: Any) -> None:
    if spec.choices and v not in spec.choices:
        what = "class" if spec.name == "physiography" else spec.name
        raise ValueError(f"unknown {what} {v!r} (expected one of {', '.join(spec.choices)})")
    if spec.minimum is not None and v < spec.minimum:
        if spec.minimum == 0:
            raise ValueError(f"negative {spec.name.replace('_', ' ')}: {v}")
        raise ValueError(f"{spec.name} {v} is below {spec.minimum:g}")
    if spec.maximum is not None and v > spec.maximum:
        raise ValueError(f"{spec.name} {v} is above {spec.maximum:g}")
    if spec.positive and v <= 0:
        raise ValueError(f"{spec.name} must be positive, got {v}")


def _validator(spec: AttributeSpec) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        try:
            return parse_cell(spec, value)
        except ValueError as e:
            raise PydanticCustomError("cell", "{reason}", {"reason": str(e)}) from None

    return check


def _model(name: str, columns: Sequence[AttributeSpec], doc: str) -> type[BaseModel]:
    fields: dict[str, Any] = {}
    for spec in columns:
        typ = _PY[spec.type] if spec.required else _PY[spec.type] | None
        ann = Annotated[typ, BeforeValidator(_validator(spec))]  # type: ignore[valid-type]
        extra = {"unit": spec.unit} if spec.unit else None
        if spec.required:
            field = Field(description=spec.description, json_schema_extra=extra)
        else:
            field = Field(default=None, description=spec.description, json_schema_extra=extra)
        fields[spec.name] = (ann, field)
    model = create_model(  # type: ignore[call-overload]
        name, __config__=ConfigDict(extra="forbid", strict=True, frozen=True), __doc__=doc, **fields,
    )
    return model


RegionRow = _model("RegionRow", REGION_COLUMNS, "One row of regions.csv: a province or a city/county.")
SourceRow = _model("SourceRow", SOURCE_COLUMNS, "One row of sources.csv: a citable source.")
ProvenanceRow = _model("ProvenanceRow", PROVENANCE_COLUMNS, "One row of provenance.csv.")


def cell_errors(err: ValidationError, present: set[str] | None = None) -> list[tuple[str | None, str]]:
    """(column, reason) for each error of a row; ``present``: the columns the file has
    (a column missing from the header is reported once, not on every row)."""
    out: list[tuple[str | None, str]] = []
    for e in err.errors(include_url=False):
        col = str(e["loc"][0]) if e["loc"] else None
        if e["type"] == "missing":
            if present is not None and col not in present:
                continue
            out.append((col, "missing value"))
        elif e["type"] == "extra_forbidden":
            out.append((col, "unknown field"))
        else:
            out.append((col, e["msg"]))
    return out
