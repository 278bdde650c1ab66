"""Reader figures: character error rate against curated text, and extraction speed in pages/s.

    python -m eval.bench.readers [--shared ../shared] [--quick]

CER = Levenshtein distance / reference length, after both sides are NFC, lower-cased, stripped of rule
lines ("____", "----") and markdown table pipes, and whitespace-collapsed: the curated texts upper-case
some titles and draw tables in markdown, which is not an extraction error. The curated site's two
metadata lines are dropped; nd-55's reference stops at the signature because the PDF has no appendices.
"""

from __future__ import annotations

import argparse
import re
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def cer_normalize(text: str) -> str:
    text = unicodedata.normalize("NFC", text).lower()
    text = re.sub(r"[_\-=]{3,}", " ", text).replace("|", " ")
    return " ".join(text.split())


def curated_reference(path: Path, stop_after: str | None = None) -> str:
    """The curated text of a benchmark document without the site's metadata lines."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    if len(lines) > 2 and lines[1].startswith("Ngày ban hành"):
        text = "\n".join(lines[2:])
    if stop_after and stop_after in text:
        text = text[: text.index(stop_after) + len(stop_after)]
    return text


def cer(hypothesis: str, reference: str) -> float:
    from rapidfuzz.distance import Levenshtein

    hyp, ref = cer_normalize(hypothesis), cer_normalize(reference)
    return Levenshtein.distance(hyp, ref) / max(1, len(ref))


def cer_of_part(hypothesis: str, reference: str) -> float:
    """CER of a text that covers only part of the reference (e.g. the first pages), against that part."""
    from rapidfuzz import fuzz
    from rapidfuzz.distance import Levenshtein

    hyp, ref = cer_normalize(hypothesis), cer_normalize(reference)
    # Locate the part by its opening and closing words, then score against the span between them.
    head = fuzz.partial_ratio_alignment(hyp[:200], ref)
    tail = fuzz.partial_ratio_alignment(hyp[-200:], ref)
    end = tail.dest_end if tail.dest_end > head.dest_start else head.dest_start + len(hyp)
    span = ref[head.dest_start : end]
    return Levenshtein.distance(hyp, span) / max(1, len(span))


def _timed_pdf(path: Path, first_pages: int | None = None, dpi: int | None = None, psm: int | None = None):
    """Extract a PDF the way `tracuu` does (optionally its first pages, with other OCR settings)."""
    import tempfile

    import pymupdf

    from ingest.readers import extract, ocr

    saved = ocr.OCR_DPI, ocr.OCR_PSM
    ocr.OCR_DPI, ocr.OCR_PSM = dpi or saved[0], psm or saved[1]
    try:
        with tempfile.TemporaryDirectory() as tmp:
            if first_pages:
                part = Path(tmp) / path.name
                with pymupdf.open(path) as doc:
                    doc.select(list(range(first_pages)))
                    doc.save(part)
                path = part
            t0 = time.perf_counter()
            result = extract(path)
            return result.text, result.pages, time.perf_counter() - t0
    finally:
        ocr.OCR_DPI, ocr.OCR_PSM = saved


def run(shared: Path, quick: bool = False) -> list[dict]:
    """Rows for the bench table: one per (file, setting)."""
    from ingest.readers import ocr

    real, congbot = shared / "realdocs", shared / "bench" / "congbot" / "corpus"
    rows: list[dict] = []

    def row(
        name: str, setting: str, text: str, pages: int, seconds: float, reference: str | None, part=False
    ):
        value = None
        if reference is not None:
            value = cer_of_part(text, reference) if part else cer(text, reference)
        rows.append(
            {
                "file": name,
                "setting": setting,
                "pages": pages,
                "seconds": round(seconds, 2),
                "pages_per_s": round(pages / seconds, 2) if seconds else None,
                "cer": None if value is None else round(value, 4),
            }
        )

    nd55_ref = curated_reference(congbot / "55_2023_NĐ_CP.txt", stop_after="Trần Hồng Hà")
    for name, ref in (("nd-55-2023-textlayer.pdf", nd55_ref), ("du-thao-thong-tu-btc-textlayer.pdf", None)):
        text, pages, secs = _timed_pdf(real / name)
        row(name, "text layer (PyMuPDF)", text, pages, secs, ref)
    if ocr.unavailable_reason():
        return rows
    pl_ref = curated_reference(congbot / "02_2020_UBTVQH14.txt")
    pl = real / "phap-lenh-02-2020-scanned.pdf"
    settings = [(300, 4)] if quick else [(200, 4), (300, 3), (300, 4), (300, 6)]
    for dpi, psm in settings:
        text, pages, secs = _timed_pdf(pl, first_pages=3, dpi=dpi, psm=psm)
        row(pl.name, f"OCR first 3 pages, {dpi} dpi, psm {psm}", text, pages, secs, pl_ref, part=True)
    if not quick:
        text, pages, secs = _timed_pdf(pl)
        row(
            pl.name,
            f"OCR all pages (default: {ocr.OCR_DPI} dpi, psm {ocr.OCR_PSM})",
            text,
            pages,
            secs,
            pl_ref,
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--quick", action="store_true", help="one OCR setting, no full-document OCR")
    args = parser.parse_args()
    rows = run(args.shared, quick=args.quick)
    print(f"| {'file':36} | {'setting':44} | pages | s | pages/s | CER |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        cer_text = "-" if r["cer"] is None else f"{r['cer']:.2%}"
        print(
            f"| {r['file']:36} | {r['setting']:44} | {r['pages']} | {r['seconds']} | {r['pages_per_s']} "
            f"| {cer_text} |"
        )


if __name__ == "__main__":
    main()
