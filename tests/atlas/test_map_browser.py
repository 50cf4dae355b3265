"""The atlas map renders in a real browser: every county drawn, tooltips, no network, no errors."""

from __future__ import annotations

from click.testing import CliRunner

from twentyten.cli import cli


def test_atlas_map_in_chromium(tmp_path, open_page):
    out = tmp_path / "atlas.html"
    assert CliRunner().invoke(cli, ["atlas", "map", "--by", "coastal", "--out", str(out)]).exit_code == 0
    with open_page(out) as page:
        shapes = page.locator("svg.twentyten-map [data-id]")
        assert shapes.count() == 179
        box = page.locator('[data-id="PRK-south-hamgyong-rakwon"]').bounding_box()
        assert box and box["width"] > 2 and box["height"] > 2  # drawn with a visible size
        assert "Rakwon" in page.locator('[data-id="PRK-south-hamgyong-rakwon"] title').text_content()
        assert page.errors == []
