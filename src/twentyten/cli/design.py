"""`twentyten design`: a county's package (or every county's) with the reason for every choice."""

from __future__ import annotations

import contextlib
import io
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from twentyten.cli._common import FORMATS, bad_input, emit_rows, fail, status
from twentyten.cli.standards import first_programme_year, load_or_exit, year_standard


@contextlib.contextmanager
def _to_file_or_stdout(out: str | None) -> Iterator[None]:
    """Data printed inside go to ``out``, written whole (a temporary file in the same folder,
    then os.replace) only when the command succeeds; without ``out``, to stdout."""
    if out is None:
        yield
        return
    target = Path(out)
    if not target.parent.is_dir() or not os.access(target.parent, os.W_OK):
        bad_input(f"--out {out}: the folder {target.parent} does not exist or is not writable")
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        yield  # an exit (bad input, failed run) leaves the file as it was
    from twentyten.outputs import write_file

    try:
        write_file(target, buf.getvalue())
    except OSError as exc:
        fail(f"--out {out}: {exc}")
    status(f"written: {target}")


def _size(capacity: dict[str, Any]) -> str:
    shown = [(k, v) for k, v in capacity.items() if not k.endswith("_t_per_year")]
    lines = [(k, v) for k, v in capacity.items() if k.endswith("_t_per_year")]
    parts = [f"{k.removesuffix('_t_per_year')} {v:,.0f} t/yr" for k, v in lines]
    parts += [f"{k} {v:,.0f}" if isinstance(v, (int, float)) else f"{k} {v}" for k, v in shown]
    return "; ".join(parts)


#: Units of capacity and output keys, by the end of the key (first match wins).
_UNITS = (
    ("_t_per_year", "t/yr"), ("_per_year", "per year"), ("_t_per_day", "t/day"), ("_m3_per_min", "m3/min"),
    ("_m2", "m2"), ("_m3", "m3"), ("_t", "t"), ("_ha", "ha"), ("_tb", "TB"), ("_kw", "kW"), ("_temp_c", "degrees C"),
    ("_pct", "%"), ("_seats", "seats"),
)
_RESOURCES = (
    ("cost", None), ("labour_regiment_months", "regiment-months"), ("materials_t", "t"),
    ("build_months", "months"), ("workforce", "people"),
)


def _unit(key: str) -> str:
    return next((u for end, u in _UNITS if key.endswith(end)), "count")


