"""Errors of a settings file, one line each: the file, the key path and the reason.

Every YAML settings file (a scenario, a programme, an uncertainty scenario, a dataset's
indicators, a media query file) is validated by a pydantic model; this module turns its
:class:`pydantic.ValidationError` into lines such as
``s.yaml: solver.time_limt = 1: unknown key; expected one of time_limit, gap``, and reads
the YAML itself with the same kind of line for a file that cannot be read.

The key path is the one the user wrote: pydantic's internal steps (validator functions, the
tag of a discriminated union such as ``dist: fixed``) are left out, and a bad mapping key is
shown as ``name (name)``. Imports pydantic only inside functions.
"""

from __future__ import annotations

import math
import typing
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

if typing.TYPE_CHECKING:
    from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound="BaseModel")

REASONS = {
    "extra_forbidden": "unknown key",
    "bool_type": "expected true or false",
    "int_type": "expected a whole number",
    "dict_type": "expected a mapping (key: value)",
    "model_type": "expected a mapping (key: value)",
    "model_attributes_type": "expected a mapping (key: value)",
    "tuple_type": "expected a list",
    "list_type": "expected a list",
    "string_type": "expected text",
    "float_type": "expected a number",
    "finite_number": "expected a finite number",
    "missing": "missing",
}

_BOUNDS = {
    "greater_than_equal": ("at least", "ge"), "greater_than": ("more than", "gt"),
    "less_than_equal": ("at most", "le"), "less_than": ("less than", "lt"),
}

#: The top of a file, as a key path.
TOP = "(top level)"


def key_path(loc: Sequence[Any]) -> str:
    """A pydantic location as the key path a user wrote: ``caps.factory``, ``bundles[0].lead``,
    ``groups.2x (name)`` for a bad mapping key, ``(top level)`` for the whole file.

    >>> key_path(("bundles", 0, "lead"))
    'bundles[0].lead'
    >>> key_path(("groups", "2x", "[key]"))
    'groups.2x (name)'
    """
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part == "[key]":
            out += " (name)"
        elif str(part).startswith(("function-", "tagged-union")):
            continue
        else:
            out += ("." if out else "") + str(part)
    return out or TOP


def error_lines(src: str, err: ValidationError, model: type[BaseModel] | None = None,
                prefix: tuple[Any, ...] = ()) -> list[str]:
    """One line per problem: ``file: key.path = value: reason``.

    ``model`` (the model that was validated) lets an unknown key list the keys allowed
    there and an unknown value list the values allowed; ``prefix`` is prepended to every
    key path (the model validated a part of the file).
    """
    out = []
    for e in err.errors(include_url=False):
        kind = e["type"]
        raw_loc = tuple(e["loc"])
        loc, ann = _walk(model, raw_loc) if model is not None else (raw_loc, None)
        why = REASONS.get(kind, e["msg"])
        if kind == "extra_forbidden":
            keys = _allowed(model, raw_loc[:-1]) if model is not None else ()
            if keys:
                why += f"; expected one of {', '.join(k for k in keys if k != 'basis')}"
        elif kind == "literal_error":
            why = _literal_reason(ann, e, is_key=bool(loc) and loc[-1] == "[key]")
        elif kind in ("union_tag_invalid", "union_tag_not_found"):
            # the tag's key (``dist``) is where the problem is
            key = str(e.get("ctx", {}).get("discriminator", "")).strip("'")
            loc += (key,)
            tags = [str(v) for o in _options(ann) for v in _tags(o, key)]
            why = ("unknown value" if kind == "union_tag_invalid" else "missing") + f"; expected one of {', '.join(tags) or _expected(e)}"
        elif kind == "json_invalid":
            why = f"not valid JSON ({e.get('ctx', {}).get('error', e['msg'])})"
        elif kind == "value_error":
            why = str(e["msg"]).removeprefix("Value error, ")
        elif kind in _BOUNDS:
            word, name = _BOUNDS[kind]
            bound = e.get("ctx", {}).get(name)
            why = {("at least", 0): "must not be negative", ("more than", 0): "must be more than 0"}.get(
                (word, bound), f"must be {word} {bound:g}" if isinstance(bound, int | float) else f"must be {word} {bound}")
        value = e.get("input")
        if kind == "union_tag_invalid":
            value = e["ctx"]["tag"]
        long = isinstance(value, dict | list | tuple) and len(repr(value)) > 60
        shown = "" if kind in ("missing", "union_tag_not_found", "json_invalid") or long or loc[-1:] == ("[key]",) else f" = {_show(value)}"
        out.append(f"{src}: {key_path(prefix + loc)}{shown}: {why}")
    return out


def validate_mapping(model: type[M], raw: Any, src: str, error: Callable[[list[str]], Exception], what: str) -> M:
    """A settings file's parsed mapping (None: empty) validated as ``model``; else ``error(lines)``
    raised, one line per problem: ``src``, the key path and the reason (a value that is not a
    mapping at all names ``what`` the file should map)."""
    from pydantic import ValidationError

    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise error([f"{src}: {TOP} = {raw!r}: expected a mapping of {what}"])
    try:
        return model.model_validate(raw)
    except ValidationError as e:
        raise error(error_lines(src, e, model)) from None


def read_yaml(path: Path, error: Callable[[str], Exception]) -> Any:
    """The parsed YAML file, or ``error(line)`` raised with one line naming the file and why
    it cannot be read (missing, not UTF-8, not YAML with the line and column)."""
    import yaml

    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise error(f"{path}: cannot read: {e.strerror or e}") from None
    except UnicodeDecodeError as e:
        raise error(not_utf8(path, e)) from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise error(f"{path}: not valid YAML{where}: {problem}") from None


