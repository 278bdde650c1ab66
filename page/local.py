"""The page's source when no API is configured: the index (and model) loaded in this server process.

One LocalSource per loaded index (page/store.py keeps it with st.cache_resource and drops it after a
build), so what it derives itself (each document's chunks in text order) is worked out once per index.
Answers within filters are the API's (qa.within.answer_within over Index.documents_matching), so the
page says the same thing whichever source it uses.
"""

from __future__ import annotations

import threading

from page.source import FILTERS, DocInfo, Reading, Status
from tracuu.types import Answer, Chunk


class LocalSource:
    def __init__(self, index):
        self.index = index
        # The folder and the manifest's build time: a rebuild, even into the same folder, is a new key.
        self.key = f"{index.path}\0{(index.manifest or {}).get('created', '')}"
        self._chunks_of: dict[str, list[Chunk]] | None = None
        self._lock = threading.Lock()

    def chunks_of(self) -> dict[str, list[Chunk]]:
        """Document → its chunks in text order, once for this index."""
        with self._lock:
            if self._chunks_of is None:
                by_doc: dict[str, list[Chunk]] = {}
                for c in self.index.chunks:
                    by_doc.setdefault(c.doc, []).append(c)
                for chunks in by_doc.values():
                    chunks.sort(key=lambda c: c.start)
                self._chunks_of = by_doc
            return self._chunks_of

    def status(self) -> Status:
        ix = self.index
        manifest = ix.manifest or {}
        embedder = manifest.get("embedder") or {}
        model = embedder.get("name") if isinstance(embedder, dict) else str(embedder)
        created = str(manifest.get("created", ""))
        return Status(len(ix.documents), len(ix.chunks), str(model or ix.model), created)

    def documents(self) -> dict[str, DocInfo]:
        ix, chunks_of = self.index, self.chunks_of()
        out = {}
        for doc in sorted(ix.documents):
            d, chunks = ix.documents[doc], chunks_of.get(doc, [])
            filters = {name: ix.facet(name, chunks[0]) if chunks else "" for name in FILTERS}
            out[doc] = DocInfo(doc, d.title, dict(d.meta), filters, len(chunks))
        return out

    def search(self, query: str, k: int, filters: dict) -> list[Chunk]:
        return [h.chunk for h in self.index.search(query, k=k, filters=filters or None)]

    def ask(self, question: str, filters: dict) -> Answer:
        import qa
        from qa.within import answer_within

        allowed = self.index.documents_matching(filters or None)
        return answer_within(qa.ask(self.index, question), allowed)

    def reading(self, doc: str) -> Reading | None:
        document = self.index.documents.get(doc)
        if document is None:
            return None
        return Reading(document, self.chunks_of().get(doc, []))

    def obligations(self) -> list:
        import qa

        return qa.obligations(self.index)
