"""Check a regions file (and optional GeoJSON) and report every problem at once.

A problem names the file, the row (1-based, header = row 1), the column and the
reason. Validation never stops at the first problem and the loader accepts a
dataset only when there are none: nothing is loaded partially.
"""

from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import dataclass
from pathlib import Path

from twentyten.atlas.schema import COLUMN_NAMES, LEVELS, PHYSIOGRAPHY, REGION_COLUMNS, REQUIRED


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None
    column: str | None
    reason: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column {self.column!r}"
        return f"{where}: {self.reason}"


class AtlasValidationError(ValueError):
    """Raised with every problem found; nothing was loaded."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        head = f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in the atlas data"
        super().__init__(head + ":\n" + "\n".join(f"  {p}" for p in problems))


_TYPES = {a.name: a.type for a in REGION_COLUMNS}
_TRUE, _FALSE = {"true", "yes", "y", "1"}, {"false", "no", "n", "0"}


def read_rows(path: Path) -> tuple[list[dict[str, str]], list[Problem]]:
    """Read a CSV as strings. Wrong encoding is a problem, not an exception."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        return [], [Problem(str(path), line, None, f"wrong encoding: not UTF-8 (byte 0x{raw[e.start]:02x} at offset {e.start})")]
    text = text.replace("\r\n", "\n")
    reader = csv.DictReader(io.StringIO(text))
    rows = list(reader)
    problems = []
    header = reader.fieldnames or []
    for col in REQUIRED:
        if col not in header:
            problems.append(Problem(str(path), 1, col, "required column is missing"))
    unknown = [c for c in header if c not in COLUMN_NAMES]
    for c in unknown:
        problems.append(Problem(str(path), 1, c, f"unknown column (known: {', '.join(COLUMN_NAMES)})"))
    for i, r in enumerate(rows, start=2):
        if None in r:
            problems.append(Problem(str(path), i, None, f"row has {len(header) + len(r[None])} fields, header has {len(header)}"))
    return rows, problems


def parse_value(name: str, raw: str) -> object:
    """Parse one cell by its declared type; raise ValueError with the reason."""
    t = _TYPES.get(name, "str")
    raw = raw.strip()
    if raw == "":
        return None
    if t == "int":
        try:
            v = float(raw.replace(",", ""))
        except ValueError:
            raise ValueError(f"not a number: {raw!r}") from None
        if not v.is_integer():
            raise ValueError(f"not a whole number: {raw!r}")
        return int(v)
    if t == "float":
        try:
            v = float(raw)
        except ValueError:
            raise ValueError(f"not a number: {raw!r}") from None
        if not math.isfinite(v):
            raise ValueError(f"not a finite number: {raw!r}")
        return v
    if t == "bool":
        if raw.lower() in _TRUE:
            return True
        if raw.lower() in _FALSE:
            return False
        raise ValueError(f"not true/false: {raw!r}")
    if t == "list":
        return tuple(x.strip() for x in raw.split(";") if x.strip())
    return raw


