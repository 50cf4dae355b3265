"""Plans as saved objects: one typed schema (pydantic) for every output of a plan.

``plan.json`` is a :class:`SavedPlan`: the inputs' fingerprint (dataset, standards,
scenario hash, resource use, solver and version, seed), the summary, one
:class:`PlanRow` per county × facility, and everything needed to rebuild the
:class:`~twentyten.plan.solve.PlanResult` (the instance's arrays and the solver's result),
so ``plan explain --plan`` and ``plan compare A.json B.json`` read it instead of solving.
``plan.csv``, ``plan.geojson`` and the CLI's JSON are made from the same models.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, ValidationError

from twentyten.plan.inputs import Balance, Bundle, Commitment, PlanInputs, Precedence
from twentyten.plan.solve import GapPoint, PlanResult, SolveStatus, binding_capacities
from twentyten.schema_errors import error_lines

FORMAT = "twentyten-plan/1"


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class PlanRow(Model):
    """One county × facility type that the county may get (a row of plan.csv)."""

    county_id: str
    county: str
    province_id: str
    facility_type: str
    year: int | None
    status: Literal["fixed", "planned", "not built"]
    need: float
    benefit_per_year: float


class YearRow(Model):
    """One year of the plan: packages built per type, each resource's use and capacity
    (None: unlimited), the rows that bind; ``record`` when the year holds only commitments."""

    year: int
    record: bool
    built: dict[str, int]
    used: dict[str, float]
    capacity: dict[str, float | None]
    binding: list[str]


class Summary(Model):
    status: str
    proven_optimal: bool
    method: str
    solver: str
    objective: float
    dual_bound: float | None
    mip_gap: float | None
    solve_seconds: float
    build_seconds: float
    greedy_objective: float
    gain_over_greedy: float
    time_to_gap: dict[str, float | None]
    model_size: dict[str, int]
    resource_use: str
    notes: list[str]
    years: list[YearRow]


class Identity(Model):
    """The inputs' fingerprint and how the plan was solved."""

    dataset: str
    dataset_sha256: str
    standards: str
    standards_sha256: str
    scenario: str
    scenario_sha256: str
    resource_use: Literal["design", "fallback"]
    method: str
    solver: str
    solver_version: str
    seed: int
    time_limit: float | None
    twentyten_version: str


class CommitmentModel(Model):
    county: str
    facility_type: str
    year: int
    source: str


class BundleModel(Model):
    lead: str
    members: list[str]
    from_year: int


class PrecedenceModel(Model):
    before: str
    after: str
    min_gap: int


class BalanceModel(Model):
    types: list[str]
    strength: float
    tolerance: float


class InputsModel(Model):
    """:class:`~twentyten.plan.inputs.PlanInputs` as JSON: arrays as nested lists,
    ``None`` for an unlimited capacity or a missing coordinate."""

    counties: list[str]
    county_names: list[str]
    provinces: list[str]
    province_names: list[str]
    county_province: list[int]
    types: list[str]
    years: list[int]
    eligible: list[list[list[bool]]]
    use: dict[str, list[list[list[float]]]]
    capacity: dict[str, list[float | None]]
    cap: list[list[int]]
    target: list[list[int]] | None
    need: list[float]
    population: list[float]
    weight: list[list[float]]
    commitments: list[CommitmentModel]
    replan_from: int | None
    bundles: list[BundleModel]
    precedences: list[PrecedenceModel]
    balance: BalanceModel | None
    lon: list[float | None] | None
    lat: list[float | None] | None
    notes: list[str]


class ResultModel(Model):
    """The solver's result: ``year[c][k]`` is the year index (-1: not built)."""

    status: str
    method: str
    year: list[list[int]]
    objective: float
    dual_bound: float | None
    gap: float | None
    solve_seconds: float
    build_seconds: float
    greedy_objective: float
    model_size: dict[str, int]
    trajectory: list[tuple[float, float | None, float | None]]
    solver: str
    message: str


class SavedPlan(Model):
    format: Literal["twentyten-plan/1"]
    identity: Identity | None  # None: written without a fingerprint (library use)
    summary: Summary
    plan: list[PlanRow]
    inputs: InputsModel
    result: ResultModel


class SavedPlanError(ValueError):
    """A plan.json that cannot be read or does not match the inputs given."""


# building the models --------------------------------------------------------------------
def _num(v: float | None) -> float | None:
    return None if v is None or not math.isfinite(v) else float(v)


