"""Media attention: how much of the state press speaks of a topic, period by period.

The flow is ``ingest`` (files → one DuckDB store) → ``terms`` (term groups with
spacing and spelling variants) → ``trend`` (matching articles, occurrences, totals,
shares, peaks, correlations) → ``report`` (self-contained HTML). ``mentions`` finds
candidate evidence for a county's projects.

Importing this package is cheap: DuckDB and PyArrow are imported by the functions
that need them.
"""

from __future__ import annotations

from twentyten.media.normalise import normalise_text
from twentyten.media.terms import Group, GroupFile, Term, TermFileError, bundled_groups, load_groups

__all__ = [
    "Group",
    "GroupFile",
    "Term",
    "TermFileError",
    "bundled_groups",
    "load_groups",
    "normalise_text",
]
