"""The sentences the design and the planner write (a facility's lines and reasons, the plan's
explanation, what moved between plans) are Msgs whose templates are in the Korean catalogue:
every template babel.cfg extracts is translated with the same fields, and every message the
services make for real counties and plans is one of those templates."""

from __future__ import annotations

import dataclasses
import io
import string
from pathlib import Path

import numpy as np
import pytest

from twentyten.domain.message import Msg

babel = pytest.importorskip("babel", reason="the web extra is not installed: pip install 'twentyten[web]'")

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "src" / "twentyten" / "web" / "locale"
#: Where services write sentences for pages (as babel.cfg lists them).
SERVICE_SOURCES = ("src/twentyten/design/", "src/twentyten/plan/explain.py", "src/twentyten/plan/compare.py")


def service_templates() -> set[str]:
    """The Msg(...) and N_(...) templates that babel.cfg extracts from the services."""
    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    with open(ROOT / "babel.cfg", encoding="utf-8") as f:
        method_map, options = parse_mapping_cfg(f)
    service = [(p, m) for p, m in method_map if p.startswith(SERVICE_SOURCES)]
    assert {p for p, _ in service} >= {"src/twentyten/design/**.py", "src/twentyten/plan/explain.py",
                                       "src/twentyten/plan/compare.py"}, "babel.cfg must extract the services"
    return {m[2] for m in extract_from_dir(str(ROOT), service, options, keywords={"Msg": None, "N_": None})}


def korean():
    from babel.messages.pofile import read_po

    with open(LOCALE / "ko" / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f)


def fields(template: str) -> set[tuple[str, str]]:
    return {(name, spec or "") for _, name, spec, _ in string.Formatter().parse(template) if name is not None}


def test_every_service_sentence_has_korean_with_the_same_fields():
    ko = korean()
    templates = service_templates()
    assert len(templates) > 60  # the extraction found the sentences
    missing = sorted(t for t in templates if not (ko.get(t) and ko.get(t).string))
    assert missing == []
    # the same names and number formats: Korean shows the numbers as English does
    changed = sorted(t for t in templates if fields(ko.get(t).string) != fields(t))
    assert changed == []


def test_a_sentence_without_translation_is_found(tmp_path):
    """The check above can fail: a new Msg in a service file is extracted and missing."""
    from babel.messages.extract import extract_from_dir

    (tmp_path / "x.py").write_text('Msg("a new sentence about {row}", row=r)\n', encoding="utf-8")
    found = {m[2] for m in extract_from_dir(str(tmp_path), [("**.py", "python")], keywords={"Msg": None})}
    assert found == {"a new sentence about {row}"} and not korean().get("a new sentence about {row}")


def _messages(value, out: set[str]) -> set[str]:
    """Every template inside ``value`` (messages nested in parameters too)."""
    if isinstance(value, Msg):
        out.add(value.template)
        for v in value.params.values():
            _messages(v, out)
    elif isinstance(value, list | tuple):
        for v in value:
            _messages(v, out)
    return out


def _translated(made: set[str]) -> list[str]:
    """Templates made at run time that the catalogue lacks (joins of other messages need none)."""
    ko = korean()
    return sorted(t for t in made if any(c.isalpha() for c in string.Formatter().vformat(
        t, (), _Blank())) and not (ko.get(t) and ko.get(t).string))


class _Blank(dict):
    def __missing__(self, key):
        return 0


def test_design_sentences_of_real_counties_are_in_the_catalogue():
    """Counties that take every branch: coastal, a city split into hospitals, a capped cinema."""
    from twentyten.atlas import load_atlas
    from twentyten.design import design_package
    from twentyten.standards import load_standards

    std = load_standards()
    counties = [r for r in load_atlas().regions if r.level.value == "county" and r.population]
    counties = sorted(counties, key=lambda r: r.population)
    picked = [*counties[:3], *counties[-3:], *[r for r in counties if r.coastal][:3]]
    made: set[str] = set()
    for region in picked:
        for year in (2024, 2030):
            pkg = design_package(region, year, std)
            _messages(pkg.notes, made)
            for f in pkg.facilities:
                _messages((f.name, f.lines, f.reasons), made)
    assert len(made) > 25
    assert _translated(made) == []


def test_explanations_and_comparisons_are_in_the_catalogue():
    from twentyten.plan.compare import compare_plans
    from twentyten.plan.explain import explain_county
    from twentyten.plan.inputs import synthetic_inputs
    from twentyten.plan.solve import solve_greedy

    a = synthetic_inputs(40, np.random.default_rng(7))
    b = dataclasses.replace(a, capacity={**a.capacity, "labour": a.capacity["labour"] * 0.6})
    ra, rb = solve_greedy(a), solve_greedy(b)
    cmp = compare_plans(ra, rb)
    made = _messages([*cmp.lines(), *(m.why for m in cmp.moves), *(w for w, _ in cmp.reasons(20))], set())
    for county in a.counties[:8]:
        _messages(explain_county(rb, county).lines(), made)
    assert {"reason ({moves} moves): {why}", "{row} is full ({used:.0f} of {limit:.0f})"} <= made
    assert all(isinstance(w, Msg) for w, _ in cmp.reasons(20))  # the summary's reasons translate too
    assert _translated(made) == []


def test_korean_rendering_keeps_the_numbers():
    """The catalogue's translation formats each number as the English does."""
    from babel.messages.mofile import write_mo

    buf = io.BytesIO()
    write_mo(buf, korean())
    buf.seek(0)
    import gettext

    ko = gettext.GNUTranslations(buf)
    m = Msg("{row}: {left:,.1f} of {limit:,.1f} {unit} left, the package needs {need:,.1f}",
            row="construction-capacity[2027]", left=12.25, limit=1960.0, unit=Msg("regiment-months"), need=31.0)
    text = m.render(ko.gettext)
    assert m == "construction-capacity[2027]: 12.2 of 1,960.0 regiment-months left, the package needs 31.0"
    assert text == "construction-capacity[2027]: 1,960.0 련대·월 중 12.2 남음, 묶음에 31.0 필요"


def test_a_message_is_its_english_text_and_survives_pickling():
    import pickle

    m = Msg("{row} is full ({used:.0f} of {limit:.0f})", row="year-cap[factory,2027]", used=40.0, limit=40.0)
    assert m == f"{'year-cap[factory,2027]'} is full ({40.0:.0f} of {40.0:.0f})" and isinstance(m, str)
    back = pickle.loads(pickle.dumps(m))
    assert back == m and back.template == m.template and dict(back.params) == dict(m.params)
    with pytest.raises(TypeError):
        m.params["used"] = 1  # fixed when made


def test_page_html_marks_data_and_escapes_it():
    from twentyten.web.i18n import service_text

    ko = {"No {line} line: it needs {need}.": "{line} 공정 없음: {need}이(가) 필요하다."}.get
    m = Msg("No {line} line: it needs {need}.", line="<b>paper</b>", need="local timber")
    assert str(service_text(m, ko, "ko")) == (
        '<span lang="en">&lt;b&gt;paper&lt;/b&gt;</span> 공정 없음: <span lang="en">local timber</span>이(가) 필요하다.')
    assert str(service_text(m, lambda t: t, "en")) == "No &lt;b&gt;paper&lt;/b&gt; line: it needs local timber."
    # a sentence the catalogue lacks is marked as English on a Korean page, not passed off as Korean
    assert str(service_text(Msg("an untranslated {n}", n=1), ko, "ko")) == '<span lang="en">an untranslated 1</span>'
