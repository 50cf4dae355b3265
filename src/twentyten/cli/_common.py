"""Helpers shared by CLI modules: output formats and error reporting."""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import click

FORMATS = ("table", "csv", "json")


def emit_rows(rows: Sequence[Mapping[str, Any]], fmt: str, title: str | None = None,
              columns: Sequence[str] | None = None) -> None:
    """Print rows as a rich table, CSV or a JSON array.

    ``columns`` names the header to print when there are no rows.
    """
    if fmt == "json":
        click.echo(json.dumps(list(rows), ensure_ascii=False, indent=2, default=str))
        return
    if fmt == "csv":
        buf = io.StringIO()
        fields = list(rows[0].keys()) if rows else list(columns or [])
        if fields:
            w = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
        click.echo(buf.getvalue(), nl=False)
        return
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title, show_lines=False)
    cols = list(rows[0].keys()) if rows else []
    for c in cols:
        table.add_column(c, overflow="fold")
    for r in rows:
        table.add_row(*[Text(_cell(r[c])) for c in cols])  # Text: "[2027]" is data, not markup
    console().print(table)


def console():
    """A rich console for stdout: the terminal's width, or wide when output is piped to a file."""
    from rich.console import Console

    c = Console(soft_wrap=False)
    if not c.is_terminal:
        c = Console(soft_wrap=False, width=200)
    return c


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:,.2f}"
    if isinstance(v, int) and not isinstance(v, bool):
        return f"{v:,}"
    if isinstance(v, (list, tuple)):
        return "; ".join(map(str, v))
    return str(v)


#: Exit codes shared by every command: a run that failed, and bad usage or input.
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2


def fail(message: str, lines: Iterable[str] = (), code: int = EXIT_FAILED) -> None:
    """Print an error (and detail lines) to stderr and exit with ``code`` (1: the run failed)."""
    click.secho(f"error: {message}", fg="red", err=True)
    for line in lines:
        click.echo(f"  {line}", err=True)
    sys.exit(code)


def bad_input(message: str, lines: Iterable[str] = ()) -> None:
    """Refuse bad usage or input: one clear line (file, row or key path, reason) on stderr, exit 2."""
    fail(message, lines, code=EXIT_BAD_INPUT)


def status(message: str) -> None:
    """A status line for people: stderr, so stdout carries only data."""
    click.echo(message, err=True)


def highs_banner_to_stderr() -> None:
    """Send HiGHS's banner ("Running HiGHS ...", printed on stdout once per process when the
    first Highs object is made) to stderr, so that --format json/csv output stays data.

    The CLI owns its process, so it may swap file descriptor 1 for a moment; the solver
    itself (twentyten.plan) never does, being safe to run in a server.
    """
    import ctypes
    import os
    import sys

    import highspy

    sys.stdout.flush()
    libc = ctypes.CDLL(None) if os.name == "posix" else None
    if libc is not None:
        libc.fflush(None)
    saved = os.dup(1)
    try:
        os.dup2(2, 1)
        highspy.Highs()
        if libc is not None:
            libc.fflush(None)  # the banner goes out while fd 1 is still stderr
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def check_output_file(option: str, path: str | os.PathLike | None) -> None:
    """Refuse (exit 2), before any work is done, an output file that names a folder or whose
    folder does not exist; ``option`` names it in the message (``--out``, ``--html``)."""
    if path is None:
        return
    from pathlib import Path

    p = Path(path).expanduser()
    if p.is_dir():
        bad_input(f"{option} {path} is a folder; give a file name")
    if not p.parent.is_dir():
        bad_input(f"{option} {path}: folder {p.parent} does not exist")


class FiniteFloatRange(click.FloatRange):
    """click's FloatRange that also refuses ``nan`` (which passes every comparison)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        import math

        rv = super().convert(value, param, ctx)
        if not math.isfinite(rv):
            self.fail(f"{value!r} is not a finite number.", param, ctx)
        return rv