def _facility_rows(d: dict[str, Any], compared: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Long format for CSV: one row per number of each facility (capacity, output, resource,
    payer share) with its value, unit and basis; with ``compared``, the same number at the
    compared year's standard."""
    rows = []
    before = {}
    if compared:
        for f in compared["facilities"]:
            before[(f["facility_type"], f["name"])] = _numbers(f, d["cost_unit"])
    for f in d["facilities"]:
        old = before.get((f["facility_type"], f["name"]), {})
        for (kind, key), (value, unit) in _numbers(f, d["cost_unit"]).items():
            row = {
                "county_id": d["county_id"], "county": d.get("name", ""), "year": d["year"],
                "facility_type": f["facility_type"], "facility": f["name"], "kind": kind, "quantity": key,
                "value": value, "unit": unit, "basis": f["basis"].get(key, ""),
            }
            if compared is not None:
                row[f"value_{compared['year']}"] = old.get((kind, key), (None, ""))[0]
            rows.append(row)
    return rows


def _numbers(f: dict[str, Any], cost_unit: str) -> dict[tuple[str, str], tuple[Any, str]]:
    out: dict[tuple[str, str], tuple[Any, str]] = {}
    for k, v in f["capacity"].items():
        out[("capacity", k)] = (v, _unit(k))
    for k, v in f["outputs"].items():
        out[("output", k)] = (v, _unit(k))
    for k, unit in _RESOURCES:
        out[("resource", k)] = (f[k], unit or cost_unit or "units")
    for k, v in (f["payer_split"] or {}).items():
        out[("payer_share", k)] = (v, "share of cost")
    return out


def _compare(other: Any, pkg: Any) -> dict[str, Any]:
    """How ``pkg`` differs from the same county's package ``other`` (another year's standard)."""
    rows = []
    before = {(f.facility_type, f.name): f for f in other.facilities}
    for f in pkg.facilities:
        o = before.get((f.facility_type, f.name))
        changed = []
        if o is not None:
            for k, v in f.capacity.items():
                ov = o.capacity.get(k)
                if isinstance(v, (int, float)) and isinstance(ov, (int, float)) and ov != v:
                    changed.append(f"{k} {ov:,.0f}→{v:,.0f}")
        rows.append({
            "facility": f.name,
            f"cost {other.year}": o.cost if o else 0.0,
            f"cost {pkg.year}": f.cost,
            "change %": round(100 * (f.cost / o.cost - 1), 1) if o and o.cost else None,
            "size changes": "; ".join(changed) if o else "new",
        })
    return {"year": other.year, "cost": round(other.cost, 1), "cost_change": round(pkg.cost - other.cost, 1),
            "facilities": rows}


def _with_compare(d: dict[str, Any], region: Any, pkg: Any, compare_year: int, std: Any) -> None:
    """Add ``compared_with`` (and, for CSV, the other year's package) to a package dict."""
    from twentyten.design import design_package, package_dict

    other = design_package(region, compare_year, std, explain=False)
    d["compared_with"] = _compare(other, pkg)
    d["_other"] = package_dict(other, std)


_SETTABLE = ("population", "area_km2", "physiography", "raw_materials", "coastal")


def _what_if(region: Any, sets: tuple[str, ...]) -> Any:
    """The region with the attributes given by ``--set KEY=VALUE`` replaced, each read as the
    atlas reads its column (the same types, ranges and classes)."""
    from dataclasses import replace

    from twentyten.atlas.rows import parse_cell
    from twentyten.atlas.schema import REGION_COLUMNS

    columns = {s.name: s for s in REGION_COLUMNS}
    changes: dict[str, Any] = {}
    for item in sets:
        key, sep, value = item.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or key not in _SETTABLE:
            bad_input(f"--set {item!r}: expected KEY=VALUE with KEY one of {', '.join(_SETTABLE)}")
        try:
            parsed = parse_cell(columns[key], value)
        except ValueError as exc:
            bad_input(f"--set {key}={value!r}: {exc}")
        if parsed is None:
            bad_input(f"--set {key}=: a value is required")
        if key == "population" and parsed <= 0:
            bad_input(f"--set population={value!r}: a county to design has people (give a positive number)")
        changes[key] = parsed
    if changes:
        status("what if: " + ", ".join(f"{k}={';'.join(v) if isinstance(v, tuple) else v}" for k, v in changes.items()))
    return replace(region, **changes) if changes else region


def _esc(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Escape rich markup: citations look like ``[source]``."""
    from rich.markup import escape

    return [{k: escape(v) if isinstance(v, str) else v for k, v in r.items()} for r in rows]


def _show_one(d: dict[str, Any], region: Any, fmt: str, explain: bool) -> None:
    other = d.pop("_other", None)
    if fmt == "json":
        click.echo(json.dumps(d, ensure_ascii=False, indent=2))
        return
    if fmt == "csv":
        emit_rows(_facility_rows(d, other), "csv")
        return
    unit = d["cost_unit"] or "units"
    summary = []
    for f in d["facilities"]:
        split = f["payer_split"] or {}
        summary.append({
            "facility": f["name"],
            f"cost ({unit})": f["cost"],
            "regiment-months": f["labour_regiment_months"],
            "materials t": round(f["materials_t"]),
            "months": f["build_months"],
            "workforce": f["workforce"],
            "centre:prov:county": ":".join(f"{split.get(k, 0):g}" for k in ("centre", "province", "county")),
        })
    title = f"{region.name} ({d['county_id']}): package at the {d['year']} standard"
    emit_rows(_esc(summary), "table", title=title)
    sizes = []
    for f in d["facilities"]:
        sizes.append({"facility": f["name"], "lines": "\n".join(f["lines"]), "size": _size(f["capacity"]),
                      "output": "; ".join(f"{k} {v:,.0f}" for k, v in f["outputs"].items())})
    emit_rows(_esc(sizes), "table", title="Lines, sizes and outputs")
    plant = d.get("grain_plant")
    if plant is not None:
        rows = [{"part": "bins", "size": f"{plant['bins']} x {plant['bin_capacity_t']:,.0f} t",
                 "how": plant["basis"]["bins"]},
                {"part": "aeration fans", "size": f"{plant['fan_kw_total']:,.1f} kW, {plant['airflow_m3_min']:,.0f} m3/min",
                 "how": plant["basis"]["fan_kw_total"]},
                {"part": "cooling front", "size": f"{plant['cooling_front_h']:,.0f} h",
                 "how": plant["basis"]["cooling_front_h"]},
                {"part": "dryers", "size": f"{plant['dryers']} ({plant['dryer_t_per_day_installed']:,.0f} t/day installed)",
                 "how": plant["basis"]["dryer_t_per_day_installed"]},
                {"part": "dryer fans", "size": f"{plant['dryer_fan_kw']:,.0f} kW", "how": plant["basis"]["dryer_fan_kw"]}]
        emit_rows(_esc(rows), "table", title="Grain storage plant (twentyten grain size; paddy)")
    reasons = []
    for f in d["facilities"]:
        for line in f["reasons"]:
            reasons.append({"facility": f["name"], "why": line})
    for note in d["notes"]:
        reasons.append({"facility": "(not built)", "why": note})
    emit_rows(_esc(reasons), "table", title="Why")
    if explain:
        basis = [
            {"facility": f["name"], "number": k, "how (value unit [source])": v}
            for f in d["facilities"] for k, v in f["basis"].items()
        ]
        emit_rows(_esc(basis), "table", title="How each number was obtained")
    if "compared_with" in d:
        c = d["compared_with"]
        emit_rows(_esc(c["facilities"]), "table", title=f"Compared with the {c['year']} standard")
    payer = d["cost_by_payer"]
    click.echo(
        f"Total {d['cost']:,.0f} {unit} (centre {payer['centre']:,.0f}, province {payer['province']:,.0f}, "
        f"county {payer['county']:,.0f}); {d['labour_regiment_months']:,.1f} regiment-months; "
        f"{d['materials_t']:,.0f} t of materials; longest build {d['build_months']:.1f} months; "
        f"workforce {d['workforce']:,}."
    )
    if not explain:
        click.echo("Add --explain for the formula and source behind every number, or --format json.")


@click.command()
@click.argument("county", required=False)
@click.option("--province", "-p", help="Province (id or name), to tell apart two counties of the same name.")
@click.option("--all", "all_", is_flag=True, help="Design every city and county.")
@click.option("--year", type=int, default=None,
              help="Year of the standard (default: the programme's first year, the first with improvements).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option(
    "--explain", is_flag=True,
    help="Also show how each number was obtained (table: one county; csv: the basis column; json: always).",
)
@click.option(
    "--norms", multiple=True, type=click.Path(dir_okay=False),
    help="Your own norms file (CSV or YAML) replacing or extending the bundled norms; repeatable.",
)
@click.option("--standards", "standards_dir", type=click.Path(file_okay=False), help="A whole standards folder.")
@click.option("--dataset", default=None, help="Atlas dataset name or folder (default: the bundled one).")
@click.option(
    "--set", "sets", multiple=True, metavar="KEY=VALUE",
    help="What if: change one of the county's attributes (population, area_km2, physiography, "
    "raw_materials as 'a;b', coastal true/false); repeatable.",
)
@click.option(
    "--out", type=click.Path(dir_okay=False), default=None,
    help="Write the data to this file (whole or not at all) instead of stdout.",
)
@click.option(
    "--compare", "compare_year", type=int, default=None,
    help="Also show how the package differs from the same county's package at this year's standard.",
)
def design(
    county: str | None, province: str | None, all_: bool, year: int | None, fmt: str, explain: bool,
    norms: tuple[str, ...], standards_dir: str | None, dataset: str | None, sets: tuple[str, ...],
    out: str | None, compare_year: int | None,
) -> None:
    """What COUNTY gets: facilities, production lines, sizes, costs, and why.

    \b
    Examples:
      twentyten design "Sinpho City" --year 2026
      twentyten design Unsan --province "North Pyongan"
      twentyten design PRK-jagang-chosan --format json
      twentyten design Kimhwa --year 2030 --compare 2024
      twentyten design Chosan --set population=60000 --set "raw_materials=wild fruit;livestock"
      twentyten design --all --year 2030 --format csv --out packages.csv
      twentyten design Kimhwa --year 2022 --compare 2024
      twentyten design calibrate --format csv

    `design calibrate` puts every numeric fact of the dataset's record
    (calibration_facts.csv) beside what the design gives for that county and year.
    Data go to stdout (or --out), status lines to stderr; exit 2 for bad input,
    1 for a failed run.
    """
    with _to_file_or_stdout(out):
        _design(county, province, all_, year, fmt, explain, norms, standards_dir, dataset, sets, compare_year)


def _design(
    county: str | None, province: str | None, all_: bool, year: int | None, fmt: str, explain: bool,
    norms: tuple[str, ...], standards_dir: str | None, dataset: str | None, sets: tuple[str, ...],
    compare_year: int | None,
) -> None:
    if county == "calibrate":
        if all_ or sets or province or compare_year is not None or year is not None:
            bad_input("design calibrate takes only --format, --out, --dataset, --norms and --standards")
        _calibrate(dataset, standards_dir, norms, fmt)
        return
    if sets and all_:
        bad_input("--set changes one county; it cannot be used with --all")
    if province and all_:
        bad_input("--province picks one county; it cannot be used with --all")
    if bool(county) == all_:
        bad_input("give one COUNTY or --all", ["twentyten design \"Sinpho City\"", "twentyten design --all --format json"])
    if all_ and explain and fmt == "table":
        bad_input("--explain with --all needs --format csv (a basis column) or json (basis always included); "
             "the table shows one row per county",
             ["twentyten design --all --explain --format csv", "twentyten design COUNTY --explain"])
    from twentyten.cli.atlas import find_region
    from twentyten.design import DesignError, design_package, package_dict

    std = load_or_exit(standards_dir, norms)
    year = first_programme_year(std) if year is None else year
    year_standard(std, year)
    if compare_year is not None:
        year_standard(std, compare_year, "--compare")
    atlas = _atlas(dataset)
    if county:
        region = find_region(atlas, county, province)
        if region.level.value != "county":
            bad_input(f"{region.name} is a {region.level.value}; give one of its cities or counties",
                 [f"twentyten atlas list --province {region.id}"])
        region = _what_if(_county_inputs(dataset, atlas).get(region.id, region), sets)
        membership = _membership(dataset).get(region.id)
        if membership is not None and not membership.member:
            status(f"note: {region.name} is not a programme site: {membership.reason}")
        try:
            pkg = design_package(region, year, std)
        except DesignError as exc:
            fail(str(exc))
        d = package_dict(pkg, std)
        d = {"name": region.name, **d}
        if sets:
            d["what_if"] = list(sets)
        if compare_year is not None:
            _with_compare(d, region, pkg, compare_year, std)
        plant = _grain_plant(d, std, year)
        if plant is not None:
            d["grain_plant"] = plant
        _show_one(d, region, fmt, explain)
        return
    _design_all(atlas, std, year, fmt, explain, compare_year, _membership(dataset), _county_inputs(dataset, atlas))


def _grain_plant(d: dict[str, Any], std: Any, year: int) -> dict[str, Any] | None:
    """Bins, aeration fans and dryers of the package's grain storage (as ``twentyten grain size``
    computes them, for paddy), with how each was obtained; None without a grain storage."""
    from twentyten.grain.norms import crop
    from twentyten.grain.sizing import size_storage

    fac = next((f for f in d["facilities"] if f["facility_type"] == "grain_storage"), None)
    if fac is None:
        return None
    std_year = std.for_year(year)
    norms = {k: std_year.value(k) for k in ("grain.stack_height_m", "grain.dryer_t_per_batch",
                                              "grain.dryer_batches_per_day")}
    s = size_storage(d["county_id"], d.get("name", ""), dict(fac["capacity"]), norms, crop("paddy"))
    return {**s.row(), "basis": dict(s.basis)}


def _membership(dataset: str | None) -> dict[str, Any]:
    """Programme membership of the dataset's cities and counties (every one a member when the
    dataset is a bare regions file)."""
    from twentyten.atlas.loader import resolve
    from twentyten.atlas.programme import MembershipError, members

    folder = resolve(dataset)
    if not folder.is_dir():
        return {}
    try:
        return members(folder)
    except MembershipError as exc:
        bad_input(str(exc))
    return {}


def _county_inputs(dataset: str | None, atlas: Any) -> dict[str, Any]:
    """Every county with the raw materials the dataset's county_inputs.csv adds to it."""
    from twentyten.design.inputs import InputsError, designed_regions

    try:
        return designed_regions(atlas, dataset)
    except InputsError as exc:
        bad_input(str(exc))


