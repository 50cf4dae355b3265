"""Bad norms files are refused with file, line, key and reason: out-of-range and non-finite
values, a minimum above its maximum, rows with extra fields, unknown fields, runaway cells.
On the command line: exit 2, one line per problem, nothing written, no traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from twentyten.cli import cli
from twentyten.standards import StandardsError, bundled_path, load_standards
from twentyten.standards.load import MAX_NORM, PLAUSIBLE_FACTOR, min_max_pairs


@pytest.fixture(scope="module")
def std():
    return load_standards()


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def refused(path: Path) -> StandardsError:
    with pytest.raises(StandardsError) as info:
        load_standards(overrides=path)
    return info.value


def cli_refusal(*args: str) -> subprocess.CompletedProcess:
    r = subprocess.run([sys.executable, "-m", "twentyten", *args], capture_output=True, text=True,
                       env=dict(os.environ), timeout=120)
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr and r.stdout == "" and r.stderr.startswith("error: ")
    return r


@pytest.mark.parametrize(("value", "words"), [
    ("1e300", f"no norm is larger than {MAX_NORM:g}"),
    ("-1e300", "negative"),
    ("inf", "not a finite number"),
    ("nan", "not a finite number"),
    ("1,00,0", "digits grouped wrongly"),
    ("true", "not a number"),
    ("", "a value is required"),
])
def test_a_value_that_is_not_a_plausible_finite_number_is_refused(tmp_path, value, words):
    f = write(tmp_path / "mine.csv", f"key,value\nhospital.alos_days,\"{value}\"\n")
    err = refused(f)
    assert (err.file, err.line, err.key, err.value) == (str(f), 2, "hospital.alos_days", value)
    assert words in str(err)


def test_yaml_1e300_and_nan_are_refused_too(tmp_path):
    f = write(tmp_path / "mine.yaml", "hospital.alos_days: 1.0e+300\ngrain.months_held: .nan\n")
    err = refused(f)
    assert [(p.key, p.problem.split(":")[0]) for p in err.problems] == [
        ("hospital.alos_days", "1e+300 is out of range"), ("grain.months_held", "not a finite number")]


def test_a_value_a_thousand_times_the_bundled_one_needs_a_range(tmp_path, std):
    base = std.norms["hospital.alos_days"].value
    too_big = base * PLAUSIBLE_FACTOR * 1.5
    err = refused(write(tmp_path / "a.csv", f"key,value\nhospital.alos_days,{too_big:g}\n"))
    assert f"more than {PLAUSIBLE_FACTOR:,} times the bundled {base:g}" in str(err) and err.line == 2
    allowed = write(tmp_path / "b.csv", f"key,value,range\nhospital.alos_days,{too_big:g},>0 <=100000\n")
    assert load_standards(overrides=allowed).norms["hospital.alos_days"].value == too_big


def test_min_above_max_is_refused_naming_the_users_file_and_line(tmp_path):
    f = write(tmp_path / "mine.csv", "key,value\nhospital.alos_days,7\nhospital.min_beds,600\n")
    err = refused(f)
    assert (err.file, err.line, err.key) == (str(f), 3, "hospital.min_beds")
    assert "the minimum hospital.min_beds = 600 is above the maximum hospital.max_beds = 500" in str(err)


def test_every_min_max_pair_is_checked(std):
    pairs = min_max_pairs(std.norms)
    assert ("hospital.min_beds", "hospital.max_beds") in pairs
    assert ("leisure.min_cinema_seats", "leisure.max_cinema_seats") in pairs
    assert ("offshore.min_ha", "offshore.max_ha") in pairs
    for low, high in pairs:
        assert std.norms[low].value <= std.norms[high].value


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_any_minimum_above_its_maximum_is_refused_and_any_below_loads(std, data):
    low, high = data.draw(st.sampled_from(min_max_pairs(std.norms)))
    hi = std.norms[high].value
    above = data.draw(st.floats(hi * 1.001 + 1e-6, hi * 2 + 1, allow_nan=False))
    with pytest.raises(StandardsError, match="is above the maximum"):
        load_standards(overrides={low: above})
    below = data.draw(st.floats(max(std.norms[low].value * 0.5, 1e-3), hi, allow_nan=False))
    assert load_standards(overrides={low: below}).norms[low].value == below


def test_an_improvement_that_takes_a_minimum_above_its_maximum_is_refused(tmp_path):
    folder = tmp_path / "std"
    shutil.copytree(bundled_path(), folder)
    imp = folder / "improvements.csv"
    imp.write_text(imp.read_text(encoding="utf-8") + "2030,Small hospitals,hospital,hospital.max_beds,set,20,,oops\n",
                   encoding="utf-8")
    with pytest.raises(StandardsError) as info:
        load_standards(folder)
    assert info.value.file == str(imp) and info.value.key == "hospital.max_beds"
    assert "by 2030" in str(info.value) and "above the maximum hospital.max_beds = 20" in str(info.value)


def test_a_row_with_an_extra_field_is_refused_with_its_line(tmp_path):
    f = write(tmp_path / "mine.csv", "key,value\nhospital.alos_days,7\ngrain.months_held,6,5\n")
    err = refused(f)
    assert (err.file, err.line, err.key, err.value) == (str(f), 3, "grain.months_held", "5")
    assert "row has 3 fields, header has 2" in str(err)


def test_unknown_columns_and_yaml_fields_are_refused(tmp_path):
    err = refused(write(tmp_path / "a.csv", "key,value,comment\nhospital.alos_days,7,x\n"))
    assert err.line == 1 and "unknown column(s) comment" in str(err)
    err = refused(write(tmp_path / "b.yaml", "hospital.alos_days: {value: 7, notes: ward survey}\n"))
    assert err.key == "hospital.alos_days notes" and "unknown field" in str(err)


def test_a_megabyte_cell_and_an_unterminated_quote_are_refused(tmp_path):
    err = refused(write(tmp_path / "a.csv", 'key,value\nhospital.alos_days,"' + "7" * 1_000_000 + '"\n'))
    assert err.line == 2 and "a cell longer than 131,072 characters" in str(err)
    err = refused(write(tmp_path / "b.csv", 'key,value\nhospital.alos_days,"7\ngrain.months_held,6\n'))
    assert err.key == "hospital.alos_days" and "line break inside a value" in str(err)


@pytest.mark.parametrize(("text", "line"), [
    ("key,value\nhospital.alos_days,1e300\n", "line 2: hospital.alos_days = '1e300': 1e+300 is out of range"),
    ("key,value\nhospital.min_beds,600\n", "line 2: hospital.min_beds = 600.0: the minimum hospital.min_beds = 600"),
    ("key,value\nhospital.alos_days,6,7\n", "line 2: hospital.alos_days = '7': row has 3 fields, header has 2"),
])
def test_the_command_line_refuses_with_one_line(tmp_path, text, line):
    f = write(tmp_path / "mine.csv", text)
    r = cli_refusal("standards", "check", str(f))
    assert r.stderr.splitlines() == [f"error: {f} {line}" + r.stderr.split(line, 1)[1].rstrip("\n")]


def test_bad_norms_write_nothing(tmp_path):
    f = write(tmp_path / "mine.csv", "key,value\nhospital.alos_days,1e300\n")
    out = tmp_path / "norms.json"
    for cmd in (["list"], ["show", "hospital"], ["check", str(f)]):
        args = ["standards", *cmd, "--format", "json", "--out", str(out)]
        if cmd[0] != "check":
            args += ["--norms", str(f)]
        r = CliRunner().invoke(cli, args)
        assert r.exit_code == 2 and r.stdout == "" and "1e+300 is out of range" in r.stderr, cmd
        assert not out.exists()


def test_check_lists_changes_as_data_and_status_on_stderr(tmp_path):
    f = write(tmp_path / "mine.csv", "key,value,unit\nhospital.alos_days,6,\nfood.kimchi_kg,20,kg per person\n")
    r = CliRunner().invoke(cli, ["standards", "check", str(f), "--format", "csv"])
    assert r.exit_code == 0 and "ok: " in r.stderr and "1 norm(s) changed, 1 added" in r.stderr
    assert r.stdout.splitlines() == ["key,change,old,new,unit,file",
                                     f"hospital.alos_days,changed,8.0,6.0,days,{f}",
                                     f"food.kimchi_kg,added,,20.0,kg per person,{f}"]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.floats(0.5, 8000, allow_nan=False))
def test_any_value_in_range_written_as_text_loads_back_exactly(tmp_path, v):
    f = write(tmp_path / "mine.csv", f"key,value\nhospital.alos_days,{v!r}\n")
    assert load_standards(overrides=f).norms["hospital.alos_days"].value == v


def test_an_improvement_that_blows_a_norm_up_is_refused(tmp_path):
    folder = tmp_path / "std"
    shutil.copytree(bundled_path(), folder)
    imp = folder / "improvements.csv"
    imp.write_text(imp.read_text(encoding="utf-8") + "2031,Typo,hospital,hospital.alos_days,multiply,1e300,,oops\n",
                   encoding="utf-8")
    with pytest.raises(StandardsError) as info:
        load_standards(folder)
    assert info.value.file == str(imp) and info.value.key == "hospital.alos_days"
    assert "by 2031" in str(info.value) and "no norm is larger than" in str(info.value)
