"""Shared pieces of the facility designers: reading norms while recording their sources,
and the construction resources (labour, materials, duration, payer split) of a building."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from twentyten.design.basis import Q
from twentyten.domain.facility import NORM_PREFIX
from twentyten.domain.message import Msg, Text
from twentyten.domain.package import FacilityDesign, PayerSplit
from twentyten.domain.region import Region
from twentyten.standards.model import Standard, _fmt

#: Norm-key prefix of each facility type (from the one registry).
PREFIX = NORM_PREFIX


class DesignError(ValueError):
    """A county cannot be designed (e.g. its population is unknown)."""


@dataclass(frozen=True)
class Designed:
    """What one facility designer returns: its facilities and the choices it did not make."""

    facilities: tuple[FacilityDesign, ...] = ()
    notes: tuple[str, ...] = ()


class Norms:
    """Reads one year's norms for one facility and remembers which were used."""

    def __init__(self, standard: Standard, explain: bool = True):
        self.standard = standard
        self.explain = explain  # without it, basis strings are skipped (fast path for the planner)
        self.used: dict[str, None] = {}
        self._values = standard.values

    def f(self, v: float) -> str:
        """A number formatted for a basis string ('' when not explaining)."""
        return _fmt(v) if self.explain else ""

    def __call__(self, key: str) -> float:
        self.used[key] = None
        try:
            return self._values[key]
        except KeyError:
            return self.standard.value(key)  # raises with a clear message

    def q(self, key: str) -> Q:
        """A norm as a :class:`~twentyten.design.basis.Q`: its value and its citation."""
        return Q(self(key), self.cite(key) if self.explain else "")

    def of(self, value: float, label: str) -> Q:
        """A county figure (population, area) as a :class:`~twentyten.design.basis.Q`."""
        return Q(value, f"{label} {self.f(value)}" if self.explain else "")

    def first(self, *keys: str) -> tuple[str, float]:
        """Value of the most specific of ``keys`` present (e.g. line, then factory, then generic)."""
        key = self.standard.first(*keys)
        return key, self(key)

    def cite(self, key: str) -> str:
        self.used[key] = None
        return self.standard.cite(key) if self.explain else ""

    def sources(self) -> tuple[str, ...]:
        """Source ids behind the numbers; named assumptions as ``assumption:<key>``."""
        used = tuple(self.used)
        memo = self.standard.memo
        cached = memo.get(used)  # the same norms are used by every county of a year
        if cached is None:
            cites = self.standard.standards.citations
            cached = memo[used] = tuple(dict.fromkeys(cites[k] for k in used))
        return cached  # type: ignore[return-value]


def rising_standard(standard: Standard, facility_type: str) -> str:
    """The improvements a facility type has received since the base year, in words."""
    key = f"rising:{facility_type}"
    cached = standard.memo.get(key)
    if cached is None:
        years: dict[str, list[int]] = {}
        for imp in standard.standards.improvements:
            if imp.year <= standard.year and imp.facility_type in (facility_type, "*"):
                ys = years.setdefault(imp.name, [])
                if imp.year not in ys:
                    ys.append(imp.year)
        if years:
            items = "; ".join(f"{name} ({', '.join(map(str, ys))})" for name, ys in years.items())
            cached = Msg("Built to the {year} standard: {items} (improvements.csv).", year=standard.year, items=items)
        else:
            cached = ""
        standard.memo[key] = cached
    return cached  # type: ignore[return-value]


def with_rising(reasons: tuple[str, ...] | list[str], standard: Standard, facility_type: str) -> tuple[str, ...]:
    rising = rising_standard(standard, facility_type)
    return (*reasons, rising) if rising else tuple(reasons)


def population(region: Region) -> int:
    if region.population is None or region.population <= 0:
        raise DesignError(
            f"{region.id} ({region.name}): population is unknown; set it in the atlas before designing"
        )
    return int(region.population)


def fmt(v: float) -> str:
    return _fmt(v)


@dataclass(frozen=True)
class Build:
    """Construction resources of one facility."""

    labour_regiment_months: float
    materials_t: float
    build_months: float
    payer_split: PayerSplit
    basis: dict[str, str]


@dataclass(frozen=True)
class _BuildNorms:
    rate: float  # m² of standard building work per crew-month
    crews_per_regiment: float
    factor_key: str
    factor: float
    t_per_m2: float
    setup: float
    target_key: str
    target: float
    min_months: float
    split: PayerSplit
    keys: tuple[str, ...]


def _build_norms(standard: Standard, facility_type: str) -> _BuildNorms:
    """The construction norms of a facility type in one year (computed once per year)."""
    memo_key = ("build", facility_type)
    cached = standard.memo.get(memo_key)
    if cached is None:
        p = PREFIX[facility_type]
        v = standard.value
        factor_key = standard.first(f"{p}.work_factor", "construction.work_factor")
        target_key = standard.first(f"{p}.target_build_months", "construction.target_build_months")
        keys = (
            "construction.crew_m2_per_month", "construction.crews_per_regiment", factor_key,
            "construction.materials_t_per_m2", "construction.setup_months", target_key,
            "construction.min_build_months", f"{p}.payer_centre", f"{p}.payer_province", f"{p}.payer_county",
        )
        cached = _BuildNorms(
            v(keys[0]), v(keys[1]), factor_key, v(factor_key), v(keys[3]), v(keys[4]), target_key, v(target_key),
            v(keys[6]), PayerSplit(v(keys[7]), v(keys[8]), v(keys[9])), keys,
        )
        standard.memo[memo_key] = cached
    return cached  # type: ignore[return-value]


