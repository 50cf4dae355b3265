"""Attention series: per period the matching articles, occurrences, total and share.

``share = matching articles / all articles`` in the same period, where both counts
use the same outlet, language and date filters (Media Cloud's "normalised story
percentage"). A period with no articles has share NaN, not 0.

``per10k = occurrences / characters of text * 10,000``, the characters summed over
all articles of the period under the same filters: for corpora of few long documents
(one New Year address a year), where the share only jumps between 0 and 100 %.

The core (:func:`build_trend`, :func:`find_peaks`, :func:`correlate`) takes counts and
arrays; :func:`compute_trend` is the adapter that asks the store for the counts.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

import numpy as np

from twentyten.media.store import ArticleFilter, MediaStore
from twentyten.media.terms import Group

FEW_POINTS = 10  # below this many paired periods a correlation is flagged as fragile


class Period(StrEnum):
    YEAR = "year"
    MONTH = "month"


class Measure(StrEnum):
    """Which value peaks are found on."""

    SHARE = "share"
    ARTICLES = "articles"
    OCCURRENCES = "occurrences"
    PER10K = "per10k"  # occurrences per 10,000 characters of text in the period


@dataclass(frozen=True)
class TrendOptions:
    """Everything a trend run needs besides the groups.

    ``max_lag``: correlations are computed for lags -max_lag..max_lag periods.
    ``differenced``: also correlate period-on-period changes, so that two series that
    merely share a long-run drift do not look related.
    """

    by: Period = Period.YEAR
    where: ArticleFilter = field(default_factory=ArticleFilter)
    space_tolerant: bool = True
    max_lag: int = 2
    peak_on: Measure = Measure.SHARE
    differenced: bool = False


@dataclass(frozen=True)
class PeriodCount:
    period: str
    articles: int
    occurrences: int
    total: int
    share: float
    peak: bool
    chars: int = 0  # characters of text of all the period's articles (the per10k denominator)

    @property
    def per10k(self) -> float:
        return 10_000 * self.occurrences / self.chars if self.chars else float("nan")


@dataclass(frozen=True)
class GroupSeries:
    group: str
    label: str
    query: str
    points: tuple[PeriodCount, ...]

    def values(self, measure: Measure | str) -> np.ndarray:
        m = Measure(measure)
        if m is Measure.SHARE:
            return np.array([p.share for p in self.points], dtype=float)
        if m is Measure.ARTICLES:
            return np.array([p.articles for p in self.points], dtype=float)
        if m is Measure.PER10K:
            return np.array([p.per10k for p in self.points], dtype=float)
        return np.array([p.occurrences for p in self.points], dtype=float)

    def point(self, period: str) -> PeriodCount:
        for p in self.points:
            if p.period == period:
                return p
        raise KeyError(period)

    @property
    def peaks(self) -> tuple[str, ...]:
        return tuple(p.period for p in self.points if p.peak)


@dataclass(frozen=True)
class Correlation:
    """Correlation of ``a`` at period t with ``b`` at period t + lag, on shares."""

    a: str
    b: str
    lag: int
    n: int
    pearson: float
    spearman: float
    differenced: bool = False
    note: str = ""


@dataclass(frozen=True)
class Trend:
    by: Period
    periods: tuple[str, ...]
    totals: tuple[int, ...]
    series: tuple[GroupSeries, ...]
    correlations: tuple[Correlation, ...]
    space_tolerant: bool
    filters: ArticleFilter
    peak_on: Measure = Measure.SHARE

    def group(self, name: str) -> GroupSeries:
        for s in self.series:
            if s.group == name:
                return s
        raise KeyError(name)

    def rows(self) -> list[dict[str, Any]]:
        """Long table: one row per period and group."""
        return [
            {
                "period": p.period,
                "group": s.group,
                "articles": p.articles,
                "occurrences": p.occurrences,
                "total": p.total,
                "share": None if math.isnan(p.share) else p.share,
                "peak": p.peak,
                "chars": p.chars,
                "per10k": None if math.isnan(p.per10k) else p.per10k,
            }
            for s in self.series
            for p in s.points
        ]

    def wide_rows(self, measure: Measure | str = Measure.SHARE) -> list[dict[str, Any]]:
        """One row per period: the total, then each group's articles, occurrences and
        share in percent (a ``*`` marks a peak). With ``measure`` per10k, also the
        period's characters and each group's occurrences per 10,000 characters. For
        reading, not for further use."""
        per10k = Measure(measure) is Measure.PER10K or self.peak_on is Measure.PER10K
        out = []
        for i, period in enumerate(self.periods):
            row: dict[str, Any] = {"period": period, "total": self.totals[i]}
            if per10k:
                row["chars"] = self.series[0].points[i].chars if self.series else 0
            for s in self.series:
                p = s.points[i]
                share = "" if math.isnan(p.share) else f"{100 * p.share:.2f}%"
                cells = {"articles": p.articles, "occ.": p.occurrences, "share": share}
                if per10k:
                    cells["per10k"] = "" if math.isnan(p.per10k) else f"{p.per10k:.3f}"
                if p.peak:  # the star goes on the measure the peaks were found on
                    key = "occ." if self.peak_on is Measure.OCCURRENCES else str(self.peak_on)
                    cells[key] = f"{cells[key]} *"
                for k, v in cells.items():
                    row[f"{s.group} {k}"] = v
            out.append(row)
        return out

    def correlation_rows(self) -> list[dict[str, Any]]:
        def num(x: float) -> float | None:
            return None if math.isnan(x) else round(x, 4)

        return [
            {
                "a": c.a,
                "b": c.b,
                "lag": c.lag,
                "n": c.n,
                "pearson": num(c.pearson),
                "spearman": num(c.spearman),
                "differenced": c.differenced,
                "note": c.note,
            }
            for c in self.correlations
        ]

    def as_dict(self) -> dict[str, Any]:
        return {
            "by": str(self.by),
            "space_tolerant": self.space_tolerant,
            "peak_on": str(self.peak_on),
            "filters": {
                "outlets": list(self.filters.outlets),
                "langs": list(self.filters.langs),
                "from": str(self.filters.date_from) if self.filters.date_from else None,
                "to": str(self.filters.date_to) if self.filters.date_to else None,
            },
            "groups": [
                {"name": s.group, "label": s.label, "query": s.query, "peaks": list(s.peaks)}
                for s in self.series
            ],
            "rows": self.rows(),
            "correlations": self.correlation_rows(),
        }


# --- pure functions ----------------------------------------------------------------------
def period_range(observed: Sequence[str], by: Period) -> list[str]:
    """Every period from the first to the last observed one, gaps included.

    >>> period_range(["2010", "2012"], Period.YEAR)
    ['2010', '2011', '2012']
    """
    if not observed:
        return []
    lo, hi = min(observed), max(observed)
    if Period(by) is Period.YEAR:
        return [str(y) for y in range(int(lo), int(hi) + 1)]
    y, m = int(lo[:4]), int(lo[5:7])
    out = []
    while f"{y:04d}-{m:02d}" <= hi:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def find_peaks(values: np.ndarray) -> np.ndarray:
    """Flag peaks: a value above the series mean that rises from the previous period
    and does not fall short of the next (the first period of a plateau). NaN periods
    are skipped when looking for neighbours.

    >>> find_peaks(np.array([0, 1, 6, 1, 0, 1, 0, 0, 0, 2, 2.])).nonzero()[0].tolist()
    [2, 9]
    """
    v = np.asarray(values, dtype=float)
    finite = np.isfinite(v)
    flags = np.zeros(len(v), dtype=bool)
    if finite.sum() < 2:
        return flags
    mean = v[finite].mean()
    idx = np.flatnonzero(finite)
    for k, i in enumerate(idx):
        prev = v[idx[k - 1]] if k > 0 else -np.inf
        nxt = v[idx[k + 1]] if k + 1 < len(idx) else -np.inf
        flags[i] = v[i] > mean and v[i] > prev and v[i] >= nxt
    return flags


def _coefficients(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """Pearson's r and Spearman's rho (ties at their average rank), by scipy; NaN for
    fewer than three pairs or a constant series, where neither is defined."""
    if len(a) < 3 or np.ptp(a) == 0 or np.ptp(b) == 0:
        return float("nan"), float("nan")
    from scipy import stats

    return float(stats.pearsonr(a, b).statistic), float(stats.spearmanr(a, b).statistic)


def correlate(
    x: np.ndarray,
    y: np.ndarray,
    max_lag: int = 0,
    names: tuple[str, str] = ("a", "b"),
    differenced: bool = False,
) -> list[Correlation]:
    """Pearson and Spearman correlation of x[t] with y[t + lag] for each lag.

    Pairs where either value is NaN are left out; with fewer than three pairs, or a
    constant series, the coefficient is NaN.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if differenced:
        x, y = np.diff(x), np.diff(y)
    out = []
    for lag in range(-max_lag, max_lag + 1):
        if lag >= 0:
            a, b = x[: len(x) - lag], y[lag:]
        else:
            a, b = x[-lag:], y[: len(y) + lag]
        ok = np.isfinite(a) & np.isfinite(b)
        a, b = a[ok], b[ok]
        n = len(a)
        pearson, spearman = _coefficients(a, b)
        note = f"only {n} periods: fragile" if n < FEW_POINTS else ""
        out.append(Correlation(names[0], names[1], lag, n, pearson, spearman, differenced, note))
    return out


