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

from twentyten.atlas.schema import REGION_COLUMNS, AttributeSpec


@dataclass(frozen=True)
class Problem:
    """One problem: the file, the row (or GeoJSON feature) and column or key, and the reason."""

    file: str
    row: int | None
    column: str | None
    reason: str
    unit: str = "row"  # "row" of a CSV (header = 1) or "feature" of a GeoJSON (first = 1)
    key: str | None = None  # e.g. the feature's id

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", {self.unit} {self.row}"
        if self.key:
            where += f" ({self.key})"
        if self.column:
            where += f", {self.column}" if self.unit == "feature" else f", column {self.column!r}"
        return f"{where}: {self.reason}"


class AtlasValidationError(ValueError):
    """The atlas's own error: raised with every problem found; nothing was loaded.

    Every failure to load a dataset (a missing dataset, a bad file) is one of these, so a
    caller catches this one type and prints ``str(error)``: one line per problem.
    """

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        if len(problems) == 1:
            super().__init__(str(problems[0]))
        else:
            head = f"{len(problems)} problems in the atlas data"
            super().__init__(head + ":\n" + "\n".join(f"  {p}" for p in problems))


class DatasetNotFound(AtlasValidationError):
    """The dataset named (an argument or the ``dataset`` setting) is neither bundled nor a path."""


