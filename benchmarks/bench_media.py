"""Benchmark for `twentyten.media`: ingest and a five-group yearly trend on a generated corpus.

    .venv/bin/python benchmarks/bench_media.py --articles 100000

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
    args = ap.parse_args()

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
