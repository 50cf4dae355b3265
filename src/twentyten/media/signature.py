"""Bigram signatures: a per-article Bloom filter that lets a query skip most articles.

At ingest every article gets a 2,048-bit set: for each pair of adjacent characters
of its text, with whitespace removed and ASCII lower-cased, one hashed bit. A term
can only occur in an article whose set holds every bit of the term's own bigrams, so
the store runs the (exact) regular expression only on those articles. Removing the
whitespace first keeps this true for the space-tolerant rule: ``지방 공업`` has the
bigrams of ``지방공업``. The filter never drops a match; it only saves work. A
term shorter than two characters, or a very long article whose set is full, simply
gets no saving.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow as pa

BITS = 2048
WORDS = BITS // 64
COLUMNS = tuple(f"sig{i:02d}" for i in range(WORDS))
_SHIFT = np.uint32(32 - (BITS.bit_length() - 1))
_A, _B = np.uint32(0x9E3779B1), np.uint32(0x85EBCA77)
_CHUNK = 8192


def _hash(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Bit index of the bigram (a, b); both uint32 code points."""
    return ((a * _A) ^ (b * _B)) >> _SHIFT


def _fold(cp: np.ndarray) -> np.ndarray:
    cp = cp.astype(np.uint32)
    return cp | (np.uint32(0x20) * ((cp >= 65) & (cp <= 90)))


# ASCII upper case folded to lower, for every BMP code point: one gather per character
_FOLD16 = _fold(np.arange(65536, dtype=np.uint32))


def _chunk(arr: pa.StringArray) -> np.ndarray:
    import pyarrow.compute as pc

    n = len(arr)
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int32)[arr.offset : arr.offset + n + 1]
    data = arr.buffers()[2]
    text = str(memoryview(data)[offsets[0] : offsets[-1]], "utf-8") if data is not None else ""
    lengths = pc.utf8_length(arr).to_numpy(zero_copy_only=False).astype(np.int64)
    cp = np.frombuffer(text.encode("utf-16-le"), dtype=np.uint16)
    if len(cp) != lengths.sum():  # characters beyond the BMP: use real code points
        cp = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    # RE2's \s is ASCII whitespace; dropping every control character too only adds bits
    keep = cp > 32
    # characters kept per text, from a running count sampled at each text's end
    kept = np.cumsum(keep, dtype=np.int64)
    ends = np.cumsum(lengths)
    kept_ends = np.where(ends > 0, kept[np.maximum(ends - 1, 0)] if len(kept) else 0, 0)
    kept_lengths = np.diff(kept_ends, prepend=0)
    c = cp[keep]
    if len(c) < 2:
        return np.zeros((n, WORDS), dtype=np.uint64)
    f = _FOLD16[c] if c.dtype == np.uint16 else _fold(c)
    art = np.repeat(np.arange(0, n * BITS, BITS, dtype=np.uint32), kept_lengths)
    # pairs that straddle two texts add one stray bit to the second: harmless
    idx = _hash(f[:-1], f[1:]) + art[1:]
    bits = np.zeros(n * BITS, dtype=bool)
    bits[idx] = True
    return np.packbits(bits.reshape(n, BITS), axis=1, bitorder="little").view(np.uint64)


def signatures(texts: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """One row of ``WORDS`` uint64 words per text (nulls count as empty)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    chunks = texts.chunks if isinstance(texts, pa.ChunkedArray) else [texts]
    out = np.zeros((len(texts), WORDS), dtype=np.uint64)
    pos = 0
    for chunk in chunks:  # chunk by chunk: combining them would copy every text
        if chunk.null_count:
            chunk = pc.fill_null(chunk, "")
        if pa.types.is_large_string(chunk.type):
            chunk = chunk.cast(pa.string())
        for start in range(0, len(chunk), _CHUNK):
            piece = chunk.slice(start, _CHUNK)
            out[pos : pos + len(piece)] = _chunk(piece)
            pos += len(piece)
    return out


def term_mask(term: str) -> dict[int, int]:
    """The bits a text must hold to contain ``term`` (already lower-cased), by word.

    Bigrams with a character whose case folding is not plain ASCII (É, Ж) or beyond
    the BMP are left out, so the mask never asks for more than a match guarantees.
    """
    chars = [c for c in term if ord(c) > 32]
    words: dict[int, int] = {}
    for a, b in zip(chars, chars[1:], strict=False):
        if any((c.lower() != c.upper() and not c.isascii()) or ord(c) > 0xFFFF for c in (a, b)):
            continue
        h = int(_hash(_fold(np.array([ord(a)]))[0:1], _fold(np.array([ord(b)]))[0:1])[0])
        words[h // 64] = words.get(h // 64, 0) | (1 << (h % 64))
    return words


def text_signature(text: str) -> np.ndarray:
    """Signature of one text (for tests and small inputs)."""
    import pyarrow as pa

    return signatures(pa.array([text], pa.string()))[0]


def may_contain(signature: np.ndarray, mask: dict[int, int]) -> bool:
    return all(int(signature[w]) & m == m for w, m in mask.items())
