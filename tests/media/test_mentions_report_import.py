import subprocess
import sys

from twentyten.media.mentions import MentionQuery, atlas_names, county_names, find_mentions
from twentyten.media.report import render_html
from twentyten.media.store import open_store
from twentyten.media.terms import bundled_groups
from twentyten.media.trend import compute_trend

HEAVY = ("duckdb", "pyarrow", "scipy", "rdata", "pandas", "yaml", "twentyten.atlas")


def test_import_is_cheap():
    code = (
        "import sys, twentyten, twentyten.media, twentyten.media.trend, twentyten.media.mentions,"
        " twentyten.media.report, twentyten.cli.media;"
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_mentions_pick_the_closest_pair_and_snippet(build_store):
    text = "준공식이 있었다. " + "가" * 300 + " 김화군 지방공업공장들이 착공되였다."
    db = build_store([{"date": "2021-03-01", "outlet": "R", "title": "t", "text": text}])
    q = MentionQuery(names=("김화군",), milestones=bundled_groups().milestones)
    with open_store(db, read_only=True) as store:
        [m] = find_mentions(store, q)
    assert m.milestones == ("준공", "착공")
    assert (
        m.distance < 30
        and "김화군" in m.snippet
        and "착공" in m.snippet
        and m.snippet.startswith("…")
    )
    with open_store(db, read_only=True) as store:
        assert (
            find_mentions(
                store, MentionQuery(names=("삼지연시",), milestones=bundled_groups().milestones)
            )
            == []
        )


def test_county_names_use_the_atlas_when_it_knows_the_county():
    names = county_names("Kimhwa", ["Kimhwa County"], use_atlas=False)
    assert names == ("Kimhwa", "Kimhwa County")
    assert "김화군" in atlas_names("Kimhwa")
    assert county_names("Kimhwa") == ("Kimhwa", "김화군")
    assert atlas_names("No Such Place Anywhere") == ()
    assert atlas_names("Unsan") == ()  # two counties: the caller is told, nothing is guessed


def test_report_is_self_contained(build_store):
    db = build_store(
        [
            {
                "date": f"{y}-01-01",
                "outlet": "R",
                "title": str(y),
                "text": "지방공업" if y % 2 else "군수공업",
            }
            for y in range(2009, 2016)
        ]
        + [{"date": "2011-05-01", "outlet": "R", "title": "<b>&", "text": "없음"}]
    )
    with open_store(db, read_only=True) as store:
        t = compute_trend(store, bundled_groups().select(["regional", "munitions"]))
    html = render_html(t, title="Test <report>")
    assert html.count('data-vega-id="chart-share"') == 1 and "Test &lt;report&gt;" in html
    assert "<script src" not in html and "<link" not in html and "@import" not in html
    assert "2011" in html and "regional" in html


def test_mentions_see_the_title_too(build_store):
    db = build_store(
        [
            {
                "date": "2022-06-23",
                "outlet": "R",
                "title": "김화군 지방공업공장 준공식",
                "text": "본문에는 이름이 없다",
            }
        ]
    )
    q = MentionQuery(names=("김화군",), milestones=bundled_groups().milestones)
    with open_store(db, read_only=True) as store:
        [m] = find_mentions(store, q)
    assert m.milestones == ("준공",) and m.title.startswith("김화군")


def test_a_database_from_another_schema_is_refused(build_store):
    import pytest

    from twentyten.media.store import StoreError

    db = build_store([{"date": "2022-06-23", "outlet": "R", "title": "t", "text": "x"}])
    with open_store(db) as store:
        store.con.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    with pytest.raises(StoreError, match="schema 0"), open_store(db, read_only=True):
        pass
