"""Answer metrics (eval/answers.py) and the boundary rule (eval/boundary.py), on hand-made texts whose
expected figures are worked out in the comments."""

from __future__ import annotations

import pytest

from eval.answers import by_kind, cuts, point_span, score_answer, summary
from eval.boundary import ends_at_boundary, starts_at_boundary
from eval.spans import Span

DOC_A = (
    "II. NHIỆM VỤ\n\n"
    "1. Sở Y tế: Chủ trì phòng chống dịch. Hướng dẫn các trường khử khuẩn.\n\n"
    "2. Sở Tài chính bố trí kinh phí; Sở Nội vụ thẩm định biên chế.\n\n"
    "3. Sở Giáo dục và\n"
    "Đào tạo và các sở, ngành liên quan kiểm tra.\n"
)
DOC_B = "Công an tỉnh bảo đảm an ninh trường học (chỉ số ≥\n301), các đơn vị báo cáo.\n"
TEXTS = {"a.txt": DOC_A, "b.txt": DOC_B}


def at(doc: str, phrase: str) -> Span:
    i = TEXTS[doc].index(phrase)
    return Span(doc, i, i + len(phrase))


def answer(*points: tuple[str, str]) -> dict:
    """An `ask --json` object whose points are (doc, text), each citing the whole document as passage n."""
    docs = list(dict.fromkeys(d for d, _ in points))
    citations = [{"n": n, "doc": d, "start": 0, "end": len(TEXTS[d])} for n, d in enumerate(docs, 1)]
    return {
        "question": "q",
        "answer": "...",
        "points": [{"text": t, "citations": [docs.index(d) + 1]} for d, t in points],
        "citations": citations,
    }


# --- boundaries -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "start", "end"),
    [
        ("1. Sở Y tế: Chủ trì phòng chống dịch.", True, True),  # an item's first sentence, marker included
        ("Sở Y tế: Chủ trì phòng chống dịch.", True, True),  # right after the marker "1."
        ("Hướng dẫn các trường khử khuẩn.", True, True),  # a sentence inside a line, after "."
        ("Chủ trì phòng chống dịch.", True, True),  # after ":"
        ("Sở Nội vụ thẩm định biên chế.", True, True),  # after ";"
        ("phòng chống dịch.", False, True),  # starts inside a sentence
        ("1. Sở Y tế: Chủ trì phòng", True, False),  # stops inside a sentence
        ("II. NHIỆM VỤ", True, True),  # a heading on its own line
        ("Đào tạo và các sở, ngành liên quan kiểm tra.", False, True),  # the tail of "Sở Giáo dục và"
        ("3. Sở Giáo dục và", True, False),  # the line ends on "và": cut short
    ],
)
def test_boundaries_in_a_plan(phrase, start, end):
    s = at("a.txt", phrase)
    assert starts_at_boundary(DOC_A, s.start) is start
    assert ends_at_boundary(DOC_A, s.end) is end


def test_a_line_ending_on_an_operator_is_cut_and_so_is_its_continuation():
    head = at("b.txt", "Công an tỉnh bảo đảm an ninh trường học (chỉ số ≥")
    tail = at("b.txt", "301), các đơn vị báo cáo.")
    assert ends_at_boundary(DOC_B, head.end) is False
    assert starts_at_boundary(DOC_B, tail.start) is False
    assert cuts(DOC_B, head) == ("end",) and cuts(DOC_B, tail) == ("start",)


def marked(text: str) -> tuple[str, int, int]:
    """A text with its point between [[ and ]]: (text without the marks, start, end)."""
    i = text.index("[[")
    j = text.index("]]") - 2
    return text.replace("[[", "").replace("]]", ""), i, j


LONG = "Nhà trường xây dựng Kế hoạch tổ chức Cuộc thi cấp trường năm học 2025-2026 nhằm chọn dự án dự thi"


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        # A heading that ends on a name, then a sentence: not a cut.
        ("1. Đoàn kiểm tra của Bộ GDĐT\n\n[[Theo Công văn số 1849.]]\n", True, True),
        # A long title, then its first sentence: not a cut (nor, the cost, a long sentence cut before
        # a capitalised word: "... tham dự cấp / Thành phố", see eval/boundary.py).
        (f"[[{LONG} huyện Củ Chi]]\n\nCăn cứ Kết luận số 91.\n", True, True),
        (f"[[{LONG} cấp]]\n\nThành phố, cụ thể như sau:\n", True, True),
        # "./" closes a directive's last sentence.
        ("[[Thực hiện thắng lợi năm học 2023 – 2024./]]\n\nNơi nhận:\n", True, True),
        # Markdown table rows are items.
        ("| 1 | Trường A | 700 |\n[[| 2 | Trường B | 300 |]]\n", True, True),
        # A lower-case line after a line break continues the sentence before it.
        ("[[4. Sở Tài]]\nchính chủ trì.\n", True, False),
        ("4. Sở Tài\n[[chính chủ trì.]]\n", False, True),
        # The whole text.
        ("[[Chủ trì.]]", True, True),
    ],
)
def test_boundary_cases(text, start, end):
    text, i, j = marked(text)
    assert starts_at_boundary(text, i) is start
    assert ends_at_boundary(text, j) is end


