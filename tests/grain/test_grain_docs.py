"""docs/grain.md stays true: its commands run; the grain modules' docstring examples pass."""

from __future__ import annotations

import csv
import doctest
import importlib
import re
import shlex
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from twentyten.cli import cli

DOC = Path(__file__).resolve().parents[2] / "docs" / "grain.md"


def _commands() -> list[str]:
    block = re.search(r"```console\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S).group(1)
    return [line.removeprefix("$ ").split(" #")[0].strip() for line in block.splitlines() if line.startswith("$ ")]


def _readings(path: Path) -> None:
    t0 = datetime(2025, 10, 1)
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["bin", "cable", "depth", "time", "grain_temp_c", "ambient_temp_c", "ambient_rh_pct"])
        for h in range(48):
            for cable in ("A", "B"):
                for depth in (1, 4):
                    w.writerow(["B1", cable, depth, (t0 + timedelta(hours=h)).isoformat(), 18, 5 + h % 24 / 3, 70])


@pytest.mark.parametrize("command", _commands())
def test_doc_command_runs(command, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _readings(tmp_path / "readings.csv")
    args = shlex.split(command)
    assert args[0] == "twentyten"
    r = CliRunner().invoke(cli, args[1:])
    assert r.exit_code == 0, (command, r.output)
    assert r.stdout.strip()


@pytest.mark.parametrize("module", ["twentyten.grain", "twentyten.grain.emc", "twentyten.grain.spoilage"])
def test_docstring_examples(module):
    res = doctest.testmod(importlib.import_module(module))
    assert res.failed == 0 and res.attempted > 0
