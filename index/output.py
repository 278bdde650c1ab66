"""DESIGN's JSON of a search hit and of a query's scope: the one serializer behind `tracuu search
--json`, `search --queries` and the HTTP API's `GET /search` (so they are equal). An answer's JSON is
`qa.output.answer_json`.

It sits in `index`, not with the commands, so the API (below the command line) calls the same function,
and so `tracuu search` does not import `qa` to print its hits.
"""

from __future__ import annotations

from index.hit_view import view_of


def hit_json(hit, index) -> dict:
    """A hit as DESIGN's `tracuu search --json` gives it; its title from index/hit_view.py, as every
    citation's."""
    v = view_of(index, hit.chunk)
    return {
        "rank": hit.rank,
        "score": round(hit.score, 6),
        "doc": v.doc,
        "title": v.title,
        "section": v.section,
        "heading": v.heading,
        "start": v.start,
        "end": v.end,
        "text": v.text,
    }


def scope_json(scope) -> dict:
    """{"scope": {"searched", "notes"}} when the query names documents, places or years; else {}."""
    if not scope.parts:
        return {}
    return {"scope": {"searched": scope.description, "notes": list(scope.notes)}}
