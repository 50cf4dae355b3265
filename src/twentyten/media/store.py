"""The media store: one DuckDB file. This is the only module that speaks SQL for media.

Text columns are stored uncompressed on purpose: Korean text gains little from
DuckDB's string compression (about 30 %), while reading compressed strings back
costs several times more on every trend query and makes ingest twice as slow.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from twentyten.media.signature import COLUMNS as SIG_COLUMNS
from twentyten.media.signature import term_mask
from twentyten.media.terms import Group, Term

if TYPE_CHECKING:  # pragma: no cover
    import duckdb
    import numpy as np
    import pyarrow as pa

SCHEMA_VERSION = 2  # 2: articles.key_hash, the hashed duplicate key
_READABLE_VERSIONS = ("1", "2")  # reading needs only the articles table
_ARTICLE_COLUMNS = ("outlet", "date", "title", "text", "link", "lang", "dedupe_key")
#: The articles columns in the order inserts give them (by name: a table migrated
#: from schema 1 has key_hash last).
INSERT_COLUMNS = ", ".join(
    ("id", *_ARTICLE_COLUMNS, "key_hash", "source", "ingest_id", *SIG_COLUMNS)
)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS articles (
    id BIGINT NOT NULL,
    outlet VARCHAR NOT NULL,
    date DATE NOT NULL,
    title VARCHAR NOT NULL,
    text VARCHAR NOT NULL,
    link VARCHAR,
    lang VARCHAR NOT NULL,
    dedupe_key VARCHAR NOT NULL,
    key_hash UBIGINT NOT NULL,  -- md5_number_lower(dedupe_key): finds duplicate candidates
    source VARCHAR,
    ingest_id INTEGER NOT NULL,
    {signature_columns}
);
CREATE TABLE IF NOT EXISTS ingests (
    id INTEGER NOT NULL,
    started_at TIMESTAMP NOT NULL,
    paths VARCHAR NOT NULL,
    rows_read BIGINT NOT NULL,
    inserted BIGINT NOT NULL,
    duplicates BIGINT NOT NULL,
    rejected BIGINT NOT NULL
);
"""


class StoreError(RuntimeError):
    """A database this version cannot use."""


class NotAMediaDatabase(StoreError):
    """A path that is not a media database: another kind of file, a folder, an empty
    file, or a DuckDB database without articles. Bad input: the user named the wrong file."""


class StoreBusy(StoreError):
    """Another process holds the database's write lock, or created it meanwhile."""


#: DuckDB files carry this at byte 8 (after an 8-byte checksum).
_DUCKDB_MAGIC = b"DUCK"


def check_database_file(path: str | Path) -> None:
    """Raise :class:`NotAMediaDatabase` unless ``path`` is absent or a DuckDB file.

    DuckDB itself opens a CSV or JSON path as an empty in-memory catalogue, so an
    ingest into ``corpus.csv`` would report rows inserted and store nothing.
    """
    p = Path(path).expanduser()
    if not p.exists():
        return
    if p.is_dir():
        raise NotAMediaDatabase(f"{p} is a folder, not a DuckDB database; give a file path")
    with open(p, "rb") as f:
        head = f.read(12)
    if not head:
        raise NotAMediaDatabase(
            f"{p} is an empty file, not a DuckDB database; remove it or choose another path"
        )
    if head[8:12] != _DUCKDB_MAGIC:
        raise NotAMediaDatabase(
            f"{p} is not a DuckDB database (no DuckDB header); "
            "give a .duckdb path (it is created when missing)"
        )


def _lit(value: str) -> str:
    """A SQL string literal. Patterns are inlined (not bound) so DuckDB compiles each
    regular expression once per query instead of once per row."""
    return "'" + value.replace("'", "''") + "'"


