"""The sidebar filters: document type, issuer, year or school year, document.

Options come from the loaded index; labels carry an accent-free spelling so typing "ke hoach" finds
"Kế hoạch" (see highlight.searchable). The values passed on are exactly the index's facet values.
"""

from __future__ import annotations

import streamlit as st

from page.dates import format_date
from page.highlight import searchable


def _options(index, name: str) -> list[str]:
    values = {index.facet(name, c) for c in index.chunks}
    return sorted(v for v in values if v)


def _school_years(index) -> dict[str, set[str]]:
    """school year → the documents that belong to it (the index filters by year; this narrows by doc)."""
    years: dict[str, set[str]] = {}
    for doc, document in index.documents.items():
        sy = (document.meta or {}).get("school_year")
        if sy:
            years.setdefault(sy, set()).add(doc)
    return years


def _doc_label(index, doc: str) -> str:
    document = index.documents.get(doc)
    if document is None:
        return doc
    date = format_date(document.meta.get("date", ""))
    title = document.title or doc
    title = title if len(title) <= 90 else title[:87] + "…"
    return f"{title} ({date})" if date else title


def sidebar(index) -> dict:
    """Draw the filters; return the `filters` dict for Index.search (empty when nothing is chosen)."""
    st.header("Lọc kết quả")
    st.caption("Để trống là tìm trong tất cả. Gõ không dấu cũng được.")
    chosen = {
        "type": st.multiselect(
            "Loại văn bản",
            _options(index, "type"),
            format_func=searchable,
            key="f-type",
            placeholder="Tất cả",
        ),
        "issuer": st.multiselect(
            "Cơ quan ban hành",
            _options(index, "issuer"),
            format_func=searchable,
            key="f-issuer",
            placeholder="Tất cả",
        ),
        "year": st.multiselect("Năm ban hành", _options(index, "year"), key="f-year", placeholder="Tất cả"),
    }
    school = _school_years(index)
    picked_years = st.multiselect("Năm học", sorted(school), key="f-school", placeholder="Tất cả")
    docs = st.multiselect(
        "Văn bản",
        sorted(index.documents),
        format_func=lambda d: _doc_label(index, d),
        key="f-doc",
        placeholder="Tất cả",
    )
    if picked_years:
        in_years = set().union(*(school[y] for y in picked_years))
        docs = [d for d in docs if d in in_years] if docs else sorted(in_years)
        if not docs:
            docs = ["\x00none"]  # the two choices exclude each other: nothing may match
    chosen["doc"] = docs
    return {k: v for k, v in chosen.items() if v}
