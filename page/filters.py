"""The sidebar filters: document type, issuer, year or school year, document.

Options come from the page's source (page.per_index, once per index); labels carry an accent-free
spelling so typing "ke hoach" finds "Kế hoạch" (see highlight.searchable). The values passed on are
exactly the index's facet values.
"""

from __future__ import annotations

import streamlit as st

from page import per_index
from page.highlight import searchable


def sidebar(source) -> dict:
    """Draw the filters; return the `filters` dict for Source.search (empty when nothing is chosen)."""
    facets = per_index.facets(source)
    st.header("Lọc kết quả")
    st.caption("Để trống là tìm trong tất cả. Gõ không dấu cũng được.")
    chosen = {
        "type": st.multiselect(
            "Loại văn bản",
            facets.options["type"],
            format_func=searchable,
            key="f-type",
            placeholder="Tất cả",
        ),
        "issuer": st.multiselect(
            "Cơ quan ban hành",
            facets.options["issuer"],
            format_func=searchable,
            key="f-issuer",
            placeholder="Tất cả",
        ),
        "year": st.multiselect("Năm ban hành", facets.options["year"], key="f-year", placeholder="Tất cả"),
    }
    school = facets.school_years
    picked_years = st.multiselect("Năm học", sorted(school), key="f-school", placeholder="Tất cả")
    docs = st.multiselect(
        "Văn bản",
        facets.docs,
        format_func=facets.doc_labels.get,
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
