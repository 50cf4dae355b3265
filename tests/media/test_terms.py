import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from twentyten.media.terms import (
    Term,
    TermFileError,
    bundled_groups,
    expand,
    load_groups,
    parse_groups,
)


def group(spec, name="g"):
    return parse_groups({"groups": {name: spec}}, "test.yaml").groups[name]


def test_space_tolerant_rule_matches_spaced_hangul_but_exact_does_not():
    t = Term.parse("지방공업")
    assert t.count("지방 공업 부문과 지방공업을", space_tolerant=True) == 2
    assert t.count("지방 공업 부문과 지방공업을", space_tolerant=False) == 1
    assert t.count("지방\n공업", space_tolerant=True) == 1


def test_english_terms_are_case_insensitive_and_space_tolerant_between_words_only():
    t = Term.parse("Regional industr")
    assert t.count("REGIONAL INDUSTRY and regional  industries") == 2
    assert t.count("regional in dustry") == 0  # no whitespace inside a Latin word


def test_alternation_expands_to_every_combination():
    assert expand("{로|노}동{계급|자}") == ["로동계급", "로동자", "노동계급", "노동자"]
    with pytest.raises(ValueError):
        expand("{로|노동")


def test_orthography_variants_are_explicit():
    g = group({"any": ["{로|노}동계급", "{련|연}합기업소"]})
    assert g.matches("군수노동계급")
    assert g.matches("련합기업소의")
    assert not group({"any": ["로동계급"]}).matches("노동계급")


def test_boolean_any_all_not():
    g = group({"any": ["지방공업"], "all": [["착공", "준공"]], "not": ["군수공업"]})
    assert g.matches("지방공업 공장 준공식")
    assert not g.matches("지방공업 공장")  # the all-clause is missing
    assert not g.matches("지방공업 준공 군수공업")  # a not-term is present
    assert "NOT" in g.describe()


def test_longer_variant_covered_by_shorter_is_dropped_so_nothing_is_counted_twice():
    g = group({"any": ["local industr", "local industry"]})
    assert [t.text for t in g.any] == ["local industr"]
    assert g.redundant and "local industry" in g.redundant[0]
    assert g.occurrences("local industry and local industries") == 2


def test_occurrences_count_all_positive_terms_in_matching_articles():
    g = group({"any": ["지방공업", "지방경제"]})
    assert g.occurrences("지방공업, 지방 경제, 지방공업") == 3
    assert g.occurrences("없음") == 0


def test_exact_spacing_per_group():
    g = group({"any": ["지방공업"], "exact_spacing": True})
    assert not g.matches("지방 공업")


@pytest.mark.parametrize(
    ("spec", "needle"),
    [
        ({"groups": {"g": {"anyy": ["x"]}}}, "my.yaml: groups.g.anyy: unknown key"),
        (
            {"groups": {"g": {"any": [3]}}},
            "my.yaml: groups.g.any[0]: Input should be a valid string, got int 3",
        ),
        ({"groups": {"g": {"not": ["x"]}}}, "my.yaml: groups.g: a group needs at least one term"),
        (
            {"groups": {"g": {"any": ["x"], "exact_spacing": "yes"}}},
            "my.yaml: groups.g.exact_spacing: Input should be a valid boolean, got str 'yes'",
        ),
        ({"nogroups": {}}, "my.yaml: groups: required key is missing; nogroups: unknown key"),
        ({"groups": {"g": {"any": ["{a|b"]}}}, "groups.g.any[0]: term '{a|b': unbalanced"),
        # {로|}동 would expand to 동, which matches nearly every Korean text
        (
            {"groups": {"g": {"any": ["{로|}동"]}}},
            "groups.g.any[0]: term '{로|}동': empty alternative",
        ),
        ({"groups": {"g": {"any": ["x"], "all": [[]]}}}, "groups.g.all[0]: an empty clause"),
        ({"groups": {"g": {"any": ["x", ""]}}}, "groups.g.any[1]: term '': empty term"),
        # unknown keys and wrong types at any depth, each named by its key path
        ({"groups": {"g": ["x"]}, "milestone": ["y"]}, "my.yaml: milestone: unknown key"),
        (
            {"groups": {"g": {"any": "x", "all": ["a", ["b", 3]]}}},
            "groups.g.all[1][1]: Input should be a valid string, got int 3",
        ),
        (
            {"groups": {"g": {"any": ["x"], "label": 2024}}},
            "groups.g.label: Input should be a valid string",
        ),
        ({"groups": {"2x": ["a"]}}, "groups.2x (name): group name '2x'"),
        ({"groups": {}}, "my.yaml: groups: needs at least one group"),
        ({"groups": {"g": 5}}, "my.yaml: groups.g: expected a mapping, got int"),
        (None, "my.yaml: (top level): expected a mapping, got NoneType"),
        (
            {"groups": {"g": ["x"]}, "milestones": [True]},
            "milestones[0]: Input should be a valid string",
        ),
    ],
)
def test_errors_name_file_group_and_key(spec, needle):
    with pytest.raises(TermFileError) as err:
        parse_groups(spec, "my.yaml")
    assert str(err.value).startswith("my.yaml")
    assert needle in str(err.value)


