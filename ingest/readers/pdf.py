"""PDF: the text layer through PyMuPDF (pypdf only when PyMuPDF cannot open the file), OCR for scans."""

from __future__ import annotations

import logging
from pathlib import Path

from tracuu.errors import UnreadableFile

from . import ocr
from .extracted import Extracted
from .limits import Budget
from .pages import Page, join_pages, paragraphs, strip_running

MARGIN = 0.08  # top and bottom share of the page where running headers, footers and page numbers sit
# A page whose text layer is this short while an image covers most of it is a scan; the few characters
# are a digital-signature stamp, not the document.
SCAN_MAX_CHARS = 400
SCAN_MIN_IMAGE_COVER = 0.6


def _check_bytes(path: Path) -> None:
    with path.open("rb") as fh:
        head = fh.read(1024)
        fh.seek(max(0, path.stat().st_size - 2048))
        tail = fh.read()
    if b"%PDF-" not in head:
        raise UnreadableFile(
            f"{path.name}: not a PDF (no %PDF header); check the file or give it its real extension"
        )
    if b"%%EOF" not in tail:
        raise UnreadableFile(
            f"{path.name}: the PDF is truncated (no %%EOF end marker); download or copy the file again"
        )


def _image_cover(page) -> float:
    area = abs(page.rect) or 1.0
    covered = 0.0
    for info in page.get_image_info():
        x0, y0, x1, y1 = info["bbox"]
        covered += abs((x1 - x0) * (y1 - y0))
    return min(1.0, covered / area)


def _is_scan(page, page_text: str) -> bool:
    return len("".join(page_text.split())) < SCAN_MAX_CHARS and _image_cover(page) >= SCAN_MIN_IMAGE_COVER


def scanned_page_images(path: Path, max_pages: int) -> list[tuple[int, bytes]]:
    """(page number, image) of each scanned page, masked and rendered exactly as `read_pdf` gives them to
    tesseract, so the pages can be OCR'd elsewhere (cluster/) and handed back with `ocr.prefilled`. Empty
    when the file cannot be opened or is over `max_pages`: reading it then says why."""
    doc = _open(path)
    if doc is None:
        return []
    with doc:
        if doc.needs_pass or doc.page_count > max_pages:
            return []
        scanned = [n for n, page in enumerate(doc) if _is_scan(page, page.get_text())]
        return [(n, ocr.render(doc[n], _overlays(doc[n]))) for n in scanned]


def _overlays(page) -> list:
    """Areas of a scanned page that are not the scan: the signature stamp's text and its logo."""
    import pymupdf

    area = abs(page.rect) or 1.0
    rects = [pymupdf.Rect(b[:4]) for b in page.get_text("blocks")]
    rects += [
        pymupdf.Rect(i["bbox"]) for i in page.get_image_info() if abs(pymupdf.Rect(i["bbox"])) < 0.3 * area
    ]
    return rects


def _layout(page) -> Page:
    from .pdftables import inside, tables

    height = page.rect.height or 1.0
    found = tables(page)
    placed: set[int] = set()
    blocks: Page = []
    for block in page.get_text("dict")["blocks"]:
        if block.get("type") != 0:
            continue
        t = next((n for n, (bbox, _) in enumerate(found) if inside(bbox, block["bbox"])), None)
        if t is not None:
            # The table's rows stand where its first text block stood, one row a block (a paragraph each).
            if t not in placed:
                placed.add(t)
                blocks += [[(row, False)] for row in found[t][1]]
            continue
        lines = []
        for line in block["lines"]:
            text = "".join(span["text"] for span in line["spans"])
            y0, y1 = line["bbox"][1], line["bbox"][3]
            lines.append((text, y1 <= MARGIN * height or y0 >= (1 - MARGIN) * height))
        blocks.append(lines)
    return blocks


def _ocr_layout(text: str) -> Page:
    # Tesseract separates paragraphs with blank lines; line positions are unknown.
    return [[(ln, None) for ln in chunk.splitlines()] for chunk in text.split("\n\n") if chunk.strip()]


