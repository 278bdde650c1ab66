"""The search box's logic: check the words, decide whether the question wants a cited answer."""

from __future__ import annotations

import unicodedata


def query_problem(query: str) -> str | None:
    """Why this text cannot be searched, in words for the visitor; None when it can (the index's rule,
    index.search.query_problem, which the CLI and the API word in English)."""
    from index.search import MAX_QUERY_CHARS
    from index.search import query_problem as problem

    why = problem(query)
    if why == "empty":
        return "Hãy gõ vài từ để tìm, ví dụ “nhiệm vụ của Sở Y tế”."
    if why == "too long":
        n = len(unicodedata.normalize("NFC", query).strip())
        return (
            f"Câu tìm kiếm dài {n:,} ký tự; hãy rút gọn dưới {MAX_QUERY_CHARS:,} ký tự "
            "(một câu hỏi, không phải cả văn bản)."
        )
    if why == "no words":
        return "Câu tìm kiếm không có chữ hay số nào; hãy gõ từ ngữ cần tìm."
    return None


def wants_answer(question: str) -> bool:
    """Tasks, deadlines or a responsible body asked for: the cited answer then comes first (qa decides)."""
    from qa.question import wants_answer as asks

    return asks(question)
