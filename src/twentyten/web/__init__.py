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


def mount(app: FastAPI, settings: WebSettings | None = None) -> FastAPI:
    """Add the dashboard's pages and static files to ``app`` (made by ``api.app.create_app``)."""
    import os
    import secrets
    from pathlib import Path

    from fastapi.staticfiles import StaticFiles

    from twentyten.atlas import load_atlas
    from twentyten.report.svgmap import SEQUENTIAL
    from twentyten.web.app import router
    from twentyten.web.i18n import LANGUAGES, environment
    from twentyten.web.session import Signer
    from twentyten.web.shapes import shapes_document

    settings = settings or WebSettings()
    atlas = load_atlas(settings.dataset)
    app.state.web_atlas = atlas
    app.state.web_shapes = shapes_document(atlas)
    app.state.web_palette = list(SEQUENTIAL)
    app.state.web_envs = {lang: environment(lang) for lang in LANGUAGES}
    app.state.web_signer = Signer(settings.secret or os.environ.get("TWENTYTEN_SECRET") or secrets.token_urlsafe(32))
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="web-static")
    return app
