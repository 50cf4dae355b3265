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
    for c in sorted({c for c in header if header.count(c) > 1}):
        problems.append(Problem(str(path), 1, c, f"column appears {header.count(c)} times"))
    if not rows and header:
        problems.append(Problem(str(path), None, None, "no data rows"))
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
    problems.extend(_check_totals(parsed, file))
    return parsed, problems


def _check_totals(parsed: list[dict[str, object]], file: str) -> list[Problem]:
    """A province has counties, and a province population given equals the sum of its counties'."""
    out = []
    sums: dict[object, int] = {}
    counts: dict[object, int] = {}
    for p in parsed:
        if p.get("level") == "county":
            counts[p.get("parent_id")] = counts.get(p.get("parent_id"), 0) + 1
            if isinstance(p.get("population"), int):
                sums[p.get("parent_id")] = sums.get(p.get("parent_id"), 0) + p["population"]  # type: ignore[operator]
    for i, p in enumerate(parsed, start=2):
        if p.get("level") != "province":
            continue
        pid = p.get("id")
        if not counts.get(pid):
            out.append(Problem(file, i, "id", f"province {pid!r} has no counties"))
        elif isinstance(p.get("population"), int) and sums.get(pid, 0) != p["population"]:
            out.append(Problem(file, i, "population",
                               f"province population {p['population']:,} differs from the sum of its counties, {sums.get(pid, 0):,}"))
    return out


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
    """A GeoJSON of region shapes: parseable, features with a known ``id`` and valid coordinates."""
    f = str(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        return [Problem(f, None, None, "wrong encoding: not UTF-8")]
    except json.JSONDecodeError as e:
        return [Problem(f, e.lineno, None, f"not valid JSON: {e.msg}")]
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        return [Problem(f, None, None, "expected a GeoJSON FeatureCollection")]
    feats = data.get("features")
    if not isinstance(feats, list):
        return [Problem(f, None, "features", "expected a list of features")]
    out = []
    for k, feat in enumerate(feats, start=1):
        if not isinstance(feat, dict):
            out.append(Problem(f, k, None, "feature is not an object"))
            continue
        props = feat.get("properties") if isinstance(feat.get("properties"), dict) else {}
        fid = props.get("id")
        if fid is None:
            out.append(Problem(f, k, "id", "feature has no 'id' property"))
        elif fid not in ids:
            out.append(Problem(f, k, "id", f"feature id {fid!r} is not a region in the CSV"))
        reason = _geometry_problem(feat.get("geometry"))
        if reason:
            out.append(Problem(f, k, "geometry", reason))
    return out


def _is_position(p: object) -> bool:
    return (isinstance(p, list) and len(p) >= 2
            and all(isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x) for x in p[:2])
            and -180 <= p[0] <= 180 and -90 <= p[1] <= 90)


def _ring_problem(ring: object) -> str | None:
    if not isinstance(ring, list) or len(ring) < 4:
        return "a polygon ring needs at least 4 positions"
    if not all(_is_position(p) for p in ring):
        return "coordinates must be [lon, lat] numbers within range"
    if ring[0][:2] != ring[-1][:2]:
        return "a polygon ring must end where it starts"
    return None


def _geometry_problem(geom: object) -> str | None:
    if not isinstance(geom, dict):
        return "missing geometry"
    t, coords = geom.get("type"), geom.get("coordinates")
    if t == "Point":
        return None if _is_position(coords) else "a Point needs [lon, lat] numbers within range"
    if t == "Polygon":
        polys = [coords]
    elif t == "MultiPolygon":
        polys = coords if isinstance(coords, list) else None
    else:
        return f"expected a Polygon, MultiPolygon or Point, got {t!r}"
    if not polys:
        return "empty coordinates"
    for poly in polys:
        if not isinstance(poly, list) or not poly:
            return "a polygon needs at least one ring"
        for ring in poly:
            reason = _ring_problem(ring)
            if reason:
                return reason
    return None
