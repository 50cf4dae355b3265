"""Load a standards folder (catalogue.yaml, norms.csv, improvements.csv, sources.csv) with
a user's own norms files on top, and check every year's values once assembled.

The parts: :mod:`~twentyten.standards.files` reads the CSV and YAML files,
:mod:`~twentyten.standards.norms` the norms and the user's overrides,
:mod:`~twentyten.standards.ranges` the allowed range of a value and
:mod:`~twentyten.standards.catalogue` the catalogue and its improvements. Every error names
the file, the key and the offending value.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path

from twentyten.domain.facility import FACILITY_TYPES
from twentyten.standards.catalogue import build
from twentyten.standards.errors import Problems, StandardsError
from twentyten.standards.files import read_yaml
from twentyten.standards.model import Standards
from twentyten.standards.norms import merge, override_rows, read_norms, read_sources
from twentyten.standards.ranges import (
    MAX_NORM,
    PLAUSIBLE_FACTOR,
    min_max_pairs,
    parse_range,
    range_problem,
)

__all__ = [
    "FACILITY_TYPES", "FILES", "MAX_NORM", "PLAUSIBLE_FACTOR", "StandardsError", "bundled_path", "load_standards",
    "min_max_pairs", "parse_range",
]

FILES = ("catalogue.yaml", "norms.csv", "improvements.csv", "sources.csv")


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

    sources = read_sources(folder / "sources.csv")
    norms = read_norms(folder / "norms.csv", sources, user=False)
    applied: list[str] = []
    for label, rows in override_rows(overrides):
        merge(norms, rows, label, sources)
        applied.append(label)
    catalogue = read_yaml(folder / "catalogue.yaml")
    std = build(folder, catalogue, norms, sources, tuple(applied))
    _check_years(std)
    return std


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
    problems = Problems()
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
