"""Scenario files: the planner's settings in one readable YAML file.

Every key is optional; a missing key takes the default documented in
``docs/plan.md`` and in :data:`DEFAULT_YAML` (also ``examples/scenario.yaml``).
Validation errors name the file, the key and the offending value.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from twentyten.plan.inputs import FACILITY_TYPES, RESOURCES, Bundle, Precedence


class ScenarioError(ValueError):
    """A scenario file or value is invalid; the message names file, key and value."""


@dataclass(frozen=True)
class YearlyLimit:
    """A per-year number with an optional first year and per-year overrides.

    ``per_year`` None means unlimited. Years before ``first_year`` get no planned builds
    of that type (commitments from the record still stand).
    """

    per_year: float | None = None
    first_year: int | None = None
    years: dict[int, float] = field(default_factory=dict)

    def value(self, year: int) -> float | None:
        if year in self.years:
            return self.years[year]
        return self.per_year


@dataclass(frozen=True)
class CommitmentSpec:
    county: str
    facility_type: str
    year: int


@dataclass(frozen=True)
class Scenario:
    """All planner settings. Defaults reproduce the 20x10 policy as published."""

    start: int = 2024
    end: int = 2033
    replan_from: int | None = 2026
    caps: dict[str, YearlyLimit] = field(
        default_factory=lambda: {
            "factory": YearlyLimit(20),
            "hospital": YearlyLimit(20, 2026),
            "leisure_complex": YearlyLimit(20, 2026),
            "grain_storage": YearlyLimit(20, 2026),
            "offshore_farm": YearlyLimit(2, 2026),
        }
    )
    targets: dict[str, YearlyLimit] = field(default_factory=dict)
    capacity: dict[str, YearlyLimit] = field(
        default_factory=lambda: {
            "labour": YearlyLimit(960.0, None, {2024: 240.0, 2025: 400.0}),
            "budget": YearlyLimit(None),
            "materials": YearlyLimit(None),
        }
    )
    type_weights: dict[str, float] = field(
        default_factory=lambda: {
            "factory": 1.0, "hospital": 0.8, "leisure_complex": 0.6,
            "grain_storage": 0.5, "offshore_farm": 0.5,
        }
    )
    need_weight: float = 1.0
    population_weight: float = 0.5
    need_terms: dict[str, float] = field(
        default_factory=lambda: {"remoteness": 1.0, "sparsity": 1.0, "mountainous": 1.0}
    )
    balance_types: tuple[str, ...] = ("factory",)
    balance_strength: float = 1.0
    balance_tolerance: float = 2.0
    bundles: tuple[Bundle, ...] = (
        Bundle("factory", ("hospital", "leisure_complex"), 2026),
    )
    precedences: tuple[Precedence, ...] = ()
    use_record: bool = True
    add_commitments: tuple[CommitmentSpec, ...] = ()
    drop_commitments: tuple[str, ...] = ()  # county ids whose record entries are ignored
    time_limit: float = 20.0
    mip_rel_gap: float = 1e-4
    source: str = "(defaults)"

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(range(self.start, self.end + 1))


DEFAULT_YAML = """\
# twentyten plan scenario. Every key is optional; the values shown are the defaults.
horizon: {start: 2024, end: 2033}
replan_from: 2026          # years before it hold only the record (commitments)
caps:                       # year-cap: most packages of a type per year
  factory: {per_year: 20}
  hospital: {per_year: 20, from: 2026}
  leisure_complex: {per_year: 20, from: 2026}
  grain_storage: {per_year: 20, from: 2026}     # assumption: no yearly figure published
  offshore_farm: {per_year: 2, from: 2026}      # assumption: one a year so far
targets: {}                 # year-cap lower side, e.g. factory: {per_year: 20, from: 2026}
capacity:                   # shared per year; null = unlimited
  labour:                   # regiment-months (design's unit); ASSUMPTIONS, see docs/plan.md
    per_year: 960           # from 2026: 80 regiment-equivalents x 12 months
    years: {2024: 240, 2025: 400}   # 2024: 20 regiments x 12; 2025: the record's load
  budget: {per_year: null}
  materials: {per_year: null}
weights:
  types: {factory: 1.0, hospital: 0.8, leisure_complex: 0.6, grain_storage: 0.5, offshore_farm: 0.5}
  need: 1.0                 # weight = type x (1 + need x need_score) x (pop/mean)^population
  population: 0.5
