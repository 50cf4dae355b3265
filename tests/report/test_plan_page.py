"""The plan page's view model: labels a reader understands, the record's years, the year colours."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from twentyten.plan.inputs import Commitment, synthetic_inputs
from twentyten.report.plan_page import readable, record_years, year_styles


def test_model_row_names_read_as_short_labels() -> None:
    assert readable("year-cap[factory,2027]") == "regional-industry factories cap full"
    assert readable("year-cap[leisure_complex,2031]") == "leisure complex cap full"
    assert readable("year-cap[new_type,2031]") == "new type cap full"  # unregistered: its key, spaced
    assert readable("construction-capacity[2027]") == "construction capacity full"
    assert readable("not a row name") == "not a row name"  # shown as it is, never dropped


def test_record_years_are_the_committed_ones_and_those_before_the_replan() -> None:
    inp = synthetic_inputs(6, np.random.default_rng(0))
    assert record_years(inp) == set()
    inp = replace(inp, commitments=(Commitment(inp.counties[0], "factory", 2026),))
    assert record_years(inp) == {2026}
    inp = replace(inp, replan_from=2025)
    assert record_years(inp) == {2024, 2026}
    styles = year_styles(inp)
    assert [s.year for s in styles] == list(inp.years)
    assert [s.label for s in styles if s.record] == ["2024 (record)", "2026 (record)"]
    assert len({s.colour for s in styles}) == len(styles)
