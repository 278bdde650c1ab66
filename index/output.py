"""DESIGN's JSON of a search hit and of a query's scope: the one serializer behind `tracuu search
--json`, `search --queries` and the HTTP API's `GET /search` (so they are equal). An answer's JSON is
`qa.output.answer_json`.

It sits in `index`, not with the commands, so the API (below the command line) calls the same function,
and so `tracuu search` does not import `qa` to print its hits.
"""

from __future__ import annotations


def hit_json(hit, index) -> dict:
    c = hit.chunk
    doc = index.documents.get(c.doc)
    return {
        "rank": hit.rank,
        "score": round(hit.score, 6),
        "doc": c.doc,
        "title": doc.title if doc else c.meta.get("title", ""),
        "section": c.section,
        "heading": c.heading,
        "start": c.start,
        "end": c.end,
        "text": doc.text[c.start : c.end] if doc else c.text,
    }


def scope_json(scope) -> dict:
    """{"scope": {"searched", "notes"}} when the query names documents, places or years; else {}."""
    if not scope.parts:
        return {}
    return {"scope": {"searched": scope.description, "notes": list(scope.notes)}}
