"""The last stage of a build: segment and embed what the caches lack, write the index folder, swap it in.

`index.build.finish` calls it with the entries to index; tokens and vectors computed elsewhere (a Ray
cluster, cluster/) come in through the caches and `computed`, so the files written are the same.
"""

from __future__ import annotations

import hashlib
import time

import numpy as np

from index import analyze, dense, lexical, store
from index.chunk_view import embed_text, segment
from index.embedders import Embedder, describe
from tracuu.types import Chunk


def cache_key(model: str, text: str) -> str:
    """The embedding cache's key: sha256 of model and embedded text."""
    return hashlib.sha256(f"{model}\x00{text}".encode()).hexdigest()


def embed_batched(embedder: Embedder, texts: list[str], progress=None) -> list:
    """The vectors of `texts`, in the embedder's declared batch size (a build's, a Ray actor's)."""
    out: list = []
    for b in range(0, len(texts), embedder.batch):
        if progress is not None:
            progress("embed", b, len(texts))
        out.extend(embedder.embed_documents(texts[b : b + embedder.batch]))
    return out


def write(
    entries, index_dir, embedder: Embedder, token_cache, vector_cache, report, progress, reader, computed
) -> None:
    ordered = [entries[d] for d in sorted(entries)]
    chunks = [c for e in ordered for c in e.chunks]
    titles = {e.document.doc: e.document.title for e in ordered}
    texts = [embed_text(titles[c.doc], c) for c in chunks]
    keys = [cache_key(embedder.name, t) for t in texts]

    tokens = []
    for n, (c, t) in enumerate(zip(chunks, texts, strict=True)):
        if n % 200 == 0:
            progress("segment", n, len(chunks))
        cached = token_cache.get(t)
        tokens.append(cached if cached is not None else segment(titles[c.doc], c))
    progress("segment", len(chunks), len(chunks))

    missing = {k: i for i, k in enumerate(keys) if k not in vector_cache}
    vector_cache = vector_cache | {k: computed[k] for k in missing if k in computed}
    todo = sorted(((k, i) for k, i in missing.items() if k not in vector_cache), key=lambda kv: kv[1])
    t_embed = time.perf_counter()
    vecs = embed_batched(embedder, [texts[i] for _, i in todo], progress)
    vector_cache.update((k, v) for (k, _), v in zip(todo, vecs, strict=True))
    progress("embed", len(todo), len(todo))
    report.embed_seconds = time.perf_counter() - t_embed
    report.embedded = len(missing)
    report.reused = len(chunks) - len(missing)
    vectors = (
        np.stack([vector_cache[k] for k in keys]).astype(np.float32)
        if keys
        else np.zeros((0, embedder.dim), dtype=np.float32)
    )

    staged = store.staging_dir(index_dir)
    try:
        progress("write", 0, 1)
        store.write_jsonl(staged / "documents.jsonl", (store.document_row(e.document) for e in ordered))
        docs = {e.document.doc: e.document for e in ordered}
        store.write_jsonl(staged / "chunks.jsonl", (store.chunk_row(c, docs[c.doc]) for c in chunks))
        store.write_jsonl(staged / "tokens.jsonl", tokens)
        (staged / "keys.txt").write_text("".join(k + "\n" for k in keys))
        faiss_index = dense.build(vectors)
        dense.save(faiss_index, staged / "dense.faiss")
        (staged / "bm25").mkdir()
        lexical.save(_lexical(tokens), staged / "bm25")
        manifest = _manifest(ordered, chunks, embedder, dense.describe(faiss_index))
        store.write_manifest(staged, manifest | {"reader": reader})
        store.fsync_tree(staged)
        store.swap_in(staged, index_dir)
        progress("write", 1, 1)
    finally:
        if staged.exists():
            import shutil

            shutil.rmtree(staged, ignore_errors=True)
    report.documents = len(ordered)
    report.chunks = len(chunks)
    report.written = True


def _lexical(tokens: list[dict]) -> lexical.Lexical:
    chunk_tokens = [row["head"] + [w for p in row["paras"] for w in p] for row in tokens]
    passages = [row["head"] + p for row in tokens for p in row["paras"]]
    owner = [i for i, row in enumerate(tokens) for _ in row["paras"]]
    return lexical.build(chunk_tokens, passages, owner)


def _manifest(ordered: list, chunks: list[Chunk], embedder: Embedder, dense_entry: dict) -> dict:
    from datetime import UTC, datetime
    from importlib.metadata import PackageNotFoundError, version

    try:
        tracuu_version = version("tracuu")
    except PackageNotFoundError:
        tracuu_version = "unknown"
    return {
        "format_version": store.FORMAT_VERSION,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "tracuu_version": tracuu_version,
        "embedder": describe(embedder),
        "segmenter": {"name": analyze.SEGMENTER, "version": analyze.segmenter_version()},
        "dense": dense_entry,  # kind, count, and a compressed index's parameters (index/dense.py)
        "chunk_count": len(chunks),
        # What was given to ingest (resolved), so a rebuild hint can name it (store.rebuild_command).
        "roots": sorted({e.source for e in ordered}),
        "documents": [
            {"doc": e.document.doc, "sha256": e.sha256, "chunks": len(e.chunks), "source": e.source}
            for e in ordered
        ],
    }
