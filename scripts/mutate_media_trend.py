"""Mutation testing of ``twentyten/media/trend.py``, small and fast.

    python scripts/mutate_media_trend.py [--tests tests/media/test_trend_core.py ...]

Makes one mutant per operator or constant inside a function of trend.py (+ and -,
* and /, < and <=, > and >=, == and !=, ``is`` and ``is not``, ``and`` and ``or``,
``not x`` and ``x``, an integer n and n + 1, True and False), swaps the mutant's
code into the loaded module's functions (so names the tests imported see it), runs
the fast trend tests in-process and counts the mutant killed when a test fails or
it runs past 30 s. Prints each survivor with its line, and the totals.

mutmut 3.8 also works (with ``source_paths`` set to trend.py), but it runs ~570
mutants, most of them string changes, one pytest process each: too slow for two
shared cores. This script is the operator and constant subset of the same idea.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import io
import signal
import sys
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "src" / "twentyten" / "media" / "trend.py"
SWAPS: dict[type, type] = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.Div,
    ast.Div: ast.Mult,
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
    ast.And: ast.Or,
    ast.Or: ast.And,
}


def sites(tree: ast.Module) -> list[tuple[ast.AST, str, int]]:
    """(node, kind, line) for every mutable spot inside a function body."""
    out = []
    for fn in ast.walk(tree):
        if not isinstance(fn, ast.FunctionDef):
            continue
        body = fn.body[1:] if ast.get_docstring(fn) else fn.body
        for stmt in body:
            for node in ast.walk(stmt):
                if isinstance(node, ast.BinOp | ast.BoolOp) and type(node.op) in SWAPS:
                    out.append((node, "op", node.lineno))
                elif isinstance(node, ast.Compare):
                    for i, op in enumerate(node.ops):
                        if type(op) in SWAPS:
                            out.append((node, f"cmp{i}", node.lineno))
                elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
                    out.append((node, "not", node.lineno))
                elif isinstance(node, ast.Constant) and (
                    isinstance(node.value, bool) or type(node.value) is int
                ):
                    out.append((node, "const", node.lineno))
    return out


def mutate(source: str, index: int) -> tuple[str, str]:
    """The source with mutation ``index`` applied, and a description."""
    tree = ast.parse(source)
    node, kind, line = sites(tree)[index]
    if kind == "op":
        old = type(node.op).__name__
        node.op = SWAPS[type(node.op)]()
        what = f"{old} -> {type(node.op).__name__}"
    elif kind.startswith("cmp"):
        i = int(kind[3:])
        old = type(node.ops[i]).__name__
        node.ops[i] = SWAPS[type(node.ops[i])]()
        what = f"{old} -> {type(node.ops[i]).__name__}"
    elif kind == "not":
        what = "not x -> x"
        node.op = ast.UAdd()  # +x of a bool is its int: truth unchanged, negation removed
    else:
        old = node.value
        node.value = (not old) if isinstance(old, bool) else old + 1
        what = f"{old!r} -> {node.value!r}"
    return ast.unparse(tree), f"line {line}: {what}"


def functions(namespace: dict) -> dict[str, types.FunctionType]:
    """Functions and methods (also properties) of a module namespace, by qualified name."""
    out = {}
    for name, obj in namespace.items():
        if isinstance(obj, types.FunctionType):
            out[name] = obj
        elif isinstance(obj, type):
            for attr, member in vars(obj).items():
                if isinstance(member, property):
                    member = member.fget
                if isinstance(member, types.FunctionType) and member.__module__ == namespace.get(
                    "__name__"
                ):
                    out[f"{name}.{attr}"] = member
    return out


class Timeout(Exception):
    pass


def run_tests(tests: list[str], seconds: int = 30) -> int:
    import pytest

    def alarm(*_):
        raise Timeout

    signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            return int(pytest.main(["-x", "-q", "-p", "no:cacheprovider", *tests]))
    except Timeout:
        return 99
    finally:
        signal.alarm(0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--tests",
        nargs="+",
        default=["tests/media/test_trend_core.py", "tests/media/test_trend.py"],
    )
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    import twentyten.media.trend as trend

    source = TARGET.read_text(encoding="utf-8")
    live = functions(vars(trend))
    original = {k: f.__code__ for k, f in live.items()}
    if run_tests(args.tests, seconds=120) != 0:
        sys.exit("the tests fail without mutation; fix them first")
    n = len(sites(ast.parse(source)))
    killed, survived = 0, []
    for i in range(n):
        mutated, what = mutate(source, i)
        namespace: dict = {"__name__": trend.__name__}
        exec(compile(mutated, str(TARGET), "exec"), namespace)
        swapped = functions(namespace)
        for key, fn in live.items():
            if key in swapped and swapped[key].__code__.co_freevars == fn.__code__.co_freevars:
                fn.__code__ = swapped[key].__code__
        try:
            code = run_tests(args.tests)
        finally:
            for key, fn in live.items():
                fn.__code__ = original[key]
        if code == 0:
            survived.append(what)
        else:
            killed += 1
        print(f"[{i + 1}/{n}] {'survived' if code == 0 else 'killed  '} {what}", flush=True)
    print(f"mutants {n}, killed {killed}, survived {len(survived)}: score {killed / n:.0%}")
    for what in survived:
        print(f"  survived {what}")


if __name__ == "__main__":
    main()
