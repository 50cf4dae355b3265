"""The typed dataset rows: the same model reads CSV text and JSON values, forbids unknown
fields and wrong types, and is described by the one column table."""

from __future__ import annotations

import pytest

from twentyten.atlas.rows import ProvenanceRow, RegionRow, SourceRow, ValidationError, cell_errors
from twentyten.atlas.schema import PROVENANCE_COLUMNS, REGION_COLUMNS, SOURCE_COLUMNS

COUNTY = {"id": "C", "level": "county", "parent_id": "P", "name": "Cou", "population": "43,614"}


def errors(model, data):
    with pytest.raises(ValidationError) as info:
        model.model_validate(data)
    return cell_errors(info.value)


def test_csv_text_and_json_values_give_the_same_row():
    text = RegionRow.model_validate({**COUNTY, "lon": "126.5", "coastal": "yes", "raw_materials": "grain; timber"})
    native = RegionRow.model_validate({**COUNTY, "population": 43614, "lon": 126.5, "coastal": True,
                                       "raw_materials": ["grain", "timber"]})
    assert text == native
    assert (text.population, text.coastal, text.raw_materials) == (43614, True, ("grain", "timber"))


@pytest.mark.parametrize(("field", "value", "words"), [
    ("population", True, "expected a whole number, got bool"),
    ("population", 43614.0, "expected a whole number, got float"),
    ("population", "4,36,14", "digits grouped wrongly"),
    ("lon", "nan", "not a finite number"),
    ("lon", 200, "lon 200.0 is above 180"),
    ("coastal", "maybe", "not true/false"),
    ("coastal", 1, "expected true or false"),
    ("level", "district", "unknown level 'district'"),
    ("name", 5, "expected text, got int"),
    ("name", "", "missing value"),
    ("nickname", "x", "unknown field"),
])
def test_wrong_types_and_unknown_fields_fail_with_the_field(field, value, words):
    found = errors(RegionRow, {**COUNTY, field: value})
    assert any(col == field and words in reason for col, reason in found), found


def test_all_problems_of_a_row_at_once():
    found = dict(errors(RegionRow, {**COUNTY, "population": "x", "lat": "north", "level": "town"}))
    assert set(found) == {"population", "lat", "level"}


def test_models_follow_the_column_table():
    for model, columns in ((RegionRow, REGION_COLUMNS), (SourceRow, SOURCE_COLUMNS),
                           (ProvenanceRow, PROVENANCE_COLUMNS)):
        schema = model.model_json_schema()
        assert list(schema["properties"]) == [c.name for c in columns]
        assert set(schema.get("required", [])) == {c.name for c in columns if c.required}
        assert schema.get("additionalProperties") is False
    assert RegionRow.model_json_schema()["properties"]["population"]["unit"] == "persons"
