"""One reading of a document's structure (ingest.unwrap, ingest.tree, ingest.blocks): wraps joined, markup
trimmed, stamps set aside, no body text left out of every chunk; on small documents the tests write."""

from __future__ import annotations

from ingest import blocks, normalize, unwrap
from ingest.sections import split
from tracuu.types import Document


def doc(text: str) -> Document:
    return Document("t.txt", "", normalize.canonical(text), {})


def block_texts(text: str, kind: str | None = None) -> list[str]:
    return [text[b.start : b.end] for b in blocks.read(text) if kind is None or b.kind == kind]


def logical(text: str) -> list[str]:
    return [ln.text for ln in unwrap.read(text)]


HEADING_CUT = """KẾ HOẠCH
Triển khai nhiệm vụ năm học 2025-2026

I. NHIỆM VỤ CỦA CÁC CƠ QUAN

1. Sở Giáo dục và Đào tạo chủ trì triển khai kế hoạch này, hướng dẫn các trường thực hiện.

4. Sở Tài

chính

Chủ trì, phối hợp với Sở Giáo dục và Đào tạo bố trí kinh phí thực hiện kế hoạch.

5. Sở Y tế

Chỉ đạo các cơ sở y tế phối hợp với nhà trường chăm sóc sức khỏe học sinh.
"""


def test_a_heading_cut_across_lines_is_one_heading_naming_its_body():
    d = doc(HEADING_CUT)
    heads = [b for b in blocks.read(d.text) if b.kind == "heading"]
    named = [d.text[b.names[0] : b.names[1]].replace("\n", " ") for b in heads if b.names]
    assert "Sở Tài  chính" in named or "Sở Tài chính" in named, named
    chunks = split(d)
    four = next(c for c in chunks if c.section == "I.4")
    assert four.heading.endswith("4. Sở Tài chính"), four.heading
    assert "bố trí kinh phí" in four.text


WRAPPED = """Căn cứ Quyết định số 1230/QĐ-BGDĐT ngày 30/3/2018 của Bộ Giáo dục và

Đào tạo ban hành Kế hoạch triển khai Đề án;

Căn cứ Kế hoạch số 229/KH-THPTPB ngày 14/11/2025 của Trường THPT

Phước Bửu về truyền thông Cuộc thi;

Nhà trường xây dựng Kế hoạch tổ chức Cuộc thi cấp trường, nhằm chọn dự án dự thi, cụ thể như sau:

1. Giáo viên chủ nhiệm giám sát lịch trình, KPI (mỗi khối

≥01 đề án), chịu trách nhiệm về cuộc thi giai đoạn 2021-

2025.

2. Đảm bảo ý tưởng khả thi, có kế hoạch dự phòng;

tránh các lĩnh vực cấm.
"""


def test_wrapped_sentences_are_joined_and_offsets_stay_exact():
    d = doc(WRAPPED)
    got = logical(d.text)
    assert any(t.startswith("Căn cứ Quyết định") and "Đào tạo ban hành" in t for t in got), got
    assert any("Trường THPT" in t and "Phước Bửu về" in t for t in got), got
    assert any("(mỗi khối" in t and "≥01 đề án)" in t and t.endswith("2025.") for t in got), got
    assert any(t.startswith("2. Đảm bảo") and t.endswith("tránh các lĩnh vực cấm.") for t in got), got
    for ln in unwrap.read(d.text):
        assert ln.text == d.text[ln.start : ln.end].replace("\n", " ")


def test_numbered_and_bulleted_lines_never_continue_a_line():
    text = "Các nội dung sau\n\n1. Tổ chức tập huấn cho giáo viên\n\n- Sở Lao động\n\n- Thương binh và Xã hội"
    assert logical(text) == ["Các nội dung sau", "1. Tổ chức tập huấn cho giáo viên", "- Sở Lao động",
                             "- Thương binh và Xã hội"]  # fmt: skip


def test_an_article_title_is_not_joined_to_its_first_sentence():
    text = "Điều 461. Thông báo khuyết tật của tài sản tặng cho\n\nBên tặng cho có nghĩa vụ thông báo."
    assert len(logical(text)) == 2


def test_a_signature_stamp_neither_splits_a_sentence_nor_becomes_a_line():
    text = (
        "Căn cứ Luật Giáo dục;\n\n1. Thực hiện Kết luận số 132-KL/TW ngày 18 tháng 3 năm\n\n4728 18 11\n\n"
        "2025 của Bộ Chính trị về phòng, chống ma túy.\n\n2. Báo cáo kết quả.\n\n230 14 11\n\n3. Tổng kết."
    )
    got = logical(text)
    assert (
        "1. Thực hiện Kết luận số 132-KL/TW ngày 18 tháng 3 năm  4728 18 11  2025 của Bộ Chính trị" in got[1]
    )
    assert got[2:] == ["2. Báo cáo kết quả.", "3. Tổng kết."]


