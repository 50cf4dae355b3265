"""The atlas: a country's regions, their attributes, and where every value came from."""

from twentyten.atlas.loader import bundled_path, load_atlas, validate_path
from twentyten.atlas.model import AmbiguousRegion, Atlas, UnknownRegion
from twentyten.atlas.validate import AtlasValidationError, DatasetNotFound, Problem

__all__ = [
    "AmbiguousRegion", "Atlas", "AtlasValidationError", "DatasetNotFound", "Problem", "UnknownRegion",
    "bundled_path", "load_atlas", "validate_path",
]
