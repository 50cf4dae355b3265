import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from twentyten.media.store import ArticleFilter, open_store
from twentyten.media.terms import bundled_groups, parse_groups
from twentyten.media.trend import (
    Measure,
    Period,
    TrendOptions,
    build_trend,
    compute_trend,
    correlate,
    find_peaks,
    period_range,
)

CORPUS = [
    # 2010: 4 Rodong articles, 1 regional (2 occurrences, one spaced), 1 munitions
    {
        "date": "2010-01-05",
        "outlet": "Rodong Sinmun",
        "title": "a",
        "text": "지방공업을 발전시키고 지방 공업 부문",
    },
    {"date": "2010-02-05", "outlet": "Rodong Sinmun", "title": "b", "text": "군수공업 부문"},
    {"date": "2010-03-05", "outlet": "Rodong Sinmun", "title": "c", "text": "날씨"},
    {"date": "2010-03-06", "outlet": "Rodong Sinmun", "title": "d", "text": "농업"},
    # 2011: 2 Rodong articles, both regional (one via 지방경제, one via English)
    {"date": "2011-01-05", "outlet": "Rodong Sinmun", "title": "e", "text": "지방경제와 지방공업"},
    {
        "date": "2011-06-05",
        "outlet": "Rodong Sinmun",
        "title": "f",
        "text": "Local industries grew",
    },
    # Minju Joson: 2010 one article, not regional; 2012 one regional
    {"date": "2010-05-05", "outlet": "Minju Joson", "title": "g", "text": "국방과학"},
    {"date": "2012-05-05", "outlet": "Minju Joson", "title": "h", "text": "지방공업"},
]


@pytest.fixture
def db(build_store):
    return build_store(CORPUS)


def groups(*names):
    return bundled_groups().select(names)


def test_exact_counts_and_shares(db):
    with open_store(db, read_only=True) as store:
        t = compute_trend(store, groups("regional", "munitions", "defence_science"))
    assert t.periods == ("2010", "2011", "2012")
    assert t.totals == (5, 2, 1)
    reg = t.group("regional")
    assert [(p.articles, p.occurrences, p.total) for p in reg.points] == [
        (1, 2, 5),
        (2, 3, 2),
        (1, 1, 1),
    ]
    assert [p.share for p in reg.points] == [0.2, 1.0, 1.0]
    assert [(p.articles, p.total) for p in t.group("munitions").points] == [(1, 5), (0, 2), (0, 1)]
    assert t.group("defence_science").point("2010").articles == 1


def test_denominator_uses_the_same_outlet_filter(db):
    with open_store(db, read_only=True) as store:
        t = compute_trend(
            store, groups("regional"), TrendOptions(where=ArticleFilter(outlets=("rodong sinmun",)))
        )
    reg = t.group("regional")
    assert t.periods == ("2010", "2011")
    assert [(p.articles, p.total, p.share) for p in reg.points] == [(1, 4, 0.25), (2, 2, 1.0)]


def test_date_filter_and_empty_periods_are_nan(build_store):
    db = build_store([CORPUS[0], CORPUS[7]])
    with open_store(db, read_only=True) as store:
        t = compute_trend(store, groups("regional"))
        assert t.periods == ("2010", "2011", "2012")
        p2011 = t.group("regional").point("2011")
        assert (p2011.total, p2011.articles) == (0, 0) and math.isnan(p2011.share)
        t2 = compute_trend(
            store,
            groups("regional"),
            TrendOptions(where=ArticleFilter(date_to=__import__("datetime").date(2010, 12, 31))),
        )
        assert t2.periods == ("2010",)


def test_exact_spacing_switch(db):
    with open_store(db, read_only=True) as store:
        tolerant = compute_trend(store, groups("regional")).group("regional").point("2010")
        exact = (
            compute_trend(store, groups("regional"), TrendOptions(space_tolerant=False))
            .group("regional")
            .point("2010")
        )
    assert (tolerant.occurrences, exact.occurrences) == (2, 1)