@dataclass(frozen=True)
class ArticleFilter:
    """The selection that both numerator and denominator of a share use."""

    outlets: tuple[str, ...] = ()
    langs: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None

    def where(self) -> tuple[str, list[Any]]:
        clauses, params = ["TRUE"], []
        if self.outlets:
            clauses.append(f"lower(outlet) IN ({', '.join('?' for _ in self.outlets)})")
            params += [o.lower() for o in self.outlets]
        if self.langs:
            clauses.append(f"lower(lang) IN ({', '.join('?' for _ in self.langs)})")
            params += [x.lower() for x in self.langs]
        if self.date_from is not None:
            clauses.append("date >= ?")
            params.append(self.date_from)
        if self.date_to is not None:
            clauses.append("date <= ?")
            params.append(self.date_to)
        return " AND ".join(clauses), params


def _term_condition(term: Term, space_tolerant: bool, column: str = "text") -> str:
    """SQL for "the article contains ``term``": the signature test first, so that the
    regular expression runs only on articles that can match."""
    regex = f"regexp_matches({column}, {_lit(term.pattern(space_tolerant))})"
    mask = term_mask(term.text)
    if not mask or column != "text":
        return regex
    sig = " AND ".join(
        f"({SIG_COLUMNS[w]} & {m}::UBIGINT) = {m}::UBIGINT" for w, m in sorted(mask.items())
    )
    return f"(CASE WHEN {sig} THEN {regex} ELSE false END)"


def _group_condition(group: Group, space_tolerant: bool) -> str:
    st = group.spacing(space_tolerant)

    def any_of(terms: Sequence[Term]) -> str:
        return "(" + " OR ".join(_term_condition(t, st) for t in terms) + ")"

    parts = []
    if group.any:
        parts.append(any_of(group.any))
    parts += [any_of(clause) for clause in group.all]
    if group.none:
        parts.append("NOT " + any_of(group.none))
    return " AND ".join(parts)


def _group_occurrences(group: Group, space_tolerant: bool) -> str:
    st = group.spacing(space_tolerant)
    return " + ".join(
        f"len(regexp_extract_all(text, {_lit(t.pattern(st))}))" for t in group.positive_terms
    )


def _in_sorted(sorted_values: np.ndarray, values: np.ndarray) -> np.ndarray:
    """For each of ``values``, whether it is in the sorted array ``sorted_values``."""
    import numpy as np

    if not len(sorted_values):
        return np.zeros(len(values), dtype=bool)
    at = np.searchsorted(sorted_values, values)
    return sorted_values[np.minimum(at, len(sorted_values) - 1)] == values


@dataclass
class KeyHashes:
    """The 64-bit key hashes of the stored articles, for finding duplicate candidates.

    Loaded once per ingest (8 bytes an article) and kept as sorted runs: the stored
    ones, then the runs this ingest adds, merged whenever a run is no longer than
    the next, so a lookup costs O(log n) per run and there are O(log n) runs. A hash
    found here is only a candidate; the full key decides.
    """

    runs: list[np.ndarray] = field(default_factory=list)

    def add(self, values: np.ndarray) -> None:
        import numpy as np

        if not len(values):
            return
        self.runs.append(np.sort(values))
        while len(self.runs) > 1 and len(self.runs[-2]) <= 2 * len(self.runs[-1]):
            last = self.runs.pop()
            self.runs[-1] = np.sort(np.concatenate([self.runs[-1], last]))

    def contains(self, values: np.ndarray) -> np.ndarray:
        import numpy as np

        # sorted needles walk each run in order: three times faster than random
        # probes once a run outgrows the CPU caches (millions of keys)
        order = np.argsort(values, kind="stable")
        needles = values[order]
        found = np.zeros(len(values), dtype=bool)
        for run in self.runs:
            found |= _in_sorted(run, needles)
        out = np.empty(len(values), dtype=bool)
        out[order] = found
        return out


