"""The page's source when TRACUU_API is set: a running `tracuu serve`, asked over HTTP.

Only the standard-library client (api.client) is imported here: this server process loads neither the
model nor the index, so it stays small. The API's JSON is turned back into the page's own types (Chunk,
Answer, Document, qa.Obligation), so the views draw the same thing from either source.

The index's identity (`key`) is /health's folder, build time and counts, asked at most once per
CHECK_EVERY seconds: when the API picks up a new index, the page's per-index tables and remembered
answers follow within a second. A failure is raised as ApiError in words for the visitor (the detail
goes to the server log) and never remembered, so the page works again as soon as the API answers.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time

import streamlit as st

from api.client import Client
from page.source import FILTERS, DocInfo, Reading, Status
from tracuu.errors import ApiError
from tracuu.types import Answer, Chunk, Citation, Document, Point

log = logging.getLogger("tracuu.app")
CHECK_EVERY = 1.0  # seconds between two /health requests of this server (all sessions together)
TIMEOUT = 30.0  # seconds the page waits for one answer from the API
HEALTH_TIMEOUT = 5.0  # /health does no work: an API that takes longer is as good as down
DOWN = (
    "Máy chủ tra cứu đang không trả lời, nên trang chưa tìm được. Hãy thử lại sau ít phút; nếu vẫn lỗi, "
    "báo cho quản trị viên (chi tiết đã được ghi vào nhật ký máy chủ)."
)
FAILED = (
    "Máy chủ tra cứu gặp lỗi khi xử lý yêu cầu này. Hãy thử lại; nếu vẫn lỗi, báo cho quản trị viên "
    "(chi tiết đã được ghi vào nhật ký máy chủ)."
)


@st.cache_resource(show_spinner=False)
def connect(url: str) -> ApiSource:
    """One ApiSource per API address, shared by every session of this server."""
    return ApiSource(url)


def _chunk(row: dict, doc: str | None = None, text: str | None = None) -> Chunk:
    """A hit, citation or outline row of the API as the page's Chunk (its text as given, or `text`)."""
    return Chunk(
        doc=doc or row["doc"],
        start=row["start"],
        end=row["end"],
        heading=row.get("heading") or "",
        section=row.get("section") or "",
        text=row.get("text", "") if text is None else text,
    )  # its document's title and metadata come with /documents (page.per_index.facets)


def answer_of(data: dict) -> Answer:
    """POST /ask's JSON (`tracuu ask --json`) as an Answer."""
    return Answer(
        question=data["question"],
        answer=data["answer"],
        points=[Point(p["text"], list(p["citations"])) for p in data["points"]],
        citations=[Citation(c["n"], _chunk(c)) for c in data["citations"]],
        searched=str((data.get("scope") or {}).get("searched") or ""),  # absent: no scope, or an older API
        scope_notes=[str(n) for n in (data.get("scope") or {}).get("notes") or []],
    )


def doc_info(row: dict) -> DocInfo:
    filters = row.get("filters") or {}
    return DocInfo(
        row["doc"], row.get("title") or "", dict(row.get("meta") or {}),
        {name: str(filters.get(name) or "") for name in FILTERS}, int(row.get("chunks") or 0),
    )  # fmt: skip


class ApiSource:
    def __init__(self, url: str):
        self.url = url
        self.client = Client(url, timeout=TIMEOUT)
        self._probe = Client(url, timeout=HEALTH_TIMEOUT)
        self._health: dict | ApiError | None = None  # the last check's answer, or how it failed
        self._checked = 0.0
        self._lock = threading.Lock()

    def _call(self, what: str, call, *args, **kwargs):
        """One request; an ApiError worded for the visitor, the API's own message kept in the log."""
        try:
            return call(*args, **kwargs)
        except ApiError as e:
            log.warning("tracuu API %s: %s failed (HTTP %s): %s", self.url, what, e.status, e)
            if e.status is None:
                raise ApiError(DOWN) from None
            if 400 <= e.status < 500:  # the API's message says what to change
                raise ApiError(f"Máy chủ tra cứu không nhận yêu cầu này: {e}", e.status) from None
            raise ApiError(FAILED, e.status) from None

    def health(self) -> dict:
        """/health, asked again once CHECK_EVERY seconds have passed since the last check. A failed check
        is repeated to the sessions that ask within that second, so a hung API costs one wait, not one
        per session in turn."""
        with self._lock:
            if self._health is None or time.monotonic() - self._checked >= CHECK_EVERY:
                try:
                    self._health = self._call("health", self._probe.health)
                except ApiError as e:
                    self._health = e
                self._checked = time.monotonic()
            last = self._health
        if isinstance(last, ApiError):
            raise ApiError(str(last), last.status)  # a fresh exception per session's thread
        return last

    @property
    def key(self) -> str:
        h = self.health()
        ident = (h.get(name) for name in ("index", "created", "documents", "chunks"))
        return "\0".join(["api", self.url, *map(str, ident)])

    def status(self) -> Status:
        h = self.health()
        embedder = h.get("embedder") or {}
        model = embedder.get("name") if isinstance(embedder, dict) else ""
        return Status(
            int(h.get("documents") or 0), int(h.get("chunks") or 0), str(model or h.get("model") or ""),
            str(h.get("created") or ""), remote=True,
        )  # fmt: skip

    def documents(self) -> dict[str, DocInfo]:
        rows = self._call("documents", self.client.documents)
        return {row["doc"]: doc_info(row) for row in sorted(rows, key=lambda r: r["doc"])}

    def search(self, query: str, k: int, filters: dict) -> list[Chunk]:
        data = self._call("search", self.client.search, query, k=k, filters=filters or None)
        return [_chunk(h) for h in data["hits"]]

    def ask(self, question: str, filters: dict) -> Answer:
        return answer_of(self._call("ask", self.client.ask, question, filters=filters or None))

    def find(self, query: str, k: int, filters: dict, answer: bool) -> tuple[list[Chunk], Answer | None]:
        # Two requests: the API's /ask searches within the filters itself (its query vector is cached).
        return self.search(query, k, filters), (self.ask(query, filters) if answer else None)

    def reading(self, doc: str) -> Reading | None:
        try:
            data = self._call("document", self.client.document, doc)
        except ApiError as e:
            if e.status is not None and 400 <= e.status < 500:
                return None  # no such document (or an id no URL can carry): the view says so
            raise
        text = data["text"]
        document = Document(
            doc=data["doc"], title=data.get("title") or "", text=text,
            meta=dict(data.get("meta") or {}), notes=list(data.get("notes") or []),
        )  # fmt: skip
        outline = [_chunk(o, doc=document.doc, text=text[o["start"] : o["end"]]) for o in data["outline"]]
        return Reading(document, outline)

    def obligations(self) -> list:
        from qa.obligations import Obligation

        rows = self._call("obligations", self.client.obligations)["obligations"]
        names = [f.name for f in dataclasses.fields(Obligation)]  # fields an older or newer API lacks: empty
        return [Obligation(**{n: row.get(n, "") for n in names}) for row in rows]
