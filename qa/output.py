"""DESIGN's JSON of an answer: the one serializer behind `tracuu ask --json`, `ask --questions`, the
HTTP API's `POST /ask` (so the two are equal) and `tracuu eval --answers`. A hit's JSON is
`index.output.hit_json`.

It sits in `qa`, not with the commands, so the API and eval (below the command line) call it too.
"""

from __future__ import annotations

from index.hit_view import view_of
from tracuu.types import Answer


def answer_json(answer: Answer, index=None) -> dict:
    """DESIGN's `ask --json` object."""
    out = {
        "question": answer.question,
        "answer": answer.answer,
        "points": [{"text": p.text, "citations": list(p.citations)} for p in answer.points],
        "citations": [
            {
                "n": c.n,
                "doc": c.chunk.doc,
                "title": view_of(index, c.chunk).title,
                "section": c.chunk.section,
                "heading": c.chunk.heading,
                "start": c.chunk.start,
                "end": c.chunk.end,
                "text": c.chunk.text,
            }
            for c in answer.citations
        ],
    }
    # As `search --json`: what the question's scope searched, only when it set one (DESIGN's shape otherwise).
    if answer.searched or answer.scope_notes:
        out["scope"] = {"searched": answer.searched, "notes": list(answer.scope_notes)}
    return out


def answer_lines(index, rows: list[dict]):
    """For each {id, query} row, the `ask --json` object of its answer with the row's `id` first."""
    from qa.compose import ask as answer_question

    for row in rows:
        yield {"id": row.get("id"), **answer_json(answer_question(index, row["query"]), index)}
