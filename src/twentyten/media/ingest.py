"""Read corpora (CSV, JSON/JSONL, Parquet, folders of dated text files) into the store.

Every invocation is one batch and one transaction: either every valid row of every
file is stored, or nothing is. By default a single rejected row stops the load
(``skip_bad=False``); the report then lists each rejected row with file, row,
column and reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from twentyten.media.dates import MAX_YEAR, MIN_YEAR, date_from_name, parse_date_text
from twentyten.media.normalise import STABLE_CHARS, normalise_text, normalise_title
from twentyten.media.readers import (
    IngestError,
    IngestOptions,
    RawPart,
    Rejected,
    read_path,
)
from twentyten.media.signature import COLUMNS as SIG_COLUMNS
from twentyten.media.signature import signatures

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import pyarrow as pa

__all__ = [
    "IngestError",
    "IngestOptions",
    "IngestReport",
    "Rejected",
    "date_from_name",
    "ingest",
    "validated_parts",
]

_REASON_VALUE = re.compile(r" ?['\"].*")  # "unreadable date 'x'" counts under "unreadable date"


@dataclass(frozen=True)
class IngestReport:
    """What one ingest did. ``loaded`` is False when rejected rows stopped the load."""

    paths: tuple[str, ...]
    rows_read: int
    inserted: int
    duplicates: int
    duplicates_in_store: int
    rejected: tuple[Rejected, ...]
    loaded: bool
    bytes_read: int
    seconds: float = 0.0
    rejected_by_reason: dict[str, int] = field(default_factory=dict)
    stage_seconds: dict[str, float] = field(default_factory=dict)  # read, sign, store

    def as_dict(self) -> dict[str, Any]:
        return {
            "paths": list(self.paths),
            "rows_read": self.rows_read,
            "inserted": self.inserted,
            "duplicates_dropped": self.duplicates,
            "duplicates_already_stored": self.duplicates_in_store,
            "rejected": len(self.rejected),
            "rejected_by_reason": self.rejected_by_reason,
            "loaded": self.loaded,
            "bytes_read": self.bytes_read,
            "seconds": round(self.seconds, 3),
            "stage_seconds": {k: round(v, 3) for k, v in self.stage_seconds.items()},
        }


# --- validation and normalisation --------------------------------------------------------
def _parse_dates(arr: pa.ChunkedArray) -> tuple[pa.Array, dict[int, str]]:
    """date32 values, and for each cell that could not be read as a date its index and why."""
    import pyarrow as pa
    import pyarrow.compute as pc

    t = arr.type
    if pa.types.is_date(t) or pa.types.is_timestamp(t):
        out = pc.cast(arr, pa.date32()).combine_chunks()
        return out, dict.fromkeys(pc.indices_nonzero(pc.is_null(out)).to_pylist(), "")
    if pa.types.is_integer(t):
        # a bare integer is a year (2011); anything else is ambiguous (epoch s or ms?)
        years = arr.to_pylist()
        vals = [
            date(y, 1, 1) if y is not None and MIN_YEAR <= y <= MAX_YEAR else None for y in years
        ]
        out = pa.array(vals, pa.date32())
        return out, {i: "" for i, v in enumerate(vals) if v is None}
    strs = pc.utf8_trim_whitespace(pc.cast(arr, pa.string()))
    stamps = pc.strptime(strs, format="%Y-%m-%d", unit="s", error_is_null=True)
    # strptime rolls impossible days over (2011-02-30 becomes 2011-03-02): a value is
    # taken here only when it is written YYYY-MM-DD and its day survived; the rest
    # goes through the strict parser below, which rejects 2011-02-30. (Comparing
    # days, not strftime output: strftime costs seconds per million rows.)
    plain = pc.and_(pc.is_valid(stamps), pc.match_substring_regex(strs, r"^\d{4}-\d\d-\d\d$"))
    written_day = pc.cast(pc.if_else(plain, pc.utf8_slice_codeunits(strs, 8, 10), "00"), pa.int64())
    same = pc.equal(written_day, pc.day(stamps))
    out = pc.cast(pc.if_else(same, stamps, None), pa.date32()).combine_chunks()
    missing = pc.indices_nonzero(pc.is_null(out)).to_pylist()
    if not missing:
        return out, {}
    values = out.to_pylist()
    raw = strs.to_pylist()
    bad: dict[int, str] = {}
    for i in missing:
        if not raw[i]:
            bad[i] = ""
            continue
        try:
            values[i] = parse_date_text(raw[i])
        except ValueError as exc:
            bad[i] = str(exc)
    return pa.array(values, pa.date32()), bad


def _normalise_column(arr: pa.ChunkedArray | pa.Array, title: bool) -> pa.ChunkedArray:
    """NFKC/BOM/CRLF for the rows that need it; the rest pass through untouched.

    Works chunk by chunk: combining a 2 GB text column into one array would copy it.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(arr, pa.Array):
        arr = pa.chunked_array([arr], pa.string())
    out = []
    for chunk in arr.chunks:
        flagged = pc.indices_nonzero(pc.match_substring_regex(chunk, STABLE_CHARS)).to_pylist()
        if title:
            # only tab, LF, printable ASCII and Hangul outside the flagged rows: RE2's \s suffices
            chunk = pc.utf8_trim_whitespace(pc.replace_substring_regex(chunk, r"\s+", " "))
        if flagged:
            fix = normalise_title if title else normalise_text
            fixed = pa.array([fix(chunk[i].as_py()) for i in flagged], pa.string())
            mask = pc.is_in(
                pa.array(range(len(chunk)), pa.int64()), value_set=pa.array(flagged, pa.int64())
            )
            # replace_with_mask puts the fixed values, in order, where mask is true
            chunk = pc.replace_with_mask(chunk, mask, fixed)
        out.append(chunk)
    return pa.chunked_array(out, pa.string())


