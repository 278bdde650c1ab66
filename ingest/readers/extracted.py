"""What a reader gives back (its own module, so the readers and the package that picks them import it
from one place, without importing each other)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Extracted:
    text: str  # raw extracted text, NFC, paragraphs separated by blank lines
    notes: list[str] = field(default_factory=list)  # what was assumed: encoding, OCR, dropped headers
    kind: str = "txt"  # "txt", "pdf", "pdf-ocr", "docx", "html"
    pages: int = 1  # PDF pages; 1 for formats without pages
