"""One loader of a planning instance: a named dataset, standards and record, and a scenario.

:func:`load_instance` reads the dataset (atlas, ``programme.yaml``, record of sites), the
standards (with the user's ``--norms``), the scenario file, and sizes every package with the
design, then builds :class:`~twentyten.plan.inputs.PlanInputs` with :func:`build_inputs`.
Nothing falls back silently: a design failure raises :class:`DesignFailed`; the fallback
table is used only when asked (``fallback_resources=True``) and the notes say so.

:func:`fingerprint` hashes the same inputs without sizing anything, so a saved plan can be
checked against the inputs a user names (:mod:`twentyten.plan.saved`).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from twentyten.atlas.programme import MEMBERSHIP_FILE
from twentyten.domain.facility import COASTAL_ONLY
from twentyten.plan.adapter import (
    DesignFailed,
    centre_of,
    design_use,
    fallback_use,
    large_package_notes,
    need_scores,
    record_commitments,
)
from twentyten.plan.inputs import (
    FACILITY_TYPES,
    UNCAPPED,
    Balance,
    Commitment,
    PlanInputs,
    benefit_weights,
)
from twentyten.plan.scenario import (
    Scenario,
    ScenarioError,
    load_programme,
    load_scenario,
    programme_path,
)

FALLBACK_NOTE = ("resource use from plan/fallback_resources.csv (FALLBACK ESTIMATES, not from design; "
                 "asked for with --fallback-resources)")


class InstanceError(ValueError):
    """The dataset or the standards cannot be read: one line naming the file and the reason."""


@dataclass(frozen=True)
class Fingerprint:
    """What a plan was made from: each input's name and the SHA-256 of its files."""

    dataset: str
    dataset_sha256: str
    standards: str
    standards_sha256: str
    scenario: str
    scenario_sha256: str
    resource_use: str  # "design" or "fallback"

    def mismatches(self, other: Fingerprint, only: set[str] | None = None) -> list[str]:
        """The inputs that differ (of ``only``: dataset, standards, scenario, resource_use;
        default all), each as one readable phrase."""
        out = []
        for what, a, b, ha, hb in (
            ("dataset", self.dataset, other.dataset, self.dataset_sha256, other.dataset_sha256),
            ("standards", self.standards, other.standards, self.standards_sha256, other.standards_sha256),
            ("scenario", self.scenario, other.scenario, self.scenario_sha256, other.scenario_sha256),
        ):
            if ha != hb and (only is None or what in only):
                out.append(f"{what} {a} ({ha[:12]}) is not the {what} given, {b} ({hb[:12]})")
        if self.resource_use != other.resource_use and (only is None or "resource_use" in only):
            out.append(f"resource use from {self.resource_use}, not {other.resource_use}")
        return out


@dataclass(frozen=True)
class Instance:
    inputs: PlanInputs
    scenario: Scenario
    atlas: object  # twentyten.atlas.Atlas
    fingerprint: Fingerprint


# hashing --------------------------------------------------------------------------------
def _hash_files(paths: Sequence[Path]) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(p.name.encode() + b"\0")
        h.update(p.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


def _dataset_folder(dataset: str | Path | None) -> tuple[str, Path, list[Path]]:
    """(label, folder, files) of a dataset; raises InstanceError when there is none."""
    from twentyten import settings
    from twentyten.atlas.loader import resolve
    from twentyten.atlas.validate import DatasetNotFound

    label = str(dataset if dataset is not None else settings.get("dataset"))
    try:
        path = resolve(dataset)
    except DatasetNotFound as e:
        detail = str(e).splitlines()[0]
        raise InstanceError(f"dataset {label!r}: no such bundled dataset or path ({detail}); "
                            "set with --dataset or TWENTYTEN_DATASET") from None
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.is_file())
        return label, path, files
    extra = [path.parent / n for n in ("programme.yaml", "rollout_sites.csv", MEMBERSHIP_FILE)
             if (path.parent / n).is_file()]
    return label, path.parent, [path, *extra]


def _standards_files(standards_dir: str | Path | None, norms: Sequence[str | Path]) -> tuple[str, list[Path]]:
    from twentyten.standards.load import bundled_path

    folder = Path(standards_dir) if standards_dir is not None else bundled_path()
    if not folder.is_dir():
        raise InstanceError(f"{folder}: not a folder with standards files")
    files = sorted(p for p in folder.iterdir() if p.is_file())
    for n in norms:
        if not Path(n).is_file():
            raise InstanceError(f"{n}: norms file not found")
    label = "bundled" if standards_dir is None else str(standards_dir)
    if norms:
        label += " + " + ", ".join(str(n) for n in norms)
    return label, files + [Path(n) for n in norms]


