"""`Index`: a loaded index folder that answers queries in three modes, with metadata filters and the
scope the query itself sets (index/scope.py: "trong Kế hoạch 215/KH-UBND", "ở Nghệ An")."""

from __future__ import annotations

import re
import threading
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from index import dense, hybrid, lexical, store
from index.embedders import Embedder, get_embedder
from index.scope import Scope
from tracuu.errors import IndexMismatch, UsageError
from tracuu.types import Chunk, Document, Hit

MODES = ("hybrid", "dense", "bm25")
MAX_QUERY_CHARS = 1000
FILTER_FIELDS = ("type", "issuer", "year", "doc")
QUERY_CACHE = 256  # query embeddings kept per loaded index


def check_query(query: str) -> str:
    """The query, NFC and trimmed; UsageError when it cannot be searched."""
    q = unicodedata.normalize("NFC", query or "").strip()
    if not q:
        raise UsageError("the query is empty; type a few words, e.g. 'nhiệm vụ của Sở Y tế'")
    if len(q) > MAX_QUERY_CHARS:
        raise UsageError(
            f"the query is {len(q):,} characters long; "
            f"keep it under {MAX_QUERY_CHARS:,} (a question, not a document)"
        )
    if not re.search(r"\w", q) or not any(unicodedata.category(c)[0] in "LN" for c in q):
        raise UsageError("the query has no letters or digits; type words to search for")
    return q


def _year(meta: dict) -> str:
    for key in ("year", "date", "school_year"):
        m = re.search(r"(19|20)\d\d", str(meta.get(key, "")))
        if m:
            return m.group(0)
    return ""


