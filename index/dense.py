"""Dense retrieval: FAISS inner product over L2-normalised vectors (= cosine).

Exact search (IndexFlatIP) while it is fast enough; above HNSW_THRESHOLD vectors an HNSW graph
(IndexHNSWFlat, inner product) is built instead. The threshold and the HNSW parameters come from
`index.bench` measurements on the 2-core machine (see README, "Search").
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

# Flat search scans every vector: ~ n * dim multiply-adds per query. Measured on 2 cores (384-d):
# 200k vectors ≈ 10 ms, 1M ≈ 50-60 ms; above this many vectors the graph index pays for its build.
HNSW_THRESHOLD = 200_000
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_SEARCH = 128


def build(vectors: np.ndarray, threshold: int = HNSW_THRESHOLD):
    """A FAISS index over `vectors` (rows L2-normalised float32); id i = row i."""
    import faiss

    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    dim = vectors.shape[1]
    if len(vectors) > threshold:
        index = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        index.hnsw.efSearch = HNSW_EF_SEARCH
    else:
        index = faiss.IndexFlatIP(dim)
    if len(vectors):
        index.add(vectors)
    return index


def kind(index) -> str:
    import faiss

    return "hnsw" if isinstance(index, faiss.IndexHNSW) else "flat"


def save(index, path: Path) -> None:
    import faiss

    faiss.write_index(index, str(path))


def load(path: Path):
    import faiss

    index = faiss.read_index(str(path))
    if isinstance(index, faiss.IndexHNSW):
        index.hnsw.efSearch = HNSW_EF_SEARCH
    return index


def vectors(index) -> np.ndarray:
    """All stored vectors, row i = id i (both index kinds keep the raw vectors)."""
    if index.ntotal == 0:
        return np.zeros((0, index.d), dtype=np.float32)
    return index.reconstruct_n(0, index.ntotal)


def search(
    index, query: np.ndarray, k: int, allowed: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(scores, ids) of the k best rows for one query vector; `allowed` is a bool mask over ids."""
    import faiss

    k = min(k, index.ntotal)
    if k <= 0:
        return np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.int64)
    q = np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32)
    params = None
    if allowed is not None:
        ids = np.flatnonzero(allowed).astype(np.int64)
        if len(ids) == 0:
            return np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.int64)
        selector = faiss.IDSelectorBatch(ids)
        if kind(index) == "hnsw":
            params = faiss.SearchParametersHNSW(sel=selector, efSearch=max(HNSW_EF_SEARCH, k))
        else:
            params = faiss.SearchParameters(sel=selector)
        k = min(k, len(ids))
    elif kind(index) == "hnsw" and k > index.hnsw.efSearch:
        params = faiss.SearchParametersHNSW(efSearch=k)
    scores, ids = index.search(q, k, params=params)
    keep = ids[0] >= 0
    return scores[0][keep], ids[0][keep]
