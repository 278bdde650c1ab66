"""Answers on directives written here the way unseen provinces write them (issue 11): a heading cut across
lines, a wrapped sentence, 2025 body names, a news page's question heading, a markdown table of tasks, a
question that names its document. One index of these files, built with the real default model, real
FAISS and BM25."""

from __future__ import annotations

import pytest

import index
import qa
from page.remote import answer_of
from qa.output import answer_json as to_json

pytestmark = pytest.mark.model  # the real embedding model (make test-fast leaves these out)

NGHE_AN = """ỦY BAN NHÂN DÂN
TỈNH NGHỆ AN

Số: 215/KH-UBND

Nghệ An, ngày 10 tháng 9 năm 2025

KẾ HOẠCH
Triển khai nhiệm vụ năm học 2025-2026

I. MỤC ĐÍCH, YÊU CẦU

Bảo đảm các điều kiện tổ chức dạy học an toàn, chất lượng trong năm học 2025-2026.

II. TỔ CHỨC THỰC HIỆN

1. Sở Giáo dục và Đào tạo

Chủ trì hướng dẫn các trường xây dựng kế hoạch giáo dục nhà trường; chỉ đạo công tác phòng, chống bạo lực
học đường trong các cơ sở giáo dục.

2. Nhà trường

Xây dựng đề án đổi mới sinh hoạt chuyên môn, giao chỉ tiêu KPI (mỗi khối

≥01 đề án), báo cáo kết quả về Sở Giáo dục và Đào tạo trước ngày 15/12/2025.

4. Sở Tài

chính

Chủ trì, phối hợp với Sở Giáo dục và Đào tạo bố trí kinh phí mua sắm thiết bị dạy học tối thiểu cho các
trường tiểu học.

5. Sở Văn hóa, Thể thao và Du lịch

Phối hợp tổ chức các hoạt động thể thao, văn nghệ cho học sinh trong dịp hè năm 2026.

6. Ủy ban nhân dân các xã, phường, đặc khu

Rà soát, bố trí quỹ đất xây dựng trường học; huy động trẻ em trong độ tuổi ra lớp đúng quy định.

7. Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh

Tuyên truyền, vận động nhân dân tham gia xây dựng xã hội học tập.

Nơi nhận:
- Như trên;
- Lưu: VT.

TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH

Nguyễn Văn An
"""

DA_NANG = """ỦY BAN NHÂN DÂN
THÀNH PHỐ ĐÀ NẴNG

Số: 88/KH-UBND

Đà Nẵng, ngày 02 tháng 10 năm 2025

KẾ HOẠCH
Thực hiện bảo hiểm y tế học sinh năm học 2025-2026

I. NHIỆM VỤ CỤ THỂ

1. Sở Tài chính

Bảo đảm kinh phí hỗ trợ đóng bảo hiểm y tế cho học sinh thuộc hộ cận nghèo theo quy định.

2. Sở Y tế

Hướng dẫn các trường tổ chức khám sức khỏe định kỳ cho học sinh.

Nơi nhận:
- Như trên;
- Lưu: VT.
"""

DAY_THEM = """# Toàn văn Công văn 1820 về dạy thêm, học thêm

Ngày 20/9/2025, Sở Giáo dục và Đào tạo ban hành Công văn số 1820/SGDĐT-GDPT về quản lý dạy thêm, học thêm.

## Các trường hợp không được dạy thêm?

Không dạy thêm đối với học sinh đã được nhà trường tổ chức dạy 2 buổi/ngày.

## Phân công thực hiện

| STT | Nội dung công việc | Đơn vị chủ trì | Thời gian |
|---|---|---|---|
| 1 | Rà soát, thống kê các cơ sở dạy thêm trên địa bàn xã | Phòng Văn hóa - Xã hội | Trước ngày 30/10/2025 |
| 2 | Công khai danh sách giáo viên dạy thêm tại cổng trường | Nhà trường | Hằng tháng |
"""


@pytest.fixture(scope="module")
def ix(tmp_path_factory):
    root = tmp_path_factory.mktemp("unseen")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "nghean-kh-215-2025.txt").write_text(NGHE_AN, encoding="utf-8")
    (corpus / "danang-kh-88-2025.txt").write_text(DA_NANG, encoding="utf-8")
    (corpus / "tin-cong-van-1820-day-them.md").write_text(DAY_THEM, encoding="utf-8")
    index.build([corpus], root / "index")
    return index.load(root / "index")


def docs_cited(answer, point) -> set[str]:
    by_n = {c.n: c.chunk.doc for c in answer.citations}
    return {by_n[n] for n in point.citations}


def test_a_heading_cut_across_lines_still_names_its_body(ix):
    a = qa.ask(ix, "Sở Tài chính phải làm gì về thiết bị dạy học?")
    assert a.points, a.answer
    assert a.points[0].text.startswith("Chủ trì, phối hợp với Sở Giáo dục và Đào tạo bố trí kinh phí")
    assert docs_cited(a, a.points[0]) == {"nghean-kh-215-2025.txt"}


def test_the_topic_picks_the_body_task_not_any_task_of_the_body(ix):
    a = qa.ask(ix, "Sở Tài chính phải làm gì về bảo hiểm y tế cho học sinh?")
    assert a.points, a.answer
    assert "bảo hiểm y tế" in a.points[0].text
    assert not any("thiết bị dạy học" in p.text for p in a.points)  # off the topic: not a point