def _validate(part: RawPart, offset: int) -> tuple[pa.Table, list[Rejected]]:
    import pyarrow as pa
    import pyarrow.compute as pc

    t = part.table
    n = t.num_rows
    sources = part.sources

    def where(i: int) -> tuple[str, int | None]:
        if sources is not None:
            return sources[i], None
        return part.source, (part.rows[i] if part.rows is not None else part.row_offset + i + 1)

    dates, bad_dates = _parse_dates(t.column("date"))
    rejected: dict[int, Rejected] = {}
    raw_dates = t.column("date")
    for i, why in bad_dates.items():
        src, row = where(i)
        val = raw_dates[i].as_py()
        if val in (None, ""):
            reason = "missing date"
        else:
            reason = f"unreadable date {val!r}" + (f": {why}" if why else "")
        rejected[i] = Rejected(src, row, "date", reason)
    years = pc.year(dates)
    out_of_range = pc.or_(pc.less(years, MIN_YEAR), pc.greater(years, MAX_YEAR))
    for i in pc.indices_nonzero(pc.fill_null(out_of_range, False)).to_pylist():
        src, row = where(i)
        rejected.setdefault(
            i, Rejected(src, row, "date", f"date {dates[i].as_py()} outside {MIN_YEAR}-{MAX_YEAR}")
        )
    outlet = pc.utf8_trim_whitespace(t.column("outlet"))
    for i in pc.indices_nonzero(pc.equal(outlet, "")).to_pylist():
        src, row = where(i)
        rejected.setdefault(i, Rejected(src, row, "outlet", "empty outlet; pass --outlet NAME"))
    title = _normalise_column(t.column("title"), title=True)
    text = _normalise_column(t.column("text"), title=False)
    # a regex, not trim + compare: trimming would copy every text
    blank = pc.match_substring_regex(text, r"^\s*$")
    empty = pc.and_(pc.equal(title, ""), blank)
    # an article without a body (a headline list) is matched on its title
    if pc.any(blank).as_py():
        text = pc.if_else(blank, title, text)
    for i in pc.indices_nonzero(empty).to_pylist():
        src, row = where(i)
        rejected.setdefault(i, Rejected(src, row, "text", "no title and no text"))

    lang = t.column("lang").combine_chunks()
    unknown = pc.equal(lang, "")
    if pc.any(unknown).as_py():
        # the opening of a text tells its script; scanning all of it costs seconds per GB
        hangul = pc.match_substring_regex(
            pc.utf8_slice_codeunits(text, 0, 200), r"[\x{AC00}-\x{D7A3}]"
        )
        lang = pc.if_else(unknown, pc.if_else(hangul, "ko", "und"), lang)
    link = pc.utf8_trim_whitespace(t.column("link"))
    outlet = outlet.combine_chunks()
    src_col = (
        pa.array(sources, pa.string())
        if sources is not None
        else pa.array([part.source] * n, pa.string())
    )
    table = pa.table(
        {
            "ord": pa.array(range(offset, offset + n), pa.int64()),
            "outlet": outlet,
            "date": dates,
            "title": title,
            "text": text,
            "link": link,
            "lang": pc.utf8_lower(lang),
            "source": src_col,
            "dedupe_key": dedupe_keys(outlet, dates, title, text, link),
        }
    )
    if rejected:
        keep = pa.array([i not in rejected for i in range(n)])
        table = table.filter(keep)
    return table, sorted(rejected.values(), key=lambda r: (r.source, r.row or 0))


