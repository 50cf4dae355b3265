"""Read a standards folder (catalogue.yaml, norms.csv, improvements.csv, sources.csv) and
a user's own norms files, validating at the boundary.

Every error names the file, the key and the offending value.
"""

from __future__ import annotations

import csv
import difflib
import math
import re
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from twentyten.domain.facility import FACILITY_TYPES
from twentyten.domain.region import Source
from twentyten.standards.model import (
    Expr,
    FacilityType,
    FactoryKind,
    Improvement,
    LineRule,
    Norm,
    Op,
    Quality,
    Standards,
)

FILES = ("catalogue.yaml", "norms.csv", "improvements.csv", "sources.csv")
NORM_COLUMNS = ("key", "value", "unit", "applies_to", "quality", "source_id", "note", "range")
#: Fields of a norm in a nested YAML norms file (anything else nests deeper).
_ROW_FIELDS = frozenset(NORM_COLUMNS) - {"key"}
IMPROVEMENT_COLUMNS = ("year", "name", "facility_type", "key", "op", "value", "source_id", "note")
_KEY = re.compile(r"^[a-z0-9][a-z0-9_.\-]*$")


class StandardsError(ValueError):
    """A bad standards or norms file: names the file, the key and the value.

    When several problems are found at once, ``problems`` holds every one of them (each a
    :class:`StandardsError`); ``file``, ``key``, ``value`` and ``line`` are those of the first.
    """

    def __init__(self, file: str | Path, key: str, value: object, problem: str, line: int | None = None):
        self.file = str(file)
        self.key = key
        self.value = value
        self.problem = problem
        self.line = line
        self.problems: tuple[StandardsError, ...] = (self,)
        super().__init__(self.where())

    def where(self) -> str:
        place = f"{self.file}" + (f" line {self.line}" if self.line else "")
        return f"{place}: {self.key} = {self.value!r}: {self.problem}"

    @classmethod
    def many(cls, problems: list[StandardsError]) -> StandardsError:
        """One error reporting every problem (the first gives file, key and value)."""
        if len(problems) == 1:
            return problems[0]
        first = problems[0]
        err = cls(first.file, first.key, first.value, first.problem, first.line)
        err.problems = tuple(problems)
        err.args = (f"{len(problems)} problems:\n" + "\n".join("  " + p.where() for p in problems),)
        return err


class _Problems:
    """Collects the problems of a file so that all are reported at once."""

    def __init__(self) -> None:
        self.found: list[StandardsError] = []

    def add(self, err: StandardsError) -> None:
        self.found.extend(err.problems)

    def raise_any(self) -> None:
        if self.found:
            raise StandardsError.many(self.found)


def bundled_path() -> Path:
    """Folder of the bundled standard (the DPRK 20x10 programme)."""
    return Path(str(resources.files("twentyten") / "data" / "standards"))


def load_standards(
    path: str | Path | None = None,
    overrides: str | Path | Mapping[str, float] | Iterable[str | Path] | None = None,
) -> Standards:
    """Load a standards folder and apply a user's own norms on top.

    Parameters
    ----------
    path
        Folder with ``catalogue.yaml``, ``norms.csv``, ``improvements.csv`` and
        ``sources.csv``; the bundled DPRK standard when ``None``.
    overrides
        A norms file (CSV with at least ``key,value`` columns, or YAML mapping each key to
        a value or to ``{value, unit, source_id, note}``), several files, or a mapping
        ``{key: value}``. A known key replaces the bundled value (for the base year;
        improvements still apply on top); a new key extends the norms and must give its
        unit.

    Raises
    ------
    StandardsError
        naming the file, key and value of the first problem found.

    Examples
    --------
    >>> std = load_standards()
    >>> std.for_year(2024).value("grain.ration_g_per_day")
    573.0
    """
    folder = Path(path) if path is not None else bundled_path()
    if not folder.is_dir():
        raise StandardsError(folder, "path", str(folder), "not a folder with standards files")
    for name in FILES:
        if not (folder / name).is_file():
            raise StandardsError(folder / name, "file", name, "missing from the standards folder")

    sources = _read_sources(folder / "sources.csv")
    norms = _read_norms(folder / "norms.csv", sources, user=False)
    applied: list[str] = []
    for label, rows in _override_rows(overrides):
        _merge(norms, rows, label, sources)
        applied.append(label)
    catalogue = _read_yaml(folder / "catalogue.yaml")
    std = _build(folder, catalogue, norms, sources, tuple(applied))
    _check_years(std)
    return std


# -- sources and norms -----------------------------------------------------------------


