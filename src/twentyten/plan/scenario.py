"""Scenario files: the planner's settings in one readable YAML file.

The defaults belong to the dataset: its ``programme.yaml`` (bundled:
``data/dprk/programme.yaml``, the 20x10 policy) gives every setting with its basis. A
scenario file (same schema, :mod:`twentyten.plan.schema`) overrides it key by key: a cap,
capacity or target that it names replaces the programme's whole limit for that name;
weights, need terms, balance, commitments and solver keys replace one value each; bundles and
precedence replace the list. Errors name the file, the key path and the reason, one line each.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from twentyten.plan.inputs import Bundle, Precedence
from twentyten.plan.schema import Limit, Programme, ScenarioSpec
from twentyten.schema_errors import TOP, error_lines, not_utf8, read_yaml, validate_mapping

PROGRAMME_FILE = "programme.yaml"


class ScenarioError(ValueError):
    """A scenario or programme file is invalid; ``lines`` has one line per problem
    (file, key path, reason); ``str()`` is the first."""

    def __init__(self, lines: list[str] | str):
        self.lines = [lines] if isinstance(lines, str) else list(lines)
        more = len(self.lines) - 1
        super().__init__(self.lines[0] + (f" (and {more} more problem{'s' * (more > 1)})" if more else ""))


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
    key: str = ""  # where it was given, e.g. "commitments.add[0]"


@dataclass(frozen=True)
class Scenario:
    """All planner settings, resolved: the programme's defaults with a scenario file on top.

    Build it with :func:`load_scenario` (or :func:`resolve`); there are no defaults in code.
    """

    start: int
    end: int
    replan_from: int | None
    caps: dict[str, YearlyLimit]
    targets: dict[str, YearlyLimit]
    capacity: dict[str, YearlyLimit]
    type_weights: dict[str, float]
    need_weight: float
    population_weight: float
    need_terms: dict[str, float]
    balance_types: tuple[str, ...]
    balance_strength: float
    balance_tolerance: float
    bundles: tuple[Bundle, ...]
    precedences: tuple[Precedence, ...]
    use_record: bool
    add_commitments: tuple[CommitmentSpec, ...]
    drop_commitments: tuple[str, ...]  # county ids whose record entries are ignored
    time_limit: float
    mip_rel_gap: float
    source: str = "(programme defaults)"
    spec: dict[str, Any] = field(default_factory=dict, compare=False)  # the merged settings

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(range(self.start, self.end + 1))

    def sha256(self) -> str:
        """Hash of the resolved settings (not of the file's text): two files that say the
        same thing have the same hash."""
        text = json.dumps(self.spec, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()


# reading --------------------------------------------------------------------------------
def parse_scenario(raw: Any, src: str = "(scenario)") -> ScenarioSpec:
    """Validate a parsed scenario mapping (None is an empty scenario)."""
    return validate_mapping(ScenarioSpec, raw, src, ScenarioError, "settings")


def programme_path(dataset: str | Path | None = None) -> Path:
    """Where a dataset's programme file is (it may not exist)."""
    from twentyten.atlas.loader import dataset_folder

    return dataset_folder(dataset) / PROGRAMME_FILE


def load_programme(dataset: str | Path | None = None) -> Programme | None:
    """The dataset's ``programme.yaml`` (None when it has none)."""
    path = programme_path(dataset)
    if not path.exists():
        return None
    raw = read_yaml(path, ScenarioError)
    if not isinstance(raw, dict):
        raise ScenarioError(f"{path}: {TOP} = {raw!r}: expected a mapping")
    try:
        prog = Programme.model_validate(raw)
    except ValidationError as e:
        raise ScenarioError(error_lines(str(path), e, Programme)) from e
    _check_sources(prog, path)
    return prog


def _check_sources(prog: Programme, path: Path) -> None:
    """Every ``basis.source`` (and ``record.source``) must be an id of the dataset's sources.csv."""
    import csv

    table = path.parent / "sources.csv"
    known: set[str] = set()
    if table.is_file():
        try:
            with open(table, encoding="utf-8", newline="") as f:
                known = {row.get("id", "") for row in csv.DictReader(f)}
        except UnicodeDecodeError as e:
            raise ScenarioError(not_utf8(table, e)) from None
    for key, source in _sources(prog.model_dump(by_alias=True), ()):
        if source not in known:
            raise ScenarioError(f"{path}: {key} = {source!r}: not a source id of {table.name}")


def _sources(v: Any, at: tuple[str, ...]):
    if isinstance(v, dict):
        for k, x in v.items():
            if k == "source" and isinstance(x, str) and at and at[-1] in ("basis", "record"):
                yield ".".join(at + (k,)), x
            else:
                yield from _sources(x, at + (str(k),))
    elif isinstance(v, list):
        for i, x in enumerate(v):
            yield from _sources(x, at[:-1] + (f"{at[-1]}[{i}]",) if at else (f"[{i}]",))


def load_scenario(path: str | Path | None = None, dataset: str | Path | None = None,
                  programme: Programme | None = None) -> Scenario:
    """The dataset's programme defaults with the scenario file ``path`` (YAML) on top.

    ``programme`` skips reading the dataset's file. Raises :class:`ScenarioError`.
    """
    prog = programme if programme is not None else load_programme(dataset)
    src = "(programme defaults)"
    user = ScenarioSpec()
    if path is not None:
        p = Path(path)
        src = str(p)
        user = parse_scenario(read_yaml(p, ScenarioError), src)
    defaults = prog.defaults if prog is not None else ScenarioSpec()
    where = str(programme_path(dataset)) if prog is not None and programme is None else "programme"
    return resolve(defaults, user, src, where)


def scenario_from_dict(raw: Any, src: str = "(scenario)", programme: Programme | None = None,
                       dataset: str | Path | None = None) -> Scenario:
    """A scenario mapping on top of the programme's defaults (the dataset's by default)."""
    prog = programme if programme is not None else load_programme(dataset)
    defaults = prog.defaults if prog is not None else ScenarioSpec()
    return resolve(defaults, parse_scenario(raw, src), src, "programme")


# merging --------------------------------------------------------------------------------
def _dump(m: Any) -> dict[str, Any]:
    return m.model_dump(by_alias=True, exclude_unset=True, exclude={"basis"}) if m is not None else {}


def _merge(defaults: ScenarioSpec, user: ScenarioSpec) -> dict[str, Any]:
    """The merged settings as a plain mapping (bases dropped; they are not settings)."""
    d, u = defaults.model_dump(by_alias=True, exclude_unset=True), user.model_dump(by_alias=True, exclude_unset=True)
    out: dict[str, Any] = {}
    for key in ScenarioSpec.model_fields:
        if key in ("caps", "targets", "capacity", "need", "solver"):
            out[key] = {**(d.get(key) or {}), **(u.get(key) or {})}
        elif key in ("weights", "balance", "commitments"):
            merged = {**(d.get(key) or {}), **(u.get(key) or {})}
            if key == "weights":
                merged["types"] = {**((d.get(key) or {}).get("types") or {}), **((u.get(key) or {}).get("types") or {})}
            out[key] = merged
        elif key in u:
            out[key] = u[key]
        elif key in d:
            out[key] = d[key]
    return _strip_basis(out)


def _strip_basis(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _strip_basis(x) for k, x in v.items() if k != "basis"}
    if isinstance(v, list):
        return [_strip_basis(x) for x in v]
    return v


REQUIRED = ("horizon", "replan_from", "caps", "capacity", "weights", "need", "balance", "bundles",
            "commitments", "solver")


def _limit(raw: Any) -> YearlyLimit:
    lim = Limit.model_validate(raw)
    return YearlyLimit(lim.per_year, lim.from_, dict(lim.years))


def resolve(defaults: ScenarioSpec, user: ScenarioSpec, src: str, where: str = "programme") -> Scenario:
    """Merge a scenario on top of the programme's defaults; every setting must be given by one."""
    m = _merge(defaults, user)
    missing = [k for k in REQUIRED if k not in m]
    w, bal, cm, sv = m.get("weights", {}), m.get("balance", {}), m.get("commitments", {}), m.get("solver", {})
    for key, d, names in (("weights", w, ("types", "need", "population")),
                          ("balance", bal, ("types", "strength", "tolerance")),
                          ("commitments", cm, ("record", "add", "drop")),
                          ("solver", sv, ("time_limit", "gap"))):
        if key in m:
            missing += [f"{key}.{n}" for n in names if d.get(n) is None]
    if missing:
        raise ScenarioError(
            f"{src}: {missing[0]}: missing: neither the scenario nor the dataset's {where} gives it"
            + (f" (nor {', '.join(missing[1:4])}{'...' if len(missing) > 4 else ''})" if len(missing) > 1 else ""))
    start, end = m["horizon"]["start"], m["horizon"]["end"]
    if end < start:
        raise ScenarioError(f"{src}: horizon.end = {end}: is before horizon.start {start}")
    for group in ("caps", "targets", "capacity"):  # the scenario's own years (the defaults may cover a longer horizon)
        for name, lim in (getattr(user, group).model_dump(by_alias=True) if getattr(user, group) else {}).items():
            for year in sorted((lim or {}).get("years") or {}):
                if not start <= year <= end:
                    raise ScenarioError(f"{src}: {group}.{name}.years.{year}: outside the horizon {start}-{end} "
                                        "(a value for a year the plan does not cover)")
    adds = []
    for i, a in enumerate(cm["add"]):
        if not start <= a["year"] <= end:
            raise ScenarioError(f"{src}: commitments.add[{i}].year = {a['year']}: outside the horizon {start}-{end}")
        adds.append(CommitmentSpec(a["county"], a["facility"], a["year"], f"commitments.add[{i}]"))
    return Scenario(
        start=start, end=end, replan_from=m["replan_from"],
        caps={k: _limit(v) for k, v in m["caps"].items() if k in m["caps"]},
        targets={k: _limit(v) for k, v in (m.get("targets") or {}).items()},
        capacity={k: _limit(v) for k, v in m["capacity"].items()},
        type_weights={k: float(v) for k, v in w["types"].items() if v is not None},
        need_weight=float(w["need"]), population_weight=float(w["population"]),
        need_terms={k: float(v) for k, v in m["need"].items() if v is not None},
        balance_types=tuple(bal["types"]), balance_strength=float(bal["strength"]),
        balance_tolerance=float(bal["tolerance"]),
        bundles=tuple(Bundle(b["lead"], tuple(b["members"]), b["from"]) for b in m["bundles"]),
        precedences=tuple(Precedence(p["before"], p["after"], p.get("min_gap", 0)) for p in m.get("precedence") or ()),
        use_record=bool(cm["record"]), add_commitments=tuple(adds),
        drop_commitments=tuple(cm["drop"]),
        time_limit=float(sv["time_limit"]), mip_rel_gap=float(sv["gap"]),
        source=src, spec=m,
    )
