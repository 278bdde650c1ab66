"""BM25 over pyvi words: segmentation, accent-free queries, abbreviations both ways, save/load."""

from __future__ import annotations

import numpy as np
import pytest

from index import abbrev, analyze, lexical

PASSAGES = [
    "Sở Giáo dục và Đào tạo chủ trì, phối hợp với Sở Y tế hướng dẫn các trường dạy học trực tuyến.",
    "Ủy ban nhân dân các xã, thị trấn bảo đảm cơ sở vật chất cho trường mầm non.",
    "Phòng LĐTB&XH rà soát học sinh thuộc hộ nghèo để miễn, giảm học phí.",
    "Các trường THCS tổ chức thi học sinh giỏi cấp huyện trong tháng 3.",
    "Phòng TC-KH tham mưu bố trí kinh phí cho công nghệ thông tin trong trường học.",
    "Hội đồng nhân dân huyện giám sát việc thực hiện nhiệm vụ năm học.",
]


@pytest.fixture(scope="module")
def lex():
    return lexical.build([analyze.tokens(p) for p in PASSAGES])


def _top(lex, query: str) -> int:
    scores, ids = lex.search(query, 3)
    assert len(ids), f"nothing found for {query!r}"
    return int(ids[0])


def test_tokens_are_pyvi_words_lower_case_with_diacritics():
    toks = analyze.tokens("Sở Giáo dục và Đào tạo tổ chức dạy học trực tuyến.")
    assert {"giáo_dục", "đào_tạo", "dạy_học", "trực_tuyến"} <= set(toks)
    assert "." not in toks and all(t == t.lower() for t in toks)


def test_tone_placement_variants_match():
    assert "hòa_nhập" in analyze.tokens("giáo dục hoà nhập") and "hòa_nhập" in analyze.tokens("hòa nhập")


@pytest.mark.parametrize(
    "query, want",
    [
        ("dạy học trực tuyến", 0),
        ("day hoc truc tuyen", 0),
        ("co so vat chat truong mam non", 1),
        ("mien giam hoc phi ho ngheo", 2),
    ],
)
def test_accented_and_accent_free_queries(lex, query, want):
    assert _top(lex, query) == want


@pytest.mark.parametrize(
    "query, want",
    [
        ("nhiệm vụ của Sở GD&ĐT", 0),
        ("Sở GDĐT", 0),
        ("UBND xã bảo đảm cơ sở vật chất", 1),
        ("Lao động - Thương binh và Xã hội rà soát", 2),
        ("thi học sinh giỏi trung học cơ sở", 3),
        ("Tài chính - Kế hoạch bố trí kinh phí", 4),
        ("kinh phí CNTT", 4),
        ("HĐND huyện giám sát", 5),
    ],
)
def test_abbreviations_match_long_forms_both_ways(lex, query, want):
    assert _top(lex, query) == want


@pytest.mark.parametrize("key", sorted(abbrev.ABBREVIATIONS))
def test_every_abbreviation_and_its_long_form_share_a_key(key):
    spellings, long_form = abbrev.ABBREVIATIONS[key]
    assert abbrev.keys(f"giao cho {long_form} thực hiện") == [key]
    for s in spellings:
        assert key in abbrev.keys(f"giao cho {s} thực hiện"), s
        assert abbrev.long_form(s) == long_form


def test_two_letter_abbreviations_only_in_capitals():
    assert abbrev.keys("trường TH và MN") == ["mn", "th"]
    assert abbrev.keys("th mn") == [] and abbrev.keys("THỰC HIỆN") == []


def test_expand_adds_long_forms_for_the_embedder():
    assert abbrev.expand("Sở GD&ĐT và UBND") == "Sở GD&ĐT (Giáo dục và Đào tạo) và UBND (Ủy ban nhân dân)"


def test_unknown_words_and_filters(lex):
    assert len(lex.search("xyzzy", 5)[1]) == 0
    allowed = np.zeros(len(PASSAGES), dtype=bool)
    allowed[3] = True
    _, ids = lex.search("trường", 5, allowed)
    assert ids.tolist() == [3]


def test_save_load_round_trip(lex, tmp_path):
    lexical.save(lex, tmp_path)
    again = lexical.load(tmp_path, len(PASSAGES))
    for q in ("dạy học trực tuyến", "day hoc truc tuyen", "UBND"):
        assert np.allclose(again.scores(q), lex.scores(q))
