"""The interface's gettext catalogues: every string of the templates and web code is in the
Korean catalogue, translated, and the committed .mo files are what the .po files compile to."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

babel = pytest.importorskip("babel", reason="the web extra is not installed: pip install 'twentyten[web]'")

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "src" / "twentyten" / "web" / "locale"


def extracted() -> set[str]:
    from babel.messages.extract import extract_from_dir

    method_map = [("src/twentyten/web/**.py", "python"), ("src/twentyten/media/report.py", "python"),
                  ("src/twentyten/web/templates/**.html", "jinja2")]
    options = {"src/twentyten/web/templates/**.html": {"extensions": "jinja2.ext.i18n"}}
    return {m[2] if isinstance(m[2], str) else m[2][0]
            for m in extract_from_dir(str(ROOT), method_map, options, keywords={"_": None, "gettext": None})}


def catalogue(lang: str):
    from babel.messages.pofile import read_po

    with open(LOCALE / lang / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f)


def test_every_interface_string_is_translated_to_korean():
    ko = catalogue("ko")
    missing = sorted(s for s in extracted() if not (ko.get(s) and ko.get(s).string))
    assert missing == []


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_committed_mo_matches_po(lang):
    from babel.messages.mofile import read_mo, write_mo

    buf = io.BytesIO()
    write_mo(buf, catalogue(lang))
    buf.seek(0)
    fresh = {m.id: m.string for m in read_mo(buf) if m.id}
    with open(LOCALE / lang / "LC_MESSAGES" / "messages.mo", "rb") as f:
        committed = {m.id: m.string for m in read_mo(f) if m.id}
    assert committed == fresh, "run: pybabel compile -d src/twentyten/web/locale -D messages"