def test_a_question_naming_its_document_is_answered_from_it_and_says_so(ix):
    a = qa.ask(ix, "Sở Tài chính phải làm gì trong kế hoạch 215/KH-UBND?")
    assert a.points, a.answer
    assert all(docs_cited(a, p) == {"nghean-kh-215-2025.txt"} for p in a.points)
    assert "215/KH-UBND" in a.answer
    assert "215/KH-UBND" in a.searched  # what was searched travels with the answer: ask --json, /ask, page
    out = to_json(a, ix)
    assert out["scope"] == {"searched": a.searched, "notes": []}
    assert answer_of(out).searched == a.searched  # the page over the API reads it back


def test_an_unscoped_answer_searched_everything(ix):
    out = to_json(qa.ask(ix, "Sở Tài chính phải làm gì về thiết bị dạy học?"), ix)
    assert "scope" not in out


def test_a_scope_no_document_meets_is_said(ix):
    a = qa.ask(ix, "Sở Tài chính phải làm gì ở Hà Giang?")
    assert any("Hà Giang" in n for n in a.scope_notes), (a.searched, a.scope_notes)


def test_nothing_in_the_named_document_says_so(ix):
    a = qa.ask(ix, "Sở Y tế phải làm gì trong kế hoạch 215/KH-UBND?")
    assert a.answer.startswith("Không"), a.answer
    assert "215/KH-UBND" in a.answer
    assert not any("danang-kh-88-2025.txt" in docs_cited(a, p) for p in a.points)


@pytest.mark.parametrize(
    ("question", "start"),
    [
        (
            "Sở Văn hóa, Thể thao và Du lịch tham gia thế nào vào hoạt động hè?",
            "Phối hợp tổ chức các hoạt động",
        ),
        ("UBND các xã, phường, đặc khu có nhiệm vụ gì về quỹ đất trường học?", "Rà soát, bố trí quỹ đất"),
        ("Ủy ban MTTQ Việt Nam tỉnh phải làm gì về xã hội học tập?", "Tuyên truyền, vận động nhân dân"),
    ],
)
def test_bodies_as_named_since_2025(ix, question, start):
    a = qa.ask(ix, question)
    assert a.points, a.answer
    assert a.points[0].text.startswith(start)


def test_a_wrapped_sentence_is_quoted_whole(ix):
    a = qa.ask(ix, "Nhà trường phải làm gì về đề án đổi mới sinh hoạt chuyên môn?")
    assert a.points, a.answer
    first = a.points[0].text
    assert first.startswith("Xây dựng đề án đổi mới sinh hoạt chuyên môn")
    assert "(mỗi khối" in first and "≥01 đề án)" in first and first.endswith("trước ngày 15/12/2025.")


def test_a_question_heading_with_truong_hop_is_no_task_of_the_school(ix):
    a = qa.ask(ix, "Nhà trường phải làm gì về dạy thêm?")
    assert a.points, a.answer
    assert not any("trường hợp" in p.text for p in a.points)
    assert any(p.text.startswith("Công khai danh sách giáo viên dạy thêm") for p in a.points)


def test_a_table_row_gives_its_task_to_its_body_with_its_deadline(ix):
    a = qa.ask(ix, "Phòng Văn hóa - Xã hội phải rà soát cơ sở dạy thêm trước ngày nào?")
    assert a.points, a.answer
    assert a.points[0].text.startswith("Rà soát, thống kê các cơ sở dạy thêm")
    assert "Trước ngày 30/10/2025" in a.points[0].text


def test_abbreviations_typed_are_found_spelt_out(ix):
    # "SGDĐT" is the Sở as people type it; "KHGD" is found by the initials of "kế hoạch giáo dục".
    a = qa.ask(ix, "SGDĐT làm gì về KHGD nhà trường?")
    assert a.points, a.answer
    assert a.points[0].text.startswith("Chủ trì hướng dẫn các trường xây dựng kế hoạch giáo dục nhà trường")


def test_an_abbreviation_is_matched_by_initials_or_as_written():
    from qa.relevance import initials_pattern, norm

    p = initials_pattern("PGDĐT")
    assert all(p.search(norm(t)) for t in ("Phòng Giáo dục và Đào tạo huyện", "Phòng GDĐT", "các PGDĐT"))
    assert not p.search(norm("Phòng Giáo dục nghề nghiệp"))


def test_a_negation_inside_the_question_is_topic_the_closing_one_is_not():
    from qa.relevance import Corpus

    corpus = Corpus(["Học sinh không ăn trưa tại trường thì không được hỗ trợ.", "Được hỗ trợ tiền ăn."])
    words = corpus.terms("Học sinh không ăn trưa tại trường có được hỗ trợ tiền ăn không?").words
    assert any(w.startswith("không") for w in words), words  # "không ăn trưa" is what is asked about
    assert not any(w.endswith("không") and not w.startswith("không") for w in words)
    assert sum("không" in w.split() for w in words) == 1  # the closing "... không?" only asks


def test_a_title_naming_what_a_body_owns_does_not_make_every_item_its_task():
    from qa.items import extract
    from tracuu.types import Document

    body = "\n\n1. Xây dựng kế hoạch bài dạy theo hướng phát huy năng lực.\n\n2. Đánh giá thường xuyên.\n"
    owned = Document("a.txt", "Công văn V/v hướng dẫn xây dựng kế hoạch giáo dục của nhà trường", body, {})
    rules = Document("b.txt", "Thông tư quy định quy tắc ứng xử của nhà giáo", body, {})
    assert not [it for it in extract(owned) if it.how == "document"]
    assert [a.kind for it in extract(rules) if it.how == "document" for a in it.actors]
