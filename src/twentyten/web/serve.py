"""What ``twentyten serve`` does for the dashboard (the merger wires it into cli/serve.py):
with no ``--db``, prepare the default database; mount the pages; print the URL; run."""

from __future__ import annotations


def run_dashboard(db_url: str | None, host: str = "127.0.0.1", port: int = 8000, dataset: str | None = None) -> None:
    """Prepare (no ``--db`` given: create or reuse the default SQLite database with the atlas,
    the record and the default plan), mount the dashboard on the API app, print the URL, serve."""
    import uvicorn

    from twentyten.api.app import ApiSettings, create_app
    from twentyten.cli._common import bad_input, fail, status
    from twentyten.store.engine import BadDatabaseURL
    from twentyten.store.migrate import current, head
    from twentyten.web import WebSettings, mount
    from twentyten.web.bootstrap import BootstrapError, prepare

    if db_url is None:
        try:
            prep = prepare(None, dataset)
        except BootstrapError as e:
            fail(str(e))
        for n in prep.notes:
            status(n)
        status(("created " if prep.created else "reusing ") + prep.url)
    try:
        api = create_app(ApiSettings(db=db_url))
    except BadDatabaseURL as e:
        bad_input(str(e))
    if db_url is not None and current(api.state.engine) != head():
        bad_input("the database is not at the current schema; run `twentyten db init` or `twentyten db upgrade`")
    app = mount(api, WebSettings(dataset=dataset))
    print(f"http://{host}:{port}", flush=True)  # the one line of data: where to point the browser
    uvicorn.run(app, host=host, port=port, log_level="warning")