def fingerprint(scenario: Scenario, dataset: str | Path | None = None, standards_dir: str | Path | None = None,
                norms: Sequence[str | Path] = (), fallback_resources: bool = False) -> Fingerprint:
    """The inputs' fingerprint, without loading the atlas or sizing any package."""
    dlabel, _, dfiles = _dataset_folder(dataset)
    slabel, sfiles = _standards_files(standards_dir, norms)
    return Fingerprint(
        dataset=dlabel, dataset_sha256=_hash_files(dfiles),
        standards=slabel, standards_sha256=_hash_files(sfiles),
        scenario=scenario.source, scenario_sha256=scenario.sha256(),
        resource_use="fallback" if fallback_resources else "design",
    )


# loading --------------------------------------------------------------------------------
def load_instance(
    scenario_path: str | Path | None = None,
    dataset: str | Path | None = None,
    standards_dir: str | Path | None = None,
    norms: Sequence[str | Path] = (),
    fallback_resources: bool = False,
    design: Callable | None = None,
    record: RecordOverride | None = None,
) -> Instance:
    """The planning instance of a dataset, standards (with norms) and a scenario file.

    ``record`` replaces the dataset's record of sites as the commitments (``plan --from-db``:
    what the database says was started); the scenario's add/drop still apply.

    Raises
    ------
    InstanceError
        the dataset, its record or the standards cannot be read (bad input).
    ScenarioError
        the scenario or programme file is invalid, or names a county the atlas lacks.
    DesignFailed
        the design could not size a package (the run fails; nothing is guessed).
    """
    from twentyten.atlas import load_atlas
    from twentyten.atlas.validate import AtlasValidationError

    label, folder, _ = _dataset_folder(dataset)
    programme = load_programme(dataset)
    sc = load_scenario(scenario_path, dataset, programme)
    if programme is not None and scenario_path is None:
        sc = _relabel(sc, f"{label}/{programme_path(dataset).name}")
    try:
        atlas = load_atlas(dataset)
    except AtlasValidationError as e:
        first = e.problems[0] if e.problems else "no detail"
        more = len(e.problems) - 1
        raise InstanceError(f"dataset {label}: {first}" + (f" (and {more} more problems; "
                            f"twentyten atlas validate lists them)" if more else "")) from None
    fp = fingerprint(sc, dataset, standards_dir, norms, fallback_resources)
    regions, left_out = programme_sites(atlas, folder)
    commitments, rec_notes = _record(sc, programme, folder, regions, left_out, record)  # bad input first
    if fallback_resources:
        use, note = fallback_use(regions, sc.years), FALLBACK_NOTE
    else:
        fn, held = (design, []) if design is not None else _design(standards_dir, norms, sc)
        use, note = design_use(regions, sc.years, fn), "resource use from twentyten.design"
        rec_notes = [*held, *rec_notes]
    inp = build_inputs(sc, atlas, use, commitments, [note, *_not_sites(left_out), *rec_notes], regions)
    return Instance(inp, sc, atlas, fp)


def programme_sites(atlas, folder: Path) -> tuple[list, dict]:
    """The atlas's cities and counties that are programme sites (the dataset's
    ``programme_membership.csv``; all of them without it), as designed (with the raw materials
    of ``county_inputs.csv``), and the others, by id, as
    (region, :class:`~twentyten.atlas.programme.Membership`) with the reason and its source."""
    from twentyten.atlas.programme import MembershipError, members
    from twentyten.design.inputs import InputsError, designed_regions

    try:
        member = members(folder)
        designed = designed_regions(atlas, folder)
    except (MembershipError, InputsError) as e:
        raise InstanceError(str(e)) from None
    regions, left_out = [], {}
    for r in designed.values():
        m = member.get(r.id)
        if m is None or m.member:
            regions.append(r)
        else:
            left_out[r.id] = (r, m)
    return regions, left_out


def _not_sites(left_out: dict) -> list[str]:
    return [f"not planned: {r.name} ({rid}) is not a programme site ({MEMBERSHIP_FILE}): {m.reason}"
            + (f" [{m.source}]" if m.source else "") for rid, (r, m) in left_out.items()]


def _relabel(sc: Scenario, source: str) -> Scenario:
    return replace(sc, source=source)


