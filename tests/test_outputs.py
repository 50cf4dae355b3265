"""An output file is as readable as any file the user writes: written through a private
temporary file, it still gets the usual mode (or keeps the mode of the file it replaces)."""

import os
import stat

import pytest

from twentyten.outputs import write_file


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_a_new_output_gets_the_usual_mode(tmp_path, umask_022):
    p = write_file(tmp_path / "report.html", "<p>x</p>")
    assert stat.S_IMODE(p.stat().st_mode) == 0o644
    assert p.read_text() == "<p>x</p>"


def test_a_replaced_output_keeps_its_mode(tmp_path, umask_022):
    p = tmp_path / "plan.csv"
    p.write_text("old")
    p.chmod(0o640)
    write_file(p, "new")
    assert stat.S_IMODE(p.stat().st_mode) == 0o640 and p.read_text() == "new"
    assert [f.name for f in tmp_path.iterdir()] == ["plan.csv"]  # no temporary file left
