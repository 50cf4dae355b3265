"""Typed objects of the standards: norms, improvements, the facility catalogue, and the
standard of one year (base norms plus every improvement up to that year).

No file reading here; :mod:`twentyten.standards.load` builds these from data files.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

from twentyten.domain.region import Region, Source


class Quality(StrEnum):
    """How good a norm's value is (the flags of ``shared/data/norms/SOURCES.md``)."""

    QUOTED = "quoted"  # copied from the source as printed
    DERIVED = "derived"  # computed from quoted numbers, arithmetic in the note
    WEAK = "weak"  # secondary or low-authority source, a labelled default
    ASSUMPTION = "assumption"  # no source: a named planning assumption with its rationale
    USER = "user"  # supplied by the user's own norms file


class Op(StrEnum):
    """How an improvement changes a norm."""

    SET = "set"
    ADD = "add"
    MULTIPLY = "multiply"


@dataclass(frozen=True)
class Norm:
    """One sizing norm: a number with its unit, source and quality."""

    key: str
    value: float
    unit: str = ""
    applies_to: str = "*"
    quality: Quality = Quality.ASSUMPTION
    source_id: str = ""
    note: str = ""
    origin: str = ""  # the file it was read from
    bounds: str = ""  # allowed range, e.g. ">0" or ">=0 <=1" ('' = not negative; shares 0..1)
    line: int | None = None  # its line in that file, when it came from a CSV

    @property
    def is_assumption(self) -> bool:
        return self.quality in (Quality.ASSUMPTION, Quality.USER)

    @cached_property
    def citation(self) -> str:
        """Source id, or ``assumption:<key>`` for a named assumption."""
        if self.source_id and not self.is_assumption:
            return self.source_id
        return f"{self.quality.value}:{self.key}"


@dataclass(frozen=True)
class Improvement:
    """A named improvement of the standard from ``year`` on (e.g. cost per m² × 1.04)."""

    year: int
    name: str
    facility_type: str
    key: str
    op: Op
    value: float
    source_id: str = ""
    note: str = ""

    def apply(self, old: float) -> float:
        if self.op is Op.SET:
            return self.value
        if self.op is Op.ADD:
            return old + self.value
        return old * self.value

    def describe(self) -> str:
        sign = {Op.SET: "=", Op.ADD: "+", Op.MULTIPLY: "×"}[self.op]
        return f"{self.year} {self.name}: {self.key} {sign} {self.value:g}"


_TERM = re.compile(r"^[A-Za-z0-9_.\-]+$")


@dataclass(frozen=True)
class Expr:
    """A product/quotient of norm keys, e.g. ``paper.kg_per_capita * paper.local_share``."""

    text: str
    terms: tuple[tuple[str, bool], ...]  # (norm key, divide?)

    @classmethod
    def parse(cls, text: str) -> Expr:
        tokens = str(text).split()
        if not tokens or len(tokens) % 2 == 0:
            raise ValueError("expected 'key', 'key * key' or 'key / key'")
        terms: list[tuple[str, bool]] = []
        divide = False
        for i, tok in enumerate(tokens):
            if i % 2:
                if tok not in ("*", "/"):
                    raise ValueError(f"expected '*' or '/' between keys, got {tok!r}")
                divide = tok == "/"
            else:
                if not _TERM.match(tok):
                    raise ValueError(f"{tok!r} is not a norm key")
                terms.append((tok, divide))
        return cls(str(text), tuple(terms))

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(k for k, _ in self.terms)

    def evaluate(self, values: Mapping[str, float]) -> float:
        out = 1.0
        for key, divide in self.terms:
            v = values[key]
            out = out / v if divide else out * v
        return out


@dataclass(frozen=True)
class FacilityType:
    """An entry of the catalogue: one of the fixed ``facility_type`` keys."""

    key: str
    name: str
    description: str = ""
    source: str = ""
    requires: str = ""  # "coastal" or ""
    reason: str = ""  # why every (coastal) county gets it, in the programme's words
    sources: tuple[str, ...] = ()  # source ids cited by every facility of this type (source first)


@dataclass(frozen=True)
class FactoryKind:
    """A kind of regional-industry factory (foodstuff, garment, paper mill, ...)."""

    key: str
    name: str
    standard: bool = False  # part of every county's set
    source: str = ""


@dataclass(frozen=True)
class LineRule:
    """When a production line is chosen, how it is sized and why.

    The line is chosen when ``always`` is set, or when the county's physiographic class
    is one of ``physiography`` or it has any of ``materials`` (and its population is at
    least ``min_population``).
    """

    id: str
    factory: str
    name: str
    demand: Expr  # kg per person per year
    reason: str
    source: str = ""
    always: bool = False
    physiography: tuple[str, ...] = ()
    materials: tuple[str, ...] = ()
    min_population: int = 0
    supply: Expr | None = None  # t of product per km² of county area per year

    def match(self, region: Region) -> str | None:
        """Why the line fits the region (plain words), or ``None`` when it does not."""
        if (region.population or 0) < self.min_population:
            return None
        if self.always:
            return "it is in every county's standard set"
        why = []
        if region.physiography and region.physiography in self.physiography:
            why.append(f"the county is {region.physiography}")
        have = {m.lower() for m in region.raw_materials}
        found = [m for m in self.materials if m.lower() in have]
        if found:
            why.append("it has " + " and ".join(found))
        return " and ".join(why) if why else None

    def requirement(self) -> str:
        """The condition in words, for lines that were not chosen."""
        parts = []
        if self.physiography:
            parts.append("a " + "/".join(self.physiography) + " county")
        if self.materials:
            parts.append("local " + "/".join(self.materials))
        return " or ".join(parts) or "nothing"