def test_month_periods(db):
    with open_store(db, read_only=True) as store:
        t = compute_trend(
            store,
            groups("regional"),
            TrendOptions(by=Period.MONTH, where=ArticleFilter(outlets=("Rodong Sinmun",))),
        )
    assert t.periods[0] == "2010-01" and t.periods[-1] == "2011-06" and len(t.periods) == 18
    assert t.group("regional").point("2010-03").total == 2


def test_boolean_group_in_sql_matches_python_reference(build_store):
    gf = parse_groups(
        {
            "groups": {
                "q": {
                    "any": ["지방공업", "regional industr"],
                    "all": [["준공", "착공"]],
                    "not": ["군수"],
                }
            }
        },
        "q.yaml",
    )
    rows = [
        {"date": "2020-01-01", "outlet": "R", "title": str(i), "text": t}
        for i, t in enumerate(
            ["지방공업 준공", "지방 공업 착공 군수", "Regional Industry 착 공", "지방공업", "준공"]
        )
    ]
    db = build_store(rows)
    with open_store(db, read_only=True) as store:
        p = compute_trend(store, [gf.groups["q"]]).group("q").point("2020")
    expected = [gf.groups["q"].matches(r["text"]) for r in rows]
    assert expected == [True, False, True, False, False]
    assert p.articles == sum(expected)
    assert p.occurrences == sum(gf.groups["q"].occurrences(r["text"]) for r in rows)


def test_find_peaks():
    assert find_peaks(np.array([0, 1, 6, 1, 0, 1, 0, 0, 0, 2, 2.0])).nonzero()[0].tolist() == [2, 9]
    assert find_peaks(np.array([1.0, np.nan, 3, 1])).nonzero()[0].tolist() == [2]
    assert not find_peaks(np.array([2.0, 2, 2])).any()


def test_correlation_matches_scipy_with_lags():
    stats = pytest.importorskip("scipy.stats")
    rng = np.random.default_rng(7)
    x = rng.random(15)
    y = np.roll(x, 2) + 0.1 * rng.random(15)
    y[4] = np.nan
    out = {c.lag: c for c in correlate(x, y, max_lag=2)}
    for lag in (-2, 0, 2):
        a, b = (x[: len(x) - lag], y[lag:]) if lag >= 0 else (x[-lag:], y[: len(y) + lag])
        ok = np.isfinite(a) & np.isfinite(b)
        assert out[lag].n == ok.sum()
        assert out[lag].pearson == pytest.approx(stats.pearsonr(a[ok], b[ok])[0])
        assert out[lag].spearman == pytest.approx(stats.spearmanr(a[ok], b[ok])[0])
    assert out[2].pearson > 0.9  # y follows x by two periods
    assert not out[0].note  # 14 pairs
    short = correlate(np.array([1.0, 2]), np.array([2.0, 1]))[0]
    assert math.isnan(short.pearson) and "fragile" in short.note


def test_inverse_relation_is_negative():
    counts = {
        "total": {str(y): 100 for y in range(2010, 2020)},
        "regional": {
            str(y): (v, v)
            for y, v in zip(range(2010, 2020), [5, 9, 4, 3, 2, 2, 1, 1, 6, 5], strict=True)
        },
        "munitions": {
            str(y): (v, v)
            for y, v in zip(range(2010, 2020), [3, 1, 4, 5, 6, 7, 8, 9, 2, 3], strict=True)
        },
    }
    t = build_trend(
        counts, groups("regional", "munitions"), TrendOptions(max_lag=0, differenced=True)
    )
    lag0 = [c for c in t.correlations if not c.differenced][0]
    assert lag0.pearson < -0.8 and lag0.spearman < -0.8
    assert any(c.differenced for c in t.correlations)
    assert t.group("regional").peaks == ("2011", "2018")


def test_period_range():
    assert period_range(["2011-11", "2012-02"], Period.MONTH) == [
        "2011-11",
        "2011-12",
        "2012-01",
        "2012-02",
    ]
    assert period_range([], Period.YEAR) == []


