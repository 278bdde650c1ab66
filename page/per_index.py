"""What the page draws that depends only on the loaded index, computed once per index, not per visit.

Filter options, the documents' labels, each document's sections in order, the tasks by body: all of it
walks every chunk or document, which on every rerun cost the page more than a search. Each is kept with
`st.cache_resource` under the index's key (its folder and build time), shared by every session, so a
rebuild (a new `created`) gets fresh tables and the old ones age out.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from tracuu.types import Chunk


def key(index) -> str:
    """Changes when the index is rebuilt: its folder and the manifest's build time."""
    return f"{index.path}\0{(index.manifest or {}).get('created', '')}"


@dataclass(frozen=True)
class Facets:
    options: dict[str, list[str]]  # filter field (type, issuer, year) → its values in the index, sorted
    school_years: dict[str, frozenset[str]]  # school year → the documents of that year
    docs: list[str]  # every document, sorted
    doc_labels: dict[str, str]  # document → "title (date)" for the list
    sections: dict[str, list[Chunk]]  # document → its chunks in text order


def _doc_label(document, doc: str) -> str:
    from page.dates import format_date

    if document is None:
        return doc
    date = format_date(document.meta.get("date", ""))
    title = document.title or doc
    title = title if len(title) <= 90 else title[:87] + "…"
    return f"{title} ({date})" if date else title


@st.cache_resource(show_spinner=False, max_entries=4)
def _facets(index_key: str, _index) -> Facets:
    index = _index
    options = {
        name: sorted({index.facet(name, c) for c in index.chunks} - {""})
        for name in ("type", "issuer", "year")
    }
    years: dict[str, set[str]] = {}
    for doc, document in index.documents.items():
        sy = (document.meta or {}).get("school_year")
        if sy:
            years.setdefault(sy, set()).add(doc)
    sections: dict[str, list[Chunk]] = {}
    for c in index.chunks:
        sections.setdefault(c.doc, []).append(c)
    for chunks in sections.values():
        chunks.sort(key=lambda c: c.start)
    return Facets(
        options=options,
        school_years={y: frozenset(d) for y, d in years.items()},
        docs=sorted(index.documents),
        doc_labels={d: _doc_label(index.documents.get(d), d) for d in index.documents},
        sections=sections,
    )


def facets(index) -> Facets:
    return _facets(key(index), index)


@st.cache_resource(show_spinner="Đang tổng hợp nhiệm vụ theo cơ quan…", max_entries=4)
def _tasks(index_key: str, _index) -> dict[str, list]:
    import qa

    by_body: dict[str, list] = {}
    for it in qa.obligations(_index):
        if it.body:
            by_body.setdefault(it.body, []).append(it)
    return dict(sorted(by_body.items()))


def tasks_by_body(index) -> dict[str, list]:
    """Body → its tasks (qa.Obligation), bodies sorted: qa.obligations once per index."""
    return _tasks(key(index), index)
