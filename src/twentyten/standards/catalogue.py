"""The catalogue of a standards folder (``catalogue.yaml``: facility types, factories and
their lines) and its dated improvements (``improvements.csv``), assembled with the norms into
:class:`~twentyten.standards.model.Standards`.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from twentyten.domain.facility import FACILITY_TYPES
from twentyten.domain.message import Text
from twentyten.domain.region import Source
from twentyten.standards.errors import StandardsError
from twentyten.standards.files import read_csv
from twentyten.standards.model import (
    Expr,
    FacilityType,
    FactoryKind,
    Improvement,
    LineRule,
    Norm,
    Op,
    Standards,
)
from twentyten.standards.ranges import number

IMPROVEMENT_COLUMNS = ("year", "name", "facility_type", "key", "op", "value", "source_id", "note")


def _strs(v: object) -> tuple[str, ...]:
    if v is None:
        return ()
    if isinstance(v, str):
        return (v,)
    return tuple(str(x) for x in v)  # type: ignore[union-attr]


@functools.cache
def _translation_adapters() -> tuple[Any, Any, type, type]:
    """Validators of ``translations`` (pydantic is imported on first use): for an entry with
    only a name (a factory) and for one with a name and a reason."""
    from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

    class _Name(BaseModel):
        model_config = ConfigDict(extra="forbid", strict=True)
        name: str = Field(min_length=1)

    class _NameReason(_Name):
        reason: str = Field(default="", min_length=1)

    return TypeAdapter(dict[str, _Name]), TypeAdapter(dict[str, _NameReason]), _Name, _NameReason


def _translated(path: Path, where: str, spec: Mapping[str, Any], name: str, reason: str | None) -> tuple[Text, Text]:
    """``name`` and ``reason`` as :class:`Text` with the entry's ``translations`` (language code
    -> ``{name, reason}``); ``reason`` is None for an entry that has no reason (a factory)."""
    from pydantic import ValidationError

    from twentyten.schema_errors import REASONS, key_path

    names, name_reasons, name_model, name_reason_model = _translation_adapters()
    adapter, model = (names, name_model) if reason is None else (name_reasons, name_reason_model)
    raw = spec.get("translations")
    tr: dict[str, Any] = {}
    if raw is not None:
        try:
            tr = adapter.validate_python(raw)
        except ValidationError as exc:
            # a misspelt key first: its "missing" twin says less
            e = min(exc.errors(include_url=False), key=lambda e: e["type"] != "extra_forbidden")
            why = REASONS.get(e["type"], e["msg"])
            if e["type"] == "extra_forbidden":
                why += f"; expected one of {', '.join(model.model_fields)}"
            loc = tuple(e["loc"])
            key = f"{where}.translations" + (f".{key_path(loc)}" if loc else "")
            raise StandardsError(path, key, e["input"], why) from None
    if reason is not None:
        for lang, t in tr.items():
            if t.reason and not reason:
                raise StandardsError(path, f"{where}.translations.{lang}.reason", t.reason,
                                     "there is no reason to translate: give the entry a reason first")
    name_text = Text(name, **{lang: t.name for lang, t in tr.items()})
    reason_text = Text(reason or "", **{lang: t.reason.strip() for lang, t in tr.items() if getattr(t, "reason", "")})
    return name_text, reason_text


def build(
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
        name, reason = _translated(path, f"facility_types.{key}", spec, str(spec.get("name") or key),
                                   str(spec.get("reason") or "").strip())
        ftypes[key] = FacilityType(
            key, name, str(spec.get("description") or ""), source, requires,
            reason, tuple(dict.fromkeys(s for s in cited if s)),
        )
    if not ftypes:
        raise StandardsError(path, "facility_types", None, "the catalogue lists no facility types")

    factories: dict[str, FactoryKind] = {}
    for key, spec in (cat.get("factories") or {}).items():
        spec = spec or {}
        name, _ = _translated(path, f"factories.{key}", spec, str(spec.get("name") or key), None)
        factories[str(key)] = FactoryKind(
            str(key), name, bool(spec.get("standard", False)),
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
        name, reason = _translated(path, where, spec, str(spec.get("name") or lid), reason)
        lines.append(LineRule(
            id=lid, factory=factory, name=name, demand=exprs["demand"],
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
    for line, row in read_csv(path, IMPROVEMENT_COLUMNS[:6], IMPROVEMENT_COLUMNS):
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
        value = number(path, key, row["value"], line)
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
