"""Benchmark for `twentyten.media`: ingest and a five-group yearly trend on a generated corpus.

    .venv/bin/python benchmarks/bench_media.py --articles 100000
    .venv/bin/python benchmarks/bench_media.py --growth 5000000 --baseline-rows 1000000

``--growth N``: ingest N short articles, one million per ingest, into one database
and print rows/s for each successive million and the ratio of the last million to
the first. Duplicate candidates are found by key hash in memory (sorted runs,
``store.KeyHashes``), so the ratio should stay near 1. The baseline is the former
duplicate search (an anti-join of each part against every stored ``dedupe_key``),
run in the same process on ``--baseline-rows`` rows in five steps, with the new
search on the same rows beside it.

Generates N articles of about 2 KB of Korean text each (seeded numpy Generator),
writes them to Parquet, ingests them into a fresh DuckDB file, runs the five bundled
groups by year, and runs the same count with pandas ``str.contains`` as a baseline.
Prints corpus bytes, ingest seconds and MB/s, trend seconds and bytes scanned per
second, the baseline's seconds and the ratio. Targets (issue #7, 1,000,000 articles,
2 cores): ingest >= 50 MB/s, trend < 5 s.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

GROUPS = ("regional", "munitions", "defence_science", "light_industry", "regional_development")
# phrases planted in the text, some spaced (South-style) so the space-tolerant rule is exercised
PLANTED = (
    "지방공업",
    "지방 공업",
    "지방경제",
    "군수공업",
    "국방공업",
    "국방과학",
    "경공업",
    "지방발전",
    "지역 발전",
)
YEARS = np.arange(2000, 2025)
ARTICLE_BYTES = 2000


def make_vocabulary(rng: np.random.Generator, size: int = 6000) -> list[str]:
    # common syllables of news Korean plus random ones; words of 1-4 syllables
    common = list(
        "국가인민로동당사회주의건설경제발전공장생산혁명위원회조선중앙통신전국시군도기업소농업과학기술교육문화"
    )
    rand = [chr(c) for c in rng.integers(0xAC00, 0xD7A4, 600)]
    syl = np.array(common * 6 + rand)
    lens = rng.integers(1, 5, size)
    return ["".join(rng.choice(syl, n)) for n in lens]


def generate(path: Path, n: int, rng: np.random.Generator, chunk: int = 100_000) -> int:
    """Write n articles to a Parquet file; returns the text bytes."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    vocab = np.array(make_vocabulary(rng))
    # one long stream of words; each article is a random window of it, which keeps
    # generation fast without making articles identical
    stream = " ".join(vocab[rng.integers(0, len(vocab), 3_000_000)])
    punct = ".\n"
    total = 0
    writer = None
    # attention rises and falls by year so the trend has a shape
    year_weight = 0.5 + 0.5 * np.sin((YEARS - 2000) / 3.0) ** 2
    try:
        for start in range(0, n, chunk):
            m = min(chunk, n - start)
            years = rng.choice(YEARS, m)
            months = rng.integers(1, 13, m)
            days = rng.integers(1, 29, m)
            offsets = rng.integers(0, len(stream) - 1000, m)
            lengths = rng.integers(
                760, 890, m
            )  # ~2.4 bytes per character with spaces -> about 2 KB
            plant = rng.random(m) < 0.08 * year_weight[years - YEARS[0]]
            which = rng.integers(0, len(PLANTED), m)
            where = rng.integers(50, 550, m)
            texts = []
            for i in range(m):
                s = stream[offsets[i] : offsets[i] + lengths[i]]
                if plant[i]:
                    w = where[i]
                    s = s[:w] + " " + PLANTED[which[i]] + "을 " + s[w:]
                texts.append(s + punct)
            dates = [f"{y}-{mo:02d}-{d:02d}" for y, mo, d in zip(years, months, days, strict=True)]
            table = pa.table(
                {
                    "date": pa.array(dates),
                    "outlet": pa.array(
                        [
                            "Rodong Sinmun" if i % 3 else "Minju Joson"
                            for i in range(start, start + m)
                        ]
                    ),
                    "title": pa.array([f"기사 {start + i}" for i in range(m)]),
                    "text": pa.array(texts),
                }
            )
            total += sum(len(t.encode()) for t in texts)
            if writer is None:
                writer = pq.ParquetWriter(path, table.schema, compression="snappy")
            writer.write_table(table, row_group_size=25_000)
    finally:
        if writer is not None:
            writer.close()
    return total


