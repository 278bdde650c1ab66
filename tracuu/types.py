"""The data that flows through tracuu (see ../shared/DESIGN.md, "Flow").

Offsets (`start`, `end`) always point into a Document's canonical `text`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class Document:
    doc: str  # identity: path relative to the ingested folder (or file name), NFC
    title: str
    text: str  # canonical text: NFC, cleaned; every offset points into it
    meta: dict[str, str] = field(default_factory=dict)  # type, number, issuer, place, date, ...
    notes: list[str] = field(default_factory=list)  # what the reader assumed (encoding, OCR, ...)


@dataclass
class Chunk:
    doc: str
    start: int
    end: int
    heading: str  # heading path, parts joined with " › "
    section: str  # section label, e.g. "III.2.2"
    text: str  # exactly document.text[start:end]
    # No metadata of its own: its document's (Document.meta) is read once per document, and a hit's title,
    # number, issuer, date come from index/hit_view.py.

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class Hit:
    chunk: Chunk
    score: float
    rank: int  # 1-based


@dataclass
class Citation:
    n: int  # 1-based, what points refer to
    chunk: Chunk


@dataclass
class Point:
    text: str  # verbatim from the canonical text of a cited document
    citations: list[int]  # Citation.n values
    body: str = ""  # the body (agency) this point is about, when the question named one


@dataclass
class Answer:
    question: str
    answer: str  # one plain sentence that introduces the points (or says nothing was found)
    points: list[Point] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    related: list[Hit] = field(default_factory=list)  # "có thể liên quan" when there is no answer
    # What was searched when the question set a scope ("trong Kế hoạch 215/KH-UBND"); "" for every document.
    searched: str = ""
    scope_notes: list[str] = field(default_factory=list)  # "không có văn bản nào của Hà Giang trong chỉ mục"
