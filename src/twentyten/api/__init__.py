"""The REST API: ``create_app(settings)`` (FastAPI), OpenAPI at ``/openapi.json``."""

from __future__ import annotations


def create_app(settings=None):
    from twentyten.api.app import create_app as _create

    return _create(settings)
