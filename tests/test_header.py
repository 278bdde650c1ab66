"""The header every signed directive prints: number and date (blanks filled from the e-signature stamp),
place, type and a title that is the document's, never an issuer's name, a bare type word or a web label."""

from __future__ import annotations

from ingest import read_document
from ingest.header import read
from ingest.metadata import extract

# A Sở's letter as a signed PDF's text layer gives it: the number and day-month left blank, the V/v line
# wrapped, the stamp "4728 18 11" floating as a loose line on the first page.
SIGNED_LETTER = """ỦY BAN NHÂN DÂN TỈNH AN GIANG SỞ GIÁO DỤC VÀ ĐÀO TẠO

Số: /SGDĐT-HSSV V/v hướng dẫn công tác phòng, chống

bạo lực học đường năm học 2025 - 2026

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM

Độc lập - Tự do - Hạnh phúc

An Giang, ngày tháng năm 2025

Kính gửi:

- Ủy ban nhân dân phường, xã và đặc khu;

- Hiệu trưởng các trường trung học phổ thông.

Sở Giáo dục và Đào tạo đề nghị các đơn vị thực hiện một số nội dung sau đây, cụ thể như sau:

1. Tổ chức tuyên truyền cho học sinh về phòng, chống bạo lực học đường trong

4728 18 11

tháng cao điểm.

2. Báo cáo kết quả về Sở trước ngày 30 tháng 12 năm 2025.
"""

# A plan whose type line carries its title on the same line, number and place-date on one line.
PLAN = """UBND TỈNH ĐỒNG THÁP SỞ GIÁO DỤC VÀ ĐÀO TẠO

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM

Số: /KH-SGDĐT Đồng Tháp, ngày 07 tháng 4 năm 2026

KẾ HOẠCH Kiểm tra việc dạy học STEM tại các cơ sở giáo dục

Thực hiện Công văn số 1849/BGDĐT-GDPT, Sở GDĐT xây dựng Kế hoạch như sau:

I. MỤC ĐÍCH, YÊU CẦU

Các đơn vị chuẩn bị hồ sơ.
"""


def test_blank_number_and_date_come_from_the_stamp():
    h = read(SIGNED_LETTER)
    assert (h.number, h.date, h.place, h.stamped) == ("4728/SGDĐT-HSSV", "2025-11-18", "An Giang", True)
    assert h.subject == "hướng dẫn công tác phòng, chống bạo lực học đường năm học 2025 - 2026"


def test_signed_letter_gets_a_title_and_type_not_the_issuer_name():
    title, m = extract(SIGNED_LETTER, "ag-cv.pdf")
    assert title == (
        "Công văn số 4728/SGDĐT-HSSV V/v hướng dẫn công tác phòng, chống bạo lực học đường"
        " năm học 2025 - 2026"
    )
    assert (m["type"], m["number"], m["date"]) == ("Công văn", "4728/SGDĐT-HSSV", "2025-11-18")
    assert "issuer" not in m or "phường" not in m["issuer"]  # the addressees are not the issuer


def test_stamp_that_disagrees_with_the_printed_month_is_not_used():
    text = SIGNED_LETTER.replace("ngày tháng năm 2025", "ngày tháng 12 năm 2025")
    h = read(text)
    assert (h.number, h.date, h.stamped) == ("/SGDĐT-HSSV", "", False)  # the stamp says November


def test_type_line_with_its_title_and_a_number_left_blank():
    title, m = extract(PLAN, "dt-kh.pdf")
    assert title == "Kế hoạch kiểm tra việc dạy học STEM tại các cơ sở giáo dục"
    assert (m["type"], m["date"], m["place"]) == ("Kế hoạch", "2026-04-07", "Đồng Tháp")
    assert m["number"] == "/KH-SGDĐT"  # blank in the print, no stamp: the code as printed, no guess


def test_web_labels_are_not_the_title():
    title, _ = extract("# Toàn văn Công văn 1820 về dạy thêm, học thêm\n\nNội dung như sau.\n", "x.txt")
    assert title == "Công văn 1820 về dạy thêm, học thêm"
    title, _ = extract("Chi tiết văn bản: Kế hoạch 215 về phòng, chống đuối nước\n\nNội dung.\n", "y.txt")
    assert title == "Kế hoạch 215 về phòng, chống đuối nước"


def test_signed_pdf_reads_number_and_date_from_its_stamp(tmp_path):
    from test_formats_same_sections import _pdf

    paragraphs = [p.strip() for p in SIGNED_LETTER.split("\n\n") if p.strip()]
    doc = read_document(_pdf(paragraphs, tmp_path / "cv.pdf"))
    assert (doc.meta["number"], doc.meta["date"]) == ("4728/SGDĐT-HSSV", "2025-11-18")
    assert doc.title.startswith("Công văn số 4728/SGDĐT-HSSV V/v hướng dẫn công tác phòng, chống")


def test_a_date_a_title_cites_is_not_the_documents_date():
    text = (
        "CHÍNH PHỦ\n\nSố: 55/2023/NĐ-CP\n\nNGHỊ ĐỊNH\n\n"
        "Sửa đổi Nghị định số 75/2021/NĐ-CP ngày 24 tháng 7 năm 2021 của Chính phủ\n\nCăn cứ Luật;\n"
    )
    assert read(text).date == ""  # the decree's own place-date line is absent: no date, not the cited one
    dated = text.replace("NGHỊ ĐỊNH", "Hà Nội, ngày 21 tháng 7 năm 2023\n\nNGHỊ ĐỊNH")
    assert (read(dated).date, read(dated).place) == ("2023-07-21", "Hà Nội")