def _design(standards_dir: str | Path | None, norms: Sequence[str | Path], sc: Scenario) -> tuple[Callable, list[str]]:
    """``design_package`` with the standards named (bundled by default) and the user's norms,
    and a note when the horizon runs past the last standard (held, not extrapolated); a
    horizon that starts before the standards' base year has no standard to design with."""
    from twentyten.design import design_package
    from twentyten.standards import StandardsError, load_standards

    try:
        std = load_standards(standards_dir, list(norms) or None)
    except StandardsError as e:
        raise InstanceError(str(e).splitlines()[0] if len(e.problems) == 1 else e.problems[0].where()) from None
    if sc.start < std.base_year:
        raise ScenarioError(f"{sc.source}: horizon.start = {sc.start}: before the standards' base year "
                            f"{std.base_year} (no standard to design its packages with)")

    def design(region, year: int):
        return design_package(region, year, std, explain=False)

    held = [] if sc.end <= std.last_year else [
        f"standards: none is defined after {std.last_year}; packages for {std.last_year + 1}-{sc.end} are "
        f"designed at the {std.last_year} standard (held, not extrapolated)"]
    return design, held


@dataclass(frozen=True)
class RecordOverride:
    """Commitments from somewhere other than the dataset's record file (e.g. the database)."""

    commitments: tuple[Commitment, ...]
    source: str
    notes: tuple[str, ...] = ()


def _record(sc: Scenario, programme, folder: Path, regions: Sequence,
            left_out: dict | None = None, override: RecordOverride | None = None) -> tuple[list[Commitment], list[str]]:
    """Commitments from the dataset's record (or ``override``) and the scenario's add/drop,
    checked against the atlas: only programme sites (``regions``) are committed; ``left_out``
    are the others."""
    left_out = left_out or {}
    ids = [r.id for r in regions]
    known = set(ids)
    for i, cid in enumerate(sc.drop_commitments):
        if cid not in known and cid not in left_out:
            raise ScenarioError(f"{sc.source}: commitments.drop[{i}] = {cid!r}: not a county id of the dataset")
    for a in sc.add_commitments:
        if a.county in left_out:
            raise ScenarioError(f"{sc.source}: {a.key}.county = {a.county!r}: not a programme site of the "
                                f"dataset ({MEMBERSHIP_FILE}: {left_out[a.county][1].reason})")
        if a.county not in known:
            raise ScenarioError(f"{sc.source}: {a.key}.county = {a.county!r}: not a county id of the dataset")
    commitments: list[Commitment] = []
    notes: list[str] = []
    if override is not None:
        unknown = sorted({c.county for c in override.commitments} - known)
        if unknown:
            raise InstanceError(f"{override.source}: {len(unknown)} started project(s) in counties the dataset "
                                f"lacks, first {unknown[0]!r}")
        commitments = [c for c in override.commitments if c.county not in sc.drop_commitments]
        notes = [f"commitments from {override.source}: {len(commitments)} started projects fixed", *override.notes]
    elif sc.use_record:
        rules = programme.record if programme is not None else None
        path = folder / rules.file if rules is not None else None
        if rules is None:
            notes.append("the dataset's programme.yaml gives no record rules: nothing is fixed")
        elif not path.is_file():
            notes.append(f"no record of sites ({path.name}): nothing is fixed")
        else:
            try:
                text = path.read_text(encoding="utf-8")
                commitments, notes = record_commitments([*ids, *left_out], sc.years, text, rules.keywords,
                                                        path.name)
            except (OSError, UnicodeDecodeError) as e:
                raise InstanceError(f"{path}: cannot read the record: {e}") from None
            except ValueError as e:
                raise InstanceError(str(e)) from None
        for c in commitments:
            if c.county in left_out:
                notes.append(f"record {c.county} {c.facility_type} {c.year}: not a programme site, left out")
        commitments = [c for c in commitments if c.county in known and c.county not in sc.drop_commitments]
    for a in sc.add_commitments:
        commitments = [c for c in commitments if (c.county, c.facility_type) != (a.county, a.facility_type)]
        commitments.append(Commitment(a.county, a.facility_type, a.year, source=f"{sc.source} {a.key}"))
    return commitments, notes


