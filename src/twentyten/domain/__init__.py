"""Plain typed objects of the programme. No I/O, no database, no web."""

from twentyten.domain.package import FacilityDesign, Package, PayerSplit
from twentyten.domain.region import Level, Provenance, Region, Source

__all__ = ["FacilityDesign", "Level", "Package", "PayerSplit", "Provenance", "Region", "Source"]
