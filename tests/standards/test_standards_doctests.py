"""The examples in the standards modules' docstrings run (``parse_range`` documents the
range syntax users write in their norms files)."""

import doctest
import importlib

import pytest


@pytest.mark.parametrize("module", ["twentyten.standards.ranges", "twentyten.standards.load"])
def test_docstring_examples(module):
    failures, tried = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert tried > 0 and failures == 0


def test_the_norms_columns_are_the_rows_fields():
    """norms.csv's known columns (checked before pydantic is imported) are NormRow's fields."""
    from twentyten.standards.norms import NORM_COLUMNS
    from twentyten.standards.rows import NORM_FIELDS

    assert NORM_COLUMNS == NORM_FIELDS