@dataclass
class IngestWriter:
    """Inserts the chunks of one ingest inside :meth:`MediaStore.ingest_transaction`.

    A row is a duplicate when its ``dedupe_key`` equals an earlier row's, in the same
    chunk, an earlier chunk of this ingest, or an earlier ingest. Candidates are found
    by their key hash in memory (:class:`KeyHashes`), so a chunk of new articles
    costs the same whether the table holds a thousand rows or ten million; only the
    candidates are compared, by their full key, with the stored rows.
    """

    con: Any
    ingest_id: int
    base_id: int
    had_articles: bool
    keys: KeyHashes = field(default_factory=KeyHashes)
    rows_read: int = 0
    rejected: int = 0
    inserted: int = 0
    duplicates: int = 0
    duplicates_in_store: int = 0
    abandon: bool = False

    def insert(self, chunk: pa.Table, prepare: Callable[[pa.Table], pa.Table] | None = None) -> int:
        """Insert the new rows of ``chunk`` (columns ord, outlet, date, title, text, link,
        lang, source, dedupe_key); ``prepare`` adds the signature columns. Returns the
        number inserted."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        con = self.con
        con.register("_keys", chunk.select(["ord", "dedupe_key"]))
        try:
            con.execute(
                "CREATE OR REPLACE TEMP TABLE _first AS "
                "SELECT min(ord) AS ord, dedupe_key, md5_number_lower(dedupe_key) AS h "
                "FROM _keys GROUP BY dedupe_key"
            )
        finally:
            con.unregister("_keys")
        first = con.execute("SELECT ord, h FROM _first").fetchnumpy()
        ords = np.asarray(first["ord"], dtype=np.int64)
        hashes = np.asarray(first["h"], dtype=np.uint64)
        candidate = self.keys.contains(hashes)
        new = np.ones(len(ords), dtype=bool)
        if candidate.any():
            con.register("_cand", pa.table({"ord": ords[candidate]}))
            try:
                found = con.execute(
                    """SELECT f.ord, min(a.ingest_id) AS ingest_id
                       FROM _first f SEMI JOIN _cand c ON c.ord = f.ord
                       JOIN articles a ON a.key_hash = f.h AND a.dedupe_key = f.dedupe_key
                       GROUP BY f.ord"""
                ).fetchnumpy()
            finally:
                con.unregister("_cand")
            new &= ~np.isin(ords, np.asarray(found["ord"], dtype=np.int64))
            self.duplicates_in_store += int(np.count_nonzero(found["ingest_id"] < self.ingest_id))
        con.execute("DROP TABLE _first")
        keep = ords[new]
        self.keys.add(hashes[new])
        self.duplicates += chunk.num_rows - len(keep)
        if len(keep) < chunk.num_rows:
            chunk = chunk.filter(
                pc.is_in(chunk.column("ord"), value_set=pa.array(keep, pa.int64()))
            )
        if chunk.num_rows:
            ready = prepare(chunk) if prepare else chunk
            con.register("_chunk", ready)
            try:
                con.execute(
                    f"""INSERT INTO articles ({INSERT_COLUMNS})
                        SELECT {self.base_id} + ord, {", ".join(_ARTICLE_COLUMNS)},
                               md5_number_lower(dedupe_key), source, {self.ingest_id},
                               {", ".join(SIG_COLUMNS)}
                        FROM _chunk"""
                )
            finally:
                con.unregister("_chunk")
        self.inserted += chunk.num_rows
        return chunk.num_rows


class MediaStore:
    """An open media database. Create with :func:`open_store`."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: str):
        self.con = con
        self.path = path

    # -- writing -------------------------------------------------------------------------
    @contextmanager
    def ingest_transaction(self, paths: Sequence[str]) -> Iterator[IngestWriter]:
        """One ingest as one transaction: committed when the block ends normally,
        rolled back on an exception or when ``writer.abandon`` is set."""
        con = self.con
        con.execute("BEGIN TRANSACTION")
        try:
            ingest_id = con.execute("SELECT coalesce(max(id), 0) + 1 FROM ingests").fetchall()[0][0]
            base = con.execute("SELECT coalesce(max(id), 0) + 1 FROM articles").fetchall()[0][0]
            writer = IngestWriter(con, int(ingest_id), int(base), had_articles=base > 1)
            if writer.had_articles:
                writer.keys.add(
                    con.execute("SELECT key_hash FROM articles").fetchnumpy()["key_hash"]
                )
            yield writer
            if writer.abandon:
                con.execute("ROLLBACK")
                return
            con.execute(
                "INSERT INTO ingests VALUES (?, current_timestamp, ?, ?, ?, ?, ?)",
                [
                    ingest_id,
                    "\n".join(paths),
                    writer.rows_read,
                    writer.inserted,
                    writer.duplicates,
                    writer.rejected,
                ],
            )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise

    # -- reading -------------------------------------------------------------------------
    def article_count(self) -> int:
        return self.con.execute("SELECT count(*) FROM articles").fetchall()[0][0]

    def summary(self, by: str = "year") -> list[dict[str, Any]]:
        """Articles per outlet, language and period."""
        period = _period_sql(by)
        rows = self.con.execute(
            f"""SELECT outlet, lang, {period} AS period, count(*) AS articles,
                       sum(strlen(text)) AS text_bytes
                FROM articles GROUP BY ALL ORDER BY outlet, lang, period"""
        ).fetchall()
        return [
            {"outlet": o, "lang": la, "period": p, "articles": n, "text_bytes": int(b or 0)}
            for o, la, p, n, b in rows
        ]

    def group_counts(
        self, groups: Sequence[Group], by: str, where: ArticleFilter, space_tolerant: bool = True
    ) -> dict[str, dict[str, tuple[int, int]] | dict[str, int]]:
        """Per period: total articles, and per group matching articles and occurrences.

        Returns ``{"total": {period: n}, "chars": {period: characters of text},
        group_name: {period: (matched, occurrences)}}``. The same ``where`` selects the
        numerator and both denominators; characters are counted by ``length(text)``
        (code points, not bytes).
        """
        clause, params = where.where()
        period = _period_sql(by)
        per_period = self.con.execute(
            f"SELECT {period} AS p, count(*), sum(length(text)) FROM articles WHERE {clause} GROUP BY p",
            params,
        ).fetchall()
        totals = {p: n for p, n, _ in per_period}
        chars = {p: int(c or 0) for p, _, c in per_period}
        out: dict[str, Any] = {"total": totals, "chars": chars}
        if not groups:
            return out
        flags = ", ".join(
            f"({_group_condition(g, space_tolerant)}) AS m{i}" for i, g in enumerate(groups)
        )
        occ = ", ".join(
            f"CASE WHEN m{i} THEN {_group_occurrences(g, space_tolerant)} ELSE 0 END AS o{i}"
            for i, g in enumerate(groups)
        )
        aggs = ", ".join(f"count(*) FILTER (WHERE m{i}), sum(o{i})" for i in range(len(groups)))
        any_flag = " OR ".join(f"m{i}" for i in range(len(groups)))
        sql = f"""
            WITH flagged AS (
                SELECT {period} AS p, text, {flags} FROM articles WHERE {clause}
            ), hits AS (
                SELECT p, {", ".join(f"m{i}" for i in range(len(groups)))}, {occ}
                FROM flagged WHERE {any_flag}
            )
            SELECT p, {aggs} FROM hits GROUP BY p
        """
        per_group: list[dict[str, tuple[int, int]]] = [{} for _ in groups]
        for row in self.con.execute(sql, params).fetchall():
            p = row[0]
            for i in range(len(groups)):
                per_group[i][p] = (int(row[1 + 2 * i] or 0), int(row[2 + 2 * i] or 0))
        for g, counts in zip(groups, per_group, strict=True):
            out[g.name] = counts
        return out

    def articles_matching(
        self,
        first: Sequence[Term],
        second: Sequence[Term],
        where: ArticleFilter,
        limit: int | None,
        space_tolerant: bool = True,
    ) -> list[dict[str, Any]]:
        """Articles whose title or text contains any of ``first`` and any of ``second``,
        newest first, with ``body`` = title + newline + text."""
        clause, params = where.where()

        def any_of(terms: Sequence[Term]) -> str:
            return (
                "("
                + " OR ".join(
                    f"regexp_matches(title, {_lit(t.pattern(space_tolerant))}) OR "
                    + _term_condition(t, space_tolerant)
                    for t in terms
                )
                + ")"
            )

        lim = f"LIMIT {int(limit)}" if limit else ""
        rows = self.con.execute(
            f"""SELECT id, outlet, date, title, link,
                       CASE WHEN text = title THEN title ELSE title || chr(10) || text END AS body
                FROM articles
                WHERE {clause} AND {any_of(first)} AND {any_of(second)}
                ORDER BY date DESC, id {lim}""",
            params,
        ).fetchall()
        cols = ("id", "outlet", "date", "title", "link", "body")
        return [dict(zip(cols, r, strict=True)) for r in rows]


