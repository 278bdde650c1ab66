"""Lexical retrieval: bm25s over stored pyvi tokens, plus an accent-free field for unmarked queries.

Two bm25s indexes share the chunk ids: `words` (segmented, lower-cased, diacritics kept, as DESIGN says)
and `bare` (the same text as accent-free syllables). A query with diacritics is scored on `words`; a
query without any is scored on `bare`, because pyvi cannot segment unmarked text the way it segments
the marked original ("day hoc" stays two words while the document has "dạy_học").
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index import analyze

FIELDS = ("words", "bare")


def bare_field(tokens: list[str]) -> list[str]:
    """Accent-free syllables of a token list: "dạy_học" → "day", "hoc", "day_hoc"."""
    out = []
    for t in analyze.bare(tokens):
        parts = t.split("_")
        out.extend(parts)
        if len(parts) > 1:
            out.append(t)
    return out


def _bm25(docs: list[list[str]]):
    import bm25s

    retriever = bm25s.BM25()
    # An empty corpus or empty documents still need a vocabulary entry to index.
    retriever.index([d or [""] for d in docs] or [[""]], show_progress=False)
    return retriever


@dataclass
class Lexical:
    words: object
    bare: object
    n: int

    def scores(self, query: str, allowed: np.ndarray | None = None) -> np.ndarray:
        """BM25 score of every chunk for `query` (0 where a chunk is not allowed)."""
        toks = analyze.tokens(query)
        if analyze.has_diacritics(query):
            retriever, toks = self.words, toks
        else:
            retriever, toks = self.bare, bare_field(toks)
        ids = [retriever.vocab_dict[t] for t in toks if t in retriever.vocab_dict]
        if not ids or self.n == 0:
            return np.zeros(self.n, dtype=np.float32)
        s = np.asarray(retriever.get_scores_from_ids(ids), dtype=np.float32)[: self.n]
        if allowed is not None:
            s = np.where(allowed, s, 0.0)
        return s

    def search(self, query: str, k: int, allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(scores, ids) of the k best chunks with a positive score."""
        s = self.scores(query, allowed)
        k = min(k, int((s > 0).sum()))
        if k <= 0:
            return np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.int64)
        top = np.argpartition(-s, k - 1)[:k]
        top = top[np.argsort(-s[top], kind="stable")]
        return s[top], top.astype(np.int64)


def build(tokens: list[list[str]]) -> Lexical:
    return Lexical(_bm25(tokens), _bm25([bare_field(t) for t in tokens]), len(tokens))


def save(lex: Lexical, folder: Path) -> None:
    for field in FIELDS:
        getattr(lex, field).save(str(folder / field), show_progress=False)


def load(folder: Path, n: int) -> Lexical:
    import bm25s

    parts = {f: bm25s.BM25.load(str(folder / f), mmap=False, show_progress=False) for f in FIELDS}
    return Lexical(parts["words"], parts["bare"], n)
