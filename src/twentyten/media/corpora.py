"""Documented loaders for the real corpora saved in ``shared/data/media`` (see SOURCES.md there).

Each loader turns one upstream layout into tables with the standard columns
(date, outlet, title, text, link, lang); ingest then validates, normalises and
de-duplicates them like any other file. Use them with
``twentyten media ingest --corpus NAME PATH``.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow as pa


class CorpusError(ValueError):
    """A path that does not hold the corpus it was said to hold."""


@dataclass(frozen=True)
class Corpus:
    name: str
    outlet: str
    description: str
    path_hint: str
    read: Callable[[Path], list[tuple[pa.Table, str]]]


def _table(
    dates: pa.Array, outlet: str, titles: object, texts: object, links: object, lang: object
) -> pa.Table:
    """The standard columns; ``outlet`` (and ``lang`` when a string) fill every row."""
    import pyarrow as pa

    n = len(dates)

    def strings(values: object) -> pa.Array | pa.ChunkedArray:
        if isinstance(values, pa.Array | pa.ChunkedArray):
            return values.cast(pa.string())
        return pa.array(values, pa.string())

    return pa.table(
        {
            "date": dates,
            "outlet": pa.array([outlet] * n, pa.string()),
            "title": strings(titles),
            "text": strings(texts),
            "link": strings(links),
            "lang": strings([lang] * n if isinstance(lang, str) else lang),
        }
    )


def _new_year_addresses(path: Path) -> list[tuple[pa.Table, str]]:
    """``YYYY.txt`` files, one address or joint editorial per year (Korean)."""
    import pyarrow as pa

    from twentyten.media.dates import date_from_name

    files = sorted(path.glob("*.txt")) if path.is_dir() else [path]
    if not files:
        raise CorpusError(f"{path}: no YYYY.txt files")
    dates, titles, texts = [], [], []
    for f in files:
        d = date_from_name(f.name)
        if d is None:
            raise CorpusError(f"{f}: file name has no year")
        # utf-8-sig: 2016.txt starts with a BOM
        dates.append(d)
        titles.append(f"New Year address {d.year}")
        texts.append(f.read_text(encoding="utf-8-sig"))
    table = _table(
        pa.array(dates, pa.date32()),
        "New Year address",
        titles,
        texts,
        [f.name for f in files],
        "ko",
    )
    return [(table, str(path))]


def _kcna_stiles(path: Path) -> list[tuple[pa.Table, str]]:
    """stiles/north-korea-news ``headlines*.json``: epoch-millisecond dates, one record per
    (topic, article); the same ``link`` under several topics is one article."""
    import json

    import pyarrow as pa

    files = sorted(path.glob("headlines*.json")) if path.is_dir() else [path]
    if not files:
        raise CorpusError(f"{path}: no headlines*.json")
    out = []
    for f in files:
        records = json.loads(f.read_text(encoding="utf-8-sig"))
        if not isinstance(records, list) or (records and "story_text" not in records[0]):
            raise CorpusError(
                f"{f}: not the stiles KCNA layout (array of topic/headline/link/date/story_text)"
            )
        ms = pa.array([r.get("date") for r in records], pa.int64())
        table = _table(
            ms.cast(pa.timestamp("ms")).cast(pa.date32()),
            "KCNA",
            [r.get("headline") for r in records],
            [r.get("story_text") for r in records],
            [r.get("link") for r in records],
            "en",
        )
        out.append((table, str(f)))
    return out


def _read_rda(f: Path):
    try:
        import rdata
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise CorpusError("reading .rda files needs rdata: pip install 'twentyten[media]'") from exc
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Missing constructor for R class Date/tbl_df"
        return rdata.conversion.convert(rdata.parser.parse_file(f))


def _kcna_xmarquez(path: Path) -> list[tuple[pa.Table, str]]:
    """xmarquez/KCNA ``KCNA_2011.rda`` and ``KCNA_2012.rda`` (stories, outlet ``KCNA``) and
    ``headlines.rda`` (headlines only, outlet ``KCNA headlines``).

    R stores the dates as days since 1970-01-01. Upstream rows are kept as distinct
    articles: on one day several different stories share a title, and in 2011
    ``index.link`` is the day's index page, so neither identifies a story.
    """
    import pandas as pd
    import pyarrow as pa

    if path.is_dir():
        files = [
            path / n
            for n in ("KCNA_2011.rda", "KCNA_2012.rda", "headlines.rda")
            if (path / n).exists()
        ]
    else:
        files = [path]
    if not files:
        raise CorpusError(f"{path}: none of KCNA_2011.rda, KCNA_2012.rda, headlines.rda")
    out = []
    for f in files:
        objects = _read_rda(f)
        if len(objects) != 1:
            raise CorpusError(f"{f}: expected one R object, found {', '.join(objects)}")
        df = next(iter(objects.values()))
        dates = pa.array(
            list(pd.to_datetime(pd.to_numeric(df["date"]).astype("float64"), unit="D").dt.date),
            pa.date32(),
        )
        titles = df["title"].astype(object).where(df["title"].notna(), None).tolist()
        if "story" in df.columns:
            links = [
                f"{link}#{f.stem}-{i + 1}"
                for i, link in enumerate(df["index.link"].astype(object).fillna(""))
            ]
            table = _table(
                dates,
                "KCNA",
                titles,
                df["story"].astype(object).where(df["story"].notna(), None).tolist(),
                links,
                df["language"].astype(object).fillna("").tolist(),
            )
        elif "english" in df.columns:
            english = df["english"].astype("boolean").fillna(False).tolist()
            links = [
                f"{link}#{i + 1}"
                for i, link in enumerate(df["story.link"].astype(object).fillna(""))
            ]
            # headlines only: ingest matches a text-less row on its title
            table = _table(
                dates,
                "KCNA headlines",
                titles,
                [""] * len(df),
                links,
                ["en" if e else "es" for e in english],
            )
        else:
            raise CorpusError(
                f"{f}: not a KCNA stories or headlines table (columns: {', '.join(df.columns)})"
            )
        out.append((table, str(f)))
    return out


def _rodong_denney(path: Path) -> list[tuple[pa.Table, str]]:
    """scdenney Rodong Sinmun English sample CSV (text truncated upstream to 3,500 chars)."""
    import pyarrow.csv as pcsv

    f = path / "rodong_sinmun_en_sample.csv" if path.is_dir() else path
    raw = pcsv.read_csv(f, parse_options=pcsv.ParseOptions(newlines_in_values=True))
    missing = {"text", "date", "title", "url"} - set(raw.column_names)
    if missing:
        raise CorpusError(f"{f}: missing columns {', '.join(sorted(missing))}")
    table = _table(
        raw.column("date"),
        "Rodong Sinmun",
        raw.column("title"),
        raw.column("text"),
        raw.column("url"),
        "en",
    )
    return [(table, str(f))]


CORPORA: dict[str, Corpus] = {
    c.name: c
    for c in (
        Corpus(
            "new-year-addresses",
            "New Year address",
            "New Year addresses 1946-2019, Korean, CC0 (e9t)",
            "nk_new_year_addresses/",
            _new_year_addresses,
        ),
        Corpus(
            "kcna-stiles",
            "KCNA",
            "KCNA English 2024 with full text, CC0 (stiles)",
            "kcna_en_stiles/",
            _kcna_stiles,
        ),
        Corpus(
            "kcna-xmarquez",
            "KCNA / KCNA headlines",
            "KCNA stories 2011-2012 and headlines 1997-2014, GPL-3 (xmarquez)",
            "kcna_xmarquez/",
            _kcna_xmarquez,
        ),
        Corpus(
            "rodong-denney",
            "Rodong Sinmun",
            "Rodong Sinmun English sample 2018-2021, CC BY 4.0 (Denney)",
            "rodong_sinmun_en_denney/",
            _rodong_denney,
        ),
    )
}


def read_corpus(name: str, path: Path) -> list[tuple[pa.Table, str]]:
    """Tables (with their source names) for the corpus ``name`` found at ``path``."""
    if name not in CORPORA:
        raise CorpusError(f"unknown corpus {name!r}; known: {', '.join(CORPORA)}")
    return CORPORA[name].read(Path(path))