def test_result_serialises(db):
    import json

    with open_store(db, read_only=True) as store:
        t = compute_trend(
            store, groups("regional", "munitions"), TrendOptions(peak_on=Measure.OCCURRENCES)
        )
    d = json.loads(json.dumps(t.as_dict()))
    chars_2010 = sum(len(r["text"]) for r in CORPUS if r["date"].startswith("2010"))
    assert d["rows"][0] == {
        "period": "2010",
        "group": "regional",
        "articles": 1,
        "occurrences": 2,
        "total": 5,
        "share": 0.2,
        "peak": False,
        "chars": chars_2010,
        "per10k": pytest.approx(10_000 * 2 / chars_2010),
    }
    assert {c["lag"] for c in d["correlations"]} == {-2, -1, 0, 1, 2}


WORDS = [
    "지방공업",
    "지방 공업",
    "군수공업",
    "국방과학",
    "날씨",
    "농업",
    "regional industry",
    "local economy",
    "평양",
]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    articles=st.lists(
        st.tuples(
            st.integers(2009, 2013),
            st.sampled_from(["R", "M"]),
            st.lists(st.sampled_from(WORDS), max_size=5),
        ),
        min_size=1,
        max_size=25,
    ),
    outlet=st.sampled_from([(), ("R",), ("M",)]),
)
def test_share_invariants_and_sql_equals_python(build_store, articles, outlet):
    rows = [
        {"date": f"{y}-01-01", "outlet": o, "title": f"t{i}", "text": " ".join(ws) or "빈"}
        for i, (y, o, ws) in enumerate(articles)
    ]
    db = build_store(rows)
    gs = groups("regional", "munitions", "defence_science")
    with open_store(db, read_only=True) as store:
        t = compute_trend(store, gs, TrendOptions(where=ArticleFilter(outlets=outlet)))
    selected = [r for r in rows if not outlet or r["outlet"] in outlet]
    for s, g in zip(t.series, gs, strict=True):
        for p in s.points:
            in_period = [r for r in selected if r["date"][:4] == p.period]
            assert p.total == len(in_period)
            assert 0 <= p.articles <= p.total
            assert p.articles == sum(g.matches(r["text"]) for r in in_period)
            assert p.occurrences == sum(g.occurrences(r["text"]) for r in in_period)
            if p.total:
                assert 0.0 <= p.share <= 1.0
            else:
                assert math.isnan(p.share)


def test_the_peak_star_goes_on_the_measure_the_peaks_were_found_on():
    # articles peak in 2011, occurrences in 2012 (one article, many mentions)
    counts = {
        "total": {"2010": 10, "2011": 10, "2012": 10, "2013": 10},
        "regional": {"2010": (1, 1), "2011": (5, 5), "2012": (1, 20), "2013": (1, 1)},
    }
    by_occ = build_trend(
        counts, groups("regional"), TrendOptions(max_lag=0, peak_on=Measure.OCCURRENCES)
    )
    assert by_occ.group("regional").peaks == ("2012",)
    assert by_occ.as_dict()["peak_on"] == "occurrences"
    rows = {r["period"]: r for r in by_occ.wide_rows()}
    assert rows["2012"]["regional occ."] == "20 *" and rows["2012"]["regional share"] == "10.00%"
    assert rows["2011"]["regional share"] == "50.00%"  # no star: not a peak of occurrences
    by_share = build_trend(counts, groups("regional"), TrendOptions(max_lag=0))
    assert by_share.as_dict()["peak_on"] == "share"
    rows = {r["period"]: r for r in by_share.wide_rows()}
    assert rows["2011"]["regional share"] == "50.00% *" and rows["2012"]["regional occ."] == 20


def test_spearman_handles_ties_like_scipy():
    # shares are often 0 in many periods: ties must share their average rank
    stats = pytest.importorskip("scipy.stats")
    x = np.array([0, 0, 0.5, 0, 1, 1, 0, 0.25, 0, 0, 0.5, 0])
    y = np.array([0, 1, 1, 0, 0, 1, 0, 0, 0.5, 0, 1, 0])
    [c] = correlate(x, y)
    assert c.spearman == pytest.approx(stats.spearmanr(x, y)[0])
    assert c.pearson == pytest.approx(stats.pearsonr(x, y)[0])
