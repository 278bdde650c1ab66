"""What the page draws that depends only on the index, computed once per index, not per visit.

Filter options, the documents' labels and metadata, the tasks by body, a document opened for reading:
each walks every chunk or document (or, from the API, is a request), which on every rerun cost the page
more than a search. Each is kept with `st.cache_resource` under the source's key (page/source.py: the
index's folder and build time, or the API's), shared by every session, so a rebuild or an API that
loads a new index gets fresh tables and the old ones age out.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from page.source import FILTERS, DocInfo, Reading

READINGS = 64  # documents kept for the reading view, all sessions together


def key(source) -> str:
    """Changes when the index is rebuilt (or the API loads another)."""
    return source.key


@dataclass(frozen=True)
class Facets:
    options: dict[str, list[str]]  # filter field (type, issuer, year) → its values in the index, sorted
    school_years: dict[str, frozenset[str]]  # school year → the documents of that year
    docs: list[str]  # every document, sorted
    doc_labels: dict[str, str]  # document → "title (date)" for the list
    documents: dict[str, DocInfo]  # document → its title and metadata (passages' source lines, tasks)


def _doc_label(info: DocInfo) -> str:
    from page.dates import format_date

    date = format_date(info.meta.get("date", ""))
    title = info.title or info.doc
    title = title if len(title) <= 90 else title[:87] + "…"
    return f"{title} ({date})" if date else title


@st.cache_resource(show_spinner=False, max_entries=4)
def _facets(index_key: str, _source) -> Facets:
    documents = _source.documents()
    # A document with no passage is in no filter's options (search could never return it).
    searchable = [d for d in documents.values() if d.chunks]
    options = {name: sorted({d.filters.get(name, "") for d in searchable} - {""}) for name in FILTERS}
    years: dict[str, set[str]] = {}
    for doc, info in documents.items():
        sy = info.meta.get("school_year")
        if sy:
            years.setdefault(sy, set()).add(doc)
    return Facets(
        options=options,
        school_years={y: frozenset(d) for y, d in years.items()},
        docs=sorted(documents),
        doc_labels={d: _doc_label(info) for d, info in documents.items()},
        documents=documents,
    )


def facets(source) -> Facets:
    return _facets(key(source), source)


@st.cache_resource(show_spinner="Đang tổng hợp nhiệm vụ theo cơ quan…", max_entries=4)
def _tasks(index_key: str, _source) -> dict[str, list]:
    by_body: dict[str, list] = {}
    for it in _source.obligations():
        if it.body:
            by_body.setdefault(it.body, []).append(it)
    return dict(sorted(by_body.items()))


def tasks_by_body(source) -> dict[str, list]:
    """Body → its tasks (qa.Obligation), bodies sorted: the obligations once per index."""
    return _tasks(key(source), source)


@st.cache_resource(show_spinner=False, max_entries=READINGS)
def _reading(index_key: str, doc: str, _source) -> Reading | None:
    return _source.reading(doc)


def reading(source, doc: str) -> Reading | None:
    """A document and its outline for the reading view, None when the index has no such document."""
    return _reading(key(source), doc, source)
