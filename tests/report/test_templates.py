"""The template layer: every template ships in the package, every page renders through it,
and a rendered page is whole (no template syntax left) and self-contained (no outside resource)."""

from __future__ import annotations

import glob
import re
import tomllib
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

import jinja2
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from twentyten.report import svgmap
from twentyten.report.page import environment, render

SRC = Path(__file__).resolve().parents[2] / "src" / "twentyten"
TEMPLATE_DIR = SRC / "report" / "templates"


def _package_data() -> list[str]:
    with open(SRC.parents[1] / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["tool"]["setuptools"]["package-data"]["twentyten"]


def test_package_data_ships_every_template_and_names_nothing_dead() -> None:
    # setuptools resolves package-data globs against the package folder, as done here
    matched = {pat: {Path(p) for p in glob.glob(str(SRC / pat), recursive=True) if Path(p).is_file()}
               for pat in _package_data()}
    assert [p for p, files in matched.items() if not files] == []  # no entry for files that don't exist
    shipped = set().union(*matched.values())
    templates = {p for p in TEMPLATE_DIR.rglob("*") if p.is_file()}
    assert len(templates) >= 5
    assert templates <= shipped


def test_the_environment_finds_every_template_through_the_package() -> None:
    in_package = {t.name for t in resources.files("twentyten.report").joinpath("templates").iterdir() if t.is_file()}
    assert in_package == {p.name for p in TEMPLATE_DIR.iterdir() if p.is_file()}
    env = environment()
    assert set(env.list_templates()) == in_package
    for name in in_package:
        env.get_template(name)  # each one parses


def test_environment_escapes_and_refuses_undefined_names() -> None:
    env = environment()
    assert env.autoescape is True
    assert environment() is not env  # a factory, not a shared object
    page = render("base.html", env, title="<script>alert(1)</script>", subtitle="a & b")
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "a &amp; b" in page
    with pytest.raises(jinja2.UndefinedError, match="subtitle"):
        render("base.html", env, title="no subtitle given")


class _Resources(HTMLParser):
    """Every URL a page would load: src/href/xlink:href/data attributes and CSS url()/@import."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.scripts_with_src = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for k, v in attrs:
            if k in ("src", "href", "xlink:href", "data", "poster", "action", "srcset") and v:
                self.urls.append(v)
            if k == "style" and v:
                self.urls += re.findall(r"url\(([^)]*)\)", v)
        if tag == "script" and dict(attrs).get("src"):
            self.scripts_with_src += 1

    def handle_data(self, data: str) -> None:
        self.urls += re.findall(r"url\(([^)]*)\)", data)
        self.urls += re.findall(r"@import\s+([^;]+)", data)


def assert_whole_and_self_contained(page: str) -> None:
    from twentyten.report.page import chart_scripts

    for lib in chart_scripts():  # the vendored chart libraries, inline: their text is not the page's
        page = page.replace(f"<script>{lib}</script>", "<script></script>")
    # a chart's data is JSON, where "}}" is two objects closing, not template syntax
    markup = re.sub(r'(<script type="application/json"[^>]*>).*?</script>', r"\1</script>", page, flags=re.S)
    for syntax in ("{{", "{%", "{#", "%}", "}}"):
        assert syntax not in markup, f"template syntax {syntax!r} left in the page"
    parser = _Resources()
    parser.feed(page)
    assert parser.scripts_with_src == 0
    assert parser.urls == []
    # the only http(s) texts are the SVG namespace and the Vega-Lite schema: names, never fetched
    from twentyten.media.report import SCHEMA

    assert set(re.findall(r"https?://[^\s\"'<>]+", page)) <= {"http://www.w3.org/2000/svg", SCHEMA}


def test_atlas_page_is_whole_and_self_contained() -> None:
    from twentyten.atlas import load_atlas
    from twentyten.report.atlas_page import atlas_page

    page = atlas_page(load_atlas(), "province")
    assert_whole_and_self_contained(page)
    assert page.count('class="county"') == 179


def test_plan_page_is_whole_self_contained_and_escapes_names() -> None:
    pytest.importorskip("highspy")
    from dataclasses import replace

    from twentyten.plan.inputs import synthetic_inputs
    from twentyten.plan.solve import SolveOptions, solve_plan
    from twentyten.report.plan_page import plan_page

    inp = synthetic_inputs(12, np.random.default_rng(3))
    names = ("<b>Bold</b> & co",) + inp.county_names[1:]
    inp = replace(inp, county_names=names)
    page = plan_page(solve_plan(inp, SolveOptions(time_limit=5)))
    assert_whole_and_self_contained(page)
    assert "<b>Bold</b>" not in page and "&lt;b&gt;Bold&lt;/b&gt; &amp; co" in page
    assert page.count("<script>") == 1  # the table tools, inline


def test_media_page_is_whole_and_self_contained(tmp_path) -> None:
    pytest.importorskip("duckdb")
    import json

    from twentyten.media.ingest import ingest
    from twentyten.media.report import render_html
    from twentyten.media.store import open_store
    from twentyten.media.terms import parse_groups
    from twentyten.media.trend import compute_trend

    groups = parse_groups({"groups": {"g": {"label": "<i>지방</i>", "any": ["지방공업"]}}}, "test")
    src = tmp_path / "c.jsonl"
    src.write_text("".join(json.dumps({"date": f"{y}-01-01", "outlet": "R", "title": "t", "text": "지방공업"},
                                      ensure_ascii=False) + "\n" for y in (2010, 2011)), encoding="utf-8")
    db = tmp_path / "m.duckdb"
    assert ingest([src], db).loaded
    with open_store(db, read_only=True) as store:
        trend = compute_trend(store, list(groups.groups.values()))
    page = render_html(trend, title="T")
    assert_whole_and_self_contained(page)
    assert "<i>지방</i>" not in page and "&lt;i&gt;지방&lt;/i&gt;" in page


def _luminance(colour: str) -> float:
    def lin(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)


@given(st.integers(min_value=2, max_value=40))
def test_the_year_ramp_is_sequential_and_never_near_white(n: int) -> None:
    colours = svgmap.ramp(n)
    assert len(colours) == n and len(set(colours)) == n
    lum = [_luminance(c) for c in colours]
    assert all(a < b for a, b in zip(lum, lum[1:], strict=False))  # darker to lighter, in order
    # the lightest year still stands out from a white page (WCAG non-text contrast is 3:1
    # against its neighbours; against white the pale end of the ramp keeps above 1.5:1)
    assert (1.05) / (max(lum) + 0.05) > 1.5
