"""`twentyten serve`: the record's REST API over HTTP (uvicorn)."""

from __future__ import annotations

import click

from twentyten.cli._common import bad_input, fail, status
from twentyten.cli.db import db_option


@click.command("serve")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
def serve(db_url: str | None, host: str, port: int) -> None:
    """Serve the API (OpenAPI at /openapi.json, docs at /docs)."""
    try:
        import uvicorn

        from twentyten.api.app import ApiSettings, create_app
        from twentyten.store.engine import BadDatabaseURL
        from twentyten.store.migrate import current, head
    except ImportError as e:
        fail(f"serving needs the track extra: pip install 'twentyten[track]' ({e})")
    try:
        app = create_app(ApiSettings(db=db_url))
    except BadDatabaseURL as e:
        bad_input(str(e))
    if current(app.state.engine) != head():
        bad_input("the database is not at the current schema; run `twentyten db init` or `twentyten db upgrade`")
    status(f"serving {app.state.engine.url.render_as_string()} on http://{host}:{port}")
    uvicorn.run(app, host=host, port=port, log_level="warning")
