"""The pure core of media/trend.py, value by value (written to kill the mutants that
mutmut found surviving; each expected value is worked out by hand in the test)."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pytest

from twentyten.media.store import ArticleFilter
from twentyten.media.terms import parse_groups
from twentyten.media.trend import (
    FEW_POINTS,
    Measure,
    Period,
    TrendOptions,
    build_trend,
    correlate,
    find_peaks,
    parse_day,
    period_range,
)

GROUPS = parse_groups({"groups": {"a": ["alpha"], "b": ["beta"]}}, "t.yaml")


def trend(**options):
    # a: shares 1/10, 4/10, 0/0 (no articles: NaN), 2/20, 3/10; occurrences differ
    counts = {
        "total": {"2010": 10, "2011": 10, "2013": 20, "2014": 10},
        "a": {"2010": (1, 7), "2011": (4, 4), "2013": (2, 2), "2014": (3, 9)},
        "b": {"2010": (5, 5), "2011": (1, 1), "2013": (8, 8), "2014": (2, 2)},
    }
    return build_trend(counts, list(GROUPS.groups.values()), TrendOptions(**options))


def test_series_values_by_measure_and_lookups():
    t = trend(max_lag=0)
    a = t.group("a")
    assert t.periods == ("2010", "2011", "2012", "2013", "2014")
    assert t.totals == (10, 10, 0, 20, 10)
    np.testing.assert_array_equal(a.values("share"), [0.1, 0.4, np.nan, 0.1, 0.3])
    np.testing.assert_array_equal(a.values(Measure.ARTICLES), [1, 4, 0, 2, 3])
    np.testing.assert_array_equal(a.values("occurrences"), [7, 4, 0, 2, 9])
    assert a.values("share").dtype == np.float64 and a.values("articles").dtype == np.float64
    assert a.point("2013").articles == 2 and a.point("2013").total == 20
    with pytest.raises(KeyError, match="2099"):
        a.point("2099")
    with pytest.raises(KeyError, match="nope"):
        t.group("nope")
    with pytest.raises(ValueError):
        a.values("nonsense")


def test_peaks_on_each_measure():
    # shares 0.1 0.4 NaN 0.1 0.3: mean 0.225; 2011 rises and is not exceeded; 2014 is last
    assert trend(max_lag=0).group("a").peaks == ("2011", "2014")
    # articles 1 4 0 2 3 (2012 has no total, so it is skipped): peaks 2011 and 2014
    assert trend(max_lag=0, peak_on=Measure.ARTICLES).group("a").peaks == ("2011", "2014")
    # occurrences 7 4 - 2 9: mean 5.5; 2010 is the first (nothing before) and 2014 the last
    assert trend(max_lag=0, peak_on=Measure.OCCURRENCES).group("a").peaks == ("2010", "2014")


def test_rows_wide_rows_and_correlation_rows():
    t = trend(max_lag=1)
    rows = t.rows()
    assert rows[2] == {
        "period": "2012",
        "group": "a",
        "articles": 0,
        "occurrences": 0,
        "total": 0,
        "share": None,  # NaN, not 0: no articles that year
        "peak": False,
        "chars": 0,
        "per10k": None,  # no text that year: no rate either
    }
    assert rows[1]["share"] == 0.4 and rows[1]["peak"] is True
    assert [r["group"] for r in rows] == ["a"] * 5 + ["b"] * 5
    wide = t.wide_rows()
    assert wide[1] == {
        "period": "2011",
        "total": 10,
        "a articles": 4,
        "a occ.": 4,
        "a share": "40.00% *",
        "b articles": 1,
        "b occ.": 1,
        "b share": "10.00%",
    }
    assert wide[2]["a share"] == "" and wide[2]["total"] == 0
    # a and b shares: a = .1 .4 NaN .1 .3, b = .5 .1 NaN .4 .2: lag 0 uses 4 pairs
    crow = {c["lag"]: c for c in t.correlation_rows()}
    x, y = np.array([0.1, 0.4, 0.1, 0.3]), np.array([0.5, 0.1, 0.4, 0.2])
    r = np.corrcoef(x, y)[0, 1]
    assert crow[0] == {
        "a": "a",
        "b": "b",
        "lag": 0,
        "n": 4,
        "pearson": round(r, 4),
        # ranks of a: 1.5 4 1.5 3, of b: 4 1 3 2; deviations' products sum to -4.5,
        # squares to 4.5 and 5: rho = -4.5 / sqrt(22.5)
        "spearman": round(-4.5 / math.sqrt(22.5), 4),
        "differenced": False,
        "note": "only 4 periods: fragile",
    }
    assert crow[0]["pearson"] != round(r, 3) or round(r, 4) == round(r, 3)
    # lag 1: a[t] with b[t+1]: pairs (.1,.1) (.1,.2) only (NaN drops two): too few
    assert crow[1]["n"] == 2 and crow[1]["pearson"] is None and crow[1]["spearman"] is None


def test_correlations_use_shares_not_counts():
    t = trend(max_lag=0)
    [c] = t.correlations
    x, y = np.array([0.1, 0.4, 0.1, 0.3]), np.array([0.5, 0.1, 0.4, 0.2])
    assert c.pearson == pytest.approx(np.corrcoef(x, y)[0, 1])
    assert (c.a, c.b, c.lag, c.n, c.differenced) == ("a", "b", 0, 4, False)


def test_differenced_correlations_come_after_the_plain_ones():
    t = trend(max_lag=0, differenced=True)
    assert [c.differenced for c in t.correlations] == [False, True]
    d = t.correlations[1]
    # diffs of a: .3 NaN NaN .2, of b: -.4 NaN NaN -.2: two pairs, too few
    assert d.n == 2 and math.isnan(d.pearson)
    assert trend(max_lag=0).correlations[0].differenced is False


def test_as_dict_carries_options_filters_and_groups():
    where = ArticleFilter(
        outlets=("KCNA",), langs=("en",), date_from=date(2010, 1, 1), date_to=date(2014, 12, 31)
    )
    d = trend(max_lag=0, where=where, space_tolerant=False, by=Period.YEAR).as_dict()
    assert d["by"] == "year" and d["space_tolerant"] is False and d["peak_on"] == "share"
    assert d["filters"] == {
        "outlets": ["KCNA"],
        "langs": ["en"],
        "from": "2010-01-01",
        "to": "2014-12-31",
    }
    assert d["groups"][0] == {
        "name": "a",
        "label": "a",
        "query": "alpha",
        "peaks": ["2011", "2014"],
    }
    assert len(d["rows"]) == 10 and len(d["correlations"]) == 1
    empty = trend(max_lag=0).as_dict()["filters"]
    assert empty == {"outlets": [], "langs": [], "from": None, "to": None}


def test_correlate_lags_pair_the_right_periods():
    x = np.arange(12, dtype=float)
    y = np.array([5, 1, 4, 2, 8, 3, 9, 7, 6, 11, 0, 10], dtype=float)
    out = {c.lag: c for c in correlate(x, y, max_lag=2, names=("x", "y"))}
    assert sorted(out) == [-2, -1, 0, 1, 2]
    for lag in (-2, -1, 1, 2):
        a, b = (x[: len(x) - lag], y[lag:]) if lag > 0 else (x[-lag:], y[: len(y) + lag])
        assert out[lag].n == 12 - abs(lag)
        assert out[lag].pearson == pytest.approx(np.corrcoef(a, b)[0, 1])
    assert out[0].note == "" and out[2].note == ""  # ten pairs are enough
    nine = correlate(x[:9], y[:9])[0]
    assert nine.note == "only 9 periods: fragile" and nine.n == 9
    assert (out[0].a, out[0].b) == ("x", "y")
    assert FEW_POINTS == 10
    # three pairs are enough; a constant series has no correlation
    assert not math.isnan(correlate(np.array([1.0, 2, 4]), np.array([1.0, 3, 2]))[0].pearson)
    assert math.isnan(correlate(np.array([1.0, 1, 1]), np.array([1.0, 3, 2]))[0].spearman)
    assert math.isnan(correlate(np.array([1.0, 2, 3]), np.array([2.0, 2, 2]))[0].pearson)


def test_find_peaks_edges():
    assert find_peaks(np.array([])).tolist() == []
    assert find_peaks(np.array([np.nan, 5.0])).tolist() == [False, False]  # one finite value
    assert find_peaks(np.array([1.0, 3])).tolist() == [False, True]  # the last may peak
    assert find_peaks(np.array([3.0, 1])).tolist() == [True, False]  # so may the first
    assert find_peaks(np.array([1.0, 3, 3, 1])).tolist() == [False, True, False, False]
    assert find_peaks(np.array([0.0, 2, 1, 3, 0])).tolist() == [False, True, False, True, False]
    # equal to the mean is not above it
    assert find_peaks(np.array([1.0, 2, 3, 2, 1, 2, 3])).tolist() == [
        False,
        False,
        True,
        False,
        False,
        False,
        True,
    ]


def test_period_range_years_and_months():
    assert period_range(["2012", "2010"], Period.YEAR) == ["2010", "2011", "2012"]
    assert period_range(["2010"], Period.YEAR) == ["2010"]
    assert period_range(["2011-12", "2011-12"], Period.MONTH) == ["2011-12"]
    months = period_range(["2010-01", "2011-01"], Period.MONTH)
    assert len(months) == 13 and months[11] == "2010-12" and months[12] == "2011-01"


@pytest.mark.parametrize(
    ("text", "end", "day"),
    [
        (None, False, None),
        ("", True, None),
        ("2011", False, date(2011, 1, 1)),
        ("2011", True, date(2011, 12, 31)),
        ("2011-06", False, date(2011, 6, 1)),
        ("2011-06", True, date(2011, 6, 30)),
        ("2012-02", True, date(2012, 2, 29)),
        ("2011-12", True, date(2011, 12, 31)),
        ("2011-6-3", True, date(2011, 6, 3)),
        (" 2011-06-30 ", False, date(2011, 6, 30)),
    ],
)
def test_parse_day(text, end, day):
    assert parse_day(text, end=end) == day


@pytest.mark.parametrize("text", ["11", "2011-", "2011-06-30-1", "June 2011", "2011/06"])
def test_parse_day_refuses_other_shapes(text):
    with pytest.raises(ValueError, match="expected YYYY, YYYY-MM or YYYY-MM-DD"):
        parse_day(text)


def test_find_peaks_compares_with_the_true_neighbours_and_the_mean():
    # the second value is compared with the first, not with nothing before it
    assert find_peaks(np.array([3.0, 2, 0, 0])).tolist() == [True, False, False, False]
    # the second-to-last with the last, not with nothing after it
    assert find_peaks(np.array([0.0, 0, 2, 3])).tolist() == [False, False, False, True]
    # a value equal to the mean (1) is not a peak, however it rises
    assert find_peaks(np.array([0.0, 1, 0, 1, 0, 4])).tolist() == [False] * 5 + [True]


def test_a_series_with_a_range_of_exactly_one_still_correlates():
    [c] = correlate(np.array([0.0, 1, 0.5, 0.25]), np.array([0.0, 1, 0.4, 0.3]))
    assert c.pearson == pytest.approx(np.corrcoef([0.0, 1, 0.5, 0.25], [0.0, 1, 0.4, 0.3])[0, 1])
    assert c.spearman == pytest.approx(1.0)


def test_a_period_with_one_article_has_a_share_and_periods_without_are_skipped_for_peaks():
    counts = {
        "total": {"2010": 10, "2012": 1, "2013": 10, "2014": 10},
        "a": {"2010": (3, 3), "2012": (1, 1), "2013": (0, 0), "2014": (0, 0)},
    }
    t = build_trend(counts, [GROUPS.groups["a"]], TrendOptions(max_lag=0))
    np.testing.assert_array_equal(t.group("a").values("share"), [0.3, np.nan, 1.0, 0, 0])
    assert t.group("a").peaks == ("2012",)  # one article of one: a share of 1, and a peak
    # articles 3 (gap) 1 0 0: the gap of 2011 is skipped, so 2012 is compared with 2010
    by_articles = build_trend(
        counts, [GROUPS.groups["a"]], TrendOptions(max_lag=0, peak_on=Measure.ARTICLES)
    )
    assert by_articles.group("a").peaks == ("2010",)
    counts["a"]["2012"] = (2, 2)  # 3 (gap) 2 0 0: were the gap a 0, 2012 would rise from it
    by_articles = build_trend(
        counts, [GROUPS.groups["a"]], TrendOptions(max_lag=0, peak_on=Measure.ARTICLES)
    )
    assert by_articles.group("a").peaks == ("2010",)
