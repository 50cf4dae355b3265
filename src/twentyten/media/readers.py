"""Readers: one function per input format, each returning rows in the standard columns.

CSV/TSV, JSON (an array), JSONL, Parquet and folders of text files with a date in the
file name. Whole-file problems raise :class:`IngestError`; row problems become
:class:`Rejected` entries. Validation and normalisation happen later, in :mod:`ingest`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from twentyten.media.dates import MAX_YEAR, MIN_YEAR, date_from_name

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow as pa

__all__ = ["MAX_YEAR", "MIN_YEAR", "IngestError", "IngestOptions", "Rejected", "date_from_name"]

# Accepted column names (lower-cased) for each field, in order of preference.
ALIASES: dict[str, tuple[str, ...]] = {
    "date": ("date", "published", "pub_date", "published_at", "datetime", "day"),
    "outlet": ("outlet", "source", "newspaper", "publication", "media"),
    "title": ("title", "headline", "heading"),
    "text": ("text", "body", "content", "story", "story_text", "article"),
    "link": ("link", "url", "href", "story.link"),
    "lang": ("lang", "language"),
}
TEXT_SUFFIXES = {".txt", ".text", ".md"}
TABLE_SUFFIXES = {".csv", ".tsv", ".jsonl", ".ndjson", ".json", ".parquet", ".pq"}
_TITLE_CHARS = 200


class IngestError(ValueError):
    """A file that cannot be read at all (missing, unknown format, no date column)."""


@dataclass(frozen=True)
class Rejected:
    """One row that was not loaded and why."""

    source: str
    row: int | None
    column: str
    reason: str

    def __str__(self) -> str:
        where = self.source if self.row is None else f"{self.source}, row {self.row}"
        return f"{where}, column {self.column}: {self.reason}"


@dataclass(frozen=True)
class IngestOptions:
    """How to read the files of one ingest.

    ``outlet`` and ``lang`` fill in rows whose file has no such column (or an empty
    cell); ``corpus`` selects a documented loader from :mod:`twentyten.media.corpora`.
    """

    outlet: str | None = None
    lang: str | None = None
    corpus: str | None = None
    skip_bad: bool = False


@dataclass
class RawPart:
    """One file's rows in the standard columns, before validation."""

    source: str
    table: pa.Table  # columns: date (date32 or string), outlet, title, text, link, lang
    rows: list[int] | None = None  # source row numbers when not simply row_offset + 1..n
    rejected: list[Rejected] = field(default_factory=list)
    sources: list[str] | None = None  # per-row file names, for folders of text files
    row_offset: int = 0  # rows of the same file in earlier parts


CHUNK_ROWS = 50_000  # rows per part: bounds memory and lets a large file stream


# --- readers ----------------------------------------------------------------------------
def _pick(table: pa.Table, name: str) -> str | None:
    lower = {c.lower(): c for c in table.column_names}
    for alias in ALIASES[name]:
        if alias in lower:
            return lower[alias]
    return None


def _standard_columns(raw: pa.Table, source: str, options: IngestOptions) -> RawPart:
    import pyarrow as pa
    import pyarrow.compute as pc

    n = raw.num_rows
    date_col = _pick(raw, "date")
    if date_col is None:
        raise IngestError(f"{source}: no date column (looked for {', '.join(ALIASES['date'])})")
    title_col, text_col = _pick(raw, "title"), _pick(raw, "text")
    if title_col is None and text_col is None:
        raise IngestError(
            f"{source}: no title or text column (looked for {', '.join(ALIASES['title'] + ALIASES['text'])})"
        )
    outlet_col = _pick(raw, "outlet")
    if outlet_col is None and not options.outlet:
        raise IngestError(f"{source}: no outlet column; pass --outlet NAME")

    def strings(col: str | None, fill: str | None = "") -> pa.ChunkedArray:
        if col is None:
            return (
                pa.chunked_array([pa.array([fill] * n, pa.string())])
                if n
                else pa.chunked_array([], pa.string())
            )
        arr = raw.column(col)
        if not pa.types.is_string(arr.type) and not pa.types.is_large_string(arr.type):
            arr = pc.cast(arr, pa.string())
        arr = pc.cast(arr, pa.string())
        if fill is not None:
            arr = pc.fill_null(arr, fill)
            if fill:
                arr = pc.if_else(pc.equal(pc.utf8_trim_whitespace(arr), ""), fill, arr)
        return arr

    table = pa.table(
        {
            "date": raw.column(date_col),
            "outlet": strings(outlet_col, options.outlet or ""),
            "title": strings(title_col),
            "text": strings(text_col),
            "link": strings(_pick(raw, "link"), None),
            "lang": strings(_pick(raw, "lang"), options.lang or ""),
        }
    )
    return RawPart(source=source, table=table)