def plan_rows(result: PlanResult) -> list[PlanRow]:
    """One row per county × facility type that the county may get."""
    inp = result.inputs
    fixed = inp.fixed_year()
    rows = []
    for c, cid in enumerate(inp.counties):
        for k, t in enumerate(inp.types):
            if not inp.eligible[c, k, :].any() and fixed[c, k] < 0:
                continue
            y = int(result.year[c, k])
            rows.append(PlanRow(
                county_id=cid, county=inp.county_names[c], province_id=inp.provinces[inp.county_province[c]],
                facility_type=t, year=None if y < 0 else inp.years[y],
                status="fixed" if fixed[c, k] >= 0 else ("planned" if y >= 0 else "not built"),
                need=round(float(inp.need[c]), 4), benefit_per_year=round(float(inp.weight[c, k]), 4),
            ))
    return rows


def year_rows(result: PlanResult) -> list[YearRow]:
    inp = result.inputs
    counts = result.counts()
    binding = binding_capacities(result)
    out = []
    for j, y in enumerate(inp.years):
        out.append(YearRow(
            year=y, record=inp.replan_from is not None and y < inp.replan_from,
            built={t: int(counts[k, j]) for k, t in enumerate(inp.types)},
            used={r: round(float(result.load(r)[j]), 3) for r in inp.capacity},
            capacity={r: _num(float(c[j])) for r, c in inp.capacity.items()},
            binding=list(binding[y]),
        ))
    return out


def summary(result: PlanResult) -> Summary:
    inp = result.inputs
    fallback = any("FALLBACK" in n for n in inp.notes)
    return Summary(
        status=result.status.value, proven_optimal=result.is_proven_optimal, method=result.method,
        solver=result.solver, objective=float(result.objective), dual_bound=_num(result.dual_bound),
        mip_gap=_num(result.gap), solve_seconds=round(result.solve_seconds, 3),
        build_seconds=round(result.build_seconds, 3), greedy_objective=float(result.greedy_objective),
        gain_over_greedy=float(result.gain_over_greedy),
        time_to_gap={g: result.time_to_gap(v) for g, v in (("1%", 0.01), ("0.1%", 1e-3), ("0.01%", 1e-4))},
        model_size={k: int(v) for k, v in result.model_size.items()},
        resource_use="fallback" if fallback else "design",
        notes=list(inp.notes), years=year_rows(result),
    )


def inputs_model(inp: PlanInputs) -> InputsModel:
    def opt(a):
        return None if a is None else [_num(float(v)) for v in a]

    return InputsModel(
        counties=list(inp.counties), county_names=list(inp.county_names), provinces=list(inp.provinces),
        province_names=list(inp.province_names), county_province=[int(v) for v in inp.county_province],
        types=list(inp.types), years=list(inp.years), eligible=inp.eligible.tolist(),
        use={r: np.asarray(a, float).tolist() for r, a in inp.use.items()},
        capacity={r: [_num(float(v)) for v in a] for r, a in inp.capacity.items()},
        cap=np.asarray(inp.cap).astype(int).tolist(),
        target=None if inp.target is None else np.asarray(inp.target).astype(int).tolist(),
        need=[float(v) for v in inp.need], population=[float(v) for v in inp.population],
        weight=np.asarray(inp.weight, float).tolist(),
        commitments=[CommitmentModel(county=c.county, facility_type=c.facility_type, year=c.year, source=c.source)
                     for c in inp.commitments],
        replan_from=inp.replan_from,
        bundles=[BundleModel(lead=b.lead, members=list(b.members), from_year=b.from_year) for b in inp.bundles],
        precedences=[PrecedenceModel(before=p.before, after=p.after, min_gap=p.min_gap) for p in inp.precedences],
        balance=None if inp.balance is None else BalanceModel(
            types=list(inp.balance.types), strength=inp.balance.strength, tolerance=inp.balance.tolerance),
        lon=opt(inp.lon), lat=opt(inp.lat), notes=list(inp.notes),
    )


def result_model(result: PlanResult) -> ResultModel:
    return ResultModel(
        status=result.status.value, method=result.method, year=np.asarray(result.year).astype(int).tolist(),
        objective=float(result.objective), dual_bound=_num(result.dual_bound), gap=_num(result.gap),
        solve_seconds=float(result.solve_seconds), build_seconds=float(result.build_seconds),
        greedy_objective=float(result.greedy_objective),
        model_size={k: int(v) for k, v in result.model_size.items()},
        trajectory=[(float(p.seconds), _num(p.primal), _num(p.dual)) for p in result.trajectory],
        solver=result.solver, message=result.message,
    )


