"""`twentyten serve`: the dashboard and the record's REST API over HTTP (uvicorn)."""

from __future__ import annotations

import click

from twentyten.cli._common import fail
from twentyten.cli.db import db_option


@click.command("serve")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--dataset", default=None, help="Bundled dataset name or path (default: setting `dataset`).")
def serve(db_url: str | None, host: str, port: int, dataset: str | None) -> None:
    """Serve the dashboard (/) and the API (OpenAPI at /openapi.json, docs at /docs).

    With no --db (and no TWENTYTEN_DB), the first start creates the default SQLite database with
    the atlas, the record and the default plan; later starts reuse it. Prints the URL to open.
    """
    try:
        from twentyten.web.serve import run_dashboard
    except ImportError as e:
        fail(f"serving needs the web extra: pip install 'twentyten[web]' ({e})")
    run_dashboard(db_url, host, port, dataset)