def build(
    n: Norms,
    facility_type: str,
    floor_m2: float,
    extra_labour: float = 0.0,
    extra_materials: float = 0.0,
    buildings: int = 1,
) -> Build:
    """Labour, materials and duration from floor area and crew productivity.

    The work is ``floor × <prefix>.work_factor`` m² of standard building work; a crew (a
    battalion-sized part of a regiment) builds ``construction.crew_m2_per_month`` of it a
    month, so labour = work / productivity / crews per regiment (regiment-months).
    Each of ``buildings`` (built side by side) gets as many crews as it needs to finish
    within the facility type's target months; its duration is the site set-up months plus
    its work divided by its crews' productivity. ``extra_labour`` (regiment-months, e.g.
    work at sea) is added to the work of the site.
    """
    p = PREFIX[facility_type]
    b = _build_norms(n.standard, facility_type)
    for k in b.keys:
        n.used[k] = None
    work_m2 = floor_m2 * b.factor
    crew_months = work_m2 / b.rate + extra_labour * b.crews_per_regiment
    labour = crew_months / b.crews_per_regiment
    materials = floor_m2 * b.t_per_m2 + extra_materials
    per_building = crew_months / max(1, buildings)
    crews, months = _duration(b, per_building, 1)
    basis: dict[str, str] = {}
    if n.explain:
        sea = f" + {n.f(extra_labour)} at sea" if extra_labour else ""
        each = f"{buildings} buildings, each " if buildings > 1 else ""
        basis = {
            "labour_regiment_months": (
                f"{n.f(floor_m2)} m² × {n.cite(b.factor_key)} / {n.cite('construction.crew_m2_per_month')} / "
                f"{n.cite('construction.crews_per_regiment')}{sea} = {n.f(labour)}"
            ),
            "materials_t": f"{n.f(floor_m2)} m² × {n.cite('construction.materials_t_per_m2')}"
            + (f" + {n.f(extra_materials)} t" if extra_materials else "")
            + f" = {n.f(materials)} t",
            "build_months": (
                f"{each}max({n.cite('construction.min_build_months')}, set-up {n.cite('construction.setup_months')} + "
                f"{n.f(per_building)} crew-months / {crews} crew(s)) = {n.f(months)}; crews = the fewest that finish "
                f"within {n.cite(b.target_key)} ({n.f(crews * max(1, buildings) / b.crews_per_regiment)} "
                "regiment(s) on site)"
            ),
            "payer_split": (
                f"centre {n.cite(f'{p}.payer_centre')}, province {n.cite(f'{p}.payer_province')}, "
                f"county {n.cite(f'{p}.payer_county')}"
            ),
        }
    return Build(round(labour, 2), round(materials, 1), round(months, 1), b.split, basis)


def _duration(b: _BuildNorms, crew_months: float, min_crews: int) -> tuple[int, float]:
    """Crews (the fewest, at least ``min_crews``, that finish within the target months) and months."""
    window = b.target - b.setup
    # a large building gets more crews so that it is finished within the target time
    need = ceil(crew_months / window) if b.target > 0 and window > 0 else 1
    crews = max(1, min_crews, need)
    return crews, max(b.min_months, b.setup + crew_months / crews)


def site_build_months(n: Norms, facility_type: str, site_floor_m2: float, buildings: int) -> tuple[float, str]:
    """Duration of a site whose ``buildings`` are built together by the site's own force.

    The site gets at least ``<prefix>.crews_per_site`` crews (e.g. one regiment per county
    factory site) and more when needed to finish within the target months; every building
    of the site is finished when the site is.
    """
    p = PREFIX[facility_type]
    b = _build_norms(n.standard, facility_type)
    min_key = f"{p}.crews_per_site"
    min_crews = ceil(n(min_key)) if min_key in n.standard else 1
    crew_months = site_floor_m2 * b.factor / b.rate
    crews, months = _duration(b, crew_months, min_crews)
    text = ""
    if n.explain:
        text = (
            f"the site's {buildings} buildings, {n.f(site_floor_m2)} m² × {n.cite(b.factor_key)} / "
            f"{n.cite('construction.crew_m2_per_month')} = {n.f(crew_months)} crew-months, built together: "
            f"max({n.cite('construction.min_build_months')}, set-up {n.cite('construction.setup_months')} + "
            f"{n.f(crew_months)} / {crews} crews) = {n.f(months)}; crews = the fewest, at least "
            f"{n.cite(min_key) if min_key in n.standard else 1}, that finish within {n.cite(b.target_key)}"
        )
    return round(months, 1), text


