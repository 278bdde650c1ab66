"""The "Tra cứu" tab: one box for a search or a question, then the answer and/or the passages.

What a question finds (passages, the cited answer, their highlighted HTML) is computed once per
(index, question, filters) and shared by every session (`_found`, st.cache_resource), whichever the
source (page/source.py): a rerun that does not change the question (another tab, a filter put back, the
way back from the reading view) draws it again without searching, answering or highlighting again.
"""

from __future__ import annotations

import dataclasses
import unicodedata

import streamlit as st

from page import ask, per_index, reader, results
from page.results import Card
from page.safe import md
from tracuu.types import Answer

EXAMPLES = [
    "nhiệm vụ của Sở Y tế",
    "trách nhiệm của Công an huyện",
    "giáo dục thể chất",
    "thoi han bao cao so ket hoc ky",
]
K = 10
REMEMBERED = 512  # (question, filters) results kept, all sessions together


@dataclasses.dataclass(frozen=True)
class Found:
    hits: list[Card]
    answer: Answer | None  # None when the question does not ask for one
    points: list[str]  # HTML of each point of the answer
    cites: list[Card]  # the answer's sources, in the order of answer.citations


def _use_example(text: str) -> None:
    st.session_state["q"] = text


def _filters_key(filters: dict) -> tuple:
    return tuple(sorted((name, tuple(str(v) for v in values)) for name, values in filters.items()))


@st.cache_resource(show_spinner=False, max_entries=REMEMBERED)
def _found(index_key: str, query: str, filters_key: tuple, _source, _filters: dict) -> Found:
    source, filters = _source, _filters
    documents = per_index.facets(source).documents
    chunks, answer = source.find(query, K, filters, answer=ask.wants_answer(query))
    cards = [results.card(documents, c, query) for c in chunks]
    if answer is None:
        return Found(cards, None, [], [])
    points = [results.point_html(p, query) for p in answer.points]
    cites = [results.card(documents, c.chunk, query, window=None) for c in answer.citations]
    return Found(cards, answer, points, cites)


def find(source, query: str, filters: dict) -> Found:
    """What `query` finds within `filters`, from the shared cache when it was asked before."""
    query = unicodedata.normalize("NFC", query).strip()
    return _found(per_index.key(source), query, _filters_key(filters), source, filters)


def show(source, filters: dict) -> None:
    st.html(results.CARD_CSS)
    reader.keep("q")
    query = st.text_input(
        "Tìm kiếm hoặc đặt câu hỏi",
        key="q",
        placeholder="Ví dụ: nhiệm vụ của Sở Y tế; thời hạn báo cáo; phòng chống dịch trong trường học",
        help="Gõ có dấu hay không dấu đều được. Nhấn Enter để tìm.",
    )
    reader.remember("q")
    if not (query or "").strip():
        st.markdown(
            "Gõ từ khoá hoặc câu hỏi rồi nhấn **Enter**. Câu hỏi về nhiệm vụ, thời hạn hay cơ quan phụ trách "
            "được trả lời bằng trích dẫn nguyên văn từ văn bản, kèm nguồn. Thử một ví dụ:"
        )
        cols = st.columns(len(EXAMPLES))
        for i, (col, text) in enumerate(zip(cols, EXAMPLES, strict=True)):
            col.button(text, key=f"example-{i}", on_click=_use_example, args=(text,))
        return
    problem = ask.query_problem(query)
    if problem:
        st.warning(problem)
        return
    found = find(source, query, filters)
    # "What was searched" for a scoped question (index/scope.py) goes here, above the answer, once
    # Source.search returns it.
    if found.answer is not None:
        results.show_answer(found.answer, found.points, found.cites)
    if not found.hits:
        hint = " Hãy bỏ bớt bộ lọc ở cột bên trái." if filters else " Hãy thử từ khác hoặc viết ngắn hơn."
        st.info(f"Không tìm thấy đoạn văn nào khớp với “{md(query)}”.{hint}")
        return
    results.show_hits(found.hits)
