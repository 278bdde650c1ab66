"""The index of obligations: every body the corpus names as an actor, with the items assigned to it."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from index.hit_view import hit_view
from qa import derived


@dataclass
class Obligation:
    body: str  # "Sở Y tế", "Công an huyện", ...
    kind: str  # "Sở", "Phòng", "UBND", ...
    level: str  # "tỉnh", "huyện", "xã", "trường", "trung ương" or ""
    text: str  # verbatim: documents[doc].text[start:end]
    doc: str
    start: int
    end: int
    section: str  # of the chunk holding the item's start
    heading: str
    title: str
    doc_type: str
    date: str
    school_year: str
    issuer: str
    how: str  # "subject", "assigned", "heading", "continued", "list" (see qa.items)
    deadline: bool

    def to_json(self) -> dict:
        return asdict(self)


def obligations(index) -> list[Obligation]:
    """One row per (body, item), sorted by body, then newest document first, then text order."""
    by_doc = derived.spans(index)
    rows = []
    for it in derived.items(index):
        d = hit_view(None, index.documents[it.doc])  # its title, type, date, issuer: as every citation's
        chunk = next((c for c in by_doc.get(it.doc, []) if c.start <= it.start < c.end), None)
        for body in it.actors:
            rows.append(
                Obligation(
                    body=body.name,
                    kind=body.kind,
                    level=body.level,
                    text=it.text,
                    doc=it.doc,
                    start=it.start,
                    end=it.end,
                    section=chunk.section if chunk else "",
                    heading=chunk.heading if chunk else "",
                    title=d.title,
                    doc_type=d.type,
                    date=d.date,
                    school_year=d.school_year,
                    issuer=d.issued_by,
                    how=it.how,
                    deadline=it.deadline,
                )
            )
    rows.sort(key=lambda r: (r.doc, r.start))
    rows.sort(key=lambda r: r.date, reverse=True)
    rows.sort(key=lambda r: r.body)
    return rows
