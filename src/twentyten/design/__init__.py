"""Design: what each county gets — facilities, production lines, sizes, costs and reasons.

Pure functions over a :class:`~twentyten.domain.Region` and the loaded standards:

>>> from twentyten.standards import load_standards
>>> from twentyten.design import design_package
>>> # design_package(region, 2026, load_standards()) -> Package
"""

from twentyten.design._common import Designed, DesignError
from twentyten.design.factory import design_factories
from twentyten.design.grain import design_grain_storage
from twentyten.design.hospital import design_hospital
from twentyten.design.leisure import design_leisure_complex
from twentyten.design.offshore import design_offshore_farm, is_coastal
from twentyten.design.package import (
    DESIGNERS,
    cost_by_payer,
    design_all,
    design_package,
    design_years,
    package_dict,
    package_frame,
)

__all__ = [
    "DESIGNERS", "DesignError", "Designed", "cost_by_payer", "design_all", "design_factories",
    "design_grain_storage", "design_hospital", "design_leisure_complex", "design_offshore_farm",
    "design_package", "design_years", "is_coastal", "package_dict", "package_frame",
]