@dataclass(frozen=True)
class Standards:
    """The catalogue and norms of a programme, for every year.

    Build it with :func:`twentyten.standards.load_standards`; get one year's values with
    :meth:`for_year`.
    """

    country: str
    base_year: int
    cost_unit: str
    facility_types: Mapping[str, FacilityType]
    factories: Mapping[str, FactoryKind]
    lines: tuple[LineRule, ...]
    norms: Mapping[str, Norm]
    improvements: tuple[Improvement, ...]
    sources: Mapping[str, Source]
    programme: str = ""
    origin: str = ""
    overrides: tuple[str, ...] = ()  # user norms files applied
    _years: dict[int, Standard] = field(default_factory=dict, init=False, compare=False, repr=False)

    @cached_property
    def last_year(self) -> int:
        """The last year the standard is defined for: the year of the last improvement."""
        return max([self.base_year, *(i.year for i in self.improvements)])

    @property
    def first_programme_year(self) -> int:
        """The first year after the base (pilot) year that has improvements: the programme's
        first year, which a county without a planned year is designed at (the base year
        itself when there are none)."""
        years = sorted({i.year for i in self.improvements})
        return years[0] if years else self.base_year

    def for_year(self, year: int) -> Standard:
        """The standard of ``year``: base norms plus every improvement dated up to it.

        After :attr:`last_year` no improvement is defined: the last standard is held (not
        extrapolated) and :attr:`Standard.held` says so, for callers to tell their users.
        """
        year = int(year)
        if year < self.base_year:
            raise ValueError(f"no standard before the base year {self.base_year} (asked for {year})")
        cached = self._years.get(year)
        if cached is None:
            values = {k: n.value for k, n in self.norms.items()}
            changed: dict[str, list[str]] = {}
            for imp in self.improvements:
                if imp.year <= year:
                    values[imp.key] = imp.apply(values[imp.key])
                    changed.setdefault(imp.key, []).append(imp.describe())
            cached = Standard(self, year, values, {k: tuple(v) for k, v in changed.items()})
            self._years[year] = cached
        return cached

    @cached_property
    def citations(self) -> dict[str, str]:
        """Norm key -> source id (or ``assumption:<key>``)."""
        return {k: n.citation for k, n in self.norms.items()}

    def improvements_in(self, year: int) -> tuple[Improvement, ...]:
        return tuple(i for i in self.improvements if i.year == year)

    def norms_for(self, facility_type: str) -> tuple[Norm, ...]:
        return tuple(n for n in self.norms.values() if n.applies_to in (facility_type, "*"))


@dataclass(frozen=True)
class Standard:
    """The norms in force in one year."""

    standards: Standards
    year: int
    values: Mapping[str, float]
    changed_by: Mapping[str, tuple[str, ...]]  # key -> improvements applied to it
    _cites: dict[str, str] = field(default_factory=dict, init=False, compare=False, repr=False)
    # values derived from the norms once per year (e.g. the library seat bands)
    memo: dict[object, object] = field(default_factory=dict, init=False, compare=False, repr=False)

    def __contains__(self, key: str) -> bool:
        return key in self.values

    @property
    def held(self) -> str:
        """A note when this year is after the last defined standard ('' otherwise)."""
        last = self.standards.last_year
        if self.year <= last:
            return ""
        return (
            f"No standard is defined after {last} (the last year of improvements.csv): the {last} "
            f"standard is held for {self.year}, not extrapolated."
        )

    def value(self, key: str) -> float:
        try:
            return self.values[key]
        except KeyError:
            raise KeyError(f"norm {key!r} is not in the standard ({self.standards.origin})") from None

    def first(self, *keys: str) -> str:
        """The first of ``keys`` that the standard has (specific before generic)."""
        for k in keys:
            if k in self.values:
                return k
        raise KeyError(f"none of the norms {', '.join(keys)} is in the standard")

    def norm(self, key: str) -> Norm:
        return self.standards.norms[key]

    def cite(self, key: str) -> str:
        """``value unit [source]`` as it stands this year, for reasons and docs."""
        cached = self._cites.get(key)
        if cached is not None:
            return cached
        n = self.norm(key)
        v = self.value(key)
        text = f"{_fmt(v)} {n.unit}".strip()
        tag = n.source_id if not n.is_assumption else f"{n.quality.value} {key}"
        if n.quality is Quality.WEAK:
            tag += ", weak"
        if key in self.changed_by:
            tag += f", raised by {len(self.changed_by[key])} improvement(s) to {self.year}"
        self._cites[key] = out = f"{text} [{tag}]"
        return out


def _fmt(v: float) -> str:
    if math.isfinite(v) and v == int(v):
        return f"{int(v):,}"
    return f"{v:,.3g}" if abs(v) < 10 else f"{v:,.1f}"