def test_load_yaml_and_toml_files(tmp_path):
    y = tmp_path / "q.yaml"
    y.write_text("groups:\n  reg:\n    any: [지방공업]\n", encoding="utf-8")
    t = tmp_path / "q.toml"
    t.write_text('[groups.reg]\nany = ["지방공업"]\n', encoding="utf-8")
    assert load_groups(y).groups["reg"].any == load_groups(t).groups["reg"].any
    bad = tmp_path / "bad.yaml"
    bad.write_text("groups: [unclosed\n", encoding="utf-8")
    with pytest.raises(TermFileError, match="bad.yaml: cannot parse"):
        load_groups(bad)
    with pytest.raises(TermFileError, match="cannot read"):
        load_groups(tmp_path / "missing.yaml")


def test_bundled_groups_have_the_article_terms():
    gf = bundled_groups()
    assert {"regional", "munitions", "defence_science"} <= set(gf.groups)
    assert {t.text for t in gf.groups["regional"].any} >= {
        "지방공업",
        "지방경제",
        "regional industr",
        "local industr",
    }
    assert {t.text for t in gf.groups["munitions"].any} >= {
        "군수공업",
        "국방공업",
        "defence industr",
        "defense industr",
    }
    assert "국방과학" in {t.text for t in gf.groups["defence_science"].any}
    assert any(t.text == "착공" for t in gf.milestones)
    with pytest.raises(TermFileError, match="no group 'nope'"):
        gf.select(["nope"])


def test_patterns_compile_in_python_re():
    for g in bundled_groups().groups.values():
        for t in g.positive_terms:
            re.compile(t.pattern(True))
            re.compile(t.pattern(False))


HANGUL_TERMS = ["지방공업", "지방경제", "군수공업", "국방공업", "국방과학"]


@settings(deadline=None)
@given(
    term=st.sampled_from(HANGUL_TERMS),
    cuts=st.lists(st.integers(1, 3), max_size=3),
    spaces=st.sampled_from([" ", "  ", "\n", "\t", " \n "]),
    prefix=st.text(alphabet="가나다라 마바사", max_size=20),
)
def test_inserting_whitespace_inside_a_term_still_matches_when_the_rule_is_on(
    term, cuts, spaces, prefix
):
    spaced = term
    for c in sorted(set(cuts), reverse=True):
        spaced = spaced[:c] + spaces + spaced[c:]
    text = prefix + spaced + "을"
    t = Term.parse(term)
    assert t.count(text, space_tolerant=True) >= 1
    if spaced != term and term not in text:
        assert t.count(text, space_tolerant=False) == 0


def test_an_unknown_group_suggests_the_closest_name():
    gf = parse_groups({"groups": {"regional": ["x"], "munitions": ["y"]}}, "q.yaml")
    with pytest.raises(TermFileError, match="q.yaml: no group 'regionl'; did you mean 'regional'"):
        gf.select(["regionl"])


@given(
    key=st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=12).filter(
        lambda k: k not in {"label", "any", "all", "not", "exact_spacing", "notes"}
    ),
    value=st.one_of(st.booleans(), st.integers(), st.text(max_size=5)),
)
def test_an_unknown_group_key_is_refused_with_its_path(key, value):
    spec = {"groups": {"regional": {"any": ["지방공업"], key: value}}}
    with pytest.raises(TermFileError) as err:
        parse_groups(spec, "q.yaml")
    assert str(err.value) == f"q.yaml: groups.regional.{key}: unknown key"


def test_a_query_file_with_a_misspelt_key_fails_in_the_cli(tmp_path):
    from click.testing import CliRunner

    from twentyten.cli import cli

    q = tmp_path / "q.toml"
    q.write_text('[groups.reg]\nany = ["지방공업"]\nexact_spacng = true\n', encoding="utf-8")
    r = CliRunner().invoke(cli, ["media", "groups", "--groups-file", str(q)])
    assert r.exit_code == 2 and r.stdout == ""
    assert r.stderr.splitlines() == [f"error: {q}: groups.reg.exact_spacng: unknown key"]
