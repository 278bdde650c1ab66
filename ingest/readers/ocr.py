"""OCR of scanned PDF pages with the tesseract command line (Debian tesseract-ocr + tesseract-ocr-vie).

Rendering with PyMuPDF and piping a PNG to `tesseract` was measured against PyMuPDF's own OCR text page
(`get_textpage_ocr`) on the scanned Pháp lệnh: same text, about 2.5x faster, and it lets us pick the page
segmentation mode (see eval/bench/readers.py).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache

OCR_LANG = "vie"
OCR_DPI = 300
OCR_PSM = 4  # one column of text of variable sizes: directives' layout
INSTALL_HINT = "install OCR with `apt-get install tesseract-ocr tesseract-ocr-vie`"
# Pages OCR'd before the file is read (cluster/ spreads a scan's pages over workers): page number -> text
_PREFILLED: ContextVar[dict[int, str] | None] = ContextVar("prefilled_ocr", default=None)


@lru_cache(maxsize=1)
def _tesseract_langs() -> tuple[str, ...]:
    exe = shutil.which("tesseract")
    if not exe:
        return ()
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    return tuple(line.strip() for line in out.splitlines()[1:])


def unavailable_reason() -> str | None:
    """Why OCR cannot run here (None when it can). TRACUU_OCR=0 switches it off, e.g. for tests."""
    from tracuu import config

    if config.ocr_switched_off():
        return "OCR is switched off (TRACUU_OCR=0)"
    langs = _tesseract_langs()
    if not langs:
        return "tesseract is not installed"
    if OCR_LANG not in langs:
        return "tesseract has no Vietnamese data (vie)"
    return None


def _run_tesseract(png: bytes, dpi: int, psm: int) -> str:
    # One thread per process: we already run pages in parallel, and tesseract's OpenMP threads fight them.
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    cmd = ["tesseract", "stdin", "stdout", "-l", OCR_LANG, "--psm", str(psm), "--dpi", str(dpi)]
    proc = subprocess.run(cmd, input=png, capture_output=True, env=env, timeout=300)
    if proc.returncode != 0:
        raise RuntimeError(
            proc.stderr.decode(errors="replace").strip().splitlines()[-1:] or "tesseract failed"
        )
    return proc.stdout.decode("utf-8", errors="replace")


def _render(page, dpi: int, masks: list) -> bytes:
    import pymupdf

    pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY)
    scale = dpi / 72
    for rect in masks:
        # White out overlays such as the digital-signature stamp so they are not read as the document.
        pix.set_rect(pymupdf.IRect(rect * pymupdf.Matrix(scale, scale)) & pix.irect, (255,))
    return pix.tobytes("png")


def render(page, masks: list) -> bytes:
    """The image of a page that `ocr_pages` gives tesseract (default dpi), `masks` blanked."""
    return _render(page, OCR_DPI, masks)


def read_image(png: bytes) -> str:
    """Tesseract's text of one page image from `render`."""
    return _run_tesseract(png, OCR_DPI, OCR_PSM)


@contextmanager
def prefilled(texts: dict[int, str]) -> Iterator[None]:
    """Within it, `ocr_pages` returns these texts for the pages they cover instead of running tesseract."""
    token = _PREFILLED.set(texts)
    try:
        yield
    finally:
        _PREFILLED.reset(token)


def ocr_pages(
    doc,
    page_numbers: list[int],
    masks: dict[int, list] | None = None,
    dpi: int | None = None,
    psm: int | None = None,
    check: Callable[[], None] | None = None,
) -> list[str]:
    """Text of the given pages of an open PyMuPDF document, in order; `masks` are page areas to blank.
    `check` runs before each page is rendered (a reader's time budget raises there)."""
    dpi, psm = dpi or OCR_DPI, psm or OCR_PSM
    masks = masks or {}
    done = _PREFILLED.get()
    if done is not None and (dpi, psm) == (OCR_DPI, OCR_PSM) and all(n in done for n in page_numbers):
        for _ in page_numbers:
            if check is not None:
                check()
        return [done[n] for n in page_numbers]
    workers = max(1, min(2, os.cpu_count() or 1, len(page_numbers)))
    with ThreadPoolExecutor(workers) as pool:
        # PyMuPDF is not thread-safe: render here, one page at a time, while tesseract processes run.
        futures = []
        for n in page_numbers:
            if check is not None:
                check()
            futures.append(pool.submit(_run_tesseract, _render(doc[n], dpi, masks.get(n, [])), dpi, psm))
        return [f.result() for f in futures]
