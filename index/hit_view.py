"""What a hit or a citation shows of its document: the one place the CLI, the answers, the page and the
API read a passage's title, number, issuer and date from.

A chunk carries no metadata of its own: its document's is stored once (documents.jsonl; chunks.jsonl
repeats it per line only because DESIGN's contract says so, and loading does not read it back).
`hit_view` joins a chunk with its document. The rule for the title: the document's title when it has
one, its file name only when it has none.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from tracuu.types import Chunk


class Described(Protocol):
    """A document as its readers hold it: an index's Document, or the page's DocInfo (no text)."""

    doc: str
    title: str
    meta: Mapping[str, str]


@dataclass(frozen=True)
class HitView:
    doc: str  # the document's id (its path in the ingested folder)
    title: str  # the document's title; its file name only when it has none
    section: str = ""  # "III.2", "" for a whole document
    heading: str = ""  # the heading path, parts joined with " › "
    start: int = 0
    end: int = 0
    text: str = ""  # the passage: document.text[start:end]
    type: str = ""  # "Kế hoạch", "Công văn", "Tin tức", ...
    number: str = ""  # "215/KH-UBND"
    issuer: str = ""
    place: str = ""
    date: str = ""  # as the document gives it (ISO 8601 when ingest read one)
    school_year: str = ""
    reports_on: str = ""  # a news article: the directive it reports on
    reports_on_issuer: str = ""

    @property
    def issued_by(self) -> str:
        """Who issued it: the issuer, or for a news article the issuer of the directive it reports on."""
        return self.issuer or self.reports_on_issuer


_FIELDS = ("type", "number", "issuer", "place", "date", "school_year", "reports_on", "reports_on_issuer")


def hit_view(chunk: Chunk | None, document: Described | None, doc: str = "") -> HitView:
    """The citation fields of `chunk` (None: of the whole document) in `document` (None when the index
    has no such document: the file name stands for the title and the rest is empty)."""
    doc = chunk.doc if chunk is not None else (document.doc if document is not None else doc)
    meta = document.meta if document is not None else {}
    fields = {name: str(meta.get(name) or "") for name in _FIELDS}
    title = (document.title if document is not None else "") or doc
    if chunk is None:
        return HitView(doc, title, **fields)
    return HitView(
        doc, title, chunk.section, chunk.heading, chunk.start, chunk.end, chunk.text, **fields
    )  # fmt: skip


def view_of(index, chunk: Chunk) -> HitView:
    """`hit_view` of a chunk of `index` (anything with `documents`: an Index; None for no index)."""
    documents = getattr(index, "documents", None) or {}
    return hit_view(chunk, documents.get(chunk.doc))


def source_text(v: HitView) -> str:
    """One line for a terminal: "title — issuer — date — mục section"."""
    parts = [v.title, v.issued_by, v.date, f"mục {v.section}" if v.section else ""]
    return " — ".join(p for p in parts if p)
