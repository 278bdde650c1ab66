"""`Index`: a loaded index folder that answers queries in three modes, with metadata filters and the
scope the query itself sets (index/scope.py: "trong Kế hoạch 215/KH-UBND", "ở Nghệ An")."""

from __future__ import annotations

import re
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

import numpy as np

from index import dense, hybrid, lexical, store
from index.embedders import Embedder, get_embedder
from index.scope import Scope
from tracuu.errors import UsageError
from tracuu.types import Chunk, Document, Hit

MODES = ("hybrid", "dense", "bm25")
MAX_QUERY_CHARS = 1000
FILTER_FIELDS = ("type", "issuer", "year", "doc")
QUERY_CACHE = 256  # query embeddings kept per loaded index
T = TypeVar("T")


def query_problem(query: str) -> str | None:
    """Why `query` cannot be searched: "empty", "too long" (over MAX_QUERY_CHARS once NFC and trimmed) or
    "no words" (no letter or digit); None when it can. The one rule: the CLI and the API word it with
    `check_query`, the page in Vietnamese (page/ask.py)."""
    q = unicodedata.normalize("NFC", query or "").strip()
    if not q:
        return "empty"
    if len(q) > MAX_QUERY_CHARS:
        return "too long"
    if not any(unicodedata.category(c)[0] in "LN" for c in q):  # a letter or digit is a \w too
        return "no words"
    return None


def check_query(query: str) -> str:
    """The query, NFC and trimmed; UsageError when it cannot be searched."""
    q = unicodedata.normalize("NFC", query or "").strip()
    problem = query_problem(q)
    if problem == "empty":
        raise UsageError("the query is empty; type a few words, e.g. 'nhiệm vụ của Sở Y tế'")
    if problem == "too long":
        raise UsageError(
            f"the query is {len(q):,} characters long; "
            f"keep it under {MAX_QUERY_CHARS:,} (a question, not a document)"
        )
    if problem == "no words":
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
    # What is worked out from the index once (derived): here, not in caches keyed on id(index) elsewhere.
    _derived: dict = field(default_factory=dict, repr=False)
    _derived_locks: dict = field(default_factory=dict, repr=False)

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = get_embedder(self.model)
        return self._embedder

    def query_vector(self, query: str) -> np.ndarray:
        """The query's embedding, remembered for the last few hundred queries.

        The API's /search and /ask of one question (the page over the API asks both) embed the same words;
        the model is the slow part of a query, so it runs once per distinct query. Sessions share the index,
        hence the lock.
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

    def derived(self, name: str, make: Callable[[], T]) -> T:
        """make() once per loaded index, kept as long as the index: what is worked out from the whole
        index (the scope's catalog, the priors, the chunks by document, qa's items and word weights, in
        qa/derived.py). Each name has its own lock: sessions that need it wait for one computation, and
        a long one (qa's items) holds up nothing else."""
        with self._lock:
            if name in self._derived:
                return self._derived[name]
            lock = self._derived_locks.setdefault(name, threading.Lock())
        with lock:
            if name not in self._derived:
                value = make()
                with self._lock:
                    self._derived[name] = value
            return self._derived[name]

    def chunks_of(self) -> dict[str, list[Chunk]]:
        """Document → its chunks in text order (an outline, a citation's passages), once per index."""

        def make() -> dict[str, list[Chunk]]:
            by_doc: dict[str, list[Chunk]] = {}
            for c in self.chunks:
                by_doc.setdefault(c.doc, []).append(c)
            for chunks in by_doc.values():
                chunks.sort(key=lambda c: c.start)
            return by_doc

        return self.derived("index.chunks_of", make)

    def facet(self, name: str, chunk: Chunk) -> str:
        """The value of a filter field for a chunk ("year" comes from the date)."""
        if name == "doc":
            return chunk.doc
        meta = self.documents[chunk.doc].meta
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
        return read(q, self.derived("index.catalog", lambda: Catalog.of(self.documents)))

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
        return self.derived("index.priors", lambda: hybrid.priors(self.chunks))

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
    """Open an index folder (store.read: IndexMismatch/UsageError, saying how to rebuild, when it is not
    usable). `repair` False for a server that only reads (store.read says why)."""
    f = store.read(Path(index_dir), model, repair=repair)
    return Index(f.path, f.manifest, f.documents, f.chunks, f.dense, f.lexical, f.model)
