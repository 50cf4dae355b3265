"""The typed row of a norms file (``norms.csv`` of a standards folder, or a user's own
CSV or YAML norms): one pydantic model, unknown fields forbidden, the value a finite
number written strictly (``1500``, ``1,500`` or ``0.25``; never ``1,50,0``, ``true``, ``nan``).

Rules that need context (does the key exist, is the source known, is the value inside
the norm's range, is a minimum above its maximum) live in :mod:`twentyten.standards.norms`,
:mod:`twentyten.standards.ranges` and :mod:`twentyten.standards.load`.
Imports pydantic: import this module inside functions.
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError
from pydantic_core import PydanticCustomError

from twentyten.atlas.schema import parse_float

__all__ = ["NORM_FIELDS", "NormRow", "ValidationError", "row_errors"]

KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_.\-]*$")


def _value(v: Any) -> float:
    if isinstance(v, str):
        if "\n" in v or "\r" in v:
            raise PydanticCustomError("norm", "a line break inside a value (an unterminated quote swallows the rows after it?)")
        text = v.strip()
        if not text:
            raise PydanticCustomError("norm", "a value is required")
        try:
            return parse_float(text)
        except ValueError as e:
            reason = str(e).split(":")[0]
            raise PydanticCustomError("norm", "{reason}", {"reason": reason}) from None
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        what = "nothing" if v is None else type(v).__name__
        raise PydanticCustomError("norm", "not a number (got {what})", {"what": what})
    if not math.isfinite(v):
        raise PydanticCustomError("norm", "not a finite number")
    return float(v)


def _key(v: Any) -> str:
    if not isinstance(v, str) or not KEY_PATTERN.match(v.strip()):
        raise PydanticCustomError("norm", "a norm key is lower-case words joined by '.', '_' or '-'")
    return v.strip()


def _text(v: Any) -> str:
    if v is None:
        return ""
    if not isinstance(v, str):
        raise PydanticCustomError("norm", "expected text, got {what}", {"what": type(v).__name__})
    return v.strip()


Text = Annotated[str, BeforeValidator(_text)]


class NormRow(BaseModel):
    """One norm as a file gives it. Only ``key`` and ``value`` are required."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    key: Annotated[str, BeforeValidator(_key)] = Field(description="Norm key, e.g. `hospital.alos_days`.")
    value: Annotated[float, BeforeValidator(_value)] = Field(description="The norm's value, a finite number.")
    unit: Text = Field("", description="Unit; required for a new key, must match a bundled key's unit.")
    applies_to: Text = Field("", description="Facility type the norm is for, or `*`.")
    quality: Text = Field("", description="quoted, derived, weak, assumption or user.")
    source_id: Text = Field("", description="Id in sources.csv (or your own source, kept as text).")
    note: Text = Field("", description="Rationale; required for an assumption.")
    range: Text = Field("", description="Allowed range, e.g. `>0` or `>=0 <=1`.")


NORM_FIELDS = tuple(NormRow.model_fields)


def row_errors(err: ValidationError) -> list[tuple[str, str]]:
    """(field, reason) for each error of a norms row."""
    out = []
    for e in err.errors(include_url=False):
        field = str(e["loc"][0]) if e["loc"] else "row"
        if e["type"] == "extra_forbidden":
            out.append((field, f"unknown field (a norm has {', '.join(NORM_FIELDS)})"))
        elif e["type"] == "missing":
            out.append((field, "a value is required" if field == "value" else "required"))
        else:
            out.append((field, e["msg"]))
    return out
