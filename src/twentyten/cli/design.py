"""`twentyten design`: a county's package (or every county's) with the reason for every choice."""

from __future__ import annotations

import json
from typing import Any

import click

from twentyten.cli._common import FORMATS, emit_rows, fail


def _load(standards_dir: str | None, norms: tuple[str, ...]) -> Any:
    from twentyten.standards import StandardsError, load_standards

    try:
        return load_standards(standards_dir, list(norms) or None)
    except StandardsError as exc:
        fail(str(exc))


def _size(capacity: dict[str, Any]) -> str:
    shown = [(k, v) for k, v in capacity.items() if not k.endswith("_t_per_year")]
    lines = [(k, v) for k, v in capacity.items() if k.endswith("_t_per_year")]
    parts = [f"{k.removesuffix('_t_per_year')} {v:,.0f} t/yr" for k, v in lines]
    parts += [f"{k} {v:,.0f}" if isinstance(v, (int, float)) else f"{k} {v}" for k, v in shown]
    return "; ".join(parts)


def _facility_rows(d: dict[str, Any], with_reasons: bool) -> list[dict[str, Any]]:
    rows = []
    for f in d["facilities"]:
        split = f["payer_split"] or {}
        row = {
            "county_id": d["county_id"],
            "year": d["year"],
            "facility_type": f["facility_type"],
            "name": f["name"],
            "size": _size(f["capacity"]),
            f"cost_{d['cost_unit'] or 'units'}": f["cost"],
            "labour_regiment_months": f["labour_regiment_months"],
            "materials_t": f["materials_t"],
            "build_months": f["build_months"],
            "workforce": f["workforce"],
            "payer_centre_province_county": ":".join(f"{split.get(k, 0):g}" for k in ("centre", "province", "county")),
        }
        if with_reasons:
            row["lines"] = " | ".join(f["lines"])
            row["outputs"] = "; ".join(f"{k} {v:,.0f}" for k, v in f["outputs"].items())
            row["reasons"] = " | ".join(f["reasons"])
            row["sources"] = " ".join(f["sources"])
        rows.append(row)
    return rows


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


_SETTABLE = ("population", "area_km2", "physiography", "raw_materials", "coastal")


def _what_if(region: Any, sets: tuple[str, ...]) -> Any:
    """The region with the attributes given by ``--set KEY=VALUE`` replaced."""
    from dataclasses import replace

    changes: dict[str, Any] = {}
    for item in sets:
        key, sep, value = item.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or key not in _SETTABLE:
            fail(f"--set {item!r}: expected KEY=VALUE with KEY one of {', '.join(_SETTABLE)}")
        try:
            if key == "population":
                changes[key] = int(float(value))
                if changes[key] <= 0:
                    raise ValueError
            elif key == "area_km2":
                changes[key] = float(value)
                if changes[key] <= 0:
                    raise ValueError
            elif key == "coastal":
                if value.lower() not in ("true", "false", "yes", "no", "1", "0"):
                    raise ValueError
                changes[key] = value.lower() in ("true", "yes", "1")
            elif key == "raw_materials":
                changes[key] = tuple(m.strip() for m in value.split(";") if m.strip())
            else:
                changes[key] = value
        except ValueError:
            fail(f"--set {key}={value!r}: not a valid {key}")
    if changes:
        click.echo("what if: " + ", ".join(f"{k}={v}" for k, v in changes.items()), err=True)
    return replace(region, **changes) if changes else region