def _read_csv(path: Path, required: tuple[str, ...], known: tuple[str, ...] | None = None) -> list[tuple[int, dict[str, str]]]:
    """Rows of a CSV as stripped strings with their line numbers (header = 1). A missing or
    unknown column, a row with more fields than the header and a runaway cell are errors
    naming the file and line (all of them at once), never exceptions of the csv module."""
    line = 0  # the last line read
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            header = [h.strip() for h in (reader.fieldnames or [])]
            missing = [c for c in required if c not in header]
            if missing:
                raise StandardsError(path, "columns", ",".join(header), f"missing column(s) {', '.join(missing)}", 1)
            unknown = [c for c in header if known is not None and c not in known]
            if unknown:
                raise StandardsError(path, "columns", ",".join(header),
                                     f"unknown column(s) {', '.join(unknown)} (known: {', '.join(known or ())})", 1)
            rows = []
            problems = _Problems()
            line = 1
            for row in reader:
                line = reader.line_num
                extra = row.pop(None, None)  # type: ignore[call-overload]
                if extra is not None:
                    fields = [v for v in extra if isinstance(v, str)]
                    problems.add(StandardsError(path, (row.get("key") or "row").strip(), ",".join(fields),
                                                f"row has {len(header) + len(fields)} fields, header has {len(header)} "
                                                "(a comma inside a value needs quotes)", line))
                    continue
                rows.append((line, {(k or "").strip(): (v or "").strip() for k, v in row.items()}))
            problems.raise_any()
            return rows
    except UnicodeDecodeError as exc:
        raise StandardsError(path, "file", path.name, f"not UTF-8 text ({exc.reason})") from None
    except csv.Error as exc:
        limit = csv.field_size_limit()
        why = (f"a cell longer than {limit:,} characters (an unterminated quote?)" if "field limit" in str(exc)
               else f"not a readable CSV ({exc})")
        raise StandardsError(path, "file", path.name, why, line + 1) from None
    except OSError as exc:
        raise StandardsError(path, "file", path.name, f"cannot read ({exc.strerror or exc})") from None


def _read_sources(path: Path) -> dict[str, Source]:
    out: dict[str, Source] = {}
    for line, row in _read_csv(path, ("id", "title"), ("id", "title", "url", "licence", "attribution", "note")):
        sid = row["id"]
        if not sid:
            raise StandardsError(path, "id", sid, "empty source id", line)
        if sid in out:
            raise StandardsError(path, "id", sid, "duplicate source id", line)
        out[sid] = Source(id=sid, title=row.get("title", ""), url=row.get("url", ""))
    return out


def _number(path: Path | str, key: str, raw: object, line: int | None = None) -> float:
    """A finite number: CSV text read strictly (as the norms' values), or a number."""
    from twentyten.atlas.schema import parse_float

    if isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
        raise StandardsError(path, key, raw, "not a number", line)
    try:
        v = parse_float(raw.strip()) if isinstance(raw, str) else float(raw)
    except ValueError as exc:
        raise StandardsError(path, key, raw, str(exc).split(":")[0], line) from None
    if not math.isfinite(v):
        raise StandardsError(path, key, raw, "not a finite number", line)
    return v


_BOUND = re.compile(r"^(>=|<=|>|<)\s*(-?[0-9]+(?:\.[0-9]+)?)$")


def parse_range(text: str, unit: str = "") -> tuple[tuple[str, float], ...]:
    """The bounds of a norm from its ``range`` column, e.g. ``">0"`` or ``">=0 <=1"``.

    An empty range means ``>=0`` (norms are never negative), plus ``<=1`` for a share.
    Raises ``ValueError`` for a range that cannot be read.

    >>> parse_range(">0")
    (('>', 0.0),)
    >>> parse_range("", "share of cost")
    (('>=', 0.0), ('<=', 1.0))
    """
    parts = str(text or "").replace(",", " ").split()
    if not parts:
        return ((">=", 0.0), ("<=", 1.0)) if unit.startswith("share") else ((">=", 0.0),)
    out = []
    for part in parts:
        m = _BOUND.match(part)
        if not m:
            raise ValueError(f"range {text!r}: expected bounds such as '>0', '>=1' or '>=0 <=1'")
        out.append((m.group(1), float(m.group(2))))
    return tuple(out)


_OK = {">": lambda v, b: v > b, ">=": lambda v, b: v >= b, "<": lambda v, b: v < b, "<=": lambda v, b: v <= b}
_WORDS = {">": "greater than", ">=": "at least", "<": "less than", "<=": "at most"}