need:                       # need score terms, each in [0, 1], averaged with these weights
  remoteness: 1.0           # distance from the capital / the farthest county's
  sparsity: 1.0             # 1 - percentile rank of population density
  mountainous: 1.0          # 1 if physiography is mountainous
balance: {types: [factory], strength: 1.0, tolerance: 2}
bundles:
  - {lead: factory, members: [hospital, leisure_complex], from: 2026}
precedence: []              # e.g. - {before: factory, after: grain_storage, min_gap: 0}
commitments:
  record: true              # fix what the bundled record says was built or is under way
  add: []                   # e.g. - {county: PRK-jagang-chosan, facility: factory, year: 2027}
  drop: []                  # county ids whose record entries are ignored
solver: {time_limit: 20, gap: 0.0001}
"""

_TOP = {
    "horizon", "replan_from", "caps", "targets", "capacity", "weights", "need", "balance",
    "bundles", "precedence", "commitments", "solver",
}


def _err(src: str, key: str, value: Any, why: str) -> ScenarioError:
    return ScenarioError(f"{src}: {key} = {value!r}: {why}")


def _num(src: str, key: str, v: Any, allow_none: bool = False) -> float | None:
    if v is None and allow_none:
        return None
    if isinstance(v, bool) or not isinstance(v, int | float):
        raise _err(src, key, v, "expected a number" + (" or null" if allow_none else ""))
    if v < 0:
        raise _err(src, key, v, "must not be negative")
    return float(v)


def _limits(src: str, key: str, raw: Any, names: tuple[str, ...]) -> dict[str, YearlyLimit]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise _err(src, key, raw, "expected a mapping")
    out: dict[str, YearlyLimit] = {}
    for name, spec in raw.items():
        k = f"{key}.{name}"
        if name not in names:
            raise _err(src, k, name, f"unknown name; expected one of {', '.join(names)}")
        if isinstance(spec, int | float) or spec is None:
            out[name] = YearlyLimit(_num(src, k, spec, allow_none=True))
            continue
        if not isinstance(spec, dict):
            raise _err(src, k, spec, "expected a number or {per_year, from, years}")
        bad = set(spec) - {"per_year", "from", "years"}
        if bad:
            raise _err(src, f"{k}.{sorted(bad)[0]}", spec[sorted(bad)[0]], "unknown key")
        years = {}
        for y, v in (spec.get("years") or {}).items():
            years[int(y)] = _num(src, f"{k}.years.{y}", v)
        first = spec.get("from")
        if first is not None and not isinstance(first, int):
            raise _err(src, f"{k}.from", first, "expected a year")
        out[name] = YearlyLimit(_num(src, f"{k}.per_year", spec.get("per_year"), True), first, years)
    return out


def scenario_from_dict(raw: dict[str, Any], src: str = "(scenario)") -> Scenario:
    """Validate a parsed scenario mapping into a :class:`Scenario`."""
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise _err(src, "(top)", raw, "expected a mapping")
    for key in raw:
        if key not in _TOP:
            raise _err(src, key, raw[key], f"unknown key; expected one of {', '.join(sorted(_TOP))}")
    s = Scenario(source=src)
    kw: dict[str, Any] = {}
    hz = raw.get("horizon") or {}
    start, end = hz.get("start", s.start), hz.get("end", s.end)
    for k, v in (("horizon.start", start), ("horizon.end", end)):
        if not isinstance(v, int):
            raise _err(src, k, v, "expected a year")
    if end < start:
        raise _err(src, "horizon.end", end, f"is before horizon.start {start}")
    kw.update(start=start, end=end)
    if "replan_from" in raw:
        rf = raw["replan_from"]
        if rf is not None and not isinstance(rf, int):
            raise _err(src, "replan_from", rf, "expected a year or null")
        kw["replan_from"] = rf
    if "caps" in raw:
        caps = dict(s.caps)
        caps.update(_limits(src, "caps", raw["caps"], FACILITY_TYPES))
        kw["caps"] = caps
    if "targets" in raw:
        kw["targets"] = _limits(src, "targets", raw["targets"], FACILITY_TYPES)
    if "capacity" in raw:
        capa = dict(s.capacity)
        capa.update(_limits(src, "capacity", raw["capacity"], RESOURCES))
        kw["capacity"] = capa
    w = raw.get("weights") or {}
    if "types" in w:
        tw = dict(s.type_weights)
        for t, v in (w["types"] or {}).items():
            if t not in FACILITY_TYPES:
                raise _err(src, f"weights.types.{t}", t, "unknown facility type")
            tw[t] = _num(src, f"weights.types.{t}", v)
        kw["type_weights"] = tw
    if "need" in w:
        kw["need_weight"] = _num(src, "weights.need", w["need"])
    if "population" in w:
        kw["population_weight"] = _num(src, "weights.population", w["population"])
    if "need" in raw:
        terms = dict(s.need_terms)
        for t, v in (raw["need"] or {}).items():
            if t not in terms:
                raise _err(src, f"need.{t}", t, f"unknown need term; expected {', '.join(terms)}")
            terms[t] = _num(src, f"need.{t}", v)
        kw["need_terms"] = terms
    if "balance" in raw:
        b = raw["balance"] or {}
        types = tuple(b.get("types", s.balance_types))
        for t in types:
            if t not in FACILITY_TYPES:
                raise _err(src, "balance.types", t, "unknown facility type")
        kw.update(
            balance_types=types,
            balance_strength=_num(src, "balance.strength", b.get("strength", s.balance_strength)),
            balance_tolerance=_num(src, "balance.tolerance", b.get("tolerance", s.balance_tolerance)),
        )
    if "bundles" in raw:
        bl = []
        for i, b in enumerate(raw["bundles"] or []):
            k = f"bundles[{i}]"
            try:
                lead, members, frm = b["lead"], tuple(b["members"]), int(b.get("from", s.start))
            except (KeyError, TypeError, ValueError) as e:
                raise _err(src, k, b, "expected {lead, members, from}") from e
            for t in (lead, *members):
                if t not in FACILITY_TYPES:
                    raise _err(src, k, t, "unknown facility type")
            bl.append(Bundle(lead, members, frm))
        kw["bundles"] = tuple(bl)
    if "precedence" in raw:
        pl = []
        for i, p in enumerate(raw["precedence"] or []):
            k = f"precedence[{i}]"
            try:
                pr = Precedence(p["before"], p["after"], int(p.get("min_gap", 0)))
            except (KeyError, TypeError, ValueError) as e:
                raise _err(src, k, p, "expected {before, after, min_gap}") from e
            for t in (pr.before, pr.after):
                if t not in FACILITY_TYPES:
                    raise _err(src, k, t, "unknown facility type")
            pl.append(pr)
        kw["precedences"] = tuple(pl)
    if "commitments" in raw:
        c = raw["commitments"] or {}
        kw["use_record"] = bool(c.get("record", True))
        adds = []
        for i, a in enumerate(c.get("add") or []):
            k = f"commitments.add[{i}]"
            try:
                cm = CommitmentSpec(str(a["county"]), str(a["facility"]), int(a["year"]))
            except (KeyError, TypeError, ValueError) as e:
                raise _err(src, k, a, "expected {county, facility, year}") from e
            if cm.facility_type not in FACILITY_TYPES:
                raise _err(src, f"{k}.facility", cm.facility_type, "unknown facility type")
            if not start <= cm.year <= end:
                raise _err(src, f"{k}.year", cm.year, f"outside the horizon {start}-{end}")
            adds.append(cm)
        kw["add_commitments"] = tuple(adds)
        kw["drop_commitments"] = tuple(str(x) for x in (c.get("drop") or []))
    if "solver" in raw:
        sv = raw["solver"] or {}
        if "time_limit" in sv:
            kw["time_limit"] = _num(src, "solver.time_limit", sv["time_limit"])
        if "gap" in sv:
            kw["mip_rel_gap"] = _num(src, "solver.gap", sv["gap"])
    return replace(s, **kw)


def load_scenario(path: str | Path | None) -> Scenario:
    """Read a scenario file (YAML); None gives the defaults."""
    if path is None:
        return Scenario()
    import yaml

    p = Path(path)
    try:
        raw = yaml.safe_load(p.read_text(encoding="utf-8"))
    except OSError as e:
        raise ScenarioError(f"{p}: cannot read: {e}") from e
    except yaml.YAMLError as e:
        raise ScenarioError(f"{p}: not valid YAML: {e}") from e
    return scenario_from_dict(raw or {}, str(p))
