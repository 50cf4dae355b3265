"""Occurrences per 10,000 characters: the measure for corpora of few long documents."""

import json
import math

from click.testing import CliRunner

from twentyten.cli import cli
from twentyten.media.store import open_store
from twentyten.media.terms import parse_groups
from twentyten.media.trend import Measure, TrendOptions, compute_trend

# one long address a year, as with the New Year addresses; 2012 has two shorter pieces
ADDRESSES = [
    {"date": "2010-01-01", "outlet": "KCNA", "title": "2010",
     "text": "지방공업을 발전시키자. " + "인민경제 " * 400 + "지방공업 공장 지방공업"},
    {"date": "2011-01-01", "outlet": "KCNA", "title": "2011", "text": "농업 " * 1500 + "지방공업"},
    {"date": "2012-01-01", "outlet": "KCNA", "title": "2012a", "text": "경공업 " * 300},
    {"date": "2012-06-01", "outlet": "KCNA", "title": "2012b", "text": "지방공업, 지방공업! " * 7},
    {"date": "2013-01-01", "outlet": "KCNA", "title": "2013", "text": "과학기술 " * 900},
]
GROUPS = parse_groups({"groups": {"local": {"any": ["지방공업"]}}}, "g.yaml")


def expected_per10k() -> dict[str, float]:
    """Python over the texts: occurrences over all characters of the year's texts."""
    occ: dict[str, int] = {}
    chars: dict[str, int] = {}
    for a in ADDRESSES:
        y = a["date"][:4]
        occ[y] = occ.get(y, 0) + a["text"].count("지방공업")
        chars[y] = chars.get(y, 0) + len(a["text"])
    return {y: 10_000 * occ[y] / chars[y] for y in occ}


def test_per10k_equals_an_independent_count(build_store):
    db = build_store(ADDRESSES)
    with open_store(db, read_only=True) as store:
        t = compute_trend(store, GROUPS.select(["local"]), TrendOptions(peak_on=Measure.PER10K))
    s = t.group("local")
    want = expected_per10k()
    got = dict(zip(t.periods, s.values("per10k"), strict=True))
    assert set(got) == set(want)
    for y, v in want.items():
        assert math.isclose(got[y], v, rel_tol=1e-12), (y, got[y], v)
    assert got["2013"] == 0.0  # a year without the term is zero, not missing
    # the share says nothing here: 100 % in every year with the term
    assert [p.share for p in s.points] == [1.0, 1.0, 0.5, 0.0]
    # the peak is on the densest year, not on the first
    assert s.peaks == ("2012",)


def test_per10k_follows_the_filter_like_the_share(build_store):
    rows = ADDRESSES + [{"date": "2010-03-01", "outlet": "Other", "title": "x", "text": "가" * 50_000}]
    db = build_store(rows)
    with open_store(db, read_only=True) as store:
        from twentyten.media.store import ArticleFilter

        only = compute_trend(store, GROUPS.select(["local"]),
                             TrendOptions(where=ArticleFilter(outlets=("KCNA",))))
        every = compute_trend(store, GROUPS.select(["local"]))
    assert math.isclose(only.group("local").values("per10k")[0], expected_per10k()["2010"])
    text = ADDRESSES[0]["text"]
    assert math.isclose(every.group("local").values("per10k")[0],
                        10_000 * text.count("지방공업") / (len(text) + 50_000))


def test_cli_measure_switch(build_store, tmp_path, monkeypatch):
    db = build_store(ADDRESSES)
    monkeypatch.setenv("TWENTYTEN_MEDIA_DB", str(db))
    gfile = tmp_path / "g.yaml"
    gfile.write_text("groups:\n  local:\n    any: [지방공업]\n", encoding="utf-8")
    r = CliRunner().invoke(cli, ["media", "trend", "--groups-file", str(gfile), "--measure", "per10k",
                                 "--format", "json"])
    assert r.exit_code == 0, r.output
    rows = {row["period"]: row for row in json.loads(r.stdout)["rows"]}
    want = expected_per10k()
    assert {p: round(row["per10k"], 9) for p, row in rows.items()} == {p: round(v, 9) for p, v in want.items()}
    assert json.loads(r.stdout)["peak_on"] == "per10k"  # peaks follow the measure unless told
    r = CliRunner().invoke(cli, ["media", "trend", "--groups-file", str(gfile), "--measure", "per10k"])
    assert r.exit_code == 0 and "per10k" in r.stdout
    r = CliRunner().invoke(cli, ["media", "trend", "--measure", "per1000"])
    assert r.exit_code == 2 and "per1000" in r.stderr
    assert r.stdout == ""