def build_trend(
    counts: Mapping[str, Mapping[str, Any]], groups: Sequence[Group], options: TrendOptions
) -> Trend:
    """Assemble a :class:`Trend` from per-period counts (the store's ``group_counts``)."""
    totals_by_period: Mapping[str, int] = counts["total"]
    periods = period_range(list(totals_by_period), options.by)
    totals = [int(totals_by_period.get(p, 0)) for p in periods]
    chars_by_period: Mapping[str, int] = counts.get("chars", {})
    chars = np.array([int(chars_by_period.get(p, 0)) for p in periods], dtype=float)
    series = []
    for g in groups:
        per = counts.get(g.name, {})
        matched = np.array([per.get(p, (0, 0))[0] for p in periods], dtype=float)
        occ = np.array([per.get(p, (0, 0))[1] for p in periods], dtype=float)
        tot = np.array(totals, dtype=float)
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.where(tot > 0, matched / np.where(tot > 0, tot, 1), np.nan)
        with np.errstate(invalid="ignore", divide="ignore"):
            per10k = np.where(chars > 0, 10_000 * occ / np.where(chars > 0, chars, 1), np.nan)
        measure = {
            Measure.SHARE: share,
            Measure.ARTICLES: matched,
            Measure.OCCURRENCES: occ,
            Measure.PER10K: per10k,
        }[Measure(options.peak_on)]
        peaks = find_peaks(np.where(tot > 0, measure, np.nan))
        points = tuple(
            PeriodCount(
                p, int(matched[i]), int(occ[i]), totals[i], float(share[i]), bool(peaks[i]),
                int(chars[i]),
            )
            for i, p in enumerate(periods)
        )
        series.append(GroupSeries(g.name, g.label, g.describe(), points))
    correlations: list[Correlation] = []
    for i in range(len(series)):
        for j in range(i + 1, len(series)):
            a, b = series[i], series[j]
            correlations += correlate(
                a.values("share"), b.values("share"), options.max_lag, (a.group, b.group)
            )
            if options.differenced:
                correlations += correlate(
                    a.values("share"),
                    b.values("share"),
                    options.max_lag,
                    (a.group, b.group),
                    differenced=True,
                )
    return Trend(
        by=Period(options.by),
        periods=tuple(periods),
        totals=tuple(totals),
        series=tuple(series),
        correlations=tuple(correlations),
        space_tolerant=options.space_tolerant,
        filters=options.where,
        peak_on=Measure(options.peak_on),
    )