def _esc(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Escape rich markup: citations look like ``[source]``."""
    from rich.markup import escape

    return [{k: escape(v) if isinstance(v, str) else v for k, v in r.items()} for r in rows]


def _show_one(d: dict[str, Any], region: Any, fmt: str, explain: bool) -> None:
    if fmt == "json":
        click.echo(json.dumps(d, ensure_ascii=False, indent=2))
        return
    if fmt == "csv":
        emit_rows(_facility_rows(d, with_reasons=True), "csv")
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
@click.option("--all", "all_", is_flag=True, help="Design every city and county.")
@click.option("--year", type=int, default=None, help="Year of the standard (default: the base year).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("--explain", is_flag=True, help="Table format: also show how each number was obtained.")
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
    "--compare", "compare_year", type=int, default=None,
    help="Also show how the package differs from the same county's package at this year's standard.",
)
def design(
    county: str | None, all_: bool, year: int | None, fmt: str, explain: bool,
    norms: tuple[str, ...], standards_dir: str | None, dataset: str | None, sets: tuple[str, ...],
    compare_year: int | None,
) -> None:
    """What COUNTY gets: facilities, production lines, sizes, costs, and why.

    \b
    Examples:
      twentyten design "Sinpho City" --year 2026
      twentyten design PRK-jagang-chosan --format json
      twentyten design Kimhwa --year 2030 --compare 2024
      twentyten design Chosan --set population=60000 --set "raw_materials=wild fruit;livestock"
      twentyten design --all --year 2030 --format csv > packages.csv
    """
    if sets and all_:
        fail("--set changes one county; it cannot be used with --all")
    if bool(county) == all_:
        fail("give one COUNTY or --all", ["twentyten design \"Sinpho City\"", "twentyten design --all --format json"])
    from twentyten.atlas import load_atlas
    from twentyten.design import DesignError, design_package, package_dict

    std = _load(standards_dir, norms)
    year = std.base_year if year is None else year
    if year < std.base_year:
        fail(f"no standard before the base year {std.base_year} (asked for {year})")
    try:
        atlas = load_atlas(dataset)
    except (OSError, ValueError) as exc:
        fail(f"cannot load the atlas: {exc}")
    if county:
        try:
            region = atlas.find(county)
        except LookupError as exc:
            fail(str(exc))
        if region.level.value != "county":
            fail(f"{region.name} is a {region.level.value}; give one of its cities or counties",
                 [f"twentyten atlas list --province {region.id}"])
        region = _what_if(region, sets)
        try:
            pkg = design_package(region, year, std)
        except DesignError as exc:
            fail(str(exc))
        d = package_dict(pkg, std)
        d = {"name": region.name, **d}
        if sets:
            d["what_if"] = list(sets)
        if compare_year is not None:
            if compare_year < std.base_year:
                fail(f"no standard before the base year {std.base_year} (asked for {compare_year})")
            d["compared_with"] = _compare(design_package(region, compare_year, std, explain=False), pkg)
        _show_one(d, region, fmt, explain)
        return

    counties = list(atlas.counties())
    packages: list[tuple[Any, dict[str, Any]]] = []
    skipped: list[str] = []
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task(f"Designing {len(counties)} counties ({year})", total=len(counties))
        std_year = std.for_year(year)
        for region in counties:
            try:
                pkg = design_package(region, year, std_year, explain=fmt == "json")
                packages.append((region, {"name": region.name, **package_dict(pkg, std)}))
            except DesignError as exc:
                skipped.append(str(exc))
            progress.advance(task)
    if fmt == "json":
        click.echo(json.dumps([d for _, d in packages], ensure_ascii=False, indent=2))
    elif fmt == "csv":
        rows = [r for _, d in packages for r in _facility_rows(d, with_reasons=True)]
        emit_rows(rows, "csv")
    else:
        rows = []
        for region, d in packages:
            factories = [f for f in d["facilities"] if f["facility_type"] == "factory"]
            rows.append({
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
                "workforce": d["workforce"],
            })
        emit_rows(_esc(rows), "table", title=f"Packages at the {year} standard ({len(rows)} counties)")
        total = sum(d["cost"] for _, d in packages)
        labour = sum(d["labour_regiment_months"] for _, d in packages)
        click.echo(f"Total {total:,.0f} {std.cost_unit}; {labour:,.0f} regiment-months.")
    for s in skipped:
        click.echo(f"skipped: {s}", err=True)
