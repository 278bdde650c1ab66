"""A PDF table of tasks PyMuPDF finds is read as rows: one line a row, its cells in order, offsets exact, and
qa reads a row's body cell as the actor of its task cell with the deadline column."""

from __future__ import annotations

import pytest
from test_formats_same_sections import _font

from ingest import blocks, read_document
from qa.items import extract

HEADER = ["TT", "Nội dung công tác", "Đơn vị chủ trì", "Thời gian thực hiện"]
ROW1 = ["1", "Rà soát học sinh dự thi các trường", "Phòng Giáo dục và Đào tạo", "Trước ngày 15/4/2026"]
ROW2 = ["2", "Tập huấn coi thi cho giáo viên", "Sở Giáo dục và Đào tạo", "Hoàn thành trước 30/4/2026"]
ROWS = [ROW1, ROW2]
WIDTHS = [30, 210, 130, 120]


def _pdf(path):
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_font(fontname="dv", fontfile=str(_font()))
    page.insert_textbox(
        pymupdf.Rect(60, 60, 535, 120), "KẾ HOẠCH Tổ chức kỳ kiểm tra năm 2026", fontname="dv"
    )
    page.insert_textbox(
        pymupdf.Rect(60, 120, 535, 170), "Các đơn vị thực hiện theo bảng phân công sau đây.", fontname="dv"
    )
    y = 180
    for row in [HEADER, *ROWS]:
        x = 60
        for width, cell in zip(WIDTHS, row, strict=True):
            rect = pymupdf.Rect(x, y, x + width, y + 40)
            page.draw_rect(rect, color=(0, 0, 0), width=0.8)
            page.insert_textbox(rect + (3, 3, -3, -3), cell, fontname="dv", fontsize=9)
            x += width
        y += 40
    page.insert_textbox(pymupdf.Rect(60, y + 20, 535, y + 60), "Trên đây là kế hoạch.", fontname="dv")
    doc.save(str(path))
    return path


@pytest.fixture(scope="module")
def document(tmp_path_factory):
    return read_document(_pdf(tmp_path_factory.mktemp("pdftab") / "kh.pdf"))


def test_each_row_is_one_line_with_its_cells_in_order(document):
    lines = document.text.split("\n")
    assert "| TT | Nội dung công tác | Đơn vị chủ trì | Thời gian thực hiện |" in lines
    assert "| " + " | ".join(ROW1) + " |" in lines
    rows = [b for b in blocks.read(document.text) if b.kind == "row"]
    assert len(rows) == 3
    cells = [document.text[s:e] for s, e in rows[2].cells]
    assert cells == ROW2
    assert "Các đơn vị thực hiện theo bảng phân công sau đây." in lines  # text around the table stays text


def test_row_task_goes_to_its_body_cell_with_its_deadline(document):
    items = extract(document)
    mine = [it for it in items if any(a.name.startswith("Phòng Giáo dục") for a in it.actors)]
    assert mine, [(it.text, [a.name for a in it.actors]) for it in items]
    it = mine[0]
    assert document.text[it.start : it.end] == it.text
    assert it.text.startswith("Rà soát học sinh dự thi") and it.text.endswith("15/4/2026")


def test_a_quote_across_cells_is_found_without_the_borders(document):
    from eval.spans import Locator

    quote = "1 Rà soát học sinh dự thi các trường Phòng Giáo dục và Đào tạo Trước ngày 15/4/2026"
    span = Locator("kh.pdf", document.text).find(quote)
    assert span is not None
    assert document.text[span.start : span.end] == " | ".join(ROW1)