def _period_sql(by: str) -> str:
    if by == "year":
        return "strftime(date, '%Y')"
    if by == "month":
        return "strftime(date, '%Y-%m')"
    raise ValueError(f"period must be 'year' or 'month', not {by!r}")


def _connect(p: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    import duckdb

    try:
        return duckdb.connect(str(p), read_only=read_only)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            holder = re.search(r"\(PID (\d+)\)", str(exc))
            by = f" (process {holder.group(1)})" if holder else ""
            raise StoreBusy(
                f"{p} is in use by another twentyten or DuckDB process{by}; "
                "run again when it has finished"
            ) from exc
        raise StoreError(f"cannot open {p}: {exc}") from exc
    except duckdb.Error as exc:
        raise StoreError(f"cannot open {p}: {exc}") from exc


def _has_table(con: Any, name: str) -> bool:
    return bool(
        con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]
        ).fetchall()[0][0]
    )


@contextmanager
def open_store(path: str | Path, read_only: bool = False) -> Iterator[MediaStore]:
    """Open (creating when needed) the media database at ``path``.

    Raises :class:`NotAMediaDatabase` for a path that is not a media database,
    :class:`StoreBusy` when another process holds its lock.

    >>> with open_store(tmp / "media.duckdb") as store:  # doctest: +SKIP
    ...     store.article_count()
    0
    """
    try:
        import duckdb  # noqa: F401
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise RuntimeError("the media store needs DuckDB: pip install 'twentyten[media]'") from exc
    p = Path(path).expanduser()
    if read_only and not p.exists():
        raise FileNotFoundError(f"no media database at {p}; run `twentyten media ingest` first")
    check_database_file(p)
    if not read_only:
        p.parent.mkdir(parents=True, exist_ok=True)
    con = _connect(p, read_only)
    try:
        found = None
        if _has_table(con, "meta"):
            row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()
            found = row[0][0] if row else None
            if found is not None and found not in _READABLE_VERSIONS:
                raise StoreError(
                    f"{p} has media schema {found}, this twentyten uses {SCHEMA_VERSION}; "
                    "ingest into a new file"
                )
        if read_only and not _has_table(con, "articles"):
            raise NotAMediaDatabase(
                f"{p} is a DuckDB database without media articles (no 'articles' table); "
                "load articles first: twentyten media ingest PATH --db FILE"
            )
        if not read_only:
            had_articles = _has_table(con, "articles")
            if had_articles and found != str(SCHEMA_VERSION):
                # schema 1 had no key hash: add it, computed from the stored keys
                con.execute("ALTER TABLE articles ADD COLUMN key_hash UBIGINT")
                con.execute("UPDATE articles SET key_hash = md5_number_lower(dedupe_key)")
            con.execute("SET force_compression = 'uncompressed'")
            con.execute(
                _SCHEMA.format(
                    signature_columns=",\n    ".join(f"{c} UBIGINT NOT NULL" for c in SIG_COLUMNS)
                )
            )
            con.execute(
                "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)]
            )
        yield MediaStore(con, str(p))
    finally:
        con.close()
