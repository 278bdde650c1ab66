"""PDF tables PyMuPDF finds (`page.find_tables()`), as markdown rows: "| cell | cell | cell |".

A table of tasks ("Nội dung công tác | Đơn vị chủ trì | Thời gian thực hiện") read as loose text mixes its
cells into one paragraph; read as rows, each row is one line, and ingest's blocks give each row its cells
(qa/tables.py then reads a row's body cell as the actor of its task cell). The rows are the text of the
canonical document, so offsets stay exact.

`find_tables` also sees "tables" in justified paragraphs (the gaps between words line up); a table is
kept only when its first row is a header of at least two short cells and most rows have two cells or
more.
"""

from __future__ import annotations

import logging

HEADER_CELL_CHARS = 60  # a header cell is a label ("Đơn vị chủ trì"), not a sentence
MIN_FILLED_SHARE = 0.5  # share of rows with two non-empty cells or more
MAX_LOWER_SHARE = 0.2  # share of cells that may start in lower case


def tables(page) -> list[tuple[tuple[float, float, float, float], list[str]]]:
    """(bbox, rows as "| a | b |" lines) of each real table on `page`; [] when PyMuPDF cannot look."""
    import pymupdf

    pymupdf.no_recommend_layout()  # find_tables prints a package recommendation to stdout otherwise
    try:
        found = page.find_tables().tables
    except Exception as exc:  # noqa: BLE001 - table detection is best effort; text is still read
        logging.getLogger(__name__).debug("find_tables failed on page %s: %s", page.number, exc)
        return []
    out = []
    for table in found:
        rows = [[" ".join((c or "").split()) for c in row] for row in table.extract()]
        if _is_table(rows):
            out.append((tuple(table.bbox), [_row(r) for r in _merged(rows) if any(r)]))
    return out


def _is_table(rows: list[list[str]]) -> bool:
    if len(rows) < 2 or len(rows[0]) < 2:
        return False
    header = [c for c in rows[0] if c]
    if len(header) < 2 or any(len(c) > HEADER_CELL_CHARS or c.endswith((".", ";")) for c in header):
        return False
    filled = sum(1 for r in rows if sum(1 for c in r if c) >= 2)
    cells = [c for r in rows for c in r if c]
    # Cells that start in lower case are a paragraph's lines cut at a gap ("và g" / "iới thiệu ...").
    lower = sum(1 for c in cells if c[0].islower())
    if any(c[0].islower() for c in header) or lower > MAX_LOWER_SHARE * len(cells):
        return False
    return filled >= MIN_FILLED_SHARE * len(rows)


def _merged(rows: list[list[str]]) -> list[list[str]]:
    """Rows of a numbered table ("TT", "STT") with the lines of one row put back together: find_tables
    cuts a row without ruling lines at each line of text, leaving the number cell empty."""
    if rows[0][0].upper() not in ("TT", "STT", "SỐ TT"):
        return rows
    out = [rows[0]]
    for row in rows[1:]:
        if not row[0] and len(out) > 1 and len(row) == len(out[-1]):
            out[-1] = [" ".join(x for x in (a, b) if x) for a, b in zip(out[-1], row, strict=True)]
        else:
            out.append(row)
    return out


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(c.replace("|", "/") for c in cells) + " |"


def inside(bbox, box) -> bool:
    """Whether a text block's box `box` lies in the table `bbox` (its centre does)."""
    x, y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return bbox[0] <= x <= bbox[2] and bbox[1] <= y <= bbox[3]
