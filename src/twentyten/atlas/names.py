"""Tolerant lookup of region names across romanisation variants.

Real sources spell the same county differently (Jaeryong/Jaerong, Rangnim/Rangrim,
Ragwon/Rakwon, Unryul/Unnyul, "Sinpho City"/"Sinpho"). A name is folded to a key
that ignores the usual variant pairs; lookups compare keys, then fall back to the
closest keys for suggestions.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

_SUFFIXES = re.compile(r"\b(city|county|district|dist|gun|si|kun|guyok|kuyok|ri|province|do)\b\.?")
_LIGHT = (("ph", "p"), ("th", "t"), ("kh", "k"), ("eo", "o"), ("eu", "u"))
# Variant pairs real romanisations swap (McCune-Reischauer, DPRK official, Revised):
# voiced/unvoiced stops, ch/j, l/r, r assimilated to n after n/ng, y after r dropped.
_HEAVY = (
    (r"ch", "j"), (r"g", "k"), (r"b", "p"), (r"d", "t"), (r"l", "r"),
    (r"(?<=n)r", "n"), (r"ry", "r"), (r"sh", "s"),
)


def _base(name: str) -> str:
    s = unicodedata.normalize("NFKD", name)
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).lower()
    s = re.sub(r"\(.*?\)", " ", s)
    s = _SUFFIXES.sub(" ", s)
    s = re.sub(r"[^a-z]", "", s)
    for a, b in _LIGHT:
        s = s.replace(a, b)
    return s


def fold(name: str) -> str:
    """Key that ignores case, accents, spaces, a trailing "City"/"County" and aspirate marks.

    >>> fold("Sinpho City") == fold("sinpo")
    True
    """
    return _base(name)


def fold_variants(name: str) -> str:
    """Looser key that also ignores common romanisation variants.

    >>> fold_variants("Jaeryong") == fold_variants("Jaerong"), fold_variants("Ragwon") == fold_variants("Rakwon")
    (True, True)
    """
    s = _base(name)
    for a, b in _HEAVY:
        s = re.sub(a, b, s)
    return re.sub(r"(.)\1+", r"\1", s)


def is_local_script(text: str) -> bool:
    """True if the text has letters outside Latin (e.g. hangul)."""
    return any(ord(ch) > 0x2FF and ch.isalpha() for ch in text)


def local_key(text: str) -> str:
    """Key for names in local script: NFC, no spaces; trailing administrative suffix dropped."""
    s = unicodedata.normalize("NFC", text).replace(" ", "")
    return s


def closest(query: str, candidates: dict[str, list[str]], n: int = 5) -> list[str]:
    """Candidate keys' values closest to the query key (for 'did you mean')."""
    keys = difflib.get_close_matches(query, list(candidates), n=n, cutoff=0.5)
    out: list[str] = []
    for k in keys:
        for v in candidates[k]:
            if v not in out:
                out.append(v)
    return out[:n]
