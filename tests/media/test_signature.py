import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from twentyten.media.signature import may_contain, signatures, term_mask, text_signature
from twentyten.media.terms import Term

TERMS = ["지방공업", "regional industr", "20×10", "Defence science", "국방과학", "é국"]


@settings(max_examples=200, deadline=None)
@given(
    term=st.sampled_from(TERMS),
    before=st.text(max_size=40),
    after=st.text(max_size=40),
    ws=st.sampled_from(["", " ", "\n\n", "\t "]),
)
def test_signature_never_rules_out_a_real_match(term, before, after, ws):
    t = Term.parse(term)
    # the term written with extra whitespace between its characters, and upper-cased
    variant = ws.join(t.text).upper() if ws else t.text.upper()
    text = before + variant + after
    if t.compiled(True).search(text):
        assert may_contain(text_signature(text), term_mask(t.text))


def test_signature_rules_out_most_non_matches():
    sig = text_signature("조선로동당 중앙위원회 전원회의 확대회의가 진행되였다")
    assert not may_contain(sig, term_mask("지방공업"))
    assert may_contain(sig, term_mask("로동당"))


def test_batch_signatures_equal_single_ones_across_chunks():
    import pyarrow as pa

    texts = ["가나다 라", "", "Regional Industry", "𝐀𝐁 astral 지방"] * 3000
    batch = signatures(pa.array(texts))
    assert batch.shape == (12000, 32)
    for i in (0, 1, 2, 3, 9001):
        single = text_signature(texts[i])
        # a pair straddling two texts may add one stray bit to the later text, never remove one
        assert np.all((batch[i] & single) == single)
