"""docs/design.md stays true: its commands run, its norms files load, every norm is listed,
and the docstring examples of standards/design pass."""

from __future__ import annotations

import doctest
import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from twentyten.cli import cli
from twentyten.standards import load_standards

DOC = Path(__file__).resolve().parents[2] / "docs" / "design.md"


def _blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)


def test_generated_norm_tables_match_the_data():
    from twentyten.standards.docs import MARKER, norms_markdown

    text = DOC.read_text(encoding="utf-8")
    assert MARKER in text
    assert text.split(MARKER)[1] == "\n" + norms_markdown(load_standards()), (
        "docs/design.md is stale: run python -m twentyten.standards.docs docs/design.md"
    )


def test_every_bundled_norm_and_source_is_documented():
    text = DOC.read_text(encoding="utf-8")
    std = load_standards()
    missing = [k for k in std.norms if f"`{k}`" not in text]
    assert not missing, f"norms missing from docs/design.md: {missing}"
    assert all(f"`{s}`" in text for s in std.sources)


def test_documented_norms_files_load(tmp_path):
    (csv_text,) = _blocks("csv")
    (yaml_text,) = [b for b in _blocks("yaml") if "grain.months_held" in b]
    a = tmp_path / "mine.csv"
    a.write_text(csv_text)
    b = tmp_path / "mine.yaml"
    b.write_text(yaml_text)
    std = load_standards(overrides=[a, b])
    assert std.norms["food.kimchi_kg_per_capita"].value == 20
    assert std.norms["grain.months_held"].value == 9


def test_documented_commands_run(tmp_path):
    from twentyten.atlas import load_atlas

    load_atlas()  # a broken atlas fails this test; it never skips it
    norms = tmp_path / "mine.csv"
    norms.write_text("key,value\ngrain.months_held,9\n")
    commands = [
        line[2:].split("#")[0].strip()
        for block in _blocks("console")
        for line in block.splitlines()
        if line.startswith("$ twentyten")
    ]
    assert len(commands) >= 10
    runner = CliRunner()
    for command in commands:
        args = shlex.split(command)[1:]
        args = [str(norms) if a in ("mine.csv", "my_norms.csv") else a for a in args]
        if args[:2] == ["standards", "export"]:
            continue
        result = runner.invoke(cli, args, catch_exceptions=False)
        assert result.exit_code == 0, (command, result.output, result.stderr)


@pytest.mark.parametrize(
    "module",
    ["twentyten.standards", "twentyten.standards.load", "twentyten.design.package", "twentyten.design.basis",
     "twentyten.atlas.programme"],
)
def test_docstring_examples(module):
    import importlib

    mod = importlib.import_module(module)
    failures, tried = doctest.testmod(mod, optionflags=doctest.ELLIPSIS)
    assert tried > 0 and failures == 0
