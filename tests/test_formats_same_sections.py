"""A seed written as DOCX and as PDF is split into the same sections as its .txt."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CORPUS
from test_sections import SEEDS

from ingest import parse_file

FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu")]


def _font() -> Path:
    for d in FONT_DIRS:
        if (d / "DejaVuSans.ttf").exists():
            return d / "DejaVuSans.ttf"
    pytest.skip("DejaVuSans.ttf (Debian fonts-dejavu-core) is not installed; it has the Vietnamese glyphs")


def _paragraphs(seed: str) -> list[str]:
    text = (CORPUS / SEEDS[seed]).read_text(encoding="utf-8")
    return [p.strip() for p in text.split("\n\n") if p.strip()]


def _docx(paragraphs: list[str], path: Path) -> Path:
    import docx

    d = docx.Document()
    for p in paragraphs:
        d.add_paragraph(p.replace("**", ""))
    d.save(str(path))
    return path


def _pdf(paragraphs: list[str], path: Path) -> Path:
    import pymupdf

    font = _font()
    doc = pymupdf.open()
    page, y = None, 0.0
    for para in paragraphs:
        para = para.replace("**", "")
        while True:
            if page is None or y > 760:
                page, y = doc.new_page(width=595, height=842), 60.0
                page.insert_font(fontname="dv", fontfile=str(font))
            rect = pymupdf.Rect(60, y, 535, 800)
            left = page.insert_textbox(rect, para, fontname="dv", fontsize=10)
            if left >= 0:
                y = 800 - left + 8
                break
            page = None  # does not fit on what is left of this page: start the next one
    doc.save(str(path))
    return path


@pytest.mark.parametrize("seed", ["003", "000"])
@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_same_sections_as_txt(tmp_path, seed, kind):
    paragraphs = _paragraphs(seed)
    made = (_docx if kind == "docx" else _pdf)(paragraphs, tmp_path / f"seed.{kind}")
    txt_doc, txt_chunks = parse_file(CORPUS / SEEDS[seed])
    doc, chunks = parse_file(made)
    assert [c.section for c in chunks] == [c.section for c in txt_chunks]
    assert all(c.text == doc.text[c.start : c.end] for c in chunks)
    assert doc.meta["type"] == txt_doc.meta["type"] and doc.meta.get("signer") == txt_doc.meta.get("signer")