def _read_csv(path: Path, options: IngestOptions) -> RawPart:
    import pyarrow.csv as pcsv

    bad: list[Rejected] = []

    def on_invalid(row: Any) -> str:
        bad.append(
            Rejected(
                str(path),
                row.number,
                "*",
                f"expected {row.expected_columns} fields, found {row.actual_columns}",
            )
        )
        return "skip"

    import csv

    import pyarrow as pa

    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    try:
        # every column as text: type inference from the first block could read a date
        # column of bare years as integers and then fail on "2011-01-05" further down
        with open(path, encoding="utf-8-sig", newline="") as f:
            header = next(csv.reader(f, delimiter=delimiter), [])
        raw = pcsv.read_csv(
            path,
            read_options=pcsv.ReadOptions(encoding="utf8", block_size=64 << 20),
            parse_options=pcsv.ParseOptions(
                delimiter=delimiter, newlines_in_values=True, invalid_row_handler=on_invalid
            ),
            convert_options=pcsv.ConvertOptions(
                strings_can_be_null=True, column_types={c: pa.string() for c in header}
            ),
        )
    except UnicodeDecodeError as exc:
        raise IngestError(_not_utf8(path, exc)) from exc
    except Exception as exc:
        if "invalid UTF8" in str(exc) or "codec can't decode" in str(exc):
            raise IngestError(_not_utf8(path, exc)) from exc
        raise IngestError(f"{path}: cannot read CSV: {exc}") from exc
    if bad or _has_line_breaks(raw):
        # a quote that is never closed makes Arrow read the following records as part of
        # one value; a strict parse finds it (only needed where a value spans lines)
        _check_quotes(path, delimiter)
    part = _standard_columns(raw, str(path), options)
    if bad:
        # Arrow skips the rows with the wrong number of fields without telling which
        # they were (with newlines in values it cannot), and the rows after them would
        # be misnumbered: number every record again, here, where it is rare
        numbered = _number_csv_records(path, delimiter, len(header))
        if numbered is not None and len(numbered[0]) == raw.num_rows:
            part.rows, bad = numbered
    part.rejected.extend(bad)
    return part


def _has_line_breaks(raw: pa.Table) -> bool:
    import pyarrow.compute as pc

    return any(pc.any(pc.match_substring_regex(col, r"[\r\n]")).as_py() for col in raw.columns)


def _check_quotes(path: Path, delimiter: str) -> None:
    """Raise :class:`IngestError` naming the record whose quote is not closed where it
    should be: a strict parse stops there, where a lenient one would run on."""
    import csv

    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f, delimiter=delimiter, strict=True)
        record, start_line = 0, 1
        try:
            for _ in reader:
                record += 1
                start_line = reader.line_num + 1
        except csv.Error as exc:
            row = record  # the header is record 1; data rows count from 1 after it
            raise IngestError(
                f"{path}, row {row} (line {start_line}): a quote opened in this record is not "
                f"closed before the next record ({exc} on line {reader.line_num}); "
                "close or double the quote"
            ) from None


def _number_csv_records(
    path: Path, delimiter: str, width: int
) -> tuple[list[int], list[Rejected]] | None:
    """Record numbers (1 = the first record after the header) of the well-formed
    records, and a rejection for each record with the wrong number of fields."""
    import csv

    kept: list[int] = []
    bad: list[Rejected] = []
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            reader = csv.reader(f, delimiter=delimiter)
            next(reader, None)
            number = 0
            for record in reader:
                if not record:  # a blank line, which Arrow skips too
                    continue
                number += 1
                if len(record) == width:
                    kept.append(number)
                else:
                    bad.append(
                        Rejected(
                            str(path),
                            number,
                            "*",
                            f"expected {width} fields, found {len(record)}",
                        )
                    )
    except (OSError, UnicodeDecodeError, csv.Error):
        return None
    return kept, bad


