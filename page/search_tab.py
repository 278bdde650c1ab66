"""The "Tra cứu" tab: one box for a search or a question, then the answer and/or the passages."""

from __future__ import annotations

import dataclasses

import streamlit as st

from page import ask, reader, results
from page.safe import md

EXAMPLES = [
    "nhiệm vụ của Sở Y tế",
    "trách nhiệm của Công an huyện",
    "giáo dục thể chất",
    "thoi han bao cao so ket hoc ky",
]
K = 10


def _use_example(text: str) -> None:
    st.session_state["q"] = text


def _answer_within(answer, allowed: set[str] | None):
    """Keep only the points with a citation inside the filtered documents."""
    if allowed is None:
        return answer
    docs = {c.n: c.chunk.doc for c in answer.citations}
    points = [p for p in answer.points if any(docs.get(n) in allowed for n in p.citations)]
    used = {n for p in points for n in p.citations}
    cites = [c for c in answer.citations if c.n in used]
    return dataclasses.replace(answer, points=points, citations=cites)


def show(index, filters: dict) -> None:
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
    hits = index.search(query, k=K, filters=filters or None)
    if ask.wants_answer(query):
        import qa

        answer = _answer_within(qa.ask(index, query), ask.allowed_docs(index, filters))
        results.show_answer(index, answer, query)
    if not hits:
        hint = " Hãy bỏ bớt bộ lọc ở cột bên trái." if filters else " Hãy thử từ khác hoặc viết ngắn hơn."
        st.info(f"Không tìm thấy đoạn văn nào khớp với “{md(query)}”.{hint}")
        return
    results.show_hits(index, hits, query)