def short_articles(start: int, n: int, rng: np.random.Generator):
    """``n`` short articles (about 60 bytes of text), titles unique from ``start``."""
    import pyarrow as pa
    import pyarrow.compute as pc

    words = np.array(
        ["지방공업", "공장", "건설", "인민", "경제", "발전", "군", "준공", "로동", "과학"]
    )
    text = pc.binary_join_element_wise(
        *[pa.array(words[rng.integers(0, len(words), n)]) for _ in range(8)], " "
    )
    days = rng.integers(0, 25 * 365, n)
    dates = pa.array(np.datetime64("2000-01-01") + days.astype("timedelta64[D]"))
    return pa.table(
        {
            "date": dates.cast(pa.date32()),
            "outlet": pa.array(np.where(np.arange(n) % 3, "Rodong Sinmun", "Minju Joson")),
            "title": pa.array([f"기사 {i}" for i in range(start, start + n)]),
            "text": text,
        }
    )


def _former_insert(self, chunk, prepare=None) -> int:
    """The duplicate search before issue 8: each part anti-joined against every stored
    ``dedupe_key`` (so a part costs more the more is stored). Baseline only."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from twentyten.media.signature import COLUMNS as SIG_COLUMNS
    from twentyten.media.store import _ARTICLE_COLUMNS, INSERT_COLUMNS

    con = self.con
    con.register("_keys", chunk.select(["ord", "dedupe_key"]))
    try:
        con.execute(
            "CREATE OR REPLACE TEMP TABLE _first AS "
            "SELECT min(ord) AS ord, dedupe_key FROM _keys GROUP BY dedupe_key"
        )
    finally:
        con.unregister("_keys")
    keep = con.execute(
        "SELECT f.ord FROM _first f ANTI JOIN articles a ON a.dedupe_key = f.dedupe_key"
    ).fetchnumpy()["ord"]
    con.execute("DROP TABLE _first")
    self.duplicates += chunk.num_rows - len(keep)
    if len(keep) < chunk.num_rows:
        chunk = chunk.filter(pc.is_in(chunk.column("ord"), value_set=pa.array(keep, pa.int64())))
    if chunk.num_rows:
        con.register("_chunk", prepare(chunk) if prepare else chunk)
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


def grow(
    work: Path, total: int, step: int, seed: int, former: bool = False
) -> list[tuple[float, float]]:
    """Ingest ``total`` short articles, ``step`` per ingest, into one new database;
    (rows per wall-clock second, rows per CPU second) of each ingest. ``former``: with
    the former duplicate search. CPU seconds (all threads of this process) vary far
    less than wall-clock time on a shared machine."""
    import pyarrow.parquet as pq

    from twentyten.media.ingest import ingest
    from twentyten.media.store import IngestWriter

    rng = np.random.default_rng(seed)
    db = work / ("former.duckdb" if former else "growth.duckdb")
    for f in (db, db.with_name(db.name + ".wal")):
        f.unlink(missing_ok=True)
    part = work / "part.parquet"
    rates = []
    current = IngestWriter.insert
    try:
        if former:
            IngestWriter.insert = _former_insert
        for start in range(0, total, step):
            n = min(step, total - start)
            pq.write_table(short_articles(start, n, rng), part)
            t, cpu = time.perf_counter(), time.process_time()
            report = ingest([part], db)
            seconds, cpu = time.perf_counter() - t, time.process_time() - cpu
            assert report.loaded and report.inserted == n, report.as_dict()
            rates.append((n / seconds, n / cpu))
    finally:
        IngestWriter.insert = current
        for f in (db, db.with_name(db.name + ".wal"), part):
            f.unlink(missing_ok=True)
    return rates


def growth(work: Path, total: int, baseline_rows: int, seed: int) -> None:
    def show(label: str, rates: list[tuple[float, float]], step: int) -> tuple[float, float]:
        for i, (wall, cpu) in enumerate(rates):
            print(
                f"  {label:7s} rows {i * step:>10,}-{(i + 1) * step:>10,}  "
                f"{wall:>9,.0f} rows/s  {cpu:>9,.0f} rows/CPU-s"
            )
        ratio = (rates[-1][0] / rates[0][0], rates[-1][1] / rates[0][1])
        print(f"  {label:7s} last/first: {ratio[0]:.2f} wall-clock, {ratio[1]:.2f} CPU")
        return ratio

    if baseline_rows:
        step = max(1, baseline_rows // 5)
        print(f"baseline: {baseline_rows:,} rows in 5 ingests of {step:,}, same process")
        former = show("former", grow(work, baseline_rows, step, seed, former=True), step)
        hashed = show("hashed", grow(work, baseline_rows, step, seed), step)
        print(
            f"  last/first (CPU): former {former[1]:.2f}, hashed {hashed[1]:.2f} "
            f"(wall-clock: former {former[0]:.2f}, hashed {hashed[0]:.2f})"
        )
    step = 1_000_000 if total >= 2_000_000 else max(1, total // 5)
    print(f"growth: {total:,} short articles, {step:,} per ingest, hashed duplicate search")
    show("hashed", grow(work, total, step, seed), step)


def pandas_baseline(parquet: Path, groups) -> tuple[float, dict]:
    """The same counts with pandas ``str.contains`` / ``str.count`` (regex, same patterns)."""
    import pandas as pd

    df = pd.read_parquet(parquet, columns=["date", "text"])
    year = df["date"].str.slice(0, 4)
    t0 = time.perf_counter()
    out = {}
    for g in groups:
        hit = np.zeros(len(df), dtype=bool)
        for term in g.any:
            hit |= df["text"].str.contains(term.pattern(True), regex=True).to_numpy(dtype=bool)
        occ = np.zeros(len(df), dtype=np.int64)
        sub = df["text"][hit]
        for term in g.positive_terms:
            occ[hit] += sub.str.count(term.pattern(True)).to_numpy(dtype=np.int64)
        frame = pd.DataFrame({"year": year, "hit": hit, "occ": occ})
        agg = frame.groupby("year").agg(articles=("hit", "sum"), occurrences=("occ", "sum"))
        out[g.name] = {y: (int(r.articles), int(r.occurrences)) for y, r in agg.iterrows()}
    return time.perf_counter() - t0, out


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--articles", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=20_10)
    ap.add_argument(
        "--workdir",
        type=Path,
        default=None,
        help="Folder for the corpus and database (default: a temp folder, removed).",
    )
    ap.add_argument("--no-baseline", action="store_true", help="Skip the pandas baseline.")
    ap.add_argument(
        "--growth",
        type=int,
        metavar="N",
        help="Only the ingest-growth benchmark: N short articles, a million per ingest.",
    )
    ap.add_argument(
        "--baseline-rows",
        type=int,
        default=1_000_000,
        help="Rows for the former duplicate search in --growth (0: skip it).",
    )
    args = ap.parse_args()
    if args.growth:
        work = args.workdir or Path(tempfile.mkdtemp(prefix="bench_media_"))
        work.mkdir(parents=True, exist_ok=True)
        try:
            growth(work, args.growth, args.baseline_rows, args.seed)
        finally:
            if args.workdir is None:
                shutil.rmtree(work, ignore_errors=True)
        return

    from twentyten.media.ingest import IngestOptions, ingest
    from twentyten.media.store import ArticleFilter, open_store
    from twentyten.media.terms import bundled_groups
    from twentyten.media.trend import TrendOptions, compute_trend

    rng = np.random.default_rng(args.seed)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="bench_media_"))
    work.mkdir(parents=True, exist_ok=True)
    parquet, db = work / "corpus.parquet", work / "media.duckdb"
    for p in (parquet, db, db.with_suffix(".duckdb.wal")):
        p.unlink(missing_ok=True)
    try:
        t = time.perf_counter()
        nbytes = generate(parquet, args.articles, rng)
        print(f"articles            {args.articles:,}")
        print(
            f"corpus text bytes   {nbytes:,} ({nbytes / 1e6:,.0f} MB; parquet {parquet.stat().st_size / 1e6:,.0f} MB; generated in {time.perf_counter() - t:.1f} s)"
        )

        t = time.perf_counter()
        report = ingest([parquet], db, IngestOptions())
        ingest_s = time.perf_counter() - t
        assert report.loaded and report.inserted == args.articles, report.as_dict()
        stages = ", ".join(f"{k} {v:.1f} s" for k, v in report.stage_seconds.items())
        mbps = nbytes / 1e6 / ingest_s
        print(f"ingest              {ingest_s:.2f} s = {mbps:,.1f} MB/s (target >= 50); {stages}")

        groups = bundled_groups().select(GROUPS)
        with open_store(db, read_only=True) as store:
            scanned = store.con.execute("SELECT sum(strlen(text)) FROM articles").fetchone()[0]
            store.con.execute(
                "SELECT count(*) FROM articles"
            ).fetchone()  # open the file, as a CLI call does
            times = []
            for _ in range(2):
                t = time.perf_counter()
                trend = compute_trend(store, groups, TrendOptions(where=ArticleFilter()))
                times.append(time.perf_counter() - t)
        trend_s = min(times)
        print(
            f"trend (5 groups, year)  first {times[0]:.2f} s, best {trend_s:.2f} s (target < 5); scanned {scanned / 1e6 / trend_s:,.0f} MB/s"
        )
        for s in trend.series:
            print(
                f"  {s.group:22s} articles {sum(p.articles for p in s.points):>8,}  occurrences {sum(p.occurrences for p in s.points):>8,}  peaks {', '.join(s.peaks)}"
            )

        if not args.no_baseline:
            base_s, base = pandas_baseline(parquet, groups)
            same = all(
                base[s.group].get(p.period, (0, 0)) == (p.articles, p.occurrences)
                for s in trend.series
                for p in s.points
            )
            print(
                f"pandas str.contains baseline  {base_s:.2f} s = {scanned / 1e6 / base_s:,.0f} MB/s; twentyten is {base_s / trend_s:.1f}x faster; same counts: {same}"
            )
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
