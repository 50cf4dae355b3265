"""How the media modules depend on each other and on heavy libraries."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

MEDIA = Path(__file__).resolve().parents[2] / "src" / "twentyten" / "media"


def media_imports() -> dict[str, set[str]]:
    """For each media module, the media modules it imports anywhere (also inside functions)."""
    graph: dict[str, set[str]] = {}
    for f in MEDIA.glob("*.py"):
        found: set[str] = set()
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            for name in names:
                if name.startswith("twentyten.media."):
                    mod = name.split(".")[2]
                    if (MEDIA / f"{mod}.py").exists() and mod != f.stem:
                        found.add(mod)
        graph[f.stem] = found
    return graph


def test_media_modules_import_each_other_without_cycles():
    graph = media_imports()
    assert "corpora" not in graph["readers"] or "readers" not in graph["corpora"]
    state: dict[str, int] = {}
    cycle: list[str] = []

    def visit(m: str, path: list[str]) -> None:
        state[m] = 1
        for n in sorted(graph.get(m, ())):
            if state.get(n) == 1:
                cycle.extend(path + [m, n])
            elif n not in state:
                visit(n, path + [m])
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m, [])
    assert not cycle, " -> ".join(cycle)


def test_the_import_graph_sees_function_level_imports():
    # the check above would pass vacuously if it missed lazy imports
    assert "corpora" in media_imports()["readers"]
    assert "dates" in media_imports()["corpora"]


def test_media_commands_run_without_pandas(tmp_path):
    # pandas is needed only to read .rda files; DuckDB imports it by itself when it is
    # installed, so the check is that every command works where pandas cannot be imported
    rows = [
        {
            "date": f"{y}-01-01",
            "outlet": "R",
            "title": f"t{y}",
            "text": "지방공업 " * (y % 2) + "군수공업 " * (y % 3) + "x",
        }
        for y in range(2005, 2015)
    ]
    src = tmp_path / "c.jsonl"
    src.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
    db = tmp_path / "m.duckdb"
    script = f"""
import sys

class NoPandas:  # as if pandas were not installed
    def find_spec(self, name, path=None, target=None):
        if name == "pandas" or name.startswith("pandas."):
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)

sys.meta_path.insert(0, NoPandas())
from click.testing import CliRunner
from twentyten.cli import cli
for args in (["ingest", {str(src)!r}], ["trend", "--differenced"], ["summary"], ["mentions", "Kimhwa"]):
    r = CliRunner().invoke(cli, ["media", *args, "--db", {str(db)!r}])
    assert r.exit_code == 0, (args, r.output)
r = CliRunner().invoke(cli, ["media", "groups"])
assert r.exit_code == 0, r.output
print("scipy" in sys.modules)
"""
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["True"]  # scipy computed the correlations
