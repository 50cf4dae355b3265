"""`twentyten media`: ingest state-press corpora, measure attention, find milestone evidence."""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, redirect_stdout
from pathlib import Path
from typing import Any

import click

from twentyten import settings
from twentyten.cli._common import FORMATS, bad_input, check_output_file, emit_rows, fail, status

DEFAULT_GROUPS = "regional,munitions,defence_science"


def _db_option(f):
    return click.option(
        "--db",
        type=click.Path(dir_okay=False, path_type=Path),
        default=lambda: settings.get("media_db"),
        show_default="$TWENTYTEN_MEDIA_DB or ~/.local/share/twentyten/media.duckdb",
        help="DuckDB file with the articles.",
    )(f)


def _format_options(f):
    """``--format`` and ``--out``, the same on every command that outputs data."""
    f = click.option(
        "--out",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Write the data to this file (whole or not at all) instead of stdout.",
    )(f)
    return click.option(
        "--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True
    )(f)


def _write(out: Path | None, text: str) -> None:
    """``text`` to stdout, or to ``out`` through a temporary file and a rename."""
    if out is None:
        click.echo(text, nl=False)
        return
    from twentyten.cli.atlas import write_whole

    write_whole(out, text)
    status(f"wrote {out}")


def _emit(
    rows: Sequence[Mapping[str, Any]],
    fmt: str,
    out: Path | None,
    title: str | None = None,
    columns: Sequence[str] | None = None,
) -> None:
    """Rows as table, CSV or JSON, to stdout or ``--out``."""
    buf = io.StringIO()
    with redirect_stdout(buf):
        emit_rows(rows, fmt, title=title, columns=columns)
    _write(out, buf.getvalue())


def _filter_options(f):
    f = click.option(
        "--to", "date_to", metavar="DATE", help="Last period (YYYY, YYYY-MM or YYYY-MM-DD)."
    )(f)
    f = click.option(
        "--from", "date_from", metavar="DATE", help="First period (YYYY, YYYY-MM or YYYY-MM-DD)."
    )(f)
    f = click.option(
        "--lang",
        "langs",
        multiple=True,
        help="Only articles in this language (ko, en, es...). Repeatable.",
    )(f)
    f = click.option(
        "--outlet",
        "outlets",
        multiple=True,
        help="Only this outlet (repeatable or comma-separated).",
    )(f)
    return f


def _split(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(v.strip() for item in values for v in item.split(",") if v.strip())


def _article_filter(outlets, langs, date_from, date_to):
    from twentyten.media.store import ArticleFilter
    from twentyten.media.trend import parse_day

    for option, value in (("--from", date_from), ("--to", date_to)):
        try:
            parse_day(value)
        except ValueError as exc:
            bad_input(
                f"bad date in {option}: {value!r}: {exc}", ["write YYYY, YYYY-MM or YYYY-MM-DD"]
            )
    where = ArticleFilter(
        outlets=_split(outlets),
        langs=_split(langs),
        date_from=parse_day(date_from),
        date_to=parse_day(date_to, end=True),
    )
    if where.date_from and where.date_to and where.date_from > where.date_to:
        bad_input(f"--from {date_from} is after --to {date_to}")
    return where


def _group_file(path: Path | None):
    from twentyten.media.terms import TermFileError, bundled_groups, load_groups

    try:
        return load_groups(path) if path else bundled_groups()
    except TermFileError as exc:
        bad_input(str(exc))


@contextmanager
def _open(db: Path) -> Iterator:
    """The store, read-only; a missing, foreign or locked file ends the command cleanly."""
    from twentyten.media.store import NotAMediaDatabase, StoreError, open_store

    if not Path(db).expanduser().exists():
        bad_input(
            f"no media database at {db}",
            ["load articles first: twentyten media ingest PATH --outlet NAME"],
        )
    try:
        cm = open_store(db, read_only=True)
        store = cm.__enter__()
    except NotAMediaDatabase as exc:
        bad_input(str(exc))
    except StoreError as exc:  # locked by a writer, or a schema this version cannot read
        fail(str(exc))
    try:
        yield store
    finally:
        cm.__exit__(None, None, None)


@click.group()
def media() -> None:
    """State-press attention to a topic, period by period (the 38 North method)."""


@media.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--outlet", help="Outlet for files without an outlet column (required for text folders)."
)
@click.option(
    "--lang", help="Language for files without a lang column (default: ko when Hangul is present)."
)
@click.option("--corpus", help="Read PATH with a documented loader; see `twentyten media corpora`.")
@click.option(
    "--skip-bad", is_flag=True, help="Load the valid rows even when some rows are rejected."
)
@_db_option
@_format_options
def ingest(paths, outlet, lang, corpus, skip_bad, db, fmt, out) -> None:
    """Read corpora (CSV, TSV, JSON, JSONL, Parquet, folders of dated .txt files) into the database.

    Text is NFKC-normalised, BOMs and CRLF removed. Duplicates (same link, or same
    outlet + date + title) are dropped. One invocation is one transaction: when a row is
    rejected nothing is stored, unless --skip-bad. A new database appears only when the
    ingest succeeded. Exit 2 for bad input (nothing stored), 1 when the database is in use.
    """
    from twentyten.media.corpora import CORPORA, CorpusError
    from twentyten.media.ingest import IngestError, IngestOptions
    from twentyten.media.ingest import ingest as run_ingest
    from twentyten.media.store import NotAMediaDatabase, StoreBusy, StoreError

    if corpus and corpus not in CORPORA:
        bad_input(f"unknown corpus {corpus!r}", [f"known: {', '.join(CORPORA)}"])
    check_output_file("--out", out)
    options = IngestOptions(outlet=outlet, lang=lang, corpus=corpus, skip_bad=skip_bad)
    try:
        report = run_ingest(paths, db, options)
    except (IngestError, CorpusError, NotAMediaDatabase) as exc:
        bad_input(str(exc), ["nothing was loaded"])
    except StoreBusy as exc:
        fail(str(exc))
    except StoreError as exc:
        fail(str(exc), ["nothing was loaded"])
    lines = [str(r) for r in report.rejected[:20]]
    if len(report.rejected) > 20:
        lines.append(f"... and {len(report.rejected) - 20} more")
    if not report.loaded:
        bad_input(
            f"{len(report.rejected)} row(s) rejected; nothing was loaded "
            "(use --skip-bad to load the rest)",
            lines,
        )
    d = report.as_dict()
    if fmt == "json":
        d["rejected_rows"] = [str(r) for r in report.rejected]
        d["db"] = str(db)
        _emit([d], "json", out)
    else:
        row = {
            k: d[k]
            for k in (
                "rows_read",
                "inserted",
                "duplicates_dropped",
                "rejected",
                "loaded",
                "seconds",
            )
        }
        _emit([row], fmt, out, title=f"ingest into {db}")
    if report.rejected:
        click.secho(f"{len(report.rejected)} row(s) rejected and skipped:", fg="yellow", err=True)
        for line in lines:
            click.echo(f"  {line}", err=True)
    status(f"{report.inserted:,} article(s) stored in {db}")