def identity(fp, result: PlanResult, seed: int = 0, time_limit: float | None = None) -> Identity:
    """The saved identity from an instance's :class:`~twentyten.plan.instance.Fingerprint`."""
    from importlib.metadata import PackageNotFoundError, version

    def ver(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "unknown"

    solver = "greedy" if result.method == "greedy" else "highspy"
    return Identity(
        dataset=fp.dataset, dataset_sha256=fp.dataset_sha256, standards=fp.standards,
        standards_sha256=fp.standards_sha256, scenario=fp.scenario, scenario_sha256=fp.scenario_sha256,
        resource_use=fp.resource_use, method=result.method, solver=result.solver or solver,
        solver_version="" if solver == "greedy" else ver("highspy"), seed=int(seed),
        time_limit=time_limit, twentyten_version=ver("twentyten"),
    )


def saved_plan(result: PlanResult, ident: Identity | None) -> SavedPlan:
    return SavedPlan(format=FORMAT, identity=ident, summary=summary(result), plan=plan_rows(result),
                     inputs=inputs_model(result.inputs), result=result_model(result))


# reading back ---------------------------------------------------------------------------
def read_plan(path: str | Path) -> SavedPlan:
    """Read and validate a plan.json; SavedPlanError names the file and the problem."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise SavedPlanError(f"{p}: cannot read: {e}") from None
    try:
        return SavedPlan.model_validate_json(text)
    except ValidationError as e:
        first = error_lines(str(p), e, SavedPlan)[0]
        raise SavedPlanError(f"{first}: not a saved plan ({FORMAT}, written by twentyten plan --out)") from None


def to_inputs(m: InputsModel) -> PlanInputs:
    def arr(v):
        return None if v is None else np.array([np.nan if x is None else x for x in v], float)

    return PlanInputs(
        counties=tuple(m.counties), county_names=tuple(m.county_names), provinces=tuple(m.provinces),
        county_province=np.array(m.county_province, int), types=tuple(m.types), years=tuple(m.years),
        eligible=np.array(m.eligible, bool).reshape(len(m.counties), len(m.types), len(m.years)),
        use={r: np.array(a, float).reshape(len(m.counties), len(m.types), len(m.years)) for r, a in m.use.items()},
        capacity={r: np.array([np.inf if v is None else v for v in a], float) for r, a in m.capacity.items()},
        cap=np.array(m.cap, int).reshape(len(m.types), len(m.years)),
        target=None if m.target is None else np.array(m.target, int),
        need=np.array(m.need, float), population=np.array(m.population, float),
        weight=np.array(m.weight, float).reshape(len(m.counties), len(m.types)),
        commitments=tuple(Commitment(c.county, c.facility_type, c.year, c.source) for c in m.commitments),
        replan_from=m.replan_from,
        bundles=tuple(Bundle(b.lead, tuple(b.members), b.from_year) for b in m.bundles),
        precedences=tuple(Precedence(p.before, p.after, p.min_gap) for p in m.precedences),
        balance=None if m.balance is None else Balance(tuple(m.balance.types), m.balance.strength, m.balance.tolerance),
        lon=arr(m.lon), lat=arr(m.lat), province_names=tuple(m.province_names), notes=tuple(m.notes),
    )


def to_result(saved: SavedPlan) -> PlanResult:
    """The :class:`PlanResult` a saved plan was written from (violations re-checked)."""
    from twentyten.plan.check import check_plan

    inp = to_inputs(saved.inputs)
    r = saved.result
    year = np.array(r.year, int).reshape(len(inp.counties), len(inp.types))
    traj = tuple(GapPoint(s, -math.inf if p is None else p, math.inf if d is None else d)
                 for s, p, d in r.trajectory)
    return PlanResult(
        inputs=inp, status=SolveStatus(r.status), method=r.method, year=year, objective=r.objective,
        dual_bound=r.dual_bound, gap=r.gap, solve_seconds=r.solve_seconds, build_seconds=r.build_seconds,
        greedy_objective=r.greedy_objective, model_size=dict(r.model_size), trajectory=traj,
        solver=r.solver, violations=tuple(check_plan(inp, year)), message=r.message,
    )


def load_result(path: str | Path) -> tuple[SavedPlan, PlanResult]:
    saved = read_plan(path)
    try:
        return saved, to_result(saved)
    except ValueError as e:  # shapes or labels that do not fit together
        raise SavedPlanError(f"{path}: inputs do not fit together: {e}") from None


def check_identity(saved: SavedPlan, fp, path: str | Path, only: set[str] | None = None) -> None:
    """Refuse a saved plan whose fingerprint differs from the inputs given (``fp``; of
    ``only``, the inputs the user named: dataset, standards, scenario, resource_use)."""
    from twentyten.plan.instance import Fingerprint

    i = saved.identity
    if i is None:
        raise SavedPlanError(f"{path} carries no fingerprint: it cannot be checked against the inputs given")
    mine = Fingerprint(i.dataset, i.dataset_sha256, i.standards, i.standards_sha256, i.scenario,
                       i.scenario_sha256, i.resource_use)
    bad = mine.mismatches(fp, only)
    if bad:
        raise SavedPlanError(f"{path} was not made from these inputs: {bad[0]}"
                             + (f" (and {len(bad) - 1} more)" if len(bad) > 1 else ""))
