"""Gold quote location in canonical text, and the half-of-the-shorter overlap rule."""

from __future__ import annotations

import unicodedata

import pytest
from conftest import CORPUS

from eval.spans import Locator, Span, collapse, locate_all, overlaps
from tracuu.errors import UsageError

TEXT = (
    "CHỈ THỊ\nVề nhiệm vụ năm học 2021-2022\n\n"
    "1. Sở Y tế: Chủ trì, phối hợp với   Sở Giáo dục và Đào tạo\nhướng dẫn công tác phòng, chống dịch.\n\n"
    "2. Công an huyện phối hợp bảo đảm an ninh trường học.\n"
)


def test_exact_quote():
    q = "Công an huyện phối hợp bảo đảm an ninh trường học."
    span = Locator("d", TEXT).find(q)
    assert TEXT[span.start : span.end] == q


def test_quote_with_other_spacing_maps_back_to_original_offsets():
    q = "Chủ trì, phối hợp với Sở Giáo dục và Đào tạo hướng dẫn công tác"
    span = Locator("d", TEXT).find(q)
    found = TEXT[span.start : span.end]
    assert found == "Chủ trì, phối hợp với   Sở Giáo dục và Đào tạo\nhướng dẫn công tác"
    assert " ".join(found.split()) == q


def test_quote_across_paragraphs_and_with_surrounding_space():
    q = "  dịch.\n2. Công an huyện \n"
    span = Locator("d", TEXT).find(q)
    assert TEXT[span.start : span.end] == "dịch.\n\n2. Công an huyện"


def test_decomposed_quote_matches_composed_text():
    q = unicodedata.normalize("NFD", "Sở Y tế: Chủ trì")
    span = Locator("d", TEXT).find(q)
    assert TEXT[span.start : span.end] == "Sở Y tế: Chủ trì"


def test_soft_hyphen_in_a_quote_is_ignored_like_the_canonical_text_does():
    # ALQAC's gold quote for DS-44 carries a U+00AD that the canonical text drops.
    span = Locator("d", TEXT).find("bảo đảm an ninh trư\u00adờng học")
    assert TEXT[span.start : span.end] == "bảo đảm an ninh trường học"


def test_missing_quote_is_none():
    assert Locator("d", TEXT).find("Sở Tài chính bố trí kinh phí") is None
    assert Locator("d", TEXT).find("   ") is None


def test_collapse_keeps_an_offset_per_char():
    flat, where = collapse("  a \n\t b  c ")
    assert flat == "a b c"
    assert [flat[i] for i in range(len(flat))] == ["a", " ", "b", " ", "c"]
    assert where[0] == 2 and where[2] == 7 and where[4] == 10


def test_tone_placement_is_tolerated_through_fold():
    pytest.importorskip("ingest.normalize", reason="ingest.normalize.fold (reader helper) not there yet")
    text = "Đẩy mạnh hòa nhập và khỏe mạnh."
    span = Locator("d", text).find("hoà nhập và khoẻ mạnh")
    assert span is not None and text[span.start : span.end] == "hòa nhập và khỏe mạnh"


def test_locate_all_gives_spans_per_query():
    queries = [
        {"id": "a", "query": "x", "relevant": [{"doc": "d", "quote": "Sở Y tế"}] * 2},
        {"id": "none", "query": "y", "relevant": []},
    ]
    gold = locate_all(queries, {"d": TEXT})
    start = TEXT.index("Sở Y tế")
    assert gold == {"a": [Span("d", start, start + len("Sở Y tế"))], "none": []}


def test_unknown_document_names_the_query():
    queries = [{"id": "q-17", "query": "x", "relevant": [{"doc": "khong-co.txt", "quote": "Sở Y tế"}]}]
    with pytest.raises(UsageError, match=r"q-17.*khong-co\.txt.*ingest"):
        locate_all(queries, {"d": TEXT})


def test_quote_not_found_names_the_query():
    queries = [{"id": "q-42", "query": "x", "relevant": [{"doc": "d", "quote": "Sở Tài chính\nbố trí"}]}]
    with pytest.raises(UsageError, match=r"q-42.*not found.*'d'.*Sở Tài chính bố trí"):
        locate_all(queries, {"d": TEXT})


def test_quote_from_a_real_corpus_file():
    path = next(CORPUS.glob("2023-*cu-chi*.txt"))
    text = unicodedata.normalize("NFC", path.read_text(encoding="utf-8"))
    passage = text[len(text) // 2 : len(text) // 2 + 300]
    reflowed = " ".join(passage.split())
    span = Locator(path.name, text).find(reflowed)
    assert " ".join(text[span.start : span.end].split()) == reflowed


@pytest.mark.parametrize(
    ("a", "b", "relevant"),
    [
        ((0, 100), (50, 150), True),  # 50 shared, shorter is 100: exactly half
        ((0, 100), (51, 151), False),  # 49 shared
        ((0, 1000), (400, 420), True),  # a short gold inside a long hit
        ((400, 420), (0, 1000), True),  # a short hit inside a long gold
        ((0, 100), (100, 200), False),  # touching is not overlapping
        ((0, 10), (5, 200), True),  # 5 of the shorter's 10
        ((0, 10), (6, 200), False),
    ],
)
def test_overlap_rule(a, b, relevant):
    assert overlaps(Span("d", *a), Span("d", *b)) is relevant
    assert overlaps(Span("d", *b), Span("d", *a)) is relevant


def test_overlap_needs_the_same_document():
    assert not overlaps(Span("d", 0, 100), Span("e", 0, 100))


PAGED = "đơn vị sự nghiệp công\n\nlập do Nhà nước bảo đảm chi thường xuyên. Điểm 5 môn Toán."


def test_a_quote_across_a_page_break_matches_without_the_page_number():
    # The quote is the PDF's raw text: the stamp number and page number "2" sit where the page broke;
    # ingest removed the page number from the canonical text, not the stamp.
    text = "đơn vị sự nghiệp công 4646 14 11\n\nlập do Nhà nước bảo đảm chi thường xuyên."
    span = Locator("d", text).find("sự nghiệp công 4646 14 11 2 lập do Nhà nước")
    assert text[span.start : span.end] == "sự nghiệp công 4646 14 11\n\nlập do Nhà nước"
    span = Locator("d", PAGED).find("công 10 lập do")
    assert PAGED[span.start : span.end] == "công\n\nlập do"


def test_only_numbers_may_be_missing_and_only_inside_the_quote():
    loc = Locator("d", PAGED)
    assert loc.find("công ba lập do") is None  # a word the text does not have
    assert loc.find("7 đơn vị sự nghiệp") is None  # a number at the ends is part of the quote
    assert loc.find("Điểm 6 môn Toán") is None  # a number may be missing from the text, not different
    assert loc.find("Điểm 5 môn Toán") is not None


def test_quote_not_found_still_names_the_query_with_the_tolerance():
    queries = [{"id": "q-9", "query": "x", "relevant": [{"doc": "d", "quote": "công 2 xây do"}]}]
    with pytest.raises(UsageError, match=r"q-9.*not found"):
        locate_all(queries, {"d": PAGED})