MARKDOWN = """# Công văn số 2345/BGDĐT-GDTH

# I. MỤC ĐÍCH, YÊU CẦU

## 1. Mục đích

Giúp nhà trường chủ động xây dựng kế hoạch giáo dục.

## 2. Yêu cầu

Bảo đảm tính khoa học, sư phạm và phù hợp thực tiễn.

| STT | Nhiệm vụ | Đơn vị chủ trì | Thời hạn |
|---|---|---|---|
| 1 | Ban hành kế hoạch giáo dục | Nhà trường | Trước ngày 30/9 |
| 2 | Báo cáo kết quả | | Hằng tháng |

###### Nơi nhận:
- Như trên;
- Lưu: VT.
"""


def test_markdown_headings_number_sections_and_are_left_out_of_spans():
    d = doc(MARKDOWN)
    chunks = split(d)
    assert [c.section for c in chunks if c.section.startswith("I")] == ["I.1", "I.2"]
    two = next(c for c in chunks if c.section == "I.2")
    assert two.heading == "I. MỤC ĐÍCH, YÊU CẦU › 2. Yêu cầu"
    assert not any("Nơi nhận" in c.text for c in chunks)
    rows = [b for b in blocks.read(d.text) if b.kind == "row"]
    assert [d.text[s:e] for s, e in rows[-1].cells] == ["2", "Báo cáo kết quả", "", "Hằng tháng"]
    assert [d.text[s:e] for s, e in rows[-2].cells] == ["1", "Ban hành kế hoạch giáo dục", "Nhà trường",
                                                       "Trước ngày 30/9"]  # fmt: skip
    assert any(b.kind == "recipients" for b in blocks.read(d.text))


LETTER = """SỞ GIÁO DỤC VÀ ĐÀO TẠO
Số: /SGDĐT-HSSV
Kính gửi:
- Hiệu trưởng các trường phổ thông;
- Thủ trưởng các đơn vị trực thuộc Sở.
Sở Giáo dục và Đào tạo đề nghị Thủ trưởng các cơ sở giáo dục thực hiện các nội dung sau:
1. Thời lượng và thời gian tổ chức
Lớp học bắt đầu ngày 13/12/2025 và kết thúc ngày 20/12/2025 theo hình thức trực tuyến.
Thứ Bảy 13/12/2025 Học trực tuyến
2. Về thẩm quyền Theo hướng dẫn tại Mục I.4, đơn vị tự bảo đảm chi thường xuyên thực hiện bổ nhiệm.
a) Đơn vị sự nghiệp công lập thuộc Sở lập hồ sơ đề nghị.
b) Sở thẩm định hồ sơ.
Trong quá trình thực hiện, nếu có khó khăn, đề nghị Thủ trưởng các đơn vị báo cáo về Sở.
Nơi nhận:
- Như trên;
- Lưu: VT.
"""


def test_no_body_text_is_left_out_and_closing_paragraphs_stand_alone():
    d = doc(LETTER)
    chunks = split(d)
    covered = set()
    for c in chunks:
        covered.update(range(c.start, c.end))
    for b in blocks.read(d.text):
        if b.kind in ("item", "paragraph", "row"):
            assert set(range(b.start, b.end)) <= covered, d.text[b.start : b.end]
    assert chunks[-1].section == "phần kết"
    assert chunks[-1].text.startswith("Trong quá trình thực hiện")
    kinds = {d.text[b.start : b.end]: b.kind for b in blocks.read(d.text)}
    assert kinds["- Hiệu trưởng các trường phổ thông;"] == "recipients"
    assert kinds["Thứ Bảy 13/12/2025 Học trực tuyến"] == "paragraph"  # not a heading over nothing


def test_block_offsets_are_exact_and_in_order():
    for text in (HEADING_CUT, WRAPPED, MARKDOWN, LETTER):
        d = doc(text)
        prev = 0
        for b in blocks.read(d.text):
            assert prev <= b.start < b.end <= len(d.text)
            assert b.start <= b.content <= b.end
            assert d.text[b.start : b.end] == d.text[b.start : b.end].strip()
            prev = b.end


def test_shown_drops_web_markup():
    assert blocks.shown("# Toàn văn **Công văn** 2345 |") == "Toàn văn Công văn 2345"
    assert blocks.shown("Liên hệ [email protected] <br> ngay") == "Liên hệ ngay"
