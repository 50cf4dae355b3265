"""Tolerant lookup of region names across spelling variants.

Real sources spell the same unit differently (for the bundled DPRK data:
Jaeryong/Jaerong, Rangnim/Rangrim, Ragwon/Rakwon, Unryul/Unnyul, "Sinpho City"/"Sinpho").
Which variants are equivalent depends on the language and its romanisations, so the
rules are data: a dataset folder may hold ``names.yaml`` (see :class:`NameRules`);
without one only case, accents, spacing and generic suffixes are ignored.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class NameRules:
    """How names are compared.

    suffixes : words dropped from romanised names ("city", "county", …).
    folds : plain substring replacements applied to every name (light key).
    variants : regex replacements applied for the looser variant key.
    local_suffixes : suffixes a local-script name may carry or omit (e.g. 시, 군).
    """

    suffixes: tuple[str, ...] = ("city", "county", "district", "province", "municipality", "region")
    folds: tuple[tuple[str, str], ...] = ()
    variants: tuple[tuple[str, str], ...] = ()
    local_suffixes: tuple[str, ...] = ()

    @classmethod
    def from_yaml(cls, path: Path) -> NameRules:
        import yaml

        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8-sig")) or {}
        except yaml.YAMLError as e:
            raise ValueError(f"{path}: not valid YAML: {e}") from None
        if not isinstance(data, dict):
            raise ValueError(f"{path}: expected a mapping of suffixes/folds/variants/local_suffixes")
        unknown = set(data) - {"suffixes", "folds", "variants", "local_suffixes"}
        if unknown:
            raise ValueError(f"{path}: unknown key(s) {', '.join(sorted(unknown))}")

        def pairs(key: str) -> tuple[tuple[str, str], ...]:
            out = []
            for item in data.get(key) or []:
                if not (isinstance(item, list) and len(item) == 2 and all(isinstance(x, str) for x in item)):
                    raise ValueError(f"{path}: {key}: each entry must be a pair [from, to], got {item!r}")
                if key == "variants":
                    try:
                        re.compile(item[0])
                    except re.error as e:
                        raise ValueError(f"{path}: variants: bad pattern {item[0]!r}: {e}") from None
                out.append((item[0], item[1]))
            return tuple(out)

        def texts(key: str) -> tuple[str, ...]:
            items = data.get(key)
            if items is None:
                return ()
            if not (isinstance(items, list) and all(isinstance(x, str) for x in items)):
                raise ValueError(f"{path}: {key}: expected a list of texts, got {items!r}")
            return tuple(items)

        return cls(
            suffixes=texts("suffixes") or cls.suffixes,
            folds=pairs("folds"),
            variants=pairs("variants"),
            local_suffixes=texts("local_suffixes"),
        )


DEFAULT_RULES = NameRules()


def fold(name: str, rules: NameRules = DEFAULT_RULES) -> str:
    """Key that ignores case, accents, spaces, punctuation, generic suffixes and the dataset's folds.

    >>> fold("  Sinpho City ") == fold("sinpho")
    True
    """
    s = unicodedata.normalize("NFKD", name)
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).lower()
    s = re.sub(r"\(.*?\)", " ", s)
    if rules.suffixes:
        s = re.sub(r"\b(" + "|".join(map(re.escape, rules.suffixes)) + r")\b\.?", " ", s)
    s = re.sub(r"[^a-z]", "", s)
    for a, b in rules.folds:
        s = s.replace(a, b)
    return s


def fold_variants(name: str, rules: NameRules = DEFAULT_RULES) -> str:
    """Looser key that also applies the dataset's variant rules and collapses doubled letters."""
    s = fold(name, rules)
    for a, b in rules.variants:
        s = re.sub(a, b, s)
    return re.sub(r"(.)\1+", r"\1", s)


def is_local_script(text: str) -> bool:
    """True if the text has letters outside Latin (e.g. hangul)."""
    return any(ord(ch) > 0x2FF and ch.isalpha() for ch in text)


def local_key(text: str) -> str:
    """Key for names in local script: NFC, no spaces."""
    return unicodedata.normalize("NFC", text).replace(" ", "")


def closest(query: str, candidates: dict[str, list[str]], n: int = 5) -> list[str]:
    """Candidate keys' values closest to the query key (for 'did you mean')."""
    keys = difflib.get_close_matches(query, list(candidates), n=n, cutoff=0.5)
    out: list[str] = []
    for k in keys:
        for v in candidates[k]:
            if v not in out:
                out.append(v)
    return out[:n]
