"""Checks against the saved real corpora (shared/data/media, SOURCES.md there)."""

import pytest

from twentyten.media.ingest import IngestOptions, ingest
from twentyten.media.store import ArticleFilter, open_store
from twentyten.media.terms import bundled_groups, parse_groups
from twentyten.media.trend import Measure, TrendOptions, compute_trend

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def media_dir(shared_dir):
    d = shared_dir / "data" / "media"
    if not d.is_dir():
        pytest.skip("shared/data/media is absent")
    return d


@pytest.fixture(scope="module")
def new_year_db(media_dir, tmp_path_factory):
    db = tmp_path_factory.mktemp("ny") / "media.duckdb"
    report = ingest(
        [media_dir / "nk_new_year_addresses"], db, IngestOptions(corpus="new-year-addresses")
    )
    assert report.loaded and report.inserted == 73  # 1946-2019 without 1957
    return db


def _occurrences(db, space_tolerant=True, group="regional"):
    with open_store(db, read_only=True) as store:
        t = compute_trend(
            store,
            bundled_groups().select([group]),
            TrendOptions(space_tolerant=space_tolerant, peak_on=Measure.OCCURRENCES),
        )
    return {p.period: p.occurrences for p in t.group(group).points}


def test_new_year_regional_occurrences_peak_in_2011(new_year_db):
    occ = _occurrences(new_year_db)
    window = {y: occ[str(y)] for y in range(2009, 2020)}
    # SOURCES.md reference counts, 지방공업 + 지방경제 with optional whitespace
    assert window == {
        2009: 0,
        2010: 1,
        2011: 6,
        2012: 1,
        2013: 0,
        2014: 1,
        2015: 0,
        2016: 0,
        2017: 0,
        2018: 2,
        2019: 2,
    }
    assert max(window, key=window.get) == 2011


def test_new_year_2018_matches_only_with_the_space_tolerant_rule(new_year_db):
    assert _occurrences(new_year_db, space_tolerant=True)["2018"] == 2
    assert _occurrences(new_year_db, space_tolerant=False)["2018"] == 0


def test_new_year_other_groups_match_the_reference_counts(new_year_db):
    mun = _occurrences(new_year_db, group="munitions")
    sci = _occurrences(new_year_db, group="defence_science")
    assert [mun[str(y)] for y in range(2009, 2020)] == [1, 1, 2, 1, 1, 1, 2, 2, 0, 3, 3]
    assert [sci[str(y)] for y in range(2009, 2020)] == [0, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0]


def test_new_year_whole_set_term_totals(new_year_db):
    # "exact substring finds 지방공업 20 times, the whitespace-tolerant regex 21; 지방경제 1 and 2"
    gf = parse_groups({"groups": {"a": ["지방공업"], "b": ["지방경제"]}}, "t")
    with open_store(new_year_db, read_only=True) as store:
        for st, expected in ((False, (20, 1)), (True, (21, 2))):
            t = compute_trend(store, gf.select(["a", "b"]), TrendOptions(space_tolerant=st))
            assert tuple(sum(p.occurrences for p in s.points) for s in t.series) == expected


def test_kcna_stiles_dedupes_on_link(media_dir, tmp_path):
    db = tmp_path / "m.duckdb"
    report = ingest([media_dir / "kcna_en_stiles"], db, IngestOptions(corpus="kcna-stiles"))
    assert (report.rows_read, report.inserted, report.duplicates, len(report.rejected)) == (
        2111,
        2078,
        33,
        0,
    )
    gf = parse_groups(
        {"groups": {"regional": ["regional industr"], "local": ["local industr"]}}, "t"
    )
    with open_store(db, read_only=True) as store:
        t = compute_trend(store, gf.select(["regional", "local"]))
        months = dict(
            store.con.execute(
                "SELECT strftime(date, '%Y-%m'), count(*) FROM articles GROUP BY 1"
            ).fetchall()
        )
    assert sum(p.articles for p in t.group("local").points) == 0
    # expected value derived independently from the JSON: unique links whose story matches
    import json
    import re

    records = json.loads(
        (media_dir / "kcna_en_stiles" / "headlines_2024-11-11.json").read_text(encoding="utf-8")
    )
    first = {}
    for r in records:
        first.setdefault(r["link"], r)
    pattern = re.compile(r"regional\s*industr", re.I)
    expected = sum(1 for r in first.values() if pattern.search(r["story_text"] or r["headline"]))
    assert sum(p.articles for p in t.group("regional").points) == expected == 9
    assert months["2024-08"] >= 550


def test_rodong_denney_sample(media_dir, tmp_path):
    db = tmp_path / "m.duckdb"
    report = ingest(
        [media_dir / "rodong_sinmun_en_denney"], db, IngestOptions(corpus="rodong-denney")
    )
    assert report.inserted == 600
    gf = parse_groups({"groups": {"local": ["local industr"], "mun": ["munitions"]}}, "t")
    with open_store(db, read_only=True) as store:
        t = compute_trend(
            store,
            gf.select(["local", "mun"]),
            TrendOptions(where=ArticleFilter(outlets=("Rodong Sinmun",))),
        )
    assert t.totals == (178, 167, 144, 111)
    assert {p.period: p.articles for p in t.group("local").points} == {
        "2018": 0,
        "2019": 0,
        "2020": 0,
        "2021": 3,
    }
    assert {p.period: p.articles for p in t.group("mun").points}["2021"] == 2


@pytest.mark.slow
def test_kcna_xmarquez_2011_stories(media_dir, tmp_path):
    pytest.importorskip("rdata")
    db = tmp_path / "m.duckdb"
    report = ingest(
        [media_dir / "kcna_xmarquez" / "KCNA_2011.rda"], db, IngestOptions(corpus="kcna-xmarquez")
    )
    assert report.inserted == 13907
    gf = parse_groups(
        {
            "groups": {
                "local": ["local industr"],
                "mun": ["munitions industr"],
                "def": ["{defence|defense} industr"],
            }
        },
        "t",
    )
    with open_store(db, read_only=True) as store:
        t = compute_trend(
            store,
            gf.select(["local", "mun", "def"]),
            TrendOptions(where=ArticleFilter(langs=("en",))),
        )
    assert t.totals == (13173,)
    got = {s.group: s.points[0].articles for s in t.series}
    # SOURCES.md counts stories only: 17, 3, 26. A row whose story is missing is matched
    # on its headline here, which adds 0, 1 and 4 (checked independently with pandas + re).
    assert got == {"local": 17, "mun": 4, "def": 30}
