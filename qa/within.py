"""An answer kept within the documents a reader filtered to (the page's sidebar, the API's `filters`).

qa.ask searches within the filters and makes its answer from those documents; this is its last step, the
guarantee that a reader who narrowed the search to some documents sees only the points citing one of
them and the citations those points use. The sentence that introduces the points is kept true: it says
nothing was found when no point is left, and counts the documents still cited.
"""

from __future__ import annotations

import dataclasses
import re

from tracuu.types import Answer

NOTHING_WITHIN = "Không tìm thấy nội dung trả lời câu hỏi này trong các văn bản đã lọc; hãy bỏ bớt bộ lọc."
DOC_COUNT = re.compile(r"\btrong \d+ văn bản\b")  # qa.compose's "Nhiệm vụ của X trong N văn bản:"


def answer_within(answer: Answer, allowed: set[str] | None) -> Answer:
    """`answer` with the points that cite a document in `allowed` (all of them when `allowed` is None)."""
    if allowed is None:
        return answer
    docs = {c.n: c.chunk.doc for c in answer.citations}
    points = [p for p in answer.points if any(docs.get(n) in allowed for n in p.citations)]
    if len(points) == len(answer.points):
        return answer
    used = {n for p in points for n in p.citations}
    cites = [c for c in answer.citations if c.n in used]
    if not points:
        return dataclasses.replace(answer, answer=NOTHING_WITHIN, points=[], citations=[])
    cited_docs = len({c.chunk.doc for c in cites if c.chunk.doc in allowed})
    sentence = DOC_COUNT.sub(f"trong {cited_docs} văn bản", answer.answer)
    return dataclasses.replace(answer, answer=sentence, points=points, citations=cites)