def _design_all(
    atlas: Any, std: Any, year: int, fmt: str, explain: bool, compare_year: int | None, membership: dict[str, Any],
    regions: dict[str, Any],
) -> None:
    from rich.console import Console
    from rich.progress import Progress

    from twentyten.design import DesignError, design_package, package_dict

    counties = [regions[r.id] for r in atlas.counties() if r.id not in membership or membership[r.id].member]
    for r in atlas.counties():
        if r.id in membership and not membership[r.id].member:
            status(f"left out, not a programme site: {r.name} ({membership[r.id].reason})")
    packages: list[tuple[Any, dict[str, Any]]] = []
    skipped: list[str] = []
    with Progress(console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task(f"Designing {len(counties)} counties ({year})", total=len(counties))
        std_year = std.for_year(year)
        for region in counties:
            try:
                pkg = design_package(region, year, std_year, explain=fmt == "json" or explain)
                d = {"name": region.name, **package_dict(pkg, std)}
                if compare_year is not None:
                    _with_compare(d, region, pkg, compare_year, std)
                packages.append((region, d))
            except DesignError as exc:
                skipped.append(str(exc))
            progress.advance(task)
    if fmt == "json":
        for _, d in packages:
            d.pop("_other", None)
        click.echo(json.dumps([d for _, d in packages], ensure_ascii=False, indent=2))
    elif fmt == "csv":
        rows = [r for _, d in packages for r in _facility_rows(d, d.pop("_other", None))]
        for r in rows if not explain else ():
            r.pop("basis", None)
        emit_rows(rows, "csv")
    else:
        rows = []
        for region, d in packages:
            factories = [f for f in d["facilities"] if f["facility_type"] == "factory"]
            row = {
                "county_id": d["county_id"],
                "name": region.name,
                "population": region.population,
                "physiography": region.physiography,
                "factories": ", ".join(f["name"].removesuffix(" factory") for f in factories),
                "lines": sum(len(f["lines"]) for f in factories),
                "offshore_farm": "yes" if any(f["facility_type"] == "offshore_farm" for f in d["facilities"]) else "",
                f"cost_{d['cost_unit'] or 'units'}": d["cost"],
                "regiment_months": d["labour_regiment_months"],
                "materials_t": d["materials_t"],
                "months": d["build_months"],
                "workforce": d["workforce"],
            }
            if compare_year is not None:
                c = d["compared_with"]
                row[f"cost_{compare_year}"] = c["cost"]
                row["change %"] = round(100 * (d["cost"] / c["cost"] - 1), 1) if c["cost"] else None
            rows.append(row)
        emit_rows(_esc(rows), "table", title=f"Packages at the {year} standard ({len(rows)} counties)")
        total = sum(d["cost"] for _, d in packages)
        labour = sum(d["labour_regiment_months"] for _, d in packages)
        line = f"Total {total:,.0f} {std.cost_unit}; {labour:,.0f} regiment-months."
        if compare_year is not None:
            before = sum(d["compared_with"]["cost"] for _, d in packages)
            line += f" At the {compare_year} standard: {before:,.0f} {std.cost_unit}."
        click.echo(line)
    for s in skipped:
        click.echo(f"skipped: {s}", err=True)


def _atlas(dataset: str | None) -> Any:
    from twentyten.atlas import load_atlas

    try:
        return load_atlas(dataset)
    except FileNotFoundError as exc:
        bad_input(f"--dataset: {exc}")
    except (OSError, ValueError) as exc:
        bad_input(f"cannot load the atlas: {exc}")


def _calibrate(dataset: str | None, standards_dir: str | None, norms: tuple[str, ...], fmt: str) -> None:
    """The calibration report: every fact of the record beside the design, then the summary."""
    from twentyten.atlas.loader import dataset_folder
    from twentyten.design.calibrate import (
        FACTS_FILE,
        GOAL_MEDIAN,
        CalibrationError,
        calibrate,
        rows,
        summarise,
    )

    std = load_or_exit(standards_dir, norms)
    atlas = _atlas(dataset)
    folder = dataset_folder(dataset)
    if not (folder / FACTS_FILE).exists():
        bad_input(f"{folder / FACTS_FILE}: no calibration facts in this dataset")
    status(f"Calibrating the design against {folder / FACTS_FILE}")
    try:
        comparisons = calibrate(folder, _county_inputs(dataset, atlas), std)
    except CalibrationError as exc:
        bad_input(str(exc))
    table = rows(comparisons)
    summary = [
        {"kind": s.kind, "facts": s.facts, "median_abs_log_ratio": s.median_abs_log, "worst_abs_log_ratio": s.worst_abs_log,
         "worst": s.worst_county, "goal": "n/a (< 3 facts)" if s.goal_met is None else ("met" if s.goal_met else "not met")}
        for s in summarise(comparisons)
    ]
    if fmt == "json":
        click.echo(json.dumps({"goal_median_abs_log_ratio": GOAL_MEDIAN, "facts": table, "summary": summary},
                              ensure_ascii=False, indent=2))
        return
    if fmt == "csv":
        emit_rows(table, "csv")
        return
    shown = [{k: r[k] for k in ("kind", "county", "year", "facility", "record", "design", "unit", "ratio", "finding")}
             for r in table]
    emit_rows(_esc(shown), "table", title="The design beside the record (ratio = design / record)")
    emit_rows(_esc(summary), "table", title=f"Summary per kind (goal: median |log ratio| <= {GOAL_MEDIAN})")
