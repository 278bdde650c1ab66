"""From paginated lines to paragraphs: drop running headers/footers and page numbers, re-join wraps.

Shared by the text-layer PDF reader and OCR. A page is a list of blocks; a block is a list of lines, each
`(text, in_margin)`, where `in_margin` says the line sits in the top or bottom band of the page (None when
the position is unknown, as with OCR or pypdf text).
"""

from __future__ import annotations

import re
from collections import Counter

Line = tuple[str, bool | None]
Page = list[list[Line]]

_PAGE_NUMBER = re.compile(r"[-–—\s]*(?:trang\s*)?\d{1,4}(?:\s*(?:/|trên|of)\s*\d{1,4})?[-–—\s]*", re.I)
# A line that starts one of these opens a new paragraph even inside a PDF text block.
_ITEM = re.compile(
    r"(?:[-–—•+*]\s|\(?\d{1,3}(?:\.\d{1,3})*[.)]\s|\(?[a-zđ][.)]\s|[IVXLC]{1,6}[.)]\s|"
    r"Điều\s+\d+[a-z]?\.|(?:Chương|Mục|Phần)\s+[\dIVXLC]+\b|Nơi nhận:|PHỤ LỤC\b)"
)
_SENTENCE_END = tuple(".:;!?…”\"')")
EDGE_LINES = 2  # how many lines at each end of a page may be a running header or footer


def _key(line: str) -> str:
    # Running headers differ only by the page number they carry.
    return re.sub(r"\d+", "#", " ".join(line.split()).lower())


def _edge_positions(page: Page) -> set[tuple[int, int]]:
    flat = [(b, i) for b, block in enumerate(page) for i, (text, _) in enumerate(block) if text.strip()]
    return set(flat[:EDGE_LINES] + flat[-EDGE_LINES:])


def strip_running(pages: list[Page]) -> tuple[list[Page], int]:
    """Remove page numbers and lines repeated at the same edge of many pages; returns how many went."""
    edges = [_edge_positions(p) for p in pages]
    counts: Counter[str] = Counter()
    for page, pos in zip(pages, edges, strict=True):
        counts.update({_key(page[b][i][0]) for b, i in pos})
    need = max(2, (len(pages) + 1) // 2)
    removed = 0
    out: list[Page] = []
    for page, pos in zip(pages, edges, strict=True):
        kept: Page = []
        for b, block in enumerate(page):
            lines = []
            for i, (text, in_margin) in enumerate(block):
                if (b, i) in pos and in_margin is not False:
                    bare = _PAGE_NUMBER.fullmatch(text.strip()) is not None
                    repeated = len(pages) >= 2 and counts[_key(text)] >= need and len(text.strip()) > 2
                    if bare or repeated:
                        removed += 1
                        continue
                lines.append((text, in_margin))
            if lines:
                kept.append(lines)
        out.append(kept)
    return out, removed


def paragraphs(page: Page) -> list[str]:
    """One paragraph per block, wrapped lines joined; list items and article heads start their own."""
    paras: list[str] = []
    for block in page:
        current: list[str] = []
        first = next((" ".join(t.split()) for t, _ in block if t.strip()), "")
        if paras and first and _continues(paras[-1], first):
            # A paragraph the PDF split into two blocks (or tesseract into two chunks).
            current = [paras.pop()]
        for text, _ in block:
            text = " ".join(text.split())
            if not text:
                continue
            if current and (_ITEM.match(text) or _is_rule(text) or _is_rule(current[-1])):
                paras.append(" ".join(current))
                current = []
            current.append(text)
        if current:
            paras.append(" ".join(current))
    return paras


def _is_rule(text: str) -> bool:
    return len(text) >= 3 and set(text) <= set("_-–—=.* ")


def join_pages(pages: list[list[str]]) -> str:
    """Paragraphs of all pages; a paragraph cut by a page break is joined back."""
    out: list[str] = []
    for paras in pages:
        for k, para in enumerate(paras):
            if k == 0 and out and _continues(out[-1], para):
                out[-1] = f"{out[-1]} {para}"
            else:
                out.append(para)
    return "\n\n".join(out)


def _continues(prev: str, nxt: str) -> bool:
    if prev.endswith(_SENTENCE_END) or _ITEM.match(nxt) or prev.startswith("| ") or nxt.startswith("| "):
        return False
    return nxt[:1].islower() or prev.endswith(",")
