"""The index of obligations: every body the corpus names as an actor, with the items assigned to it."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from qa.items import Item, extract


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


_ITEMS: dict[tuple, list[Item]] = {}


def items_of(index) -> list[Item]:
    """Actor items of every document in `index`, computed once per loaded index."""
    ident = (id(index), len(index.chunks), str(index.manifest.get("created", "")))
    if ident not in _ITEMS:
        if len(_ITEMS) > 8:
            _ITEMS.clear()
        _ITEMS[ident] = [it for d in index.documents.values() for it in extract(d)]
    return _ITEMS[ident]


def obligations(index) -> list[Obligation]:
    """One row per (body, item), sorted by body, then newest document first, then text order."""
    by_doc: dict[str, list] = {}
    for c in index.chunks:
        by_doc.setdefault(c.doc, []).append(c)
    rows = []
    for it in items_of(index):
        d = index.documents[it.doc]
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
                    doc_type=str(d.meta.get("type", "")),
                    date=str(d.meta.get("date", "")),
                    school_year=str(d.meta.get("school_year", "")),
                    issuer=str(d.meta.get("issuer", "") or d.meta.get("reports_on_issuer", "")),
                    how=it.how,
                    deadline=it.deadline,
                )
            )
    rows.sort(key=lambda r: (r.doc, r.start))
    rows.sort(key=lambda r: r.date, reverse=True)
    rows.sort(key=lambda r: r.body)
    return rows
