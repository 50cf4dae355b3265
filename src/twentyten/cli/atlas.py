"""`twentyten atlas …`: list, show, summarise and validate regions.

Conventions (as every command): data on stdout, or whole into ``--out FILE``; status
lines on stderr; exit 1 when a run failed, 2 for bad usage or input (a dataset that does
not load, a county no region matches, a file `atlas validate` finds problems in).
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stdout
from pathlib import Path

import click

from twentyten.cli._common import EXIT_BAD_INPUT, bad_input, emit_rows, fail, status

DATASET_HELP = "Bundled dataset name or path to a dataset folder / regions CSV (default: setting `dataset`)."


def _out_option(default: str | None = None, what: str = "the output"):
    def check(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
        if value is not None:
            parent = Path(value).expanduser().resolve().parent
            if not parent.is_dir():
                raise click.BadParameter(f"folder {str(parent)!r} does not exist", ctx, param)
            if not os.access(parent, os.W_OK):
                raise click.BadParameter(f"folder {str(parent)!r} is not writable", ctx, param)
            if Path(value).is_dir():
                raise click.BadParameter(f"{value!r} is a folder; give a file name", ctx, param)
        return value

    return click.option("--out", "out", type=click.Path(dir_okay=False), default=default, callback=check,
                        show_default=default is not None,
                        help=f"Write {what} to this file (whole or not at all) instead of stdout.")


def write_whole(path: str | Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder, then replace:
    the file holds the old content or the new, never a part. Exits 1 when it cannot."""
    from twentyten.outputs import write_file

    target = Path(path).expanduser()
    try:
        write_file(target, text)
    except OSError as e:
        fail(f"cannot write {target}: {e.strerror or e}")


@contextmanager
def output_to(out: str | None) -> Iterator[None]:
    """Send what the block prints on stdout to ``out`` (whole, or not at all), or leave it on stdout."""
    if out is None:
        yield
        return
    buf = io.StringIO()
    with redirect_stdout(buf):
        yield
    write_whole(out, buf.getvalue())
    status(f"wrote {out}")


def _load(dataset: str | None):
    from twentyten.atlas import AtlasValidationError, load_atlas

    try:
        return load_atlas(dataset)
    except AtlasValidationError as e:
        if len(e.problems) == 1:
            bad_input(f"{e.problems[0]}; nothing was loaded")
        bad_input(f"the dataset has {len(e.problems)} problems; nothing was loaded", map(str, e.problems))


def find_region(atlas, query: str, province: str | None = None, level=None, code: int = EXIT_BAD_INPUT):
    """The region ``query`` names, or exit ``code`` listing the closest names or the matches."""
    from twentyten.atlas import AmbiguousRegion, UnknownRegion

    try:
        return atlas.find(query, province=province, level=level)
    except UnknownRegion as e:
        what = "province" if e.query != query or level == "province" else "region"
        fail(f"no {what} matches {e.query!r}", [f"did you mean {r.name} ({r.id})?" for r in e.suggestions], code=code)
    except AmbiguousRegion as e:
        prov = {r.id: (atlas.province_of(r).name if atlas.province_of(r) else "") for r in e.matches}
        fail(f"{query!r} matches {len(e.matches)} regions; give the id or --province",
             [f"{r.name} ({r.id}), {prov[r.id]}" for r in e.matches], code=code)


@click.group()
def atlas() -> None:
    """Regions of the country: attributes and their sources."""


@atlas.command("list")
@click.option("--province", "-p", help="Only the counties of this province (id or name).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "geojson"]), default="table", show_default=True)
@_out_option()
@click.option("--dataset", help=DATASET_HELP)
def list_(province: str | None, fmt: str, out: str | None, dataset: str | None) -> None:
    """List the counties (cities and counties) with their main attributes."""
    a = _load(dataset)
    if province is not None:
        prov = find_region(a, province, level="province")
        regions = [r for r in a.counties() if r.parent_id == prov.id]
    else:
        regions = list(a.counties())
    with output_to(out):
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
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@_out_option()
@click.option("--dataset", help=DATASET_HELP)
def show(county: str, province: str | None, fmt: str, out: str | None, dataset: str | None) -> None:
    """Show one region by id, romanised name (variants tolerated) or local-script name."""
    a = _load(dataset)
    rec = a.record(find_region(a, county, province))
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
    with output_to(out):
        if fmt == "json":
            click.echo(json.dumps(rec, ensure_ascii=False, indent=2))
            return
        if fmt == "table":
            click.echo(f"{rec['name']} ({rec['id']}), {rec['level']}" + (f" in {rec['province']}" if rec["province"] else ""))
        emit_rows(rows, fmt, columns=("attribute", "value", "method", "sources", "rule"))


@atlas.command("summary")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@_out_option()
@click.option("--dataset", help=DATASET_HELP)
def summary(fmt: str, out: str | None, dataset: str | None) -> None:
    """Counts and totals by province."""
    a = _load(dataset)
    with output_to(out):
        emit_rows(a.summary(), fmt, title="Atlas summary by province")


@atlas.command("sources")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@_out_option()
@click.option("--dataset", help=DATASET_HELP)
def sources(fmt: str, out: str | None, dataset: str | None) -> None:
    """The sources behind the dataset, with licence and attribution."""
    a = _load(dataset)
    with output_to(out):
        emit_rows([vars(s) for s in a.sources.values()], fmt, title="Sources",
                  columns=("id", "title", "url", "licence", "attribution"))


@atlas.command("map")
@click.option("--by", type=click.Choice(["physiography", "coastal", "population", "density", "province"]),
              default="physiography", show_default=True, help="Attribute that colours the counties.")
@_out_option(default="atlas.html", what="the page (HTML, self-contained, works offline)")
@click.option("--dataset", help=DATASET_HELP)
def map_(by: str, out: str, dataset: str | None) -> None:
    """Write a map of the counties coloured by an attribute, with the table."""
    from twentyten.report.atlas_page import atlas_page

    a = _load(dataset)
    write_whole(out, atlas_page(a, by))
    status(f"wrote {out}")


@atlas.command("validate")
@click.argument("path", type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True,
              help="table: problems on stderr; csv or json: the problem list on stdout (or --out).")
@_out_option(what="the problem list")
def validate(path: str, fmt: str, out: str | None) -> None:
    """Check a dataset folder or regions CSV; list every problem (file, row, column, reason).

    Exits 0 when it would load, 2 when it has problems (bad input).
    """
    from twentyten.atlas import load_atlas, validate_path
    from twentyten.atlas.validate import topology_checked

    problems = validate_path(path)
    if fmt != "table":
        rows = [{"file": p.file, "unit": p.unit, "row": p.row, "key": p.key, "column": p.column, "reason": p.reason}
                for p in problems]
        with output_to(out):
            emit_rows(rows, fmt, columns=("file", "unit", "row", "key", "column", "reason"))
    if not topology_checked():
        status("note: shapes were not checked for self-intersection (install the geo extra: shapely)")
    if len(problems) == 1 and fmt == "table":
        bad_input(f"{problems[0]}; it would not load")
    if problems:
        lines = map(str, problems) if fmt == "table" else ()
        bad_input(f"{len(problems)} problem{'s' if len(problems) > 1 else ''} in {path}; it would not load", lines)
    a = load_atlas(Path(path))
    status(f"ok: {path}: {len(a.provinces())} provinces, {len(a.counties())} counties, "
           f"population {sum(c.population or 0 for c in a.counties()):,}")
