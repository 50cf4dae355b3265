"""Response classes of the API."""

from __future__ import annotations

from typing import Any

import pydantic_core
from fastapi.responses import JSONResponse


class CompactJSON(JSONResponse):
    """A JSON response serialised by pydantic-core (Rust) instead of the standard library: the
    same compact UTF-8 text for dicts, lists, strings, integers, booleans and None, several
    times faster for a page of rows. Only for bodies without floats: pydantic-core writes a NaN
    as ``NaN`` where ``JSONResponse`` refuses it."""

    def render(self, content: Any) -> bytes:
        return pydantic_core.to_json(content)