@dataclass
class Index:
    path: Path
    manifest: dict
    documents: dict[str, Document]
    chunks: list[Chunk]
    dense_index: object
    lexical: lexical.Lexical
    model: str
    _embedder: Embedder | None = field(default=None, repr=False)
    _query_vectors: OrderedDict = field(default_factory=OrderedDict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _catalog: object = field(default=None, repr=False)  # index.doc_cards.Catalog, built on first use
    _priors: dict | None = field(default=None, repr=False)

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = get_embedder(self.model)
        return self._embedder

    def query_vector(self, query: str) -> np.ndarray:
        """The query's embedding, remembered for the last few hundred queries.

        The page runs a search and then qa.ask, which searches the same words again; the model is the
        slow part of a query, so it runs once per distinct query. Sessions share the index, hence the lock.
        """
        with self._lock:
            vec = self._query_vectors.get(query)
            if vec is not None:
                self._query_vectors.move_to_end(query)
                return vec
        vec = self.embedder.embed_query(query)
        with self._lock:
            self._query_vectors[query] = vec
            if len(self._query_vectors) > QUERY_CACHE:
                self._query_vectors.popitem(last=False)
        return vec

    def forget_queries(self) -> None:
        """Drop remembered query embeddings (benchmarks time the model in every mode)."""
        with self._lock:
            self._query_vectors.clear()

    def facet(self, name: str, chunk: Chunk) -> str:
        """The value of a filter field for a chunk ("year" comes from the date)."""
        if name == "doc":
            return chunk.doc
        meta = chunk.meta or self.documents[chunk.doc].meta
        return _year(meta) if name == "year" else str(meta.get(name, ""))

    def mask(self, filters: dict | None) -> np.ndarray | None:
        if not filters:
            return None
        unknown = set(filters) - set(FILTER_FIELDS)
        if unknown:
            raise UsageError(f"unknown filter {sorted(unknown)}; use {', '.join(FILTER_FIELDS)}")
        mask = np.ones(len(self.chunks), dtype=bool)
        for name, wanted in filters.items():
            if wanted is None or wanted == [] or wanted == "":
                continue
            allowed = {str(w) for w in ([wanted] if isinstance(wanted, str | int) else wanted)}
            mask &= np.array([self.facet(name, c) in allowed for c in self.chunks], dtype=bool)
        return mask

    def documents_matching(self, filters: dict | None) -> set[str] | None:
        """The documents with a chunk that passes `filters` (None when nothing is filtered)."""
        mask = self.mask(filters)
        if mask is None:
            return None
        return {self.chunks[i].doc for i in np.flatnonzero(mask)}

    def scope(self, query: str) -> Scope:
        """The documents `query` names by number, issuer, place or school year (index/scope.py)."""
        from index.doc_cards import Catalog
        from index.scope import read

        q = check_query(query)
        with self._lock:
            if self._catalog is None:
                self._catalog = Catalog.of(self.documents)
        return read(q, self._catalog)

    def search(
        self, query: str, k: int = 10, mode: str = "hybrid", filters: dict | None = None, scope: bool = True
    ) -> list[Hit]:
        """The k best chunks for `query`, best first; within the query's scope unless scope=False."""
        if not scope:
            return self._search(query, k, mode, filters)
        return self.search_scoped(query, k, mode, filters)[0]

    def search_scoped(
        self, query: str, k: int = 10, mode: str = "hybrid", filters: dict | None = None
    ) -> tuple[list[Hit], Scope]:
        """The hits within the query's scope, and the scope (to say what was searched).

        The scope's documents narrow the `doc` filter. When they and a chosen `doc` filter share no
        document, the chosen filter wins and the scope is reported as not applied.
        """
        s = self.scope(query)
        if s.docs is None:
            return self._search(query, k, mode, filters), s
        merged = dict(filters or {})
        chosen = merged.get("doc")
        chosen = [chosen] if isinstance(chosen, str) else list(chosen or [])
        docs = sorted(s.docs & set(chosen)) if chosen else sorted(s.docs)
        if not docs:
            s = replace(s, docs=None, applied=(), unmet=s.applied + s.unmet, description="",
                        notes=(*s.notes, "câu hỏi nói tới văn bản nằm ngoài bộ lọc đã chọn"))  # fmt: skip
            return self._search(query, k, mode, filters), s
        merged["doc"] = docs
        return self._search(query, k, mode, merged), s

    def rankings(self, q: str, depth: int, allowed=None, lq=None) -> dict[str, hybrid.Ranking]:
        """What hybrid search fuses: the best `depth` chunks by dense similarity and by each BM25 field
        the folder has (whole chunk, best paragraph)."""
        lq = lq or lexical.Query.of(q)  # analysed once for every BM25 field
        rankings = {
            "dense": dense.search(self.dense_index, self.query_vector(q), depth, allowed),
            "bm25": self.lexical.search(lq, depth, allowed),
        }
        if self.lexical.has_passages:
            rankings["passages"] = self.lexical.search_passages(lq, depth, allowed)
        return rankings

    def priors(self) -> dict[str, np.ndarray]:
        """Per chunk, what is known before any query (index/hybrid.py, PRIORS), computed once."""
        if self._priors is None:
            self._priors = hybrid.priors(self.chunks)
        return self._priors

    def _search(self, query: str, k: int, mode: str, filters: dict | None) -> list[Hit]:
        q = check_query(query)
        if mode not in MODES:
            raise UsageError(f"unknown mode {mode!r}; use one of {', '.join(MODES)}")
        if k < 1:
            raise UsageError(f"-k must be at least 1 (got {k})")
        allowed = self.mask(filters)
        if mode == "dense":
            scores, ids = dense.search(self.dense_index, self.query_vector(q), k, allowed)
            ranked = list(zip(ids.tolist(), scores.tolist(), strict=True))
        else:
            lq = lexical.Query.of(q)
            if mode == "bm25":
                scores, ids = self.lexical.search(lq, k, allowed)
                ranked = list(zip(ids.tolist(), scores.tolist(), strict=True))
            else:
                rankings = self.rankings(q, max(hybrid.POOL, k), allowed, lq)
                weights = hybrid.weights_for(lq.marked, set(rankings))
                ranked = hybrid.fuse(rankings, weights, k, priors=self.priors())
        return [Hit(self.chunks[i], float(s), r) for r, (i, s) in enumerate(ranked, start=1)]


def load(index_dir: Path, model: str | None = None, repair: bool = True) -> Index:
    """Open an index folder; IndexMismatch/UsageError (saying how to rebuild) when it is not usable.

    `repair` first undoes what a killed build left (store.recover). A server that only reads passes
    False: it may share the folder with builds on other machines, whose staging folders look dead here.
    """
    index_dir = Path(index_dir)
    if repair:
        store.recover(index_dir)
    rebuild = store.rebuild_command(index_dir, None, model)
    if not (index_dir / "manifest.json").is_file():
        raise UsageError(f"no index at {index_dir}; build one with: {rebuild}")
    try:
        manifest = store.read_manifest(index_dir)
    except (OSError, ValueError) as e:
        raise IndexMismatch(f"{index_dir}/manifest.json is unreadable ({e}); rebuild with: {rebuild}") from e
    if not isinstance(manifest, dict):
        raise IndexMismatch(f"{index_dir}/manifest.json is not a JSON object; rebuild with: {rebuild}")
    # Named after the folders the index was built from (a rebuild keeps the engine unless one is named).
    rebuild = store.rebuild_command(index_dir, manifest, model)
    version = manifest.get("format_version")
    if isinstance(version, int) and version > store.FORMAT_VERSION:
        # Written by a newer tracuu, which ingest will not overwrite: a rebuild goes to another folder.
        elsewhere = store.rebuild_command(
            index_dir.with_name(f"{index_dir.name}-v{store.FORMAT_VERSION}"), manifest
        )
        raise IndexMismatch(
            f"index at {index_dir} has format version {version}, newer than this tracuu reads "
            f"({store.FORMAT_VERSION}); upgrade tracuu, or rebuild for this version in another folder with: "
            f"{elsewhere}"
        )
    if version != store.FORMAT_VERSION:
        raise IndexMismatch(
            f"index at {index_dir} has format version {version}, this tracuu reads "
            f"{store.FORMAT_VERSION}; rebuild with: {rebuild}"
        )
    embedder = manifest.get("embedder")
    built_with = embedder.get("name") if isinstance(embedder, dict) else None
    if model is not None and built_with != model:
        raise IndexMismatch(
            f"index at {index_dir} was built with model {built_with}, not {model}; "
            f"use --model {built_with}, or rebuild with: {rebuild}"
        )
    try:
        chunks = [store.chunk_from_row(r) for r in store.read_jsonl(index_dir / "chunks.jsonl")]
        rows = store.read_jsonl(index_dir / "documents.jsonl")
        documents = {r["doc"]: store.document_from_row(r) for r in rows}
        dense_index = dense.load(index_dir / "dense.faiss", manifest.get("dense"))
        lex = lexical.load(index_dir / "bm25", len(chunks))
    except (OSError, ValueError, KeyError, RuntimeError) as e:
        raise IndexMismatch(f"index at {index_dir} is incomplete ({e}); rebuild with: {rebuild}") from e
    n = manifest.get("chunk_count")
    counts = {"manifest": n, "chunks.jsonl": len(chunks), "dense.faiss": dense_index.ntotal}
    if len(set(counts.values())) != 1 or len(documents) != len(manifest.get("documents", [])):
        raise IndexMismatch(f"index at {index_dir} is inconsistent ({counts}); rebuild with: {rebuild}")
    return Index(index_dir, manifest, documents, chunks, dense_index, lex, built_with)
