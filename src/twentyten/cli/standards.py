"""`twentyten standards`: the facility catalogue, its norms by year, and their sources.

Data on stdout (or whole into ``--out FILE``), status lines on stderr; exit 2 for bad
input (a norms file with problems, an unknown facility type), 1 when a run failed.
"""

from __future__ import annotations

from typing import Any

import click

from twentyten.cli._common import FORMATS, bad_input, fail, status
from twentyten.cli._common import emit_rows as _emit_rows
from twentyten.cli.atlas import _out_option, output_to

_norms_opt = click.option(
    "--norms", multiple=True, type=click.Path(dir_okay=False),
    help="Your own norms file (CSV or YAML) replacing or extending the bundled norms; repeatable.",
)
_dir_opt = click.option("--standards", "standards_dir", type=click.Path(file_okay=False), help="A whole standards folder.")
_fmt_opt = click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)


def emit_rows(rows: list[dict[str, Any]], fmt: str, title: str | None = None,
              columns: tuple[str, ...] | None = None) -> None:
    """``_common.emit_rows`` with rich markup escaped in tables (notes may contain ``[...]``)."""
    if fmt == "table":
        from rich.markup import escape

        rows = [{k: escape(v) if isinstance(v, str) else v for k, v in r.items()} for r in rows]
    _emit_rows(rows, fmt, title=title, columns=columns)


def load_or_exit(standards_dir: str | None, norms: tuple[str, ...]) -> Any:
    """The standards folder with the user's norms on top, or exit 2 listing every problem."""
    from twentyten.standards import StandardsError, load_standards

    try:
        return load_standards(standards_dir, list(norms) or None)
    except StandardsError as exc:
        if len(exc.problems) == 1:
            bad_input(str(exc))
        bad_input(f"{len(exc.problems)} problems in the norms; nothing was loaded", [p.where() for p in exc.problems])


def year_standard(std: Any, year: int | None, what: str = "--year") -> Any:
    """The standard of ``year`` (the base year when None): a year before the base year is
    refused (exit 2); a year after the last standard is held, and a note says so."""
    year = std.base_year if year is None else year
    if year < std.base_year:
        bad_input(f"{what} {year}: no standard before the base year {std.base_year}")
    ys = std.for_year(year)
    if ys.held:
        status(f"note ({what} {year}): {ys.held}")
    return ys


def first_programme_year(std: Any) -> int:
    """The programme's first year (:attr:`Standards.first_programme_year`)."""
    return std.first_programme_year


NORM_ROW = ("key", "value", "unit", "applies_to", "quality", "source", "improved_by", "note")


def _norm_rows(std: Any, year_std: Any, facility_type: str | None, quality: str | None) -> list[dict[str, Any]]:
    rows = []
    for key, n in std.norms.items():
        if facility_type and n.applies_to not in (facility_type, "*"):
            continue
        if quality and n.quality.value != quality:
            continue
        rows.append({
            "key": key,
            "value": round(year_std.value(key), 6),
            "unit": n.unit,
            "applies_to": n.applies_to,
            "quality": n.quality.value,
            "source": n.source_id,
            "improved_by": len(year_std.changed_by.get(key, ())),
            "note": n.note,
        })
    return rows


@click.group()
def standards() -> None:
    """The facility catalogue and sizing norms, versioned by year.

    \b
    Every norm has a source or is a named assumption you can override:
      twentyten standards list --year 2028
      twentyten standards show hospital
      twentyten standards check my_norms.csv
      twentyten design "Sinpho City" --norms my_norms.csv
    """


@standards.command("list")
@click.option("--year", type=int, default=None, help="Values as they stand in this year (default: base year).")
@click.option("--type", "facility_type", default=None, help="Only norms of this facility type.")
@click.option("--quality", type=click.Choice(["quoted", "derived", "weak", "assumption", "user"]), default=None)
@_fmt_opt
@_out_option()
@_norms_opt
@_dir_opt
def list_(year: int | None, facility_type: str | None, quality: str | None, fmt: str, out: str | None,
          norms: tuple[str, ...], standards_dir: str | None) -> None:
    """Every norm with its value in YEAR, unit, quality and source."""
    std = load_or_exit(standards_dir, norms)
    ys = year_standard(std, year)
    if facility_type and facility_type not in std.facility_types:
        bad_input(f"unknown facility type {facility_type!r}", [f"known: {', '.join(std.facility_types)}"])
    rows = _norm_rows(std, ys, facility_type, quality)
    with output_to(out):
        emit_rows(rows, fmt, title=f"Norms of the {ys.year} standard ({std.country or std.origin})", columns=NORM_ROW)