def with_signatures(table: pa.Table, sig: np.ndarray | None = None) -> pa.Table:
    """``table`` with the bigram-signature columns of its text added."""
    import pyarrow as pa

    if sig is None:
        sig = signatures(table.column("text"))
    for i, name in enumerate(SIG_COLUMNS):
        table = table.append_column(name, pa.array(sig[:, i], pa.uint64()))
    return table


def dedupe_keys(
    outlet: pa.Array, dates: pa.Array, title: pa.Array, text: pa.Array, link: pa.Array
) -> pa.Array:
    """The key two copies of one article share: ``link:`` + the link when there is one,
    else ``odt:`` + outlet, date and lower-cased title, else ``odx:`` + outlet, date and
    a hash of the text (a text without title or link)."""
    import hashlib

    import pyarrow as pa
    import pyarrow.compute as pc

    # not the text: combining it would copy it, and it is read only for rows without a title
    outlet, dates, title, link = (
        x.combine_chunks() if isinstance(x, pa.ChunkedArray) else x
        for x in (outlet, dates, title, link)
    )
    sep = "\x1f"
    day = pc.cast(dates, pa.string())
    has_link = pc.fill_null(pc.not_equal(pc.fill_null(link, ""), ""), False)
    by_link = pc.binary_join_element_wise("link:", pc.fill_null(link, ""), "")
    by_title = pc.binary_join_element_wise("odt:", outlet, day, pc.utf8_lower(title), sep)
    keys = pc.if_else(has_link, by_link, by_title)
    no_title = pc.and_(pc.invert(has_link), pc.equal(title, ""))
    idx = pc.indices_nonzero(no_title).to_pylist()
    if idx:
        hashed = pa.array(
            [
                f"odx:{outlet[i].as_py()}{sep}{day[i].as_py()}{sep}{hashlib.md5(text[i].as_py().encode()).hexdigest()}"
                for i in idx
            ]
        )
        keys = pc.replace_with_mask(keys, no_title, hashed)
    return keys


def _paths_bytes(paths: Sequence[str | Path]) -> int:
    total = 0
    for path in paths:
        p = Path(path).expanduser()
        if p.is_dir():
            total += sum(f.stat().st_size for f in p.rglob("*") if f.is_file())
        elif p.exists():
            total += p.stat().st_size
    return total


def validated_parts(
    paths: Sequence[str | Path], options: IngestOptions
) -> Iterator[tuple[pa.Table, list[Rejected], int]]:
    """Each part of each file, validated: (valid rows, rejected rows, rows read).

    Files are read lazily, so a large Parquet file never sits in memory whole; the
    ``ord`` column numbers rows across all files of the ingest.
    """
    offset = 0
    for path in paths:
        read = 0
        for part in read_path(path, options):
            table, bad = _validate(part, offset)
            offset += part.table.num_rows
            read += part.table.num_rows + len(part.rejected)
            yield table, part.rejected + bad, part.table.num_rows + len(part.rejected)
        if read == 0:
            # a header without rows is almost always a failed export, not a corpus
            raise IngestError(
                f"{Path(path).expanduser()}: no rows (the file is empty or has only a header)"
            )


def prefetch(items: Iterator[Any], depth: int = 2) -> Iterator[Any]:
    """Run ``items`` in a background thread, ``depth`` items ahead of the consumer.

    Reading (Parquet decoding, Arrow compute) releases the GIL, so the next part is
    read while this one is signed and stored. An exception is re-raised in order.
    """
    import queue
    import threading

    q: queue.Queue = queue.Queue(maxsize=depth)
    done = object()
    stop = threading.Event()

    def work() -> None:
        try:
            for item in items:
                if stop.is_set():
                    return
                q.put((item, None))
            q.put((done, None))
        except BaseException as exc:  # handed to the consumer
            q.put((None, exc))

    thread = threading.Thread(target=work, name="twentyten-media-read", daemon=True)
    thread.start()
    try:
        while True:
            item, exc = q.get()
            if exc is not None:
                raise exc
            if item is done:
                return
            yield item
    finally:
        stop.set()
        while thread.is_alive():  # unblock a producer waiting on a full queue
            try:
                q.get_nowait()
            except queue.Empty:
                thread.join(timeout=0.05)


def _temporary_beside(db: Path) -> Path:
    """A fresh file name in ``db``'s folder (so that moving it into place is atomic)."""
    import os
    import secrets

    return db.with_name(f".{db.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")


