"""Partial dates as the record gives them, kept with their precision, never invented.

``2024-12`` is a month, ``2024-03-06/10`` a range of days, ``2025-01/02`` a range of months,
``2025-02 (late)`` a month with a qualifier kept as the note, ``2024 (not found)`` a year.
:func:`parse_partial` returns the ISO strings at their precision and the earliest and latest
calendar days the text allows.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

_DATE = r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?"
_RE = re.compile(rf"^\s*{_DATE}(?:\s*/\s*((?:\d{{4}}-)?\d{{2}}(?:-\d{{2}})?|\d{{2}}))?\s*(?:\((.*)\))?\s*$")


@dataclass(frozen=True)
class PartialDate:
    text: str
    date_from: str
    date_to: str | None
    precision: str  # year | month | day
    earliest: dt.date
    latest: dt.date
    note: str = ""

    def as_dict(self) -> dict:
        return {"text": self.text, "from": self.date_from, "to": self.date_to, "precision": self.precision,
                "earliest": self.earliest.isoformat(), "latest": self.latest.isoformat(), "note": self.note}


def _bounds(y: int, m: int | None, d: int | None) -> tuple[dt.date, dt.date]:
    if m is None:
        return dt.date(y, 1, 1), dt.date(y, 12, 31)
    if d is None:
        return dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1])
    day = dt.date(y, m, d)
    return day, day


def _iso(y: int, m: int | None, d: int | None) -> str:
    return f"{y:04d}" + (f"-{m:02d}" if m else "") + (f"-{d:02d}" if d else "")


def parse_partial(text: str) -> PartialDate:
    """Parse one partial date; ``ValueError`` says why a text is not one.

    >>> parse_partial("2024-03-06/10").date_to
    '2024-03-10'
    >>> parse_partial("2025-02 (late)").precision, parse_partial("2025-02 (late)").note
    ('month', 'late')
    """
    m = _RE.match(text or "")
    if not m:
        raise ValueError(f"{text!r} is not a date (YYYY, YYYY-MM, YYYY-MM-DD, a range A/B, a note in brackets)")
    y, mo, d = int(m[1]), int(m[2]) if m[2] else None, int(m[3]) if m[3] else None
    precision = "day" if d else "month" if mo else "year"
    try:
        lo, hi = _bounds(y, mo, d)
        date_to = None
        if m[4]:
            parts = [int(p) for p in m[4].split("-")]
            if len(m[4].split("-")[0]) == 4:  # a full date or year-month
                y2, mo2, d2 = parts[0], parts[1], parts[2] if len(parts) > 2 else None
            elif len(parts) == 2:  # MM-DD
                y2, mo2, d2 = y, parts[0], parts[1]
            elif precision == "day":
                y2, mo2, d2 = y, mo, parts[0]
            elif precision == "month":
                y2, mo2, d2 = y, parts[0], None
            else:
                raise ValueError(f"{text!r}: a range after a bare year needs a full date")
            lo2, hi2 = _bounds(y2, mo2, d2)
            if lo2 < lo:
                raise ValueError(f"{text!r}: the range ends before it starts")
            hi = hi2
            date_to = _iso(y2, mo2, d2)
    except ValueError as e:
        if str(e).startswith(repr(text)):
            raise
        raise ValueError(f"{text!r}: {e}") from None
    return PartialDate(text.strip(), _iso(y, mo, d), date_to, precision, lo, hi, (m[5] or "").strip())


def parse_many(text: str) -> list[PartialDate]:
    """Several dates separated by ``;`` (``2025-02-28 (factories); 2025-02 (hospital)``)."""
    return [parse_partial(p) for p in (text or "").split(";") if p.strip()]