def _open(path: Path):
    import pymupdf

    pymupdf.TOOLS.mupdf_display_errors(False)
    try:
        return pymupdf.open(path, filetype="pdf")
    except Exception as exc:  # noqa: BLE001 - MuPDF raises several types for broken files
        logging.getLogger(__name__).debug("PyMuPDF cannot open %s: %s", path, exc)
        return None


def _read_pypdf(path: Path) -> Extracted:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(path)
        if reader.is_encrypted:
            _refuse_encrypted(path)
        pages = [_ocr_layout(p.extract_text() or "") for p in reader.pages]
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise UnreadableFile(
            f"{path.name}: damaged PDF that cannot be opened ({exc}); get a clean copy"
        ) from None
    pages, removed = strip_running(pages)
    text = join_pages([paragraphs(p) for p in pages])
    notes = ["pdf: PyMuPDF could not open the file; text from pypdf (layout may be rougher)"]
    if removed:
        notes.append(f"pdf: dropped {removed} running header/footer/page-number lines")
    return Extracted(text, notes, "pdf", len(pages))


def _refuse_encrypted(path: Path) -> None:
    raise UnreadableFile(
        f"{path.name}: the PDF is password-protected; save an unprotected copy "
        "(e.g. qpdf --decrypt) and retry"
    )


def read_pdf(path: Path, budget: Budget) -> Extracted:
    _check_bytes(path)
    doc = _open(path)
    if doc is None:
        return _read_pypdf(path)
    with doc:
        if doc.needs_pass:
            _refuse_encrypted(path)
        if doc.page_count == 0:
            raise UnreadableFile(f"{path.name}: the PDF has no pages; give the complete document")
        budget.check_pages(doc.page_count)
        layouts: list[Page] = []
        scanned: list[int] = []
        read = 0
        for n, page in enumerate(doc):
            budget.check_time()
            page_text = page.get_text()
            read += len(page_text)
            budget.check_chars(read)
            if _is_scan(page, page_text):
                scanned.append(n)
                layouts.append([])
            else:
                layouts.append(_layout(page))
        notes: list[str] = []
        kind = "pdf"
        if scanned:
            kind, notes = _ocr_into(path, doc, scanned, layouts, budget)
        pages, removed = strip_running(layouts)
        if removed:
            notes.append(f"pdf: dropped {removed} running header/footer/page-number lines")
        return Extracted(join_pages([paragraphs(p) for p in pages]), notes, kind, doc.page_count)


def _ocr_into(
    path: Path, doc, scanned: list[int], layouts: list[Page], budget: Budget
) -> tuple[str, list[str]]:
    """OCR the scanned pages into `layouts`; refuse a mostly scanned file when OCR cannot run."""
    reason = ocr.unavailable_reason()
    total = doc.page_count
    if reason:
        if len(scanned) * 2 >= total:
            raise UnreadableFile(
                f"{path.name}: scanned PDF ({len(scanned)} of {total} pages are images without text) "
                f"and {reason}; "
                f"{ocr.INSTALL_HINT}"
            )
        return "pdf", [
            f"pdf: skipped {len(scanned)} scanned pages ({reason}); {ocr.INSTALL_HINT} to read them"
        ]
    try:
        texts = ocr.ocr_pages(doc, scanned, {n: _overlays(doc[n]) for n in scanned}, check=budget.check_time)
    except (OSError, RuntimeError) as exc:
        raise UnreadableFile(f"{path.name}: OCR failed ({exc}); check the tesseract install") from None
    for n, text in zip(scanned, texts, strict=True):
        layouts[n] = _ocr_layout(text)
    note = (
        f"ocr: tesseract {ocr.OCR_LANG}, {len(scanned)} of {total} pages, "
        f"{ocr.OCR_DPI} dpi, psm {ocr.OCR_PSM} "
        "(the signature stamp over the scan was blanked, not read)"
    )
    return ("pdf-ocr" if len(scanned) * 2 >= total else "pdf"), [note]