def facility(
    n: Norms,
    facility_type: str,
    name: str,
    built: Build,
    *,
    capacity: Mapping[str, float],
    lines: tuple[str, ...],
    reasons: tuple[str, ...] | list[str],
    cost: float,
    workforce: int,
    outputs: Mapping[str, float],
    basis: dict[str, str],
    sources: tuple[str, ...] = (),
) -> FacilityDesign:
    """The :class:`FacilityDesign` of one facility: its build figures, the rising standard
    added to its reasons, the facility type's catalogue sources before the norms' sources."""
    standard = n.standard
    ftype = standard.standards.facility_types.get(facility_type)
    cited = (*(ftype.sources if ftype else ()), *sources, *n.sources())
    if n.explain:
        basis.update(built.basis)
    return FacilityDesign(
        facility_type=facility_type,
        name=name,
        capacity=dict(capacity),
        lines=lines,
        reasons=with_rising(reasons, standard, facility_type),
        cost=round(cost, 1),
        labour_regiment_months=built.labour_regiment_months,
        materials_t=built.materials_t,
        build_months=built.build_months,
        workforce=workforce,
        payer_split=built.payer_split,
        sources=tuple(dict.fromkeys(s for s in cited if s)),
        outputs=dict(outputs),
        basis=basis if n.explain else {},
    )


TEXTS_FILE = "design_texts.yaml"


@dataclass(frozen=True)
class FacilityTexts:
    """A facility's name and fixed department lines, from the standards' ``design_texts.yaml``
    (each a :class:`~twentyten.domain.message.Text` with the file's translations)."""

    name: str
    fixed_lines: tuple[str, ...]


def texts(standard: Standard, facility_type: str) -> FacilityTexts:
    """The name and fixed lines of a facility type, read from the standards folder's
    ``design_texts.yaml`` (the catalogue's name and no fixed lines when the file is absent).
    A malformed file raises :class:`DesignError` naming the file and key path."""
    memo_key = ("texts", facility_type)
    cached = standard.memo.get(memo_key)
    if cached is None:
        cached = _read_texts(standard).get(facility_type) or FacilityTexts(
            standard.standards.facility_types[facility_type].name, ()
        )
        standard.memo[memo_key] = cached
    return cached  # type: ignore[return-value]


def _read_texts(standard: Standard) -> dict[str, FacilityTexts]:
    from pathlib import Path

    from pydantic import BaseModel, ConfigDict, Field, ValidationError

    from twentyten.schema_errors import error_lines, read_yaml

    class _Variant(BaseModel):
        model_config = ConfigDict(extra="forbid", strict=True)
        name: str = Field(min_length=1)
        fixed_lines: list[str] = []

    class _Texts(_Variant):
        translations: dict[str, _Variant] = {}  # language code -> the same texts in that language

    path = Path(standard.standards.origin) / TEXTS_FILE if standard.standards.origin else None
    if path is None or not path.is_file():
        return {}
    raw = read_yaml(path, DesignError) or {}
    if not isinstance(raw, dict):
        raise DesignError(f"{path}: a mapping of facility types is required")
    out = {}
    for key, value in raw.items():
        if key not in standard.standards.facility_types:
            raise DesignError(f"{path}: {key}: not a facility type of the catalogue")
        try:
            t = _Texts.model_validate(value)
        except ValidationError as exc:
            raise DesignError(error_lines(str(path), exc, _Texts, prefix=(key,))[0]) from None
        for lang, v in t.translations.items():
            if len(v.fixed_lines) != len(t.fixed_lines):
                raise DesignError(f"{path}: {key}.translations.{lang}.fixed_lines: {len(v.fixed_lines)} lines, "
                                  f"but fixed_lines has {len(t.fixed_lines)}")
        name = Text(t.name, **{lang: v.name for lang, v in t.translations.items()})
        lines = tuple(Text(line, **{lang: v.fixed_lines[i] for lang, v in t.translations.items()})
                      for i, line in enumerate(t.fixed_lines))
        out[key] = FacilityTexts(name, lines)
    return out


def catalogue_reason(standard: Standard, facility_type: str) -> str:
    """The catalogue's reason why every county gets this facility type (with its source)."""
    ftype = standard.standards.facility_types[facility_type]
    text = ftype.reason or ftype.description
    if not (text and ftype.source):
        return text
    variants = text.variants if isinstance(text, Text) and ftype.reason else {}
    return Text(f"{text} ({ftype.source})", **{lang: f"{v} ({ftype.source})" for lang, v in variants.items()})


def payer_reason(n: Norms, facility_type: str, split: PayerSplit) -> str:
    """The payer split in words, with what the norms' notes say about it."""
    key = f"{PREFIX[facility_type]}.payer_centre"
    norm = n.standard.norm(key)
    why = norm.note.rstrip(".") + (f" [{norm.source_id}]" if norm.source_id and not norm.is_assumption else "")
    return Msg("Cost shared centre:province:county = {centre:g}:{province:g}:{county:g} ({why}).",
               centre=split.centre, province=split.province, county=split.county, why=why)


def ceil(x: float) -> int:
    # guard against 2.0000000001 from float arithmetic turning into 3
    return int(math.ceil(round(x, 9)))