@standards.command("show")
@click.argument("facility_type")
@click.option("--year", type=int, default=None, help="Values as they stand in this year (default: base year).")
@_fmt_opt
@_out_option()
@_norms_opt
@_dir_opt
def show(facility_type: str, year: int | None, fmt: str, out: str | None, norms: tuple[str, ...],
         standards_dir: str | None) -> None:
    """One facility type: what it is, its norms and (for factories) its production-line rules."""
    std = load_or_exit(standards_dir, norms)
    ys = year_standard(std, year)
    ft = std.facility_types.get(facility_type)
    if ft is None:
        bad_input(f"unknown facility type {facility_type!r}", [f"known: {', '.join(std.facility_types)}"])
    rows = _norm_rows(std, ys, facility_type, None)
    if fmt == "table":
        rows = [{k: v for k, v in r.items() if k != "applies_to"} for r in rows]
    lines = []
    if facility_type == "factory":
        for r in std.lines:
            when = "always" if r.always else r.requirement()
            lines.append({
                "line": r.id, "factory": std.factories[r.factory].name, "name": r.name, "when": when,
                "demand_kg_per_person": r.demand.text, "supply_t_per_km2": r.supply.text if r.supply else "",
                "reason": r.reason, "source": r.source,
            })
    with output_to(out):
        if fmt == "json":
            import json

            click.echo(json.dumps({
                "facility_type": ft.key, "name": ft.name, "description": ft.description, "source": ft.source,
                "requires": ft.requires, "year": ys.year, "norms": rows, "lines": lines,
            }, ensure_ascii=False, indent=2))
            return
        if fmt == "table":
            click.echo(f"{ft.name} ({ft.key}) — {ft.description} [{ft.source}]" + (f" Only for {ft.requires} counties." if ft.requires else ""))
        emit_rows(rows, fmt, title=f"Norms in {ys.year}")
        if lines:
            emit_rows(lines, fmt, title="Production lines")


@standards.command("improvements")
@click.option("--year", type=int, default=None, help="Only the improvements of this year.")
@_fmt_opt
@_out_option()
@_dir_opt
def improvements(year: int | None, fmt: str, out: str | None, standards_dir: str | None) -> None:
    """The rising standard: each year's named improvements."""
    std = load_or_exit(standards_dir, ())
    rows = [
        {"year": i.year, "name": i.name, "facility_type": i.facility_type, "key": i.key, "op": i.op.value,
         "value": i.value, "source": i.source_id, "note": i.note}
        for i in std.improvements if year is None or i.year == year
    ]
    with output_to(out):
        emit_rows(rows, fmt, title="Improvements of the standard",
                  columns=("year", "name", "facility_type", "key", "op", "value", "source", "note"))


@standards.command("sources")
@_fmt_opt
@_out_option()
@_dir_opt
def sources(fmt: str, out: str | None, standards_dir: str | None) -> None:
    """The sources the norms cite, and how many norms cite each."""
    std = load_or_exit(standards_dir, ())
    count: dict[str, int] = {}
    for n in std.norms.values():
        if n.source_id:
            count[n.source_id] = count.get(n.source_id, 0) + 1
    rows = [{"id": s.id, "norms": count.get(s.id, 0), "title": s.title, "url": s.url} for s in std.sources.values()]
    with output_to(out):
        emit_rows(rows, fmt, title="Sources", columns=("id", "norms", "title", "url"))


@standards.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@_fmt_opt
@_out_option(what="the list of changed and added norms")
@_dir_opt
def check(files: tuple[str, ...], fmt: str, out: str | None, standards_dir: str | None) -> None:
    """Validate your own norms FILES against the standards; list what they change.

    Exits 0 when they load, 2 (bad input) with every problem (file, line, key, reason) when not.
    """
    base = load_or_exit(standards_dir, ())
    std = load_or_exit(standards_dir, files)
    rows = []
    for k, n in std.norms.items():
        old = base.norms.get(k)
        if old is None or n.value != old.value:
            rows.append({"key": k, "change": "added" if old is None else "changed",
                         "old": None if old is None else old.value, "new": n.value, "unit": n.unit, "file": n.origin})
    changed = sum(r["change"] == "changed" for r in rows)
    status(f"ok: {', '.join(files)}: {changed} norm(s) changed, {len(rows) - changed} added")
    with output_to(out):
        emit_rows(rows, fmt, title="Norms your files change", columns=("key", "change", "old", "new", "unit", "file"))


@standards.command("export")
@click.argument("folder", type=click.Path(file_okay=False))
def export(folder: str) -> None:
    """Copy the bundled standards folder to FOLDER to edit it (then use --standards FOLDER)."""
    import os
    import shutil
    import tempfile
    from pathlib import Path

    from twentyten.standards import bundled_path

    dest = Path(folder).expanduser()
    if dest.exists() and any(dest.iterdir()):
        bad_input(f"{dest} exists and is not empty; give a new or empty folder")
    if not dest.resolve().parent.is_dir():
        bad_input(f"{dest}: the folder {dest.resolve().parent} does not exist")
    tmp = ""
    try:  # copy beside it, then move into place: the folder appears whole or not at all
        tmp = tempfile.mkdtemp(prefix=f".{dest.name}.", dir=dest.resolve().parent)
        shutil.copytree(bundled_path(), tmp, dirs_exist_ok=True)
        os.replace(tmp, dest)
    except OSError as e:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)  # our own temporary copy only
        fail(f"cannot write {dest}: {e.strerror or e}")
    status(f"copied the bundled standards to {dest}; edit them and pass --standards {dest}")