# --- one question -------------------------------------------------------------------------------------


def test_point_span_looks_in_the_cited_document():
    a = answer(("a.txt", "Sở Nội vụ thẩm định biên chế."))
    assert point_span(TEXTS, a, a["points"][0]) == at("a.txt", "Sở Nội vụ thẩm định biên chế.")
    lost = {"text": "không có trong văn bản", "citations": [1]}
    assert point_span(TEXTS, a, lost) is None


def test_a_question_with_gold():
    gold = [at("a.txt", "2. Sở Tài chính bố trí kinh phí; Sở Nội vụ thẩm định biên chế.")]  # 62 chars
    a = answer(
        ("b.txt", "Công an tỉnh bảo đảm an ninh trường học (chỉ số ≥"),  # other doc: wrong, no gold doc, cut
        ("a.txt", "Sở Nội vụ thẩm định biên chế."),  # 29 chars inside the gold: right (29 >= 29/2)
        ("a.txt", "Hướng dẫn các trường khử khuẩn."),  # gold doc, no overlap: off gold only
    )
    r = score_answer("q1", "obligation", gold, a, TEXTS)
    assert [p.right for p in r.points] == [False, True, False]
    assert [p.no_gold_doc for p in r.points] == [True, False, False]
    assert [p.off_gold for p in r.points] == [True, False, True]
    assert [p.cut for p in r.points] == [("end",), (), ()]
    assert (r.first_right, r.any_right, r.not_found) == (False, True, False)
    row = r.row()
    assert row["id"] == "q1" and row["first_right"] is False and row["points"][1]["right"] is True


def test_overlap_of_less_than_half_the_shorter_is_not_right():
    # Gold "Chủ trì phòng chống dịch." (25 chars); the point "1. Sở Y tế: Chủ trì" shares "Chủ trì" (7).
    gold = [at("a.txt", "Chủ trì phòng chống dịch.")]
    r = score_answer("q", "", gold, answer(("a.txt", "1. Sở Y tế: Chủ trì")), TEXTS)
    assert r.points[0].right is False


def test_a_question_without_gold_counts_only_not_found():
    said = score_answer("n1", "none", [], answer(("a.txt", "II. NHIỆM VỤ")), TEXTS)
    silent = score_answer(
        "n2", "none", [], {"question": "q", "answer": "Không tìm thấy", "points": []}, TEXTS
    )
    assert said.not_found is False and silent.not_found is True
    assert said.points[0].no_gold_doc is False and said.points[0].off_gold is False
    assert said.row()["first_right"] is None


# --- averages -------------------------------------------------------------------------------------


def test_summary_and_by_kind():
    g1 = [at("a.txt", "Sở Nội vụ thẩm định biên chế.")]
    g2 = [at("b.txt", "301), các đơn vị báo cáo.")]
    results = [
        # obligation: first right; 2 points, 1 citing a doc with no gold (a.txt has gold: 0), 1 off gold
        score_answer("q1", "obligation", g1, answer(
            ("a.txt", "Sở Nội vụ thẩm định biên chế."), ("a.txt", "II. NHIỆM VỤ"),
        ), TEXTS),
        # obligation: "not found"
        score_answer("q2", "obligation", g1, {"points": [], "citations": []}, TEXTS),
        # fact: second point right; the first cites a.txt (no gold there) and is off gold
        score_answer("q3", "fact", g2, answer(
            ("a.txt", "Hướng dẫn các trường khử khuẩn."), ("b.txt", "301), các đơn vị báo cáo."),
        ), TEXTS),
        # none: answered (wrongly) with one point; cut points count here too
        score_answer("q4", "none", [], answer(("b.txt", "Công an tỉnh bảo đảm an ninh trường học (chỉ số ≥")),
                     TEXTS),
        score_answer("q5", "none", [], {"points": [], "citations": []}, TEXTS),
    ]  # fmt: skip
    s = summary(results)
    assert s["questions"] == 3 and s["none"] == 2
    assert s["first_right"] == pytest.approx(1 / 3)  # q1
    assert s["any_right"] == pytest.approx(2 / 3)  # q1, q3
    assert s["not_found"] == pytest.approx(1 / 3)  # q2
    assert s["points"] == 4  # points of questions with gold: 2 + 0 + 2
    assert s["points_no_gold_doc"] == pytest.approx(1 / 4)  # q3's first
    assert s["points_off_gold"] == pytest.approx(2 / 4)  # q1's heading, q3's first
    assert s["points_cut"] == 2  # q3's second starts after "≥\n" (cut), q4's ends on "≥"
    assert s["none_not_found"] == pytest.approx(1 / 2)
    kinds = by_kind(results)
    assert list(kinds) == ["fact", "none", "obligation"]
    assert kinds["obligation"]["first_right"] == pytest.approx(1 / 2)
    assert kinds["fact"]["points_no_gold_doc"] == pytest.approx(1 / 2)
    assert kinds["none"]["questions"] == 0 and kinds["none"]["first_right"] is None


def test_summary_of_nothing():
    s = summary([])
    assert s["questions"] == 0 and s["points"] == 0 and s["first_right"] is None
