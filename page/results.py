"""The search tab: the cited answer (for questions about tasks, deadlines, bodies), then ranked passages."""

from __future__ import annotations

import streamlit as st

from page import highlight, reader
from page.dates import format_date
from page.safe import md
from tracuu.types import Answer, Chunk, Hit

PASSAGE_WINDOW = 900  # characters of a passage shown in the list; the reading view has the rest
CARD_CSS = """<style>
.tracuu-passage { white-space: pre-wrap; line-height: 1.55; font-size: 0.97rem; }
.tracuu-passage mark, .tracuu-point mark { background: #ffe58f; padding: 0 1px; border-radius: 2px; }
.tracuu-point { line-height: 1.55; margin: 0.2rem 0 0.6rem 0; }
.tracuu-cite { color: #1d4ed8; font-weight: 600; white-space: nowrap; }
</style>"""


def source_line(meta: dict, heading: str = "") -> str:
    """ "Kế hoạch số 123/KH-UBND · Ủy ban nhân dân huyện Củ Chi · 19/09/2023 · Mục: II › 3", plain text.

    A news article names where it is from and the directive it reports on."""
    kind = meta.get("type", "")
    number = meta.get("number", "")
    first = f"{kind} số {number}" if kind and number else kind or (f"Số {number}" if number else "")
    parts = [first, meta.get("issuer") or meta.get("place", ""), format_date(meta.get("date", ""))]
    if meta.get("reports_on"):
        by = meta.get("reports_on_issuer", "")
        parts.append(f"đưa tin về {meta['reports_on']}" + (f" của {by}" if by else ""))
    if heading:
        parts.append(f"Mục: {heading}")
    return " · ".join(p for p in parts if p)


def _title(index, chunk: Chunk) -> str:
    document = index.documents.get(chunk.doc)
    return (document.title if document else "") or chunk.meta.get("title") or chunk.doc


def _meta(index, chunk: Chunk) -> dict:
    document = index.documents.get(chunk.doc)
    return {**chunk.meta, **(document.meta if document else {})}


def passage_card(index, chunk: Chunk, query: str, key: str, label: str = "") -> None:
    with st.container(border=True):
        st.markdown(f"**{label}{md(_title(index, chunk))}**")
        st.caption(md(source_line(_meta(index, chunk), chunk.heading or chunk.section)))
        body = highlight.mark(chunk.text, query, window=PASSAGE_WINDOW)
        st.html(f'<div class="tracuu-passage">{body}</div>')
        st.button(
            "Đọc toàn văn tại đoạn này",
            key=key,
            on_click=reader.open_at,
            args=(chunk.doc, chunk.start, chunk.end),
        )


def show_hits(index, hits: list[Hit], query: str, heading: str = "Các đoạn văn liên quan") -> None:
    st.subheader(heading)
    for hit in hits:
        passage_card(index, hit.chunk, query, key=f"hit-{hit.rank}", label=f"{hit.rank}. ")


def show_answer(index, answer: Answer, query: str) -> None:
    """The answer first: one sentence, the points each with its citation numbers, then the sources."""
    st.subheader("Trả lời")
    if not answer.points:
        st.info(md(answer.answer) or "Không tìm thấy nội dung trả lời câu hỏi này trong các văn bản đã có.")
        return
    st.markdown(md(answer.answer))
    for point in answer.points:
        cites = " ".join(f"[{n}]" for n in point.citations)
        body = highlight.mark(point.text, query)
        st.html(f'<div class="tracuu-point">• {body} <span class="tracuu-cite">{cites}</span></div>')
    st.markdown("**Nguồn trích dẫn**")
    for c in answer.citations:
        chunk = c.chunk
        with st.container(border=True):
            st.markdown(f"**\\[{c.n}\\] {md(_title(index, chunk))}**")
            st.caption(md(source_line(_meta(index, chunk), chunk.heading or chunk.section)))
            st.button(
                f"Xem trích dẫn [{c.n}] trong văn bản",
                key=f"cite-{c.n}",
                on_click=reader.open_at,
                args=(chunk.doc, chunk.start, chunk.end),
            )
