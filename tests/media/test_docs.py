"""The commands in docs/media.md's "real corpora" section run as written."""

import re
import shlex

import pytest
from click.testing import CliRunner

from twentyten.cli import cli

pytestmark = [pytest.mark.shared, pytest.mark.slow]


def doc_commands(repo_dir):
    text = (repo_dir / "docs" / "media.md").read_text(encoding="utf-8")
    section = text.split("## The real corpora", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```\n(.*?)```", section, flags=re.S)
    lines = [ln.split("#", 1)[0].strip() for b in blocks for ln in b.splitlines()]
    return [ln for ln in lines if ln.startswith("twentyten media")]


def test_real_corpus_commands_in_the_docs_run(repo_dir, shared_dir, tmp_path, monkeypatch):
    pytest.importorskip("rdata")
    media = shared_dir / "data" / "media"
    monkeypatch.setenv("TWENTYTEN_MEDIA_DB", str(tmp_path / "media.duckdb"))
    commands = doc_commands(repo_dir)
    assert len(commands) >= 7
    outputs = []
    for line in commands:
        args = shlex.split(line.replace("$S", str(media)))[1:]
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, (line, result.output)
        outputs.append(result.stdout)
    # the peak example flags 2011; the exact-spacing example finds nothing in 2018
    import json

    def as_json(fragment):
        line = next(c for c in commands if fragment in c)
        args = shlex.split(line)[1:] + ["--format", "json"]
        return json.loads(CliRunner().invoke(cli, args).stdout)["rows"]

    peaks = as_json("--peak-on occurrences")
    assert [r["period"] for r in peaks if r["group"] == "regional" and r["peak"]][0] == "2011"
    exact = as_json("--exact-spacing")
    assert [(r["period"], r["occurrences"]) for r in exact if r["group"] == "regional"] == [
        ("2018", 0)
    ]


def test_the_python_example_in_the_docs_runs(repo_dir, shared_dir, tmp_path, monkeypatch):
    """The "From Python" block, run in a scratch folder with the addresses beside it."""
    text = (repo_dir / "docs" / "media.md").read_text(encoding="utf-8")
    block = text.split("## From Python", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    (tmp_path / "addresses").symlink_to(shared_dir / "data" / "media" / "nk_new_year_addresses")
    monkeypatch.chdir(tmp_path)
    lines = block.splitlines()
    # the line whose comment gives the expected value is asserted, not just evaluated
    checked = [
        f"assert ({ln.split('#')[0].strip()}) == {ln.split('#')[1].strip()}"
        if ln.startswith("trend.group(")
        else ln
        for ln in lines
    ]
    assert any(ln.startswith("assert (trend.group(") for ln in checked)
    exec(compile("\n".join(checked), "docs/media.md", "exec"), {})
    assert 'data-vega-id="chart-share"' in (tmp_path / "attention.html").read_text(encoding="utf-8")
