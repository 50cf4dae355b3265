"""The allowed range of a norm's value: its ``range`` column read, a value checked against
it, and the plausibility limits that catch typing and unit mistakes."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from pathlib import Path

from twentyten.standards.errors import StandardsError


def number(path: Path | str, key: str, raw: object, line: int | None = None) -> float:
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


def check_norm_value(
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


def min_max_pairs(keys: Iterable[str]) -> list[tuple[str, str]]:
    """Pairs of norms that bound one quantity: ``x.min_beds`` and ``x.max_beds``."""
    keys = set(keys)
    out = []
    for k in sorted(keys):
        prefix, dot, name = k.rpartition(".")
        if name.startswith("min_") and f"{prefix}{dot}max_{name[4:]}" in keys:
            out.append((k, f"{prefix}{dot}max_{name[4:]}"))
    return out