def compute_trend(
    store: MediaStore, groups: Sequence[Group], options: TrendOptions = TrendOptions()
) -> Trend:
    """Count matching articles per period in ``store`` and build the trend.

    >>> with open_store("media.duckdb", read_only=True) as store:  # doctest: +SKIP
    ...     trend = compute_trend(store, bundled_groups().select(["regional", "munitions"]))
    """
    counts = store.group_counts(groups, str(options.by), options.where, options.space_tolerant)
    return build_trend(counts, groups, options)


def parse_day(text: str | None, end: bool = False) -> date | None:
    """``2011``, ``2011-06`` or ``2011-06-30`` as a date (the period's first or last day)."""
    if not text:
        return None
    if not re.fullmatch(r"\d{4}(-\d{1,2}){0,2}", text.strip()):
        raise ValueError("expected YYYY, YYYY-MM or YYYY-MM-DD")
    parts = [int(x) for x in text.strip().split("-")]
    if len(parts) == 1:
        return date(parts[0], 12, 31) if end else date(parts[0], 1, 1)
    if len(parts) == 2:
        if not end:
            return date(parts[0], parts[1], 1)
        nxt = date(parts[0] + (parts[1] == 12), parts[1] % 12 + 1, 1)
        return date.fromordinal(nxt.toordinal() - 1)
    return date(*parts[:3])
