"""The page's source when no API is configured: the index (and model) loaded in this server process.

One LocalSource per loaded index (page/store.py keeps it with st.cache_resource and drops it after a
build); what is derived from the index (each document's chunks in text order) is kept on the index.
Answers within filters are the API's (qa.ask with the filters), so the page says the same thing whichever
source it uses; a question that wants an answer is searched once, for the passages and the answer.
"""

from __future__ import annotations

from page.source import FILTERS, DocInfo, Reading, Status
from tracuu.types import Answer, Chunk


class LocalSource:
    def __init__(self, index):
        self.index = index
        # The folder and the manifest's build time: a rebuild, even into the same folder, is a new key.
        self.key = f"{index.path}\0{(index.manifest or {}).get('created', '')}"

    def chunks_of(self) -> dict[str, list[Chunk]]:
        """Document → its chunks in text order, once for this index (Index.chunks_of)."""
        return self.index.chunks_of()

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

        return qa.ask(self.index, question, filters or None)

    def find(self, query: str, k: int, filters: dict, answer: bool) -> tuple[list[Chunk], Answer | None]:
        import qa
        from qa.compose import TOP_HITS

        hits, scope = self.index.search_scoped(query, k=k, filters=filters or None)
        if not answer:
            return [h.chunk for h in hits], None
        # The answer starts from these hits (its own search would be the same one) when they are enough.
        found = (hits, scope) if k >= TOP_HITS else None
        return [h.chunk for h in hits], qa.ask(self.index, query, filters or None, found=found)

    def reading(self, doc: str) -> Reading | None:
        document = self.index.documents.get(doc)
        if document is None:
            return None
        return Reading(document, self.chunks_of().get(doc, []))

    def obligations(self) -> list:
        import qa

        return qa.obligations(self.index)