def _publish(built: Path, db: Path) -> None:
    """Move the database built at ``built`` to ``db``, unless ``db`` exists by now.

    A hard link fails when the name is taken, so a database another process created
    meanwhile is never replaced. Where the file system has no hard links, ``db`` is
    first claimed with an exclusive create.
    """
    import os

    from twentyten.media.store import StoreBusy

    taken = StoreBusy(
        f"{db} was created by another process while this ingest ran; it is kept as it is "
        "and nothing of this run was stored; run the ingest again to add to it"
    )
    try:
        os.link(built, db)
        return
    except FileExistsError:
        raise taken from None
    except OSError:
        pass  # no hard links here
    try:
        os.close(os.open(db, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        raise taken from None
    os.replace(built, db)


def ingest(
    paths: Sequence[str | Path], db: str | Path, options: IngestOptions | None = None
) -> IngestReport:
    """Read ``paths`` and store their articles in the DuckDB file ``db``.

    One transaction: nothing is stored when any row is rejected (unless
    ``options.skip_bad``) or when a file cannot be read. Rows are inserted as they are
    read, which keeps memory bounded; rejected rows are all reported, also after the first.

    A new database is built in a temporary file beside ``db`` and moved into place
    only when the ingest succeeded, so ``db`` appears whole or not at all, and a
    failed run removes only its own temporary file. When another process creates
    ``db`` meanwhile, that database is kept and this run raises :class:`StoreBusy`.

    >>> report = ingest(["addresses/"], "media.duckdb", IngestOptions(outlet="New Year address"))  # doctest: +SKIP
    >>> report.inserted, report.duplicates, len(report.rejected)  # doctest: +SKIP
    (73, 0, 0)
    """
    import time

    from twentyten.media.store import check_database_file, open_store

    options = options or IngestOptions()
    str_paths = tuple(str(p) for p in paths)
    for p in paths:  # fail before creating anything
        if not Path(p).expanduser().exists():
            raise IngestError(f"{Path(p).expanduser()}: no such file or folder")
    db_path = Path(db).expanduser()
    check_database_file(db_path)
    created = not db_path.exists()
    target = _temporary_beside(db_path) if created else db_path
    stage = {"read": 0.0, "sign": 0.0, "store": 0.0}
    rejected: list[Rejected] = []

    def signed(parts: Iterator[Any]) -> Iterator[Any]:
        # signing runs in the reader thread (numpy releases the GIL), overlapping the
        # DuckDB insert of the previous part; duplicates are signed too, which is cheap
        for table, bad, n_read in parts:
            t = time.perf_counter()
            if table.num_rows:
                table = with_signatures(table)
            stage["sign"] += time.perf_counter() - t
            yield table, bad, n_read

    t0 = time.perf_counter()
    loaded = False
    try:
        with open_store(target) as store:
            with store.ingest_transaction(str_paths) as writer:
                parts = prefetch(signed(prefetch(validated_parts(paths, options))))
                while True:
                    t = time.perf_counter()
                    item = next(parts, None)
                    stage["read"] += time.perf_counter() - t
                    if item is None:
                        break
                    table, bad, n_read = item
                    writer.rows_read += n_read
                    rejected += bad
                    if rejected and not options.skip_bad:
                        continue  # keep reading, to report every rejected row
                    writer.insert(table)
                writer.rejected = len(rejected)
                writer.abandon = bool(rejected) and not options.skip_bad
            if created and not writer.abandon:
                store.con.execute("CHECKPOINT")  # the file alone holds the data: no WAL to move
        if created and not writer.abandon:
            _publish(target, db_path)
        loaded = not writer.abandon
    finally:
        if created:  # only this run's temporary files; never db itself
            for f in (target, target.with_name(target.name + ".wal")):
                f.unlink(missing_ok=True)
    seconds = time.perf_counter() - t0
    # storing: dedupe, insert and commit, i.e. all the main thread did but wait for parts
    # (reading and signing run in the background and overlap it)
    stage["store"] = max(0.0, seconds - stage["read"])
    reasons: dict[str, int] = {}
    for r in rejected:
        key = r.column + ": " + _REASON_VALUE.sub("", r.reason)
        reasons[key] = reasons.get(key, 0) + 1
    return IngestReport(
        paths=str_paths,
        rows_read=writer.rows_read,
        inserted=writer.inserted if loaded else 0,
        duplicates=writer.duplicates if loaded else 0,
        duplicates_in_store=writer.duplicates_in_store if loaded else 0,
        rejected=tuple(rejected),
        loaded=loaded,
        bytes_read=_paths_bytes(paths),
        seconds=seconds,
        rejected_by_reason=reasons,
        stage_seconds=stage,
    )
