"""Text normalisation applied once, at ingest, so that matching sees one form.

NFKC folds full-width digits and punctuation (``２０１１`` → ``2011``, ``＜`` → ``<``)
and compatibility characters; a byte-order mark is dropped wherever it appears (a
BOM in the middle of a text is a concatenation artefact); CRLF and lone CR become LF.
"""

from __future__ import annotations

import re
import unicodedata

BOM = "\ufeff"

# Characters that NFKC leaves alone and that need no CR/BOM handling: tab, LF,
# printable ASCII and precomposed Hangul syllables. A text made only of these is
# already normal, which lets ingest skip the Python round trip for most rows.
STABLE_CHARS = r"[^\t\n -~\x{AC00}-\x{D7A3}]"
_UNSTABLE = re.compile(r"[^\t\n -~\uac00-\ud7a3]")


def normalise_text(text: str | None) -> str:
    """NFKC-normalise ``text``, drop BOMs and turn CRLF / CR into LF.

    >>> normalise_text("\\ufeff２０１１년\\r\\n＜로동신문＞")
    '2011년\\n<로동신문>'
    """
    if not text:
        return ""
    if _UNSTABLE.search(text) is None:
        return text
    text = text.replace(BOM, "").replace("\r\n", "\n").replace("\r", "\n")
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return text


def normalise_title(title: str | None) -> str:
    """A title is normalised like a text and its whitespace collapsed to single spaces."""
    return " ".join(normalise_text(title).split())
