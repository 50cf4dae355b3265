"""Dates of articles: the accepted years, dates in file names, and date text.

Shared by the readers and the corpus loaders (neither imports the other for this).
"""

from __future__ import annotations

import re
from datetime import date

from twentyten.media.normalise import normalise_text

MIN_YEAR, MAX_YEAR = 1900, 2100
_DATE_IN_NAME = re.compile(r"(?<!\d)(\d{4})(?:[-_.]?(\d{2})(?:[-_.]?(\d{2}))?)?(?!\d)")
# YYYY, YYYY-MM or YYYY-MM-DD (- / or . between), then optionally a time of day
_DATE_TEXT = re.compile(
    r"(?P<y>\d{4})(?:[-/.](?P<m>\d{1,2})(?:[-/.](?P<d>\d{1,2}))?)?"
    r"(?:[T ](?P<time>.*))?"
)
_TIME = re.compile(
    r"(?P<h>\d{2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:[.,]\d+)?)?"
    r"(?:Z|[+-]\d{2}(?::?\d{2})?)?"
)


def date_from_name(name: str) -> date | None:
    """The date in a file name: ``2011.txt`` → 2011-01-01, ``2024-07-15_x.txt`` → 2024-07-15."""
    for m in _DATE_IN_NAME.finditer(name):
        y, mo, d = int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)
        try:
            if MIN_YEAR <= y <= MAX_YEAR:
                return date(y, mo, d)
        except ValueError:
            continue
    return None


def parse_date_text(text: str) -> date:
    """The date written in ``text``; a time of day after it must be a real one.

    Raises ``ValueError`` saying why the text is not a date.

    >>> parse_date_text("2021-01-01T09:30:00+09:00")
    datetime.date(2021, 1, 1)
    >>> parse_date_text("2021-01-01 garbage")
    Traceback (most recent call last):
    ValueError: 'garbage' after the date is not a time of day (HH:MM[:SS])
    """
    s = normalise_text(text).strip()
    m = _DATE_TEXT.fullmatch(s)
    if not m:
        raise ValueError("expected YYYY-MM-DD")
    when = m.group("time")
    if when is not None:
        t = _TIME.fullmatch(when)
        if not t:
            raise ValueError(f"{when!r} after the date is not a time of day (HH:MM[:SS])")
        h, mi, sec = int(t.group("h")), int(t.group("mi")), int(t.group("s") or 0)
        if h > 23:
            raise ValueError(f"hour {h} is not 0-23")
        if mi > 59:
            raise ValueError(f"minute {mi} is not 0-59")
        if sec > 60:  # 60: a leap second
            raise ValueError(f"second {sec} is not 0-60")
    return date(int(m.group("y")), int(m.group("m") or 1), int(m.group("d") or 1))
