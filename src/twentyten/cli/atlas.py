"""`twentyten atlas …`: list, show, summarise and validate regions."""

from __future__ import annotations

import json

import click

from twentyten.cli._common import emit_rows, fail

DATASET_HELP = "Bundled dataset name or path to a dataset folder / regions CSV (default: setting `dataset`)."


def _load(dataset: str | None):
    from twentyten.atlas import AtlasValidationError, load_atlas

    try:
        return load_atlas(dataset)
    except AtlasValidationError as e:
        fail(f"the dataset has {len(e.problems)} problem(s); nothing was loaded", map(str, e.problems))
    except FileNotFoundError as e:
        fail(str(e))


def _find(atlas, query: str, province: str | None = None, level=None):
    from twentyten.atlas import AmbiguousRegion, UnknownRegion

    try:
        return atlas.find(query, province=province, level=level)
    except UnknownRegion as e:
        what = "province" if e.query != query or level == "province" else "region"
        fail(f"no {what} matches {e.query!r}", [f"did you mean {r.name} ({r.id})?" for r in e.suggestions])
    except AmbiguousRegion as e:
        prov = {r.id: (atlas.province_of(r).name if atlas.province_of(r) else "") for r in e.matches}
        fail(f"{query!r} matches {len(e.matches)} regions; give the id or --province",
             [f"{r.name} ({r.id}), {prov[r.id]}" for r in e.matches])


@click.group()
def atlas() -> None:
    """Regions of the country: attributes and their sources."""


@atlas.command("list")
@click.option("--province", "-p", help="Only the counties of this province (id or name).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "geojson"]), default="table", show_default=True)
@click.option("--dataset", help=DATASET_HELP)
def list_(province: str | None, fmt: str, dataset: str | None) -> None:
    """List the counties (cities and counties) with their main attributes."""
    a = _load(dataset)
    if province is not None:
        prov = _find(a, province, level="province")
        regions = [r for r in a.counties() if r.parent_id == prov.id]
    else:
        regions = list(a.counties())
    if fmt == "json":
        click.echo(json.dumps([a.record(r) for r in regions], ensure_ascii=False, indent=2))
    elif fmt == "geojson":
        click.echo(json.dumps(a.to_geojson(regions), ensure_ascii=False))
    else:
        rows = [a.flat(r) for r in regions]
        if fmt == "table":
            keep = ("id", "name", "name_local", "province", "population", "area_km2", "coastal", "physiography", "raw_materials")
            rows = [{k: r[k] for k in keep} for r in rows]
        emit_rows(rows, fmt, title=f"{len(regions)} counties")


@atlas.command("show")
@click.argument("county")
@click.option("--province", "-p", help="Province, to tell apart two counties of the same name.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--dataset", help=DATASET_HELP)
def show(county: str, province: str | None, fmt: str, dataset: str | None) -> None:
    """Show one region by id, romanised name (variants tolerated) or local-script name."""
    a = _load(dataset)
    rec = a.record(_find(a, county, province))
    if fmt == "json":
        click.echo(json.dumps(rec, ensure_ascii=False, indent=2))
        return
    click.echo(f"{rec['name']} ({rec['id']}), {rec['level']}" + (f" in {rec['province']}" if rec["province"] else ""))
    rows = []
    for k, v in rec["attributes"].items():
        val = v["value"]
        rows.append({
            "attribute": k,
            "value": "; ".join(map(str, val)) if isinstance(val, list) else val,
            "method": v.get("method", ""),
            "sources": ", ".join(v.get("sources", [])),
            "rule": v.get("rule", ""),
        })
    emit_rows(rows, "table")


@atlas.command("summary")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option("--dataset", help=DATASET_HELP)
def summary(fmt: str, dataset: str | None) -> None:
    """Counts and totals by province."""
    a = _load(dataset)
    emit_rows(a.summary(), fmt, title="Atlas summary by province")


@atlas.command("sources")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option("--dataset", help=DATASET_HELP)
def sources(fmt: str, dataset: str | None) -> None:
    """The sources behind the dataset, with licence and attribution."""
    a = _load(dataset)
    emit_rows([vars(s) for s in a.sources.values()], fmt, title="Sources")


@atlas.command("map")
@click.option("--by", type=click.Choice(["physiography", "coastal", "population", "density", "province"]),
              default="physiography", show_default=True, help="Attribute that colours the counties.")
@click.option("--out", "out", type=click.Path(dir_okay=False), default="atlas.html", show_default=True,
              help="HTML file to write (self-contained, works offline).")
@click.option("--dataset", help=DATASET_HELP)
def map_(by: str, out: str, dataset: str | None) -> None:
    """Write a map of the counties coloured by an attribute, with the table."""
    from pathlib import Path

    from twentyten.report.atlas_page import atlas_page

    a = _load(dataset)
    try:
        Path(out).write_text(atlas_page(a, by), encoding="utf-8")
    except OSError as e:
        fail(f"cannot write {out}: {e.strerror}")
    click.echo(f"wrote {out}")


@atlas.command("validate")
@click.argument("path", type=click.Path(exists=True))
def validate(path: str) -> None:
    """Check a dataset folder or regions CSV; list every problem (file, row, column, reason)."""
    from twentyten.atlas import validate_path

    problems = validate_path(path)
    if problems:
        fail(f"{len(problems)} problem(s) in {path}; it would not load", map(str, problems))
    a = _load(path)
    click.echo(f"ok: {path}: {len(a.provinces())} provinces, {len(a.counties())} counties, "
               f"population {sum(c.population or 0 for c in a.counties()):,}")
