"""DOCX: body paragraphs and tables in reading order (python-docx).

Only text the reader sees is taken: runs' text of body paragraphs and table cells. Drawings and text boxes
are skipped, because their XML also holds anchor offsets (wp:posOffset) that naive XML-text readers leak
into the text as stray numbers.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from tracuu.errors import UnreadableFile, one_line

from .extracted import Extracted
from .limits import Budget

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _paragraph_text(p) -> str:
    return " ".join(p.text.split())


def _table_lines(table) -> list[str]:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    lines = []
    for row in table.rows:
        cells: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:
            # A merged cell is returned once per grid column it spans.
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            parts = []
            for child in cell._tc.iterchildren():
                if child.tag == _W + "p":
                    parts.append(_paragraph_text(Paragraph(child, cell)))
                elif child.tag == _W + "tbl":
                    parts.extend(_table_lines(Table(child, cell)))
            text = " ".join(x for x in parts if x)
            if text:
                cells.append(text)
        if cells:
            lines.append(" | ".join(cells))
    return lines


def _damaged(path: Path, exc: Exception) -> UnreadableFile:
    return UnreadableFile(f"{path.name}: damaged .docx ({one_line(exc, 160)}); open and re-save it in Word")


def _prescan(path: Path, budget: Budget) -> None:
    """Count the body's paragraphs and characters as its XML streams past, before python-docx builds the
    whole tree: a small file that expands to millions of paragraphs is refused here, in bounded memory."""
    from lxml import etree

    paragraphs = chars = 0
    with zipfile.ZipFile(path) as package, package.open("word/document.xml") as xml:
        for _, el in etree.iterparse(xml, events=("end",), tag=(_W + "p", _W + "t")):
            if el.tag == _W + "t":
                chars += len(el.text or "")
                continue
            paragraphs += 1
            if paragraphs % 1000 == 0:
                budget.check_paragraphs(paragraphs)
                budget.check_chars(chars)
                budget.check_time()
            el.clear()
            while el.getprevious() is not None:  # drop finished paragraphs, not just their contents
                del el.getparent()[0]
    budget.check_paragraphs(paragraphs)
    budget.check_chars(chars)


def read_docx(path: Path, budget: Budget) -> Extracted:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph
    from lxml import etree

    if not zipfile.is_zipfile(path):
        raise UnreadableFile(f"{path.name}: not a .docx (not a ZIP package); save it from Word as .docx")
    # lxml refuses XML nested too deep or with a huge text node (XMLSyntaxError): a damaged file too.
    broken = (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, etree.LxmlError, EOFError)
    try:
        _prescan(path, budget)
        document = docx.Document(str(path))
    except broken as exc:
        raise _damaged(path, exc) from None
    blocks: list[str] = []
    skipped = 0
    for child in document.element.body.iterchildren():
        if child.tag == _W + "p":
            skipped += len(child.findall(f".//{_W}txbxContent"))
            text = _paragraph_text(Paragraph(child, document))
            if text:
                blocks.append(text)
        elif child.tag == _W + "tbl":
            lines = _table_lines(Table(child, document))
            if lines:
                blocks.append("\n".join(lines))
    notes = [f"docx: {len(blocks)} paragraphs/tables in body order"]
    if skipped:
        notes.append(f"docx: skipped {skipped} text boxes/drawings")
    return Extracted("\n\n".join(blocks), notes, "docx", 1)
