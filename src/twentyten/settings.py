"""The one settings table: CLI options, environment variables and docs all read it.

A test fails when a setting is missing from the README's settings section.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Setting:
    name: str
    env: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "dataset",
        "TWENTYTEN_DATASET",
        "dprk",
        "Bundled dataset name or path to a dataset folder (regions.csv and friends).",
    ),
    Setting(
        "data_home",
        "TWENTYTEN_HOME",
        "~/.local/share/twentyten",
        "Folder for user data: the media database, saved plans, caches.",
    ),
    Setting(
        "media_db",
        "TWENTYTEN_MEDIA_DB",
        "{data_home}/media.duckdb",
        "DuckDB file that `twentyten media` reads and writes.",
    ),
    Setting(
        "db",
        "TWENTYTEN_DB",
        "sqlite:///{data_home}/twentyten.db",
        "The record's database (`twentyten db`, `track`, `users`, `serve`): an SQLite URL or postgresql://user:pass@host/db.",
    ),
)


def get(name: str) -> str:
    """Value of a setting: its environment variable if set, else the default.

    >>> get("dataset")  # doctest: +SKIP
    'dprk'
    """
    for s in SETTINGS:
        if s.name == name:
            value = os.environ.get(s.env, s.default)
            if "{data_home}" in value:
                value = value.replace("{data_home}", get("data_home"))
            return value
    raise KeyError(f"unknown setting {name!r}; known: {', '.join(s.name for s in SETTINGS)}")


def data_home() -> Path:
    return Path(get("data_home")).expanduser()
