from twentyten.media.normalise import normalise_text, normalise_title


def test_bom_crlf_and_fullwidth_are_normalised():
    assert normalise_text("\ufeff２０１１년\r\n＜로동신문＞\r끝") == "2011년\n<로동신문>\n끝"


def test_plain_hangul_and_ascii_pass_through_unchanged():
    text = "지방공업을 발전시키자. Regional industry\n"
    assert normalise_text(text) is text


def test_title_whitespace_is_collapsed():
    assert normalise_title("  지방\u3000공업  발전\n") == "지방 공업 발전"


def test_empty_and_none():
    assert normalise_text(None) == ""
    assert normalise_text("") == ""
