"""The examples in the standards modules' docstrings run (``parse_range`` documents the
range syntax users write in their norms files)."""

import doctest
import importlib

import pytest


@pytest.mark.parametrize("module", ["twentyten.standards.ranges", "twentyten.standards.load"])
def test_docstring_examples(module):
    failures, tried = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert tried > 0 and failures == 0
