"""Standards: the facility catalogue and its sizing norms, versioned by year.

Data live in a folder (``catalogue.yaml``, ``norms.csv``, ``improvements.csv``,
``sources.csv``); the bundled one is the DPRK 20x10 programme. Nothing is read at import
time: call :func:`load_standards`.

>>> from twentyten.standards import load_standards
>>> std = load_standards()
>>> std.for_year(2028).value("leisure.pop_per_computer")
1500.0
"""

from twentyten.standards.load import FACILITY_TYPES, StandardsError, bundled_path, load_standards
from twentyten.standards.model import (
    Expr,
    FacilityType,
    FactoryKind,
    Improvement,
    LineRule,
    Norm,
    Op,
    Quality,
    Standard,
    Standards,
)

__all__ = [
    "FACILITY_TYPES", "Expr", "FacilityType", "FactoryKind", "Improvement", "LineRule", "Norm", "Op",
    "Quality", "Standard", "Standards", "StandardsError", "bundled_path", "load_standards",
]
