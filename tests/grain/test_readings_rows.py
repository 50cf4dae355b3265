"""check_rows: the checks of a readings file, on rows from anywhere (the API's JSON body)."""

from __future__ import annotations

import csv
import json
from datetime import datetime, timedelta

import numpy as np
import pytest

from twentyten.grain.readings import ReadingsError, check_rows, read_readings

T0 = datetime(2025, 10, 1)


def rows(hours: int = 6) -> list[dict]:
    out = []
    for h in range(hours):
        for cable, depth in (("A", 1.0), ("B", 2.5)):
            out.append({"bin": "B1", "cable": cable, "depth": depth, "time": (T0 + timedelta(hours=h)).isoformat(),
                        "grain_temp_c": 20.0 + h + depth, "ambient_temp_c": 10.0 - h, "ambient_rh_pct": 55.0 + h})
    return out


def test_rows_and_the_same_rows_in_files_give_the_same_bins(tmp_path):
    data = rows()
    (tmp_path / "r.json").write_text(json.dumps({"readings": data}))
    with open(tmp_path / "r.csv", "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(data[0]))
        w.writeheader()
        w.writerows(data)
    direct = check_rows(data, "body", is_json=True)
    for f in ("r.json", "r.csv"):
        (b,) = read_readings(tmp_path / f)
        assert (b.bin, b.times, b.sensors) == (direct[0].bin, direct[0].times, direct[0].sensors)
        assert np.array_equal(b.grain_t, direct[0].grain_t)
        assert np.array_equal(b.ambient_rh, direct[0].ambient_rh)


def test_problems_name_the_source_and_item():
    data = rows()
    data[3]["ambient_rh_pct"] = 120.0
    data[5] = dict(data[1])
    with pytest.raises(ReadingsError) as e:
        check_rows(data, "readings", is_json=True)
    assert any(p.startswith("readings, item 4: ambient_rh_pct 120 is impossible") for p in e.value.problems)
    assert any(p.startswith("readings, item 6: duplicate timestamp") for p in e.value.problems)


@pytest.mark.parametrize(("field", "value", "reason"), [
    ("bin", ["x"], "bin must be str or int, not list"),
    ("time", 20251001, "time must be str, not int"),
    ("depth", True, "depth must be int or float, not bool"),
    ("depth", 10**400, "is not a number"),
    ("grain_temp_c", 10**400, "is not a number"),
    ("time", (T0 + timedelta(hours=1)).isoformat() + "+09:00", "has a UTC offset, unlike item 1"),
])
def test_json_rows_of_the_wrong_type_are_named_not_crashed(field, value, reason):
    data = rows()
    data[2][field] = value
    with pytest.raises(ReadingsError) as e:
        check_rows(data, "readings", is_json=True)
    assert any(p.startswith("readings, item 3: ") and reason in p for p in e.value.problems), e.value.problems


def test_a_row_that_is_no_object_is_named():
    with pytest.raises(ReadingsError) as e:
        check_rows([*rows(1), 7], "readings", is_json=True)
    assert "readings, item 3: expected an object of reading fields, not int" in e.value.problems