def read_table(path: Path, columns: tuple[str, ...], required: tuple[str, ...]) -> tuple[list[dict[str, str]], list[str], list[Problem]]:
    """Read a CSV as strings with its header. Wrong encoding, a runaway cell, a missing or
    unknown column and a row with the wrong number of fields are problems, not exceptions."""
    f = str(path)
    try:
        raw = path.read_bytes()
    except OSError as e:
        return [], [], [Problem(f, None, None, f"cannot read: {e.strerror or e}")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        return [], [], [Problem(f, line, None, f"wrong encoding: not UTF-8 (byte 0x{raw[e.start]:02x} at offset {e.start})")]
    if not text.strip():
        return [], [], [Problem(f, None, None, "empty file")]
    reader = csv.DictReader(io.StringIO(text.replace("\r\n", "\n")))
    rows: list[dict[str, str]] = []
    fields = None
    try:
        fields = reader.fieldnames
        for r in reader:
            rows.append(r)
    except csv.Error as e:  # the record after the last one read (header = row 1)
        limit = csv.field_size_limit()
        reason = (f"a cell longer than {limit:,} characters (an unterminated quote, or not a CSV file?)"
                  if "field limit" in str(e) else f"not a readable CSV: {e}")
        return [], [], [Problem(f, 1 if fields is None else len(rows) + 2, None, reason)]
    problems = []
    header = list(fields or [])
    for col in required:
        if col not in header:
            problems.append(Problem(f, 1, col, "required column is missing"))
    for c in sorted({c for c in header if header.count(c) > 1}):
        problems.append(Problem(f, 1, c, f"column appears {header.count(c)} times"))
    if not rows and header:
        problems.append(Problem(f, None, None, "no data rows"))
    for c in header:
        if c not in columns:
            problems.append(Problem(f, 1, c, f"unknown column (known: {', '.join(columns)})"))
    for i, r in enumerate(rows, start=2):
        if None in r:
            problems.append(Problem(f, i, None, f"row has {len(header) + len(r[None])} fields, header has {len(header)}"))
    return rows, list(header), problems


def validate_rows(model: type, columns: tuple[AttributeSpec, ...], rows: list[dict[str, str]], file: str,
                  header: list[str] | None = None) -> tuple[list[dict[str, object]], list[Problem]]:
    """Each row through its typed model; a row with bad cells keeps its good ones, so that
    the rules across rows and columns still see them (every problem is reported at once)."""
    from twentyten.atlas.rows import ValidationError, cell_errors, parse_cell

    specs = {a.name: a for a in columns}
    present = set(header) if header is not None else None
    problems: list[Problem] = []
    parsed: list[dict[str, object]] = []
    for i, r in enumerate(rows, start=2):
        cells = {c: v for c, v in r.items() if c in specs}  # other columns: reported with the header
        try:
            parsed.append(dict(model.model_validate(cells)))
            continue
        except ValidationError as e:
            errors = cell_errors(e, present)
        problems += [Problem(file, i, col, reason) for col, reason in errors]
        bad = {col for col, _ in errors}
        p: dict[str, object] = dict.fromkeys(specs)
        for c, v in cells.items():
            if c not in bad:
                try:
                    p[c] = parse_cell(specs[c], v)
                except ValueError:  # a required column absent from the header
                    p[c] = None
        parsed.append(p)
    return parsed, problems


def check_rows(rows: list[dict[str, str]], file: str, header: list[str] | None = None) -> tuple[list[dict[str, object]], list[Problem]]:
    """Parse and check every row; return parsed rows and all problems."""
    from twentyten.atlas.rows import RegionRow

    parsed, problems = validate_rows(RegionRow, REGION_COLUMNS, rows, file, header)
    seen: dict[str, int] = {}
    for i, p in enumerate(parsed, start=2):
        rid = p.get("id")
        if isinstance(rid, str):
            if rid in seen:
                problems.append(Problem(file, i, "id", f"duplicate id {rid!r} (first at row {seen[rid]})"))
            else:
                seen[rid] = i
        problems.extend(_check_geometry(p, file, i))
    # parents, after all ids are known
    levels = {p.get("id"): p.get("level") for p in parsed}
    for i, p in enumerate(parsed, start=2):
        parent, level = p.get("parent_id"), p.get("level")
        if parent is not None and parent == p.get("id"):
            problems.append(Problem(file, i, "parent_id", f"{level or 'region'} {parent!r} is its own parent"))
        elif level == "province" and parent is not None:
            problems.append(Problem(file, i, "parent_id",
                                    f"a province has no parent (got {parent!r}); leave parent_id empty"))
        elif level == "county":
            if parent is None:
                problems.append(Problem(file, i, "parent_id", "a county needs the id of its province"))
            elif parent not in levels:
                problems.append(Problem(file, i, "parent_id", f"unknown parent {parent!r}"))
            elif levels[parent] != "province":
                problems.append(Problem(file, i, "parent_id", f"parent {parent!r} is not a province"))
    problems.extend(_check_totals(parsed, file))
    return parsed, problems


def _check_totals(parsed: list[dict[str, object]], file: str) -> list[Problem]:
    """A province has counties, and a province population given equals the sum of its
    counties' (not checked while a county's population is unreadable: that is reported)."""
    out = []
    sums: dict[object, int] = {}
    counts: dict[object, int] = {}
    unknown: set[object] = set()
    for p in parsed:
        if p.get("level") == "county":
            parent, pop = p.get("parent_id"), p.get("population")
            counts[parent] = counts.get(parent, 0) + 1
            if isinstance(pop, int):
                sums[parent] = sums.get(parent, 0) + pop
            else:
                unknown.add(parent)
    for i, p in enumerate(parsed, start=2):
        if p.get("level") != "province":
            continue
        pid, pop = p.get("id"), p.get("population")
        if not counts.get(pid):
            out.append(Problem(file, i, "id", f"province {pid!r} has no counties"))
        elif isinstance(pop, int) and pid not in unknown and sums.get(pid, 0) != pop:
            out.append(Problem(file, i, "population",
                               f"province population {pop:,} differs from the sum of its counties, {sums.get(pid, 0):,}"))
    return out


def _check_geometry(p: dict[str, object], file: str, row: int) -> list[Problem]:
    """A point needs both coordinates; a bounding box all four edges, not inverted, around the point."""
    out = []
    lon, lat = p.get("lon"), p.get("lat")
    if (lon is None) != (lat is None):
        out.append(Problem(file, row, "lon" if lon is None else "lat", "a point needs both lon and lat"))
    box = [p.get(k) for k in BBOX]
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
    return out


BBOX = ("bbox_w", "bbox_s", "bbox_e", "bbox_n")

#: How far (km) a shape may reach beyond its region's bounding box in regions.csv. The
#: bundled cells are clipped to the box (1 km margin; small islands keep a 3 km disc).
SHAPE_MARGIN_KM = 10.0
_KM_PER_DEGREE = 111.32


def boxes_of(parsed: list[dict[str, object]]) -> dict[str, tuple[float, float, float, float] | None]:
    """Region id -> its bounding box (w, s, e, n) when it has a complete one."""
    out: dict[str, tuple[float, float, float, float] | None] = {}
    for p in parsed:
        if isinstance(p.get("id"), str):
            box = tuple(p.get(k) for k in BBOX)
            ok = all(isinstance(b, float) for b in box) and box[0] <= box[2] and box[1] <= box[3]  # type: ignore[operator]
            out[p["id"]] = box if ok else None  # type: ignore[index,assignment]
    return out


def check_geojson(path: Path, boxes: dict[str, tuple[float, float, float, float] | None],
                  topology: bool = True) -> list[Problem]:
    """A GeoJSON of region shapes: parseable; each feature with a known, unique ``id``; valid
    coordinates; polygons that do not cross themselves (``topology``; checked when shapely,
    the ``geo`` extra, is installed); and within :data:`SHAPE_MARGIN_KM` of the region's
    bounding box."""
    f = str(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        return [Problem(f, None, None, "wrong encoding: not UTF-8")]
    except json.JSONDecodeError as e:
        return [Problem(f, e.lineno, None, f"not valid JSON: {e.msg}")]
    except OSError as e:
        return [Problem(f, None, None, f"cannot read: {e.strerror or e}")]
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        return [Problem(f, None, None, "expected a GeoJSON FeatureCollection")]
    feats = data.get("features")
    if not isinstance(feats, list):
        return [Problem(f, None, "features", "expected a list of features")]
    out = []
    seen: dict[object, int] = {}
    sound: list[tuple[int, str | None, dict]] = []  # features whose coordinates are well-formed
    for k, feat in enumerate(feats, start=1):
        if not isinstance(feat, dict):
            out.append(Problem(f, k, None, "feature is not an object", unit="feature"))
            continue
        props = feat.get("properties") if isinstance(feat.get("properties"), dict) else {}
        fid = props.get("id")
        key = f"id {fid!r}" if fid is not None else None
        if fid is None:
            out.append(Problem(f, k, "id", "feature has no 'id' property", unit="feature"))
        elif not isinstance(fid, str) or fid not in boxes:
            out.append(Problem(f, k, "id", f"feature id {fid!r} is not a region in the CSV", unit="feature"))
        elif fid in seen:
            out.append(Problem(f, k, "id", f"duplicate feature id {fid!r} (first at feature {seen[fid]})",
                               unit="feature"))
        else:
            seen[fid] = k
        reason = _geometry_problem(feat.get("geometry"))
        if reason:
            out.append(Problem(f, k, "geometry", reason, unit="feature", key=key))
            continue
        sound.append((k, fid if isinstance(fid, str) else None, feat["geometry"]))
        box = boxes.get(fid) if isinstance(fid, str) else None
        if box is not None:
            far = _km_outside(feat["geometry"], box)
            if far > SHAPE_MARGIN_KM:
                out.append(Problem(f, k, "geometry",
                                   f"shape reaches {far:,.0f} km outside the region's bounding box in the CSV "
                                   f"({SHAPE_MARGIN_KM:g} km allowed; a wrong id or swapped coordinates)",
                                   unit="feature", key=key))
    if topology:
        out += _topology_problems(f, sound)
    return out


def _rings(geom: dict) -> list[list[list[float]]]:
    t, c = geom["type"], geom["coordinates"]
    if t == "Point":
        return [[c]]
    return list(c) if t == "Polygon" else [ring for poly in c for ring in poly]


def _km_outside(geom: dict, box: tuple[float, float, float, float]) -> float:
    """How far (km) the shape's extent reaches outside ``box`` (0 when it lies inside)."""
    xs = [p[0] for ring in _rings(geom) for p in ring]
    ys = [p[1] for ring in _rings(geom) for p in ring]
    w, s, e, n = box
    kx = _KM_PER_DEGREE * math.cos(math.radians((s + n) / 2))
    dx = max(w - min(xs), 0.0, max(xs) - e) * kx
    dy = max(s - min(ys), 0.0, max(ys) - n) * _KM_PER_DEGREE
    return math.hypot(dx, dy)


def _topology_problems(file: str, feats: list[tuple[int, str | None, dict]]) -> list[Problem]:
    """Polygons that cross themselves or are otherwise invalid (OGC rules, via shapely)."""
    try:
        import shapely
        from shapely.geometry import shape
    except ImportError:  # the geo extra is absent: the only check skipped; `atlas validate` says so
        return []
    polys = [(k, fid, shape(g)) for k, fid, g in feats if g.get("type") != "Point"]
    reasons = shapely.is_valid_reason([g for _, _, g in polys]) if polys else []
    out = []
    for (k, fid, _), reason in zip(polys, reasons, strict=True):
        if reason and reason != "Valid Geometry":
            out.append(Problem(file, k, "geometry", _topology_words(reason), unit="feature",
                               key=f"id {fid!r}" if fid is not None else None))
    return out


def _topology_words(reason: str) -> str:
    what, _, where = reason.partition("[")
    at = ""
    if where:
        xy = where.rstrip("]").split()
        at = f" near ({', '.join(xy[:2])})"
    if "Self-intersection" in what:
        return f"polygon crosses itself{at}"
    return f"invalid polygon: {what.strip().lower()}{at}"


def topology_checked() -> bool:
    """Whether shapes are checked for self-intersection (shapely, the ``geo`` extra, is installed)."""
    import importlib.util

    return importlib.util.find_spec("shapely") is not None


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
