"""The norms of a standards folder (``norms.csv``, with ``sources.csv``) and a user's own
norms files (CSV or YAML) merged on top of them, each row validated against its neighbours:
known sources, known units, values inside the norm's range.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from twentyten.domain.region import Source
from twentyten.standards.errors import Problems, StandardsError
from twentyten.standards.files import read_csv, read_yaml
from twentyten.standards.model import Norm, Quality
from twentyten.standards.ranges import check_norm_value

NORM_COLUMNS = ("key", "value", "unit", "applies_to", "quality", "source_id", "note", "range")
#: Fields of a norm in a nested YAML norms file (anything else nests deeper).
_ROW_FIELDS = frozenset(NORM_COLUMNS) - {"key"}


def read_sources(path: Path) -> dict[str, Source]:
    out: dict[str, Source] = {}
    for line, row in read_csv(path, ("id", "title"), ("id", "title", "url", "licence", "attribution", "note")):
        sid = row["id"]
        if not sid:
            raise StandardsError(path, "id", sid, "empty source id", line)
        if sid in out:
            raise StandardsError(path, "id", sid, "duplicate source id", line)
        out[sid] = Source(id=sid, title=row.get("title", ""), url=row.get("url", ""))
    return out


def _norm_row(path: Path | str, row: Mapping[str, Any], line: int | None) -> Any:
    """The row as a :class:`~twentyten.standards.rows.NormRow`, or every problem of its shape."""
    from twentyten.standards.rows import NormRow, ValidationError, row_errors

    try:
        return NormRow.model_validate(dict(row))
    except ValidationError as exc:
        key = str(row.get("key", "")).strip()
        problems = []
        for field, reason in row_errors(exc):
            if field == "value":
                problems.append(StandardsError(path, key, row.get("value"), reason, line))
            elif field == "key":
                problems.append(StandardsError(path, "key", row.get("key"), reason, line))
            else:
                problems.append(StandardsError(path, f"{key} {field}".strip(), row.get(field), reason, line))
        raise StandardsError.many(problems) from None


def _make_norm(path: Path, line: int, row: Mapping[str, str], sources: Mapping[str, Source], user: bool) -> Norm:
    r = _norm_row(path, row, line)
    key, raw, unit, bounds = r.key, row.get("value", ""), r.unit, r.range
    check_norm_value(path, key, r.value, unit, raw, line, bounds)
    q_raw = r.quality or ("user" if user else "")
    try:
        quality = Quality(q_raw)
    except ValueError:
        allowed = ", ".join(q.value for q in Quality)
        raise StandardsError(path, f"{key} quality", q_raw, f"quality must be one of {allowed}", line) from None
    source_id, note = r.source_id, r.note
    if source_id and source_id not in sources:
        hint = difflib.get_close_matches(source_id, list(sources), n=3)
        extra = f"; did you mean {', '.join(hint)}?" if hint else ""
        raise StandardsError(path, f"{key} source_id", source_id, "not in sources.csv" + extra, line)
    if quality in (Quality.QUOTED, Quality.DERIVED, Quality.WEAK) and not source_id:
        raise StandardsError(path, f"{key} source_id", "", f"a {quality.value} norm needs a source_id", line)
    if quality is Quality.ASSUMPTION and not note:
        raise StandardsError(path, f"{key} note", "", "an assumption needs a note giving its rationale", line)
    return Norm(key, r.value, unit, r.applies_to or "*", quality, source_id, note, str(path), bounds, line)


def read_norms(path: Path, sources: Mapping[str, Source], user: bool) -> dict[str, Norm]:
    out: dict[str, Norm] = {}
    problems = Problems()
    for line, row in read_csv(path, ("key", "value"), NORM_COLUMNS):
        if not any(row.values()):
            continue
        try:
            norm = _make_norm(path, line, row, sources, user)
            if norm.key in out:
                raise StandardsError(path, norm.key, row.get("value"), "duplicate key", line)
        except StandardsError as exc:
            problems.add(exc)
            continue
        out[norm.key] = norm
    problems.raise_any()
    return out


def override_rows(
    overrides: str | Path | Mapping[str, float] | Iterable[str | Path] | None,
) -> list[tuple[str, list[tuple[int | None, dict[str, Any]]]]]:
    if overrides is None:
        return []
    if isinstance(overrides, Mapping):
        return [("overrides", [(None, {"key": k, "value": v}) for k, v in overrides.items()])]
    files = [overrides] if isinstance(overrides, (str, Path)) else list(overrides)
    out = []
    for f in files:
        p = Path(f)
        if not p.is_file():
            raise StandardsError(p, "file", str(p), "no such norms file")
        if p.suffix.lower() in (".yaml", ".yml"):
            data = read_yaml(p)
            if not isinstance(data, Mapping):
                raise StandardsError(p, "file", type(data).__name__, "a YAML norms file maps each key to a value")
            rows = list(_yaml_rows(data))
        elif p.suffix.lower() == ".csv":
            rows = [(line, dict(r)) for line, r in read_csv(p, ("key", "value"), NORM_COLUMNS) if any(r.values())]
        else:
            raise StandardsError(p, "file", p.suffix, "a norms file is .csv, .yaml or .yml")
        out.append((str(p), rows))
    return out


def _yaml_rows(data: Mapping[Any, Any], prefix: str = "") -> Iterable[tuple[int | None, dict[str, Any]]]:
    """Rows of a YAML norms file. Keys may be dotted (``hospital.alos_days: 6``) or nested
    (``hospital: {alos_days: 6}``); a mapping with a ``value`` gives the norm's fields."""
    for k, v in data.items():
        key = f"{prefix}{k}"
        if isinstance(v, Mapping) and ("value" in v or (v and set(map(str, v)) <= _ROW_FIELDS)):
            yield None, {**{str(f): x for f, x in v.items()}, "key": key}
        elif isinstance(v, Mapping) and v:
            yield from _yaml_rows(v, key + ".")
        else:
            yield None, {"key": key, "value": v}