def build_inputs(sc: Scenario, atlas, use: dict[str, np.ndarray], commitments: Sequence[Commitment],
                 notes: Sequence[str], regions: Sequence | None = None) -> PlanInputs:
    """PlanInputs from a resolved scenario, an atlas, resource use (C, K, Y) and commitments;
    ``regions`` are the counties planned, in the order of ``use`` (default: every county)."""
    regions = list(atlas.counties()) if regions is None else list(regions)
    provinces = [p.id for p in atlas.provinces()]
    pnames = {p.id: p.name for p in atlas.provinces()}
    for r in regions:
        if (r.parent_id or "?") not in provinces:
            provinces.append(r.parent_id or "?")
    years = sc.years
    C, K, Y = len(regions), len(FACILITY_TYPES), len(years)
    eligible = np.ones((C, K, Y), dtype=bool)
    coastal = np.array([bool(r.coastal) for r in regions])
    for t in COASTAL_ONLY:
        eligible[~coastal, FACILITY_TYPES.index(t), :] = False
    cap = np.full((K, Y), UNCAPPED, dtype=int)
    target = np.zeros((K, Y), dtype=int)
    for k, t in enumerate(FACILITY_TYPES):
        lim = sc.caps.get(t)
        tg = sc.targets.get(t)
        for j, y in enumerate(years):
            if lim is not None:
                v = lim.value(y)
                cap[k, j] = UNCAPPED if v is None else int(math.floor(v + 1e-9))
                if lim.first_year is not None and y < lim.first_year:
                    eligible[:, k, j] = False
            if tg is not None and (tg.first_year is None or y >= tg.first_year):
                target[k, j] = int(tg.value(y) or 0)
    capacity = {}
    for r in use:
        lim = sc.capacity.get(r)
        capacity[r] = np.array([np.inf if lim is None or lim.value(y) is None else float(lim.value(y)) for y in years])
    need, _ = need_scores(regions, sc.need_terms, centre_of(list(atlas.counties())))  # sites or not
    pop = np.array([r.population or 0 for r in regions], float)
    tw = np.array([sc.type_weights.get(t, 0.0) for t in FACILITY_TYPES])
    weight = benefit_weights(need, pop, tw, sc.need_weight, sc.population_weight)
    pidx = {p: i for i, p in enumerate(provinces)}
    inp = PlanInputs(
        counties=tuple(r.id for r in regions),
        county_names=tuple(r.name for r in regions),
        provinces=tuple(provinces),
        province_names=tuple(pnames.get(p, p) for p in provinces),
        county_province=np.array([pidx[r.parent_id or "?"] for r in regions]),
        types=FACILITY_TYPES,
        years=years,
        eligible=eligible,
        use=use,
        capacity=capacity,
        cap=cap,
        target=target if target.any() else None,
        need=need,
        population=pop,
        weight=weight,
        commitments=tuple(commitments),
        replan_from=sc.replan_from,
        bundles=sc.bundles,
        precedences=sc.precedences,
        balance=Balance(sc.balance_types, sc.balance_strength, sc.balance_tolerance)
        if sc.balance_strength > 0 else None,
        lon=np.array([r.lon if r.lon is not None else np.nan for r in regions], float),
        lat=np.array([r.lat if r.lat is not None else np.nan for r in regions], float),
        notes=tuple(notes),
    )
    return replace(inp, notes=(*inp.notes, *large_package_notes(inp)))


def inputs_from_atlas(
    scenario: Scenario | None = None,
    dataset: str | Path | None = None,
    standards_dir: str | Path | None = None,
    norms: Sequence[str | Path] = (),
    fallback_resources: bool = False,
    design: Callable | None = None,
) -> PlanInputs:
    """The instance's inputs for a resolved scenario (default: the dataset's programme).

    A shortcut for tests and benchmarks; the CLI uses :func:`load_instance`.
    """
    if scenario is None:
        return load_instance(None, dataset, standards_dir, norms, fallback_resources, design).inputs
    from twentyten.atlas import load_atlas

    _, folder, _ = _dataset_folder(dataset)
    atlas = load_atlas(dataset)
    regions, left_out = programme_sites(atlas, folder)
    if fallback_resources:
        use, note = fallback_use(regions, scenario.years), FALLBACK_NOTE
    else:
        use = design_use(regions, scenario.years, design or _design(standards_dir, norms, scenario)[0])
        note = "resource use from twentyten.design"
    commitments, rec_notes = _record(scenario, load_programme(dataset), folder, regions, left_out)
    return build_inputs(scenario, atlas, use, commitments, [note, *_not_sites(left_out), *rec_notes], regions)


__all__ = ["DesignFailed", "Fingerprint", "Instance", "InstanceError", "RecordOverride", "build_inputs",
           "fingerprint", "inputs_from_atlas", "load_instance", "programme_sites"]