def check_rows(rows: list[dict[str, str]], file: str) -> tuple[list[dict[str, object]], list[Problem]]:
    """Parse and check every row; return parsed rows and all problems."""
    problems: list[Problem] = []
    parsed: list[dict[str, object]] = []
    seen: dict[str, int] = {}
    for i, r in enumerate(rows, start=2):
        p: dict[str, object] = {}
        for col, raw in r.items():
            if col is None or col not in COLUMN_NAMES:
                continue
            try:
                p[col] = parse_value(col, raw or "")
            except ValueError as e:
                problems.append(Problem(file, i, col, str(e)))
                p[col] = None
        for col in REQUIRED:
            if col in r and p.get(col) is None and not any(q.row == i and q.column == col for q in problems):
                problems.append(Problem(file, i, col, "missing value"))
        rid = p.get("id")
        if isinstance(rid, str):
            if rid in seen:
                problems.append(Problem(file, i, "id", f"duplicate id {rid!r} (first at row {seen[rid]})"))
            else:
                seen[rid] = i
        pop = p.get("population")
        if isinstance(pop, int) and pop < 0:
            problems.append(Problem(file, i, "population", f"negative population: {pop}"))
        level = p.get("level")
        if level is not None and level not in LEVELS:
            problems.append(Problem(file, i, "level", f"unknown level {level!r} (expected one of {', '.join(LEVELS)})"))
        phys = p.get("physiography")
        if phys is not None and phys not in PHYSIOGRAPHY:
            problems.append(Problem(file, i, "physiography", f"unknown class {phys!r} (expected one of {', '.join(PHYSIOGRAPHY)})"))
        problems.extend(_check_geometry(p, file, i))
        parsed.append(p)
    # parents, after all ids are known
    levels = {p.get("id"): p.get("level") for p in parsed}
    for i, p in enumerate(parsed, start=2):
        parent = p.get("parent_id")
        if p.get("level") == "county":
            if parent is None:
                problems.append(Problem(file, i, "parent_id", "a county needs the id of its province"))
            elif parent not in levels:
                problems.append(Problem(file, i, "parent_id", f"unknown parent {parent!r}"))
            elif levels[parent] != "province":
                problems.append(Problem(file, i, "parent_id", f"parent {parent!r} is not a province"))
    return parsed, problems


def _check_geometry(p: dict[str, object], file: str, row: int) -> list[Problem]:
    out = []
    lon, lat = p.get("lon"), p.get("lat")
    if isinstance(lon, float) and not -180 <= lon <= 180:
        out.append(Problem(file, row, "lon", f"longitude {lon} outside -180..180"))
    if isinstance(lat, float) and not -90 <= lat <= 90:
        out.append(Problem(file, row, "lat", f"latitude {lat} outside -90..90"))
    if (lon is None) != (lat is None):
        out.append(Problem(file, row, "lon" if lon is None else "lat", "a point needs both lon and lat"))
    box = [p.get(k) for k in ("bbox_w", "bbox_s", "bbox_e", "bbox_n")]
    if any(b is not None for b in box):
        if any(not isinstance(b, float) for b in box):
            out.append(Problem(file, row, "bbox_w", "a bounding box needs all four of bbox_w, bbox_s, bbox_e, bbox_n"))
        else:
            w, s, e, n = box  # type: ignore[misc]
            if w > e or s > n:
                out.append(Problem(file, row, "bbox_w", f"bounding box is inverted: w={w} e={e} s={s} n={n}"))
            elif isinstance(lon, float) and isinstance(lat, float) and not (w <= lon <= e and s <= lat <= n):
                col = "lon" if not w <= lon <= e else "lat"
                out.append(Problem(file, row, col, f"point ({lon}, {lat}) is outside its bounding box ({w}, {s}, {e}, {n})"))
    area = p.get("area_km2")
    if isinstance(area, float) and area <= 0:
        out.append(Problem(file, row, "area_km2", f"area must be positive, got {area}"))
    return out


def check_geojson(path: Path, ids: set[str]) -> list[Problem]:
    """A GeoJSON of region shapes: parseable, features with a known ``id`` property."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        return [Problem(str(path), None, None, "wrong encoding: not UTF-8")]
    except json.JSONDecodeError as e:
        return [Problem(str(path), e.lineno, None, f"not valid JSON: {e.msg}")]
    if data.get("type") != "FeatureCollection":
        return [Problem(str(path), None, None, "expected a GeoJSON FeatureCollection")]
    out = []
    for k, f in enumerate(data.get("features", []), start=1):
        fid = (f.get("properties") or {}).get("id")
        if fid is None:
            out.append(Problem(str(path), k, "id", "feature has no 'id' property"))
        elif fid not in ids:
            out.append(Problem(str(path), k, "id", f"feature id {fid!r} is not a region in the CSV"))
        if not isinstance(f.get("geometry"), dict) or f["geometry"].get("type") not in ("Polygon", "MultiPolygon"):
            out.append(Problem(str(path), k, "geometry", "expected a Polygon or MultiPolygon"))
    return out