def range_problem(v: float, bounds: tuple[tuple[str, float], ...], unit: str) -> str | None:
    """Why ``v`` is outside ``bounds`` (in words), or ``None`` when it is inside."""
    bad = [f"{_WORDS[op]} {b:g}" for op, b in bounds if not _OK[op](v, b)]
    if not bad:
        return None
    if bounds == ((">=", 0.0),):
        return "norms cannot be negative"
    allowed = " and ".join(f"{_WORDS[op]} {b:g}" for op, b in bounds)
    kind = "a share" if unit.startswith("share") else "this norm"
    lead = "norms cannot be negative: " if v < 0 else ""
    return f"{lead}{kind} must be {allowed} (unit {unit!r}; the norm's range in norms.csv)"


#: No planning norm is this large (per person, per m², per facility): a bigger value is a
#: typing or unit mistake.
MAX_NORM = 1e12
#: A user's value for a bundled norm whose range has no upper bound may be at most this many
#: times the bundled value (a range column in the user's file allows more).
PLAUSIBLE_FACTOR = 1000


def _check_norm_value(
    path: Path | str, key: str, v: float, unit: str, raw: object, line: int | None, bounds: str = "",
    base: float | None = None,
) -> None:
    try:
        parsed = parse_range(bounds, unit)
    except ValueError as exc:
        raise StandardsError(path, f"{key} range", bounds, str(exc), line) from None
    problem = range_problem(v, parsed, unit)
    if problem:
        raise StandardsError(path, key, raw, problem, line)
    if any(op in ("<", "<=") for op, _ in parsed):
        return
    if abs(v) > MAX_NORM:
        raise StandardsError(path, key, raw, f"{v:g} is out of range: no norm is larger than {MAX_NORM:g} "
                                             f"(a typing or unit mistake?)", line)
    if base is not None and base > 0 and v > PLAUSIBLE_FACTOR * base:
        raise StandardsError(path, key, raw,
                             f"{v:g} is out of range: more than {PLAUSIBLE_FACTOR:,} times the bundled {base:g} {unit} "
                             "(a typing or unit mistake? give a 'range' column to allow it)", line)


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
    _check_norm_value(path, key, r.value, unit, raw, line, bounds)
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


def _read_norms(path: Path, sources: Mapping[str, Source], user: bool) -> dict[str, Norm]:
    out: dict[str, Norm] = {}
    problems = _Problems()
    for line, row in _read_csv(path, ("key", "value"), NORM_COLUMNS):
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


