"""The search box's logic: check the words, decide whether the question wants a cited answer."""

from __future__ import annotations

import unicodedata

MAX_QUERY_CHARS = 1000


def query_problem(query: str) -> str | None:
    """Why this text cannot be searched, in words for the visitor; None when it can."""
    q = unicodedata.normalize("NFC", query or "").strip()
    if not q:
        return "Hãy gõ vài từ để tìm, ví dụ “nhiệm vụ của Sở Y tế”."
    if len(q) > MAX_QUERY_CHARS:
        return (
            f"Câu tìm kiếm dài {len(q):,} ký tự; hãy rút gọn dưới {MAX_QUERY_CHARS:,} ký tự "
            "(một câu hỏi, không phải cả văn bản)."
        )
    if not any(unicodedata.category(c)[0] in "LN" for c in q):
        return "Câu tìm kiếm không có chữ hay số nào; hãy gõ từ ngữ cần tìm."
    return None


def wants_answer(question: str) -> bool:
    """Tasks, deadlines or a responsible body asked for: the cited answer then comes first (qa decides)."""
    from qa.question import wants_answer as asks

    return asks(question)