def not_utf8(path: str | Path, err: UnicodeDecodeError) -> str:
    """The line for a file that is not UTF-8 text: ``file: not UTF-8 text (reason at byte n)``."""
    return f"{path}: not UTF-8 text ({err.reason} at byte {err.start})"


def exact_csv_rows(path: Path, columns: tuple[str, ...], error: type[Exception]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, row) of a dataset CSV whose header must be exactly ``columns``. A wrong header, a
    row with another number of fields and a file that is not UTF-8 raise ``error`` with one
    line naming the file (and the line)."""
    import csv

    try:
        with path.open(newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            if tuple(reader.fieldnames or ()) != columns:
                raise error(f"{path}: the columns must be {', '.join(columns)} (got {reader.fieldnames})")
            for line, row in enumerate(reader, start=2):
                if None in row or None in row.values():
                    raise error(f"{path}:{line}: the row does not have {len(columns)} fields")
                yield line, row
    except UnicodeDecodeError as e:
        raise error(not_utf8(path, e)) from None


# where in the model a location points ---------------------------------------------------
def _walk(model: type[BaseModel], loc: tuple[Any, ...]) -> tuple[tuple[Any, ...], Any]:
    """The location without the tags of discriminated unions (``shortfall.labour.fixed.value``
    is ``shortfall.labour.value`` in the file), and the annotation it points at (None when
    the model does not say)."""
    from pydantic import BaseModel

    out: list[Any] = []
    cur: Any = model
    parent: Any = None  # the mapping a key was looked up in
    for part in loc:
        if isinstance(part, str) and part.startswith(("function-", "tagged-union")):
            continue
        options = _options(cur)
        models = [o for o in options if isinstance(o, type) and issubclass(o, BaseModel)]
        if part == "[key]":
            out.append(part)
            cur = next((typing.get_args(o)[0] for o in _options(parent) if typing.get_origin(o) is dict), None)
            continue
        if isinstance(part, str) and len(models) > 1 and not any(_field(m, part) for m in models):
            cur = next((m for m in models if part in _tags(m)), None)  # a union's tag, not a key
            continue
        out.append(part)
        parent, cur = cur, _step(options, models, part)
    return tuple(out), cur


def _step(options: list[Any], models: list[Any], part: Any) -> Any:
    for m in models:
        f = _field(m, part)
        if f is not None:
            return f.annotation
    for o in options:
        args = typing.get_args(o)
        if typing.get_origin(o) is dict and len(args) == 2:
            return args[1]
        if typing.get_origin(o) in (list, tuple) and args and isinstance(part, int):
            return args[0]
    return None


def _options(ann: Any) -> list[Any]:
    """The alternatives of an annotation (Optional, Union, Annotated unwrapped)."""
    import types

    if ann is None:
        return []
    if typing.get_origin(ann) is typing.Annotated:
        return _options(typing.get_args(ann)[0])
    if typing.get_origin(ann) in (typing.Union, types.UnionType):
        return [o for a in typing.get_args(ann) for o in _options(a)]
    return [ann]


def _field(model: Any, name: Any) -> Any:
    """The model's field called ``name`` (by its alias), or None."""
    fields = getattr(model, "model_fields", None) if isinstance(model, type) else None
    return next((f for n, f in (fields or {}).items() if (f.alias or n) == name), None)


def _tags(model: Any, key: str | None = None) -> list[Any]:
    """The values of the model's literal fields (``key``'s only): a discriminated union's tags."""
    fields = getattr(model, "model_fields", None) if isinstance(model, type) else None
    out: list[Any] = []
    for name, f in (fields or {}).items():
        if key is None or (f.alias or name) == key:
            out += [v for o in _options(f.annotation) if typing.get_origin(o) is typing.Literal for v in typing.get_args(o)]
    return out


def _allowed(model: Any, loc: tuple[Any, ...]) -> tuple[str, ...]:
    """The keys the model accepts at ``loc`` (a mapping's location), for 'unknown key'."""
    from pydantic import BaseModel

    _, ann = _walk(model, loc)
    for o in _options(ann):
        if isinstance(o, type) and issubclass(o, BaseModel):
            return tuple(f.alias or n for n, f in o.model_fields.items())
    return ()


def _literal_reason(ann: Any, e: Any, is_key: bool) -> str:
    from twentyten.domain.facility import FACILITY_TYPES

    values = next((typing.get_args(o) for o in _options(ann) if typing.get_origin(o) is typing.Literal), ())
    allowed = ", ".join(map(str, values)) if values else _expected(e)
    if set(values) == set(FACILITY_TYPES):
        return "unknown facility type; expected one of " + allowed
    return f"{'unknown key' if is_key else 'unknown value'}; expected one of {allowed}"


def _expected(e: Any) -> str:
    """pydantic's ``'a', 'b' or 'c'`` as ``a, b, c``."""
    text = str(e.get("ctx", {}).get("expected_tags") or e.get("ctx", {}).get("expected", ""))
    return ", ".join(p.strip().strip("'") for p in text.replace(" or ", ", ").split(","))


def _show(v: Any) -> str:
    if isinstance(v, float) and not math.isfinite(v):
        return str(v)
    text = repr(v)
    return text if len(text) <= 60 else text[:57] + "..."


__all__ = ["REASONS", "TOP", "error_lines", "key_path", "not_utf8", "read_yaml"]