@media.command()
@click.option(
    "--groups",
    "group_names",
    help=f"Comma-separated group names [default: {DEFAULT_GROUPS}; with --groups-file, "
    "every group of the file].",
)
@click.option(
    "--groups-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="YAML/TOML term-group file (default: bundled groups).",
)
@click.option("--by", type=click.Choice(["year", "month"]), default="year", show_default=True)
@_filter_options
@click.option(
    "--exact-spacing",
    is_flag=True,
    help="Match terms only as spaced in the query (no optional whitespace).",
)
@click.option(
    "--lags",
    type=click.IntRange(0, 10),
    default=2,
    show_default=True,
    help="Correlate with lags -N..N periods.",
)
@click.option(
    "--differenced", is_flag=True, help="Also correlate period-on-period changes of the shares."
)
@click.option(
    "--measure",
    type=click.Choice(["share", "articles", "occurrences", "per10k"]),
    default="share",
    show_default=True,
    help="What the table and the --html chart show: share of articles, matching articles, "
    "occurrences, or occurrences per 10,000 characters of text in the period (for corpora "
    "of few long documents).",
)
@click.option(
    "--peak-on",
    type=click.Choice(["share", "articles", "occurrences", "per10k"]),
    help="The measure peaks are found on [default: the --measure].",
)
@click.option(
    "--html",
    "html_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write a self-contained HTML report with a chart.",
)
@_db_option
@_format_options
def trend(
    group_names,
    groups_file,
    by,
    outlets,
    langs,
    date_from,
    date_to,
    exact_spacing,
    lags,
    differenced,
    measure,
    peak_on,
    html_path,
    db,
    fmt,
    out,
) -> None:
    """Per period: matching articles, occurrences, total articles and share, for each group.

    The denominator (total) uses the same outlet, language and date filters as the
    numerator. Peaks are flagged; groups are correlated (Pearson and Spearman on shares).
    """
    from twentyten.media.terms import TermFileError
    from twentyten.media.trend import Measure, Period, TrendOptions, compute_trend

    peak_on = peak_on or measure
    gf = _group_file(groups_file)
    if group_names is None:
        # the default names are the bundled file's; a file of one's own brings its own
        group_names = ",".join(gf.groups) if groups_file else DEFAULT_GROUPS
    names = [g.strip() for g in group_names.split(",") if g.strip()]
    if not names:
        bad_input("--groups names no group", [f"known groups: {', '.join(sorted(gf.groups))}"])
    try:
        groups = gf.select(names)
    except TermFileError as exc:
        bad_input(str(exc))
    check_output_file("--out", out)
    check_output_file("--html", html_path)
    options = TrendOptions(
        by=Period(by),
        where=_article_filter(outlets, langs, date_from, date_to),
        space_tolerant=not exact_spacing,
        max_lag=lags,
        peak_on=Measure(peak_on),
        differenced=differenced,
    )
    with _open(db) as store:
        result = compute_trend(store, groups, options)
        stored = store.summary() if not result.periods else []
    if not result.periods:
        # the usual cause is an outlet spelled differently from how it was stored
        bad_input(
            "no articles match the outlet/language/date filters",
            [
                f"database: {db}",
                "stored outlets: " + ", ".join(sorted({r["outlet"] for r in stored})),
                "stored languages: " + ", ".join(sorted({r["lang"] for r in stored})),
            ],
        )
    if html_path:
        from twentyten.media.report import write_report

        try:
            write_report(result, html_path, measure=measure)
        except OSError as exc:
            fail(f"cannot write {html_path}: {exc.strerror or exc}")
        status(f"wrote {html_path}")
    if fmt == "json":
        import json

        _write(out, json.dumps(result.as_dict(), ensure_ascii=False, indent=2) + "\n")
        return
    if fmt == "csv":
        _emit(result.rows(), "csv", out)
        return
    rule = "exact spacing" if exact_spacing else "space-tolerant"
    buf = io.StringIO()
    with redirect_stdout(buf):
        emit_rows(
            result.wide_rows(measure),
            "table",
            title=f"attention by {by} ({rule}; * = peak on {peak_on})",
        )
        if result.correlations:
            emit_rows(
                result.correlation_rows(),
                "table",
                title="correlation of shares (a at t, b at t+lag)",
            )
    _write(out, buf.getvalue())


