"""Lexical retrieval: bm25s over stored pyvi tokens, with an accent-free field and a passage field.

Each field is a pair of bm25s indexes over the same units: `words` (segmented, lower-cased, diacritics
kept, as DESIGN says) and `bare` (the same text as accent-free syllables). A query with diacritics is
scored on `words`; a query without any on `bare`, because pyvi cannot segment unmarked text the way it
segments the marked original ("day hoc" stays two words while the document has "dạy_học").

Two fields: `chunks` (one unit per chunk: BM25 mode) and `passages` (one unit per paragraph of a chunk,
each with the chunk's title and heading; a chunk scores as its best paragraph). The passage field is what
finds a long article from a question that restates one of its paragraphs (ALQAC dev MRR@10: chunks 0.867,
passages 0.920); hybrid search fuses both with dense. Folders without it (older or synthetic) still load.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index import analyze

FIELDS = ("words", "bare")
PASSAGES = "passages"
OWNER = "owner.npy"


def bare_field(tokens: list[str]) -> list[str]:
    """Accent-free syllables and adjacent syllable pairs: "dạy_học trực_tuyến" → "day", "hoc", "truc",
    "tuyen", "day_hoc", "hoc_truc", "truc_tuyen".

    Pairs instead of pyvi words because pyvi segments unmarked text differently from marked text; pairs
    are the same on both sides. Measured on the accent-free questions of eval/queries.jsonl (BM25
    MRR@10): pyvi words + syllables 0.648, syllables + pairs 0.830.
    """
    words = [t for t in tokens if not t.startswith(analyze.KEY_PREFIX)]
    keys = [t for t in tokens if t.startswith(analyze.KEY_PREFIX)]
    syllables = [s for t in analyze.bare(words) for s in t.split("_") if s]
    pairs = [f"{a}_{b}" for a, b in zip(syllables, syllables[1:], strict=False)]
    return syllables + pairs + analyze.bare(keys)


def _bm25(docs: list[list[str]]):
    import bm25s

    retriever = bm25s.BM25()
    # An empty corpus or empty documents still need a vocabulary entry to index.
    retriever.index([d or [""] for d in docs] or [[""]], show_progress=False)
    return retriever


@dataclass
class Query:
    """A query analysed once for every field: its tokens and whether it was typed with diacritics."""

    tokens: list[str]
    marked: bool

    @classmethod
    def of(cls, text: str) -> Query:
        return cls(analyze.tokens(text), analyze.has_diacritics(text))


def _field_scores(words, bare, n: int, q: Query) -> np.ndarray:
    retriever, toks = (words, q.tokens) if q.marked else (bare, bare_field(q.tokens))
    ids = [retriever.vocab_dict[t] for t in toks if t in retriever.vocab_dict]
    if not ids or n == 0:
        return np.zeros(n, dtype=np.float32)
    return np.asarray(retriever.get_scores_from_ids(ids), dtype=np.float32)[:n]


def top_k(s: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """(scores, ids) of the k best positive scores, best first."""
    k = min(k, int((s > 0).sum()))
    if k <= 0:
        return np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.int64)
    top = np.argpartition(-s, k - 1)[:k]
    top = top[np.argsort(-s[top], kind="stable")]
    return s[top], top.astype(np.int64)


@dataclass
class Lexical:
    words: object
    bare: object
    n: int
    passage_words: object | None = None
    passage_bare: object | None = None
    owner: np.ndarray | None = None  # passage unit i belongs to chunk owner[i]

    @property
    def has_passages(self) -> bool:
        return self.passage_words is not None

    def scores(self, query: str | Query, allowed: np.ndarray | None = None) -> np.ndarray:
        """BM25 score of every chunk for `query` (0 where a chunk is not allowed)."""
        q = query if isinstance(query, Query) else Query.of(query)
        s = _field_scores(self.words, self.bare, self.n, q)
        return s if allowed is None else np.where(allowed, s, 0.0)

    def passage_scores(self, query: str | Query, allowed: np.ndarray | None = None) -> np.ndarray:
        """Per chunk, the BM25 score of its best paragraph (zeros when the folder has no passage field)."""
        out = np.zeros(self.n, dtype=np.float32)
        if not self.has_passages or self.n == 0:
            return out
        q = query if isinstance(query, Query) else Query.of(query)
        s = _field_scores(self.passage_words, self.passage_bare, len(self.owner), q)
        np.maximum.at(out, self.owner, s)
        return out if allowed is None else np.where(allowed, out, 0.0)

    def search(self, query: str | Query, k: int, allowed: np.ndarray | None = None):
        """(scores, ids) of the k best chunks by whole-chunk BM25."""
        return top_k(self.scores(query, allowed), k)

    def search_passages(self, query: str | Query, k: int, allowed: np.ndarray | None = None):
        """(scores, ids) of the k best chunks by their best paragraph."""
        return top_k(self.passage_scores(query, allowed), k)


def build(tokens: list[list[str]], passages: list[list[str]] | None = None, owner=None) -> Lexical:
    """Indexes over chunk tokens, and over paragraph tokens (`owner[i]` = chunk of paragraph i) if given."""
    lex = Lexical(_bm25(tokens), _bm25([bare_field(t) for t in tokens]), len(tokens))
    if passages is not None:
        lex.passage_words = _bm25(passages)
        lex.passage_bare = _bm25([bare_field(t) for t in passages])
        lex.owner = np.asarray(owner, dtype=np.int64)
    return lex


def save(lex: Lexical, folder: Path) -> None:
    for field in FIELDS:
        getattr(lex, field).save(str(folder / field), show_progress=False)
    if lex.has_passages:
        (folder / PASSAGES).mkdir(exist_ok=True)
        lex.passage_words.save(str(folder / PASSAGES / "words"), show_progress=False)
        lex.passage_bare.save(str(folder / PASSAGES / "bare"), show_progress=False)
        np.save(folder / PASSAGES / OWNER, lex.owner)


def load(folder: Path, n: int) -> Lexical:
    import bm25s

    def one(path: Path):
        return bm25s.BM25.load(str(path), mmap=False, show_progress=False)

    lex = Lexical(one(folder / "words"), one(folder / "bare"), n)
    if (folder / PASSAGES / OWNER).is_file():
        lex.passage_words = one(folder / PASSAGES / "words")
        lex.passage_bare = one(folder / PASSAGES / "bare")
        lex.owner = np.load(folder / PASSAGES / OWNER)
    return lex
