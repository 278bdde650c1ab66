"""The search tab: the cited answer (for questions about tasks, deadlines, bodies), then ranked passages."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import streamlit as st

from page import highlight, reader
from page.dates import format_date
from page.safe import md
from page.source import DocInfo
from tracuu.types import Answer, Chunk

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


def _title(info, chunk: Chunk) -> str:
    return (info.title if info else "") or chunk.meta.get("title") or chunk.doc


def _meta(info, chunk: Chunk) -> dict:
    return {**chunk.meta, **(info.meta if info else {})}


@dataclass(frozen=True)
class Card:
    """One passage as the page draws it, prepared once per (question, filters): see search_tab."""

    chunk: Chunk
    title: str  # plain text; escaped when drawn
    source: str  # plain text: type, number, issuer, date, section
    body: str  # HTML, escaped, the query's words in <mark>


def card(
    documents: Mapping[str, DocInfo], chunk: Chunk, query: str, window: int | None = PASSAGE_WINDOW
) -> Card:
    """`documents` is per_index.facets(source).documents: titles and metadata by document."""
    info = documents.get(chunk.doc)
    source = source_line(_meta(info, chunk), chunk.heading or chunk.section)
    body = highlight.mark(chunk.text, query, window=window) if window else ""
    return Card(chunk, _title(info, chunk), source, body)


def show_hits(cards: list[Card], heading: str = "Các đoạn văn liên quan") -> None:
    st.subheader(heading)
    for rank, c in enumerate(cards, start=1):
        with st.container(border=True):
            st.markdown(f"**{rank}. {md(c.title)}**")
            st.caption(md(c.source))
            st.html(f'<div class="tracuu-passage">{c.body}</div>')
            st.button(
                "Đọc toàn văn tại đoạn này",
                key=f"hit-{rank}",
                on_click=reader.open_at,
                args=(c.chunk.doc, c.chunk.start, c.chunk.end),
            )


def point_html(point, query: str) -> str:
    cites = " ".join(f"[{n}]" for n in point.citations)
    body = highlight.mark(point.text, query)
    return f'<div class="tracuu-point">• {body} <span class="tracuu-cite">{cites}</span></div>'


def show_answer(answer: Answer, points: list[str], cites: list[Card]) -> None:
    """The answer first: one sentence, the points (HTML from point_html) with their citation numbers, then
    the sources (`cites`, in the order of answer.citations)."""
    st.subheader("Trả lời")
    if answer.searched or answer.scope_notes:
        st.caption(md("; ".join([f"Đã tìm {answer.searched}"] * bool(answer.searched) + answer.scope_notes)))
    if not answer.points:
        st.info(md(answer.answer) or "Không tìm thấy nội dung trả lời câu hỏi này trong các văn bản đã có.")
        return
    st.markdown(md(answer.answer))
    for point in points:
        st.html(point)
    st.markdown("**Nguồn trích dẫn**")
    for c, source in zip(answer.citations, cites, strict=True):
        chunk = source.chunk
        with st.container(border=True):
            st.markdown(f"**\\[{c.n}\\] {md(source.title)}**")
            st.caption(md(source.source))
            st.button(
                f"Xem trích dẫn [{c.n}] trong văn bản",
                key=f"cite-{c.n}",
                on_click=reader.open_at,
                args=(chunk.doc, chunk.start, chunk.end),
            )