@media.command()
@click.argument("county")
@click.option(
    "--variant",
    "variants",
    multiple=True,
    help="Another spelling of the county (repeatable), e.g. 김화군.",
)
@click.option("--milestone", "milestones", multiple=True, help="Extra milestone word (repeatable).")
@click.option(
    "--no-atlas", is_flag=True, help="Do not look the county up in the atlas for its other names."
)
@click.option(
    "--groups-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Term file whose `milestones` replace the bundled ones.",
)
@_filter_options
@click.option(
    "--within",
    type=click.IntRange(0),
    help="Only articles where a name and a milestone word are at most this many characters apart.",
)
@click.option(
    "--limit",
    type=click.IntRange(0),
    default=50,
    show_default=True,
    help="At most this many articles, newest first (0: all).",
)
@_db_option
@_format_options
def mentions(
    county,
    variants,
    milestones,
    no_atlas,
    groups_file,
    outlets,
    langs,
    date_from,
    date_to,
    within,
    limit,
    db,
    fmt,
    out,
) -> None:
    """Articles naming COUNTY together with a milestone word (ground-breaking, 착공, 준공...):
    candidate evidence for the county's projects."""
    from twentyten.media.mentions import MentionQuery, find_mentions, resolve_county
    from twentyten.media.terms import Term

    check_output_file("--out", out)
    resolved = resolve_county(county, variants, use_atlas=not no_atlas)
    names = resolved.names
    if resolved.note:
        click.secho(f"note: {resolved.note}", fg="yellow", err=True)
    gf = _group_file(groups_file)
    query = MentionQuery(
        names=names,
        milestones=tuple(gf.milestones) + tuple(Term.parse(m) for m in milestones if m.strip()),
        where=_article_filter(outlets, langs, date_from, date_to),
        limit=limit,
        within=within,
    )
    with _open(db) as store:
        found = find_mentions(store, query)
    status(f"{len(found)} article(s) naming {' / '.join(names)} with a milestone word")
    _emit([m.as_row() for m in found], fmt, out)


@media.command()
@click.option("--groups-file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_format_options
def groups(groups_file, fmt, out) -> None:
    """List term groups and the terms each matches."""
    check_output_file("--out", out)
    gf = _group_file(groups_file)
    rows = [
        {
            "group": g.name,
            "label": g.label,
            "query": g.describe(),
            "dropped": list(g.redundant),
            "exact_spacing": g.exact_spacing,
        }
        for g in gf.groups.values()
    ]
    rows.append(
        {
            "group": "(milestones)",
            "label": "for `mentions`",
            "query": " OR ".join(t.text for t in gf.milestones),
            "dropped": [],
            "exact_spacing": False,
        }
    )
    _emit(rows, fmt, out, title=gf.source)


@media.command()
@click.option("--by", type=click.Choice(["year", "month"]), default="year", show_default=True)
@_db_option
@_format_options
def summary(by, db, fmt, out) -> None:
    """Articles stored, per outlet, language and period."""
    check_output_file("--out", out)
    with _open(db) as store:
        rows = store.summary(by)
    _emit(
        rows,
        fmt,
        out,
        title=str(db),
        columns=["outlet", "lang", "period", "articles", "text_bytes"],
    )


@media.command()
@_format_options
def corpora(fmt, out) -> None:
    """The real corpora with a documented loader (`ingest --corpus NAME PATH`)."""
    from twentyten.media.corpora import CORPORA

    check_output_file("--out", out)
    _emit(
        [
            {
                "name": c.name,
                "outlet": c.outlet,
                "what": c.description,
                "command": f"twentyten media ingest --corpus {c.name} .../{c.path_hint}",
            }
            for c in CORPORA.values()
        ],
        fmt,
        out,
    )