def merge(
    norms: dict[str, Norm], rows: list[tuple[int | None, dict[str, Any]]], label: str, sources: Mapping[str, Source]
) -> None:
    seen: set[str] = set()
    problems = Problems()
    for line, row in rows:
        try:
            norm = _merge_row(norms, row, line, label, sources, seen)
        except StandardsError as exc:
            problems.add(exc)
            continue
        norms[norm.key] = norm
    problems.raise_any()


def _merge_row(
    norms: Mapping[str, Norm], row: Mapping[str, Any], line: int | None, label: str,
    sources: Mapping[str, Source], seen: set[str],
) -> Norm:
    key = str(row.get("key", "")).strip()
    raw = row.get("value")
    if key in seen:
        raise StandardsError(label, key, raw, "duplicate key", line)
    seen.add(key)
    if isinstance(raw, Mapping):
        raise StandardsError(label, key, raw, "expected a number (or a mapping with a 'value')", line)
    r = _norm_row(label, row, line)
    old = norms.get(key)
    unit = r.unit
    if old is None:
        if not unit:
            hint = difflib.get_close_matches(key, list(norms), n=3)
            extra = f" (did you mean {', '.join(hint)}?)" if hint else ""
            raise StandardsError(label, key, raw, "unknown norm; give a unit to add a new one" + extra, line)
    elif unit and unit != old.unit:
        raise StandardsError(label, key, raw, f"unit {unit!r} differs from the bundled unit {old.unit!r}", line)
    unit = unit or (old.unit if old else "")
    bounds = r.range or (old.bounds if old else "")
    check_norm_value(label, key, r.value, unit, raw, line, bounds, base=old.value if old and not r.range else None)
    source_id = r.source_id
    q_raw = r.quality or "user"
    try:
        quality = Quality(q_raw)
    except ValueError:
        allowed = ", ".join(q.value for q in Quality)
        raise StandardsError(label, f"{key} quality", q_raw, f"quality must be one of {allowed}", line) from None
    if source_id and source_id not in sources:
        # a user's own source: keep it as text so it is still cited
        quality = Quality.USER if quality is not Quality.ASSUMPTION else quality
    note = r.note or f"set by {label}"
    applies = r.applies_to or (old.applies_to if old else "*")
    return Norm(key, r.value, unit, applies, quality, source_id, note, label, bounds, line)