def _not_utf8(path: Path, exc: Exception) -> str:
    """Where the first byte that is not UTF-8 is (line and byte), and what to do."""
    data = path.read_bytes()
    try:
        data.decode("utf-8")
        at = None
    except UnicodeDecodeError as e:
        at = e.start
    if at is None:
        return f"{path}: cannot read CSV: {exc}"
    line = data.count(b"\n", 0, at) + 1
    return (
        f"{path}, line {line}: not UTF-8 (byte 0x{data[at]:02x} at offset {at}); "
        "save the file as UTF-8 (for example: iconv -f latin1 -t utf-8 IN > OUT)"
    )


def _read_json(path: Path, options: IngestOptions) -> RawPart:
    import json

    import pyarrow as pa

    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise IngestError(f"{path}: cannot read JSON: {exc}") from exc
    if isinstance(data, dict):
        lists = [v for v in data.values() if isinstance(v, list)]
        if len(lists) != 1:
            raise IngestError(
                f"{path}: expected a JSON array of articles (or an object holding one)"
            )
        data = lists[0]
    if not isinstance(data, list):
        raise IngestError(f"{path}: expected a JSON array of articles")
    return _records(path, data, list(range(1, len(data) + 1)), options, pa)


def _records(
    path: Path, records: list[Any], rows: list[int], options: IngestOptions, pa: Any
) -> RawPart:
    if not records:
        raise IngestError(f"{path}: no rows (the file is empty)")
    bad = [
        Rejected(str(path), r, "*", "not a JSON object")
        for r, x in zip(rows, records, strict=True)
        if not isinstance(x, dict)
    ]
    keep = [(r, x) for r, x in zip(rows, records, strict=True) if isinstance(x, dict)]
    # every value as text; the date column is parsed later like any other
    cols: dict[str, list[Any]] = {}
    for i, (_, rec) in enumerate(keep):
        for k, v in rec.items():
            cols.setdefault(str(k), [None] * len(keep))[i] = None if v is None else str(v)
    raw = (
        pa.table({k: pa.array(v, pa.string()) for k, v in cols.items()})
        if cols
        else pa.table({"date": pa.array([], pa.string())})
    )
    part = _standard_columns(raw, str(path), options)
    part.rows = [r for r, _ in keep]
    part.rejected.extend(bad)
    return part


