"""Real Vietnamese documents from ../shared/realdocs (see its README): text layer, scans, DOCX."""

from __future__ import annotations

import os
import re

import pytest
from conftest import need_shared

from eval.bench.readers import cer, cer_of_part, curated_reference
from ingest.readers import extract, ocr
from tracuu.errors import UnreadableFile

pytestmark = pytest.mark.shared


def _need_ocr() -> None:
    reason = ocr.unavailable_reason()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"OCR must run in CI: {reason}")
        pytest.skip(reason)


def test_nd55_text_layer_cer_under_one_percent():
    pdf = need_shared("realdocs", "nd-55-2023-textlayer.pdf")
    ref_path = need_shared("bench", "congbot", "corpus", "55_2023_NĐ_CP.txt")
    result = extract(pdf)
    assert result.kind == "pdf" and result.pages == 7
    # The PDF ends at the signature; the curated text goes on with the appendices.
    reference = curated_reference(ref_path, stop_after="Trần Hồng Hà")
    value = cer(result.text, reference)
    print(f"nd-55 text layer CER {value:.2%}")
    assert value < 0.01
    # Page numbers "2".."7" at the top of pages are gone, and no paragraph is a bare number.
    assert not [p for p in result.text.split("\n\n") if p.strip().isdigit()]


def test_phap_lenh_scan_first_pages_ocr(tmp_path):
    import pymupdf

    _need_ocr()
    pdf = need_shared("realdocs", "phap-lenh-02-2020-scanned.pdf")
    ref_path = need_shared("bench", "congbot", "corpus", "02_2020_UBTVQH14.txt")
    # The whole 30 pages take minutes on two cores (eval/bench/readers.py measures them): read 3 here.
    part = tmp_path / "first-3-pages.pdf"
    with pymupdf.open(pdf) as doc:
        doc.select([0, 1, 2])
        doc.save(part)
    result = extract(part)
    assert result.kind == "pdf-ocr"
    assert "Người ký" not in result.text and "thongtinchinhphu" not in result.text  # stamp not read
    value = cer_of_part(result.text, curated_reference(ref_path))
    print(f"Pháp lệnh 02/2020 first 3 pages OCR CER {value:.2%}")
    assert value < 0.05
    assert re.search(r"Điều 1\. Phạm vi điều chỉnh", result.text)


def test_phap_lenh_without_ocr_is_refused_not_the_stamp(monkeypatch):
    pdf = need_shared("realdocs", "phap-lenh-02-2020-scanned.pdf")
    monkeypatch.setenv("TRACUU_OCR", "0")
    with pytest.raises(UnreadableFile, match=r"scanned PDF \(30 of 30 pages.*tesseract-ocr-vie"):
        extract(pdf)


@pytest.mark.parametrize(
    "name,chapters,articles",
    [("du-thao-luat-nha-giao-2025.docx", 9, 41), ("du-thao-luat-sua-doi-luat-giao-duc.docx", 0, 2)],
)
def test_docx_drafts_keep_chuong_dieu_lines_and_no_positions(name, chapters, articles):
    path = need_shared("realdocs", name)
    result = extract(path)
    assert result.kind == "docx"
    assert len(re.findall(r"(?m)^Chương [IVXLC]+$", result.text)) == chapters
    assert len(re.findall(r"(?m)^Điều \d+\. \S", result.text)) == articles
    # Drawing anchors in these files carry offsets such as 612775 EMU; none may appear as text.
    assert not re.search(r"\b\d{5,}\b", result.text)
    assert not [p for p in result.text.split("\n\n") if re.fullmatch(r"[\d\s.,-]+", p)]


def test_docx_amendment_quotes_its_targets():
    result = extract(need_shared("realdocs", "du-thao-luat-sua-doi-luat-giao-duc.docx"))
    assert "Sửa đổi, bổ sung khoản 3 Điều 9 như sau:" in result.text


def test_synthetic_cong_van_header_fields():
    result = extract(need_shared("realdocs", "SYNTHETIC-cong-van-bo-gddt.pdf"))
    text = result.text
    for needle in (
        "BỘ GIÁO DỤC VÀ ĐÀO TẠO",
        "Số: 2154/BGDĐT-CNTT",
        "Hà Nội, ngày 10 tháng 08 năm 2026",
        "Kính gửi:",
        "- Các Sở Giáo dục và Đào tạo tỉnh, thành phố trực thuộc Trung ương;",
        "Nơi nhận:",
    ):
        assert needle in text, needle


def test_btc_draft_text_layer_drops_page_numbers():
    result = extract(need_shared("realdocs", "du-thao-thong-tu-btc-textlayer.pdf"))
    assert result.pages == 6
    assert re.search(r"(?m)^Điều 1\. Phạm vi điều chỉnh$", result.text)
    assert not [p for p in result.text.split("\n\n") if p.strip().isdigit()]
