"""The catalogue's names and reasons carry the dataset's own translations (``translations:
{ko: {name, reason}}``): the string stays the English text (the CLI and JSON see what they saw
before) and a page in Korean shows the Korean. A bad translation is refused with one line that
names the file and the key path; every bundled entry has a Korean name."""

from __future__ import annotations

import shutil

import pytest
import yaml

from twentyten.domain.message import Text
from twentyten.standards import StandardsError, bundled_path, load_standards


@pytest.fixture(scope="module")
def std():
    return load_standards()


def _entries(std):
    yield from ((f"facility_types.{k}", f) for k, f in std.facility_types.items())
    yield from ((f"factories.{k}", f) for k, f in std.factories.items())
    yield from ((f"lines.{r.id}", r) for r in std.lines)


def test_every_bundled_catalogue_entry_has_a_korean_name_and_reason(std):
    missing = []
    for where, e in _entries(std):
        if not (isinstance(e.name, Text) and e.name.variants.get("ko", "").strip()):
            missing.append(f"{where}.name")
        reason = getattr(e, "reason", "")
        if reason and not (isinstance(reason, Text) and reason.variants.get("ko", "").strip()):
            missing.append(f"{where}.reason")
    assert missing == []
    assert std.factories["foodstuff"].name.variants["ko"] == "식료공장"


def test_translations_leave_the_english_text_unchanged(std):
    raw = yaml.safe_load((bundled_path() / "catalogue.yaml").read_text(encoding="utf-8"))
    assert std.factories["foodstuff"].name == "Foodstuff factory"
    assert type(std.factories["foodstuff"].name) is Text
    for spec in raw["lines"]:
        rule = next(r for r in std.lines if r.id == spec["id"])
        assert str(rule.name) == spec["name"] and str(rule.reason) == spec["reason"]
    assert std.facility_types["hospital"].reason == " ".join(raw["facility_types"]["hospital"]["reason"].split())


def test_a_translations_sources_and_urls_stay_as_written(std):
    # reasons keep the place names of their sources; the Korean says the same places
    bread = next(r for r in std.lines if r.id == "bread_sweets")
    assert "장풍" in bread.reason.variants["ko"] and "숙천" in bread.reason.variants["ko"]


@pytest.fixture()
def copy(tmp_path):
    dest = tmp_path / "std"
    shutil.copytree(bundled_path(), dest)
    return dest


def _edit(copy, old: str, new: str):
    cat = copy / "catalogue.yaml"
    text = cat.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    cat.write_text(text.replace(old, new), encoding="utf-8")
    return cat


@pytest.mark.parametrize(("old", "new", "key", "problem"), [
    ("name: 식료공장", "nmae: 식료공장", "factories.foodstuff.translations.ko.nmae", "unknown key; expected one of name"),
    ("name: 식료공장", "name: 식료공장\n        reason: 까닭", "factories.foodstuff.translations.ko.reason",
     "unknown key; expected one of name"),
    ("name: 빵, 과자와 사탕", "name: [빵, 과자]", "lines[0] (bread_sweets).translations.ko.name", "expected text"),
    ("name: 빵, 과자와 사탕", "name: 빵, 과자와 사탕\n        reasn: 까닭",
     "lines[0] (bread_sweets).translations.ko.reasn", "unknown key; expected one of name, reason"),
    ("name: 지방공업공장", "name: 지방공업공장\n        reason: 까닭", "facility_types.factory.translations.ko.reason",
     "there is no reason to translate"),
    ("name: 바다가양식장", "name: 12", "facility_types.offshore_farm.translations.ko.name", "expected text"),
    ("      ko:\n        name: 식료공장", "      - 식료공장", "factories.foodstuff.translations", "expected a mapping"),
    ("name: 된장", "name: ''", "lines[1] (bean_paste).translations.ko.name", "at least 1 character"),
])
def test_a_bad_translation_is_refused_with_file_and_key_path(copy, old, new, key, problem):
    cat = _edit(copy, old, new)
    with pytest.raises(StandardsError) as info:
        load_standards(copy)
    err = info.value
    assert err.file == str(cat) and err.key == key and problem in err.problem
    line = str(err)
    assert "\n" not in line and line.startswith(f"{cat}: {key} = ")


def test_a_folder_without_translations_loads_in_english(copy):
    cat = copy / "catalogue.yaml"
    raw = yaml.safe_load(cat.read_text(encoding="utf-8"))
    for section in ("facility_types", "factories"):
        for spec in raw[section].values():
            spec.pop("translations", None)
    for spec in raw["lines"]:
        spec.pop("translations", None)
    cat.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    std = load_standards(copy)
    assert std.factories["foodstuff"].name == "Foodstuff factory"
    assert dict(std.factories["foodstuff"].name.variants) == {}
