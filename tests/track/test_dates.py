import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from twentyten.service.dates import parse_many, parse_partial


@pytest.mark.parametrize("text, frm, to, precision, lo, hi, note", [
    ("2024-12", "2024-12", None, "month", "2024-12-01", "2024-12-31", ""),
    ("2025-02 (late)", "2025-02", None, "month", "2025-02-01", "2025-02-28", "late"),
    ("2024-03-06/10", "2024-03-06", "2024-03-10", "day", "2024-03-06", "2024-03-10", ""),
    ("2024-03-06/2024-03-10", "2024-03-06", "2024-03-10", "day", "2024-03-06", "2024-03-10", ""),
    ("2025-01/02", "2025-01", "2025-02", "month", "2025-01-01", "2025-02-28", ""),
    ("2024 (not found)", "2024", None, "year", "2024-01-01", "2024-12-31", "not found"),
    ("2024-02-28", "2024-02-28", None, "day", "2024-02-28", "2024-02-28", ""),
])
def test_partial_dates_keep_their_precision(text, frm, to, precision, lo, hi, note):
    d = parse_partial(text)
    assert (d.date_from, d.date_to, d.precision, d.note) == (frm, to, precision, note)
    assert (d.earliest.isoformat(), d.latest.isoformat()) == (lo, hi)


@pytest.mark.parametrize("bad", ["", "late 2024", "2024-13", "2024-02-30", "2024-03-10/06", "24-01"])
def test_not_a_date_is_refused(bad):
    with pytest.raises(ValueError):
        parse_partial(bad)


def test_several_dates_with_their_facilities():
    a, b = parse_many("2025-02-28 (factories); 2025-02 (hospital, leisure complex)")
    assert (a.precision, a.note) == ("day", "factories")
    assert (b.precision, b.note) == ("month", "hospital, leisure complex")


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31)), st.integers(0, 2))
def test_bounds_contain_the_date_and_nothing_is_invented(day, cut):
    text = day.isoformat()[: (4, 7, 10)[cut]]
    d = parse_partial(text)
    assert d.earliest <= day <= d.latest
    assert d.date_from == text and d.date_to is None
    assert len(d.date_from) == {"year": 4, "month": 7, "day": 10}[d.precision]