def _override_rows(
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
            data = _read_yaml(p)
            if not isinstance(data, Mapping):
                raise StandardsError(p, "file", type(data).__name__, "a YAML norms file maps each key to a value")
            rows = list(_yaml_rows(data))
        elif p.suffix.lower() == ".csv":
            rows = [(line, dict(r)) for line, r in _read_csv(p, ("key", "value"), NORM_COLUMNS) if any(r.values())]
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


def _merge(
    norms: dict[str, Norm], rows: list[tuple[int | None, dict[str, Any]]], label: str, sources: Mapping[str, Source]
) -> None:
    seen: set[str] = set()
    problems = _Problems()
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
    _check_norm_value(label, key, r.value, unit, raw, line, bounds, base=old.value if old and not r.range else None)
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


# -- catalogue -------------------------------------------------------------------------


def _read_yaml(path: Path) -> Any:
    import yaml

    try:
        return yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise StandardsError(path, "file", path.name, f"not valid YAML ({getattr(exc, 'problem', exc)})", line) from None


def _strs(v: object) -> tuple[str, ...]:
    if v is None:
        return ()
    if isinstance(v, str):
        return (v,)
    return tuple(str(x) for x in v)  # type: ignore[union-attr]


def _build(
    folder: Path,
    cat: Any,
    norms: dict[str, Norm],
    sources: Mapping[str, Source],
    overrides: tuple[str, ...],
) -> Standards:
    path = folder / "catalogue.yaml"
    if not isinstance(cat, Mapping):
        raise StandardsError(path, "file", type(cat).__name__, "the catalogue is a YAML mapping")
    base_year = cat.get("base_year")
    if not isinstance(base_year, int):
        raise StandardsError(path, "base_year", base_year, "an integer year is required")

    def src(where: str, sid: object) -> str:
        s = str(sid or "")
        if s and s not in sources:
            raise StandardsError(path, where, s, "source not in sources.csv")
        return s

    ftypes: dict[str, FacilityType] = {}
    for key, spec in (cat.get("facility_types") or {}).items():
        if key not in FACILITY_TYPES:
            raise StandardsError(path, "facility_types", key, f"unknown facility type; known: {', '.join(FACILITY_TYPES)}")
        spec = spec or {}
        requires = str(spec.get("requires") or "")
        if requires not in ("", "coastal"):
            raise StandardsError(path, f"facility_types.{key}.requires", requires, "only 'coastal' is understood")
        source = src(f"facility_types.{key}.source", spec.get("source"))
        cited = [source, *(src(f"facility_types.{key}.sources", s) for s in _strs(spec.get("sources")))]
        ftypes[key] = FacilityType(
            key, str(spec.get("name") or key), str(spec.get("description") or ""), source, requires,
            str(spec.get("reason") or "").strip(), tuple(dict.fromkeys(s for s in cited if s)),
        )
    if not ftypes:
        raise StandardsError(path, "facility_types", None, "the catalogue lists no facility types")

    factories: dict[str, FactoryKind] = {}
    for key, spec in (cat.get("factories") or {}).items():
        spec = spec or {}
        factories[str(key)] = FactoryKind(
            str(key), str(spec.get("name") or key), bool(spec.get("standard", False)),
            src(f"factories.{key}.source", spec.get("source")),
        )

    lines: list[LineRule] = []
    ids: set[str] = set()
    for i, spec in enumerate(cat.get("lines") or []):
        where = f"lines[{i}]"
        if not isinstance(spec, Mapping):
            raise StandardsError(path, where, spec, "each line is a mapping with id, factory, when, demand, reason")
        lid = str(spec.get("id") or "")
        if not lid or lid in ids:
            raise StandardsError(path, f"{where}.id", lid, "missing or duplicate line id")
        ids.add(lid)
        where = f"lines[{i}] ({lid})"
        factory = str(spec.get("factory") or "")
        if factory not in factories:
            raise StandardsError(path, f"{where}.factory", factory, f"not one of the factories: {', '.join(factories)}")
        when = spec.get("when")
        always = when == "always"
        if not always and not (isinstance(when, Mapping) and (when.get("physiography") or when.get("materials"))):
            raise StandardsError(path, f"{where}.when", when, "'always' or a mapping with physiography and/or materials")
        exprs = {}
        for name in ("demand", "supply"):
            raw = spec.get(name)
            if raw is None:
                if name == "demand":
                    raise StandardsError(path, f"{where}.demand", raw, "every line needs a demand norm")
                continue
            try:
                e = Expr.parse(str(raw))
            except ValueError as exc:
                raise StandardsError(path, f"{where}.{name}", raw, str(exc)) from None
            for k in e.keys:
                if k not in norms:
                    hint = difflib.get_close_matches(k, list(norms), n=3)
                    extra = f"; did you mean {', '.join(hint)}?" if hint else ""
                    raise StandardsError(path, f"{where}.{name}", raw, f"norm {k!r} is not in norms.csv{extra}")
            exprs[name] = e
        reason = str(spec.get("reason") or "")
        if not reason:
            raise StandardsError(path, f"{where}.reason", reason, "every line needs a reason")
        w = when if isinstance(when, Mapping) else {}
        lines.append(LineRule(
            id=lid, factory=factory, name=str(spec.get("name") or lid), demand=exprs["demand"],
            reason=reason, source=src(f"{where}.source", spec.get("source")), always=always,
            physiography=_strs(w.get("physiography")), materials=_strs(w.get("materials")),
            min_population=int(spec.get("min_population") or 0), supply=exprs.get("supply"),
        ))

    improvements = _read_improvements(folder / "improvements.csv", norms, sources, ftypes, base_year)
    return Standards(
        country=str(cat.get("country") or ""), base_year=base_year, cost_unit=str(cat.get("cost_unit") or ""),
        facility_types=ftypes, factories=factories, lines=tuple(lines), norms=norms,
        improvements=improvements, sources=dict(sources), programme=str(cat.get("programme") or ""),
        origin=str(folder), overrides=overrides,
    )


def _read_improvements(
    path: Path, norms: Mapping[str, Norm], sources: Mapping[str, Source], ftypes: Mapping[str, FacilityType], base_year: int
) -> tuple[Improvement, ...]:
    out: list[Improvement] = []
    for line, row in _read_csv(path, IMPROVEMENT_COLUMNS[:6], IMPROVEMENT_COLUMNS):
        if not any(row.values()):
            continue
        key = row["key"]
        try:
            year = int(row["year"])
        except ValueError:
            raise StandardsError(path, f"{key} year", row["year"], "not an integer year", line) from None
        if year <= base_year:
            raise StandardsError(path, f"{key} year", year, f"improvements start after the base year {base_year}", line)
        if key not in norms:
            raise StandardsError(path, "key", key, "not a norm in norms.csv", line)
        try:
            op = Op(row["op"])
        except ValueError:
            raise StandardsError(path, f"{key} op", row["op"], "op must be set, add or multiply", line) from None
        value = _number(path, key, row["value"], line)
        ftype = row["facility_type"]
        if ftype not in ftypes and ftype != "*":
            raise StandardsError(path, f"{key} facility_type", ftype, "not a facility type of the catalogue", line)
        sid = row.get("source_id", "")
        if sid and sid not in sources:
            raise StandardsError(path, f"{key} source_id", sid, "not in sources.csv", line)
        if not row["name"]:
            raise StandardsError(path, f"{key} name", "", "every improvement needs a name", line)
        out.append(Improvement(year, row["name"], ftype, key, op, value, sid, row.get("note", "")))
    out.sort(key=lambda i: i.year)  # stable: file order within a year
    return tuple(out)


def min_max_pairs(keys: Iterable[str]) -> list[tuple[str, str]]:
    """Pairs of norms that bound one quantity: ``x.min_beds`` and ``x.max_beds``."""
    keys = set(keys)
    out = []
    for k in sorted(keys):
        prefix, dot, name = k.rpartition(".")
        if name.startswith("min_") and f"{prefix}{dot}max_{name[4:]}" in keys:
            out.append((k, f"{prefix}{dot}max_{name[4:]}"))
    return out


def _min_above_max(std: Standards, low: str, high: str, values: Mapping[str, float], year: int) -> StandardsError:
    """The error for a minimum above its maximum, pointing at the file that set it (a user's
    file before the bundled one)."""
    nl, nh = std.norms[low], std.norms[high]
    text = f"the minimum {low} = {values[low]:g} is above the maximum {high} = {values[high]:g}"
    culprit = next((n for n in (nl, nh) if n.origin in std.overrides), None)
    if year > std.base_year:
        text += f" by {year}, with the improvements of improvements.csv"
        if culprit is None:
            moved = next((i for i in reversed(std.improvements) if i.key in (low, high) and i.year <= year), None)
            key = moved.key if moved else low
            return StandardsError(Path(std.origin) / "improvements.csv", key, round(values[key], 6), text)
    culprit = culprit or nl
    return StandardsError(culprit.origin, culprit.key, culprit.value, text, culprit.line)


def _check_years(std: Standards) -> None:
    """Every year's values stay within their norms' ranges (shares within 0..1, divisors
    positive, nothing negative) and payer shares sum to 1."""
    last = std.last_year
    problems = _Problems()
    reported: set[str] = set()
    pairs = min_max_pairs(std.norms)
    reported_pairs: set[tuple[str, str]] = set()
    for year in range(std.base_year, last + 1):
        values = std.for_year(year).values
        for key, v in values.items():
            n = std.norms[key]
            if key in reported:
                continue
            bounds = parse_range(n.bounds, n.unit)
            problem = range_problem(v, bounds, n.unit)
            if not problem and abs(v) > MAX_NORM and not any(op in ("<", "<=") for op, _ in bounds):
                problem = f"{v:g} is out of range: no norm is larger than {MAX_NORM:g}"
            if not problem:
                continue
            reported.add(key)
            culprit = [i for i in std.improvements if i.key == key and i.year <= year]
            if n.origin in std.overrides or not culprit:
                where, base = n.origin, n.value  # the user's value is what the improvements push too far
                text = f"with the improvements of improvements.csv it reaches {v:g} by {year}, out of range: {problem}"
            else:
                where, base = str(Path(std.origin) / "improvements.csv"), round(v, 6)
                text = f"improvements take it out of range by {year}: {problem}"
            problems.add(StandardsError(where, key, base, text))
        for low, high in pairs:
            if (low, high) in reported_pairs or values[low] <= values[high]:
                continue
            reported_pairs.add((low, high))
            problems.add(_min_above_max(std, low, high, values, year))
    problems.raise_any()
    values = std.for_year(last).values
    for prefix in {k.rsplit(".", 1)[0] for k in values if k.endswith(".payer_centre")}:
        keys = [f"{prefix}.payer_{p}" for p in ("centre", "province", "county")]
        if not all(k in values for k in keys):
            raise StandardsError(std.origin, prefix + ".payer_*", None, "centre, province and county shares are all needed")
        total = sum(values[k] for k in keys)
        if abs(total - 1) > 1e-6:
            origin = next((std.norms[k].origin for k in keys if std.norms[k].origin in std.overrides), std.norms[keys[0]].origin)
            raise StandardsError(origin, prefix + ".payer_*", round(total, 6), "payer shares must sum to 1")
