""" "Nhiệm vụ theo cơ quan": pick a body, see every task the corpus assigns to it, by document; CSV out.

The tasks by body are computed once per index (page.per_index), not per visit, from the page's source.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping

import streamlit as st

from page import per_index, reader
from page.dates import format_date
from page.highlight import fold, searchable
from page.results import source_line
from page.safe import md

TAB = "Nhiệm vụ theo cơ quan"


def rows(documents: Mapping, items: list) -> list[dict]:
    """One flat row per task (qa.Obligation), for the list and the CSV; `documents` maps a document id to
    what has its metadata (per_index.facets(source).documents, or an Index's documents)."""
    out = []
    for it in items:
        document = documents.get(it.doc)
        meta = document.meta if document else {}
        out.append(
            {
                "Cơ quan": it.body,
                "Nhiệm vụ": it.text,
                "Có thời hạn": "có" if it.deadline else "",
                "Văn bản": it.title or it.doc,
                "Loại": it.doc_type,
                "Số hiệu": meta.get("number", ""),
                "Cơ quan ban hành": it.issuer,
                "Ngày": format_date(it.date),
                "Năm học": it.school_year,
                "Mục": it.heading or it.section,
                "Tệp": it.doc,
                "start": it.start,
                "end": it.end,
            }
        )
    return out


_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    """A cell a spreadsheet shows as text: document text starting like a formula ("=HYPERLINK(…)") gets a
    leading apostrophe, which spreadsheet programs hide and which stops them evaluating it."""
    return f"'{value}" if isinstance(value, str) and value.startswith(_FORMULA) else value


def to_csv(table: list[dict]) -> bytes:
    """UTF-8 with a byte-order mark, so spreadsheet programs show the Vietnamese letters correctly."""
    buf = io.StringIO()
    fields = [k for k in (table[0] if table else {}) if k not in ("start", "end")]
    writer = csv.DictWriter(buf, fieldnames=fields, extrasaction="ignore")
    writer.writeheader()
    writer.writerows({k: _cell(v) for k, v in row.items()} for row in table)
    return buf.getvalue().encode("utf-8-sig")


def file_name(body: str) -> str:
    """The CSV's name: the body's name without accents, letters and digits only ("nhiem-vu-so-y-te.csv")."""
    slug = "-".join(re.findall(r"[a-z0-9]+", fold(body)))[:60].strip("-")
    return f"nhiem-vu-{slug or 'co-quan'}.csv"


def show(source) -> None:
    from index.hit_view import hit_view  # the `index` package loads when the tab opens, not at start-up

    st.subheader("Nhiệm vụ theo cơ quan")
    by_body = per_index.tasks_by_body(source)
    documents = per_index.facets(source).documents
    bodies = list(by_body)
    if not bodies:
        st.info("Chưa tìm thấy nhiệm vụ nào được giao cho một cơ quan cụ thể trong các văn bản đã có.")
        return
    reader.keep("body")
    body = st.selectbox(
        "Chọn cơ quan (gõ để tìm, không dấu cũng được)",
        bodies,
        format_func=searchable,
        index=None,
        placeholder="Ví dụ: Sở Y tế, Phòng Giáo dục và Đào tạo, Công an huyện…",
        key="body",
    )
    reader.remember("body")
    if not body:
        st.caption(f"Có {len(bodies)} cơ quan được giao nhiệm vụ trong {len(documents)} văn bản.")
        return
    table = rows(documents, by_body.get(body, []))
    st.markdown(f"**{len(table)} nhiệm vụ** của **{md(body)}**, nhóm theo văn bản:")
    st.download_button(
        "Tải danh sách (CSV)",
        data=to_csv(table),
        file_name=file_name(body),
        mime="text/csv",
        key="tasks-csv",
    )
    by_doc: dict[str, list[dict]] = {}
    for row in table:
        by_doc.setdefault(row["Tệp"], []).append(row)
    for doc, tasks in by_doc.items():
        document = documents.get(doc)
        with st.container(border=True):
            st.markdown(f"**{md(tasks[0]['Văn bản'])}**")
            st.caption(md(source_line(hit_view(None, document, doc))))
            for i, row in enumerate(tasks):
                where = f" (mục: {row['Mục']})" if row["Mục"] else ""
                st.markdown(f"- {md(row['Nhiệm vụ'])}{md(where)}")
                st.button(
                    "Xem trong văn bản",
                    key=f"task-{doc}-{i}",
                    on_click=reader.open_at,
                    args=(doc, row["start"], row["end"]),
                )
