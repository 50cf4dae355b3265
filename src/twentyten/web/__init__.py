"""The dashboard: server-rendered pages over the record's service layer, mounted on the API
app (``mount(create_app(...))``). Libraries are vendored under ``web/static`` (see
``scripts/fetch_web_assets.py``); nothing is loaded from anywhere else."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI


@dataclass(frozen=True)
class WebSettings:
    dataset: str | None = None  # the atlas whose shapes are drawn (default: the setting)
    secret: str | None = None  # signs session cookies; default: $TWENTYTEN_SECRET, else random per start
    default_plan: str | None = None  # folder of the default plan; default: default-plan/ beside the database
    plans: str | None = None  # folder of scenario runs; default: plans/ beside the database
    media_db: str | None = None  # the stored media corpus; default: the media_db setting


def mount(app: FastAPI, settings: WebSettings | None = None) -> FastAPI:
    """Add the dashboard's pages and static files to ``app`` (made by ``api.app.create_app``)."""
    import os
    import secrets
    import threading
    from pathlib import Path

    from fastapi.staticfiles import StaticFiles

    from twentyten.atlas import load_atlas
    from twentyten.report.svgmap import SEQUENTIAL
    from twentyten.standards import load_standards
    from twentyten.web.app import router
    from twentyten.web.bootstrap import default_plan_dir
    from twentyten.web.i18n import LANGUAGES, environment
    from twentyten.web.jobs import Runner
    from twentyten.web.plancache import PlanCache, ViewCache
    from twentyten.web.session import Signer
    from twentyten.web.shapes import shapes_document

    settings = settings or WebSettings()
    atlas = load_atlas(settings.dataset)
    app.state.web_atlas = atlas
    app.state.web_shapes = shapes_document(atlas)
    app.state.web_palette = list(SEQUENTIAL)
    app.state.web_envs = {lang: environment(lang) for lang in LANGUAGES}
    default_dir = Path(settings.default_plan) if settings.default_plan else default_plan_dir(
        app.state.engine.url.render_as_string(hide_password=False))
    app.state.web_default_plan = default_dir
    app.state.web_plan = PlanCache(default_dir / "plan.json")
    app.state.web_views = ViewCache()
    app.state.web_standards = load_standards()  # read once: the county pages design with it
    threading.Thread(target=app.state.web_plan.result, daemon=True).start()  # warm: first county page stays fast
    app.state.web_jobs = Runner(Path(settings.plans) if settings.plans else default_dir.parent / "plans")
    from twentyten import settings as _settings

    app.state.web_media_db = settings.media_db or str(Path(_settings.get("media_db")).expanduser())
    app.state.web_signer = Signer(settings.secret or os.environ.get("TWENTYTEN_SECRET") or secrets.token_urlsafe(32))
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="web-static")
    return app