def _read_jsonl(path: Path, options: IngestOptions) -> RawPart:
    import json

    import pyarrow as pa
    import pyarrow.json as pjson

    try:
        raw = pjson.read_json(path)
        raw.validate(full=True)  # Arrow's JSON reader lets bytes that are not UTF-8 through
        if raw.num_rows == 0:
            raise IngestError(f"{path}: no rows (the file is empty)")
        return _standard_columns(raw, str(path), options)
    except pa.ArrowInvalid:
        pass  # find the bad lines one by one below
    records, rows, bad = [], [], []
    with open(path, "rb") as f:
        for lineno, raw_line in enumerate(f, start=1):
            try:
                line = raw_line.decode("utf-8-sig" if lineno == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                bad.append(
                    Rejected(
                        str(path), lineno, "*", f"not UTF-8 (byte 0x{raw_line[exc.start]:02x})"
                    )
                )
                continue
            if not line.strip():
                continue
            try:
                records.append(json.loads(line))
                rows.append(lineno)
            except json.JSONDecodeError as exc:
                bad.append(
                    Rejected(
                        str(path), lineno, "*", f"invalid JSON: {exc.msg} at column {exc.colno}"
                    )
                )
    if not records and bad:
        raise IngestError(f"{path}: no readable rows; first problem: {bad[0]}")
    part = _records(path, records, rows, options, pa)
    part.rejected.extend(bad)
    return part


def _read_parquet(path: Path, options: IngestOptions) -> Iterator[RawPart]:
    """Parquet streams in batches, so a file larger than memory can be read."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        batches = pq.ParquetFile(path).iter_batches(batch_size=CHUNK_ROWS)
        offset = 0
        for batch in batches:
            part = _standard_columns(pa.Table.from_batches([batch]), str(path), options)
            part.row_offset = offset
            offset += batch.num_rows
            yield part
    except IngestError:
        raise
    except Exception as exc:
        raise IngestError(f"{path}: cannot read Parquet: {exc}") from exc


def _read_text_files(files: Sequence[Path], source: str, options: IngestOptions) -> RawPart:
    import pyarrow as pa

    if not options.outlet:
        raise IngestError(f"{source}: text files carry no outlet; pass --outlet NAME")
    dates, titles, texts, rows, srcs, bad = [], [], [], [], [], []
    for f in files:
        d = date_from_name(f.name)
        if d is None:
            bad.append(
                Rejected(
                    str(f), None, "date", "no date (YYYY, YYYY-MM or YYYY-MM-DD) in the file name"
                )
            )
            continue
        try:
            content = f.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            bad.append(Rejected(str(f), None, "text", f"not UTF-8 (byte {exc.start})"))
            continue
        first = next((ln.strip() for ln in content.splitlines() if ln.strip()), "")
        dates.append(d)
        titles.append(first[:_TITLE_CHARS])
        texts.append(content)
        rows.append(len(rows) + 1)
        srcs.append(str(f))
    n = len(dates)
    raw = pa.table(
        {
            "date": pa.array(dates, pa.date32()),
            "title": pa.array(titles, pa.string()),
            "text": pa.array(texts, pa.string()),
            "link": pa.array([None] * n, pa.string()),
            "outlet": pa.array([options.outlet] * n, pa.string()),
            "lang": pa.array([options.lang or ""] * n, pa.string()),
        }
    )
    part = _standard_columns(raw, source, options)
    part.rows = None
    part.rejected.extend(bad)
    # one file is one row: name the files, not row numbers
    part.sources = srcs
    return part


READERS: dict[str, Callable[[Path, IngestOptions], RawPart | Iterator[RawPart]]] = {
    ".csv": _read_csv,
    ".tsv": _read_csv,
    ".json": _read_json,
    ".jsonl": _read_jsonl,
    ".ndjson": _read_jsonl,
    ".parquet": _read_parquet,
    ".pq": _read_parquet,
}


def _split(part: RawPart) -> Iterator[RawPart]:
    """A whole-file part cut into parts of at most CHUNK_ROWS rows."""
    n = part.table.num_rows
    if n <= CHUNK_ROWS:
        yield part
        return
    for start in range(0, n, CHUNK_ROWS):
        stop = min(n, start + CHUNK_ROWS)
        yield RawPart(
            source=part.source,
            table=part.table.slice(start, stop - start),
            rows=part.rows[start:stop] if part.rows is not None else None,
            rejected=part.rejected if start == 0 else [],
            sources=part.sources[start:stop] if part.sources is not None else None,
            row_offset=part.row_offset + start if part.rows is None else 0,
        )


def _parts(read: RawPart | Iterator[RawPart]) -> Iterator[RawPart]:
    if isinstance(read, RawPart):
        yield from _split(read)
    else:
        yield from read


def read_path(path: str | Path, options: IngestOptions) -> Iterator[RawPart]:
    """Parts of at most CHUNK_ROWS rows read from ``path`` (a file or a folder), lazily."""
    p = Path(path).expanduser()
    if not p.exists():
        raise IngestError(f"{p}: no such file or folder")
    if options.corpus:
        from twentyten.media.corpora import read_corpus

        for t, src in read_corpus(options.corpus, p):
            yield from _split(_standard_columns(t, src, options))
        return
    if p.is_dir():
        texts = sorted(f for f in p.iterdir() if f.is_file() and f.suffix.lower() in TEXT_SUFFIXES)
        tables = sorted(
            f for f in p.iterdir() if f.is_file() and f.suffix.lower() in TABLE_SUFFIXES
        )
        if not texts and not tables:
            raise IngestError(f"{p}: no text ({', '.join(sorted(TEXT_SUFFIXES))}) or table files")
        for f in tables:
            yield from _parts(READERS[f.suffix.lower()](f, options))
        if texts:
            yield from _split(_read_text_files(texts, str(p), options))
        return
    suffix = p.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        yield from _split(_read_text_files([p], str(p), options))
        return
    if suffix not in READERS:
        raise IngestError(
            f"{p}: unknown format {suffix!r}; use CSV, TSV, JSON, JSONL, Parquet or .txt"
        )
    yield from _parts(READERS[suffix](p, options))
