"""The search tab: the cited answer (for questions about tasks, deadlines, bodies), then ranked passages."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import streamlit as st

from page import highlight, reader
from page.dates import format_date
from page.safe import md
from page.source import DocInfo
from tracuu.types import Answer, Chunk

if TYPE_CHECKING:
    from index.hit_view import HitView

PASSAGE_WINDOW = 900  # characters of a passage shown in the list; the reading view has the rest
CARD_CSS = """<style>
.tracuu-passage { white-space: pre-wrap; line-height: 1.55; font-size: 0.97rem; }
.tracuu-passage mark, .tracuu-point mark { background: #ffe58f; padding: 0 1px; border-radius: 2px; }
.tracuu-point { line-height: 1.55; margin: 0.2rem 0 0.6rem 0; }
.tracuu-cite { color: #1d4ed8; font-weight: 600; white-space: nowrap; }
</style>"""


def source_line(v: HitView) -> str:
    """ "Kế hoạch số 123/KH-UBND · Ủy ban nhân dân huyện Củ Chi · 19/09/2023 · Mục: II › 3", plain text.

    A news article names where it is from and the directive it reports on."""
    kind, number = v.type, v.number
    first = f"{kind} số {number}" if kind and number else kind or (f"Số {number}" if number else "")
    parts = [first, v.issuer or v.place, format_date(v.date)]
    if v.reports_on:
        by = v.reports_on_issuer
        parts.append(f"đưa tin về {v.reports_on}" + (f" của {by}" if by else ""))
    where = v.heading or v.section
    if where:
        parts.append(f"Mục: {where}")
    return " · ".join(p for p in parts if p)


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
    from index.hit_view import hit_view  # the `index` package loads on the first card, not at start-up

    view = hit_view(chunk, documents.get(chunk.doc))
    body = highlight.mark(chunk.text, query, window=window) if window else ""
    return Card(chunk, view.title, source_line(view), body)


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
