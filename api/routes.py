"""The endpoints. Search hits and answers are the CLI's own JSON (index.output.hit_json,
qa.output.answer_json), so `GET /search` equals `tracuu search --json` and `POST /ask` equals
`tracuu ask --json` on the same index.

Handlers are plain `def`: FastAPI runs them in its thread pool, so the model's work never blocks the
event loop, and many requests share one loaded index (and one model).
"""

from __future__ import annotations

import json
import unicodedata
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse, Response

from api import schemas
from api.errors import RESPONSES
from api.limits import (
    MAX_BODY_NAME_CHARS,
    MAX_FILTER_CHARS,
    MAX_FILTER_VALUES,
    MAX_K,
    MAX_QUERY_CHARS,
)
from api.live import Loaded

router = APIRouter()
# Plain lists with an empty default (not Optional): an `anyOf [array, null]` in the schema cannot be told
# apart on the wire, where every query value is a string.
FilterParam = Annotated[
    list[Annotated[str, Query(max_length=MAX_FILTER_CHARS)]],
    Query(
        default_factory=list,
        max_length=MAX_FILTER_VALUES,
        description="repeat for several values; any of them matches",
    ),
]
NOT_FOUND = {404: {"model": schemas.ErrorBody, "description": "no such document or body"}}


def _loaded(request: Request) -> Loaded:
    return request.app.state.live.get()


def _json_bytes(data) -> Response:
    """A response for data computed once per loaded index (documents, obligations) and kept encoded."""
    return Response(content=data, media_type="application/json")


def _encode(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()  # as JSONResponse does


@router.get("/search", response_model=schemas.SearchResponse, responses=RESPONSES)
def search(
    request: Request,
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=MAX_QUERY_CHARS,
            description="words or a question; " + schemas.QUERY_RULE,
        ),
    ],
    type: FilterParam,  # noqa: A002 (the filter's public name)
    issuer: FilterParam,
    year: FilterParam,
    doc: FilterParam,
    k: Annotated[int, Query(ge=1, le=MAX_K, description="how many passages")] = 10,
    mode: Literal["hybrid", "dense", "bm25"] = "hybrid",
):
    """Ranked passages, as `tracuu search --json`; filters as the page's sidebar."""
    from index.output import hit_json
    from index.search import check_query

    check_query(q)  # the CLI's message for an empty, over-long or letterless query
    ix = _loaded(request).index
    chosen = (("type", type), ("issuer", issuer), ("year", year), ("doc", doc))
    filters = {name: values for name, values in chosen if values}
    hits = ix.search(q, k=k, mode=mode, filters=filters or None)
    return JSONResponse({"query": q, "hits": [hit_json(h, ix) for h in hits]})


@router.post("/ask", response_model=schemas.AskResponse, responses=RESPONSES)
def ask(request: Request, body: schemas.AskRequest):
    """An answer quoted from the documents, as `tracuu ask --json`; with `filters`, made from the documents
    passing them only (as the page does)."""
    import qa
    from qa.output import answer_json

    ix = _loaded(request).index
    answer = qa.ask(ix, body.question, body.filters.as_dict() if body.filters else None)
    return JSONResponse(answer_json(answer, ix))


def _summary(ix, doc: str, chunks: list) -> dict:
    d = ix.documents[doc]
    facets = {name: ix.facet(name, chunks[0]) if chunks else "" for name in ("type", "issuer", "year")}
    meta = {k: str(v) for k, v in d.meta.items()}
    return {"doc": doc, "title": d.title, "meta": meta, "chunks": len(chunks), "filters": facets}


@router.get("/documents", response_model=schemas.DocumentList, responses=RESPONSES)
def documents(request: Request):
    """Every indexed document with its metadata and its value for each /search filter."""
    ix = _loaded(request).index

    def make() -> bytes:
        docs = [_summary(ix, d, ix.chunks_of().get(d, [])) for d in sorted(ix.documents)]
        return _encode({"documents": docs})

    return _json_bytes(ix.derived("api.documents", make))


@router.get(
    "/documents/{doc:path}", response_model=schemas.DocumentDetail, responses={**RESPONSES, **NOT_FOUND}
)
def document(
    request: Request,
    doc: Annotated[str, Path(description="the document id as in /documents; it may contain slashes")],
):
    """One document: metadata, outline (its sections with offsets) and canonical text."""
    ix = _loaded(request).index
    doc = unicodedata.normalize("NFC", doc)
    if doc not in ix.documents:
        raise HTTPException(404, f"no document {doc!r} in the index; GET /documents lists them")
    chunks = ix.chunks_of().get(doc, [])
    d = ix.documents[doc]
    outline = [{"section": c.section, "heading": c.heading, "start": c.start, "end": c.end} for c in chunks]
    detail = {**_summary(ix, doc, chunks), "notes": list(d.notes), "outline": outline, "text": d.text}
    return JSONResponse(detail)


@router.get("/obligations", response_model=schemas.ObligationList, responses={**RESPONSES, **NOT_FOUND})
def obligations(
    request: Request,
    body: Annotated[
        str,
        Query(max_length=MAX_BODY_NAME_CHARS, description="a body from `bodies`, e.g. 'Sở Y tế'; empty: all"),
    ] = "",
):
    """Tasks the documents assign to each body (qa.obligations); with `body`, that body's only."""
    import qa

    ix = _loaded(request).index
    rows = ix.derived("api.obligations", lambda: [o.to_json() for o in qa.obligations(ix)])
    bodies = ix.derived("api.bodies", lambda: sorted({r["body"] for r in rows if r["body"]}))
    name = unicodedata.normalize("NFC", body).strip()
    if not name:
        whole = {"body": None, "bodies": bodies, "obligations": rows}
        return _json_bytes(ix.derived("api.obligations-all", lambda: _encode(whole)))
    if name not in bodies:
        raise HTTPException(404, f"no task is assigned to {name!r}; `bodies` lists the bodies with tasks")
    mine = [r for r in rows if r["body"] == name]
    return JSONResponse({"body": name, "bodies": bodies, "obligations": mine})


@router.get("/health", response_model=schemas.Health, responses=RESPONSES)
def health(request: Request):
    """The index being served: model, folder, when it was built, counts, reloads."""
    live = request.app.state.live
    loaded = live.get()
    ix = loaded.index
    m = ix.manifest
    return JSONResponse(
        {
            "status": "ok",
            "model": ix.model,
            "embedder": m.get("embedder") or {},
            "index": str(ix.path),
            "created": str(m.get("created", "")),
            "format_version": m.get("format_version"),
            "tracuu_version": str(m.get("tracuu_version", "")),
            "documents": len(ix.documents),
            "chunks": len(ix.chunks),
            "loaded_at": loaded.loaded_at,
            "reloads": live.reloads,
            "reload_error": live.reload_error,
        }
    )
