"""Dense retrieval: FAISS inner product over L2-normalised vectors (= cosine).

`plan(n, dim)` is the one place that chooses the index kind. Up to THRESHOLD vectors: exact search
(IndexFlatIP). Above it: IVF-PQ trained on a sample, whose top candidates are re-ranked exactly against
the raw vectors, kept beside it (dense.vectors.npy) and memory-mapped, so memory holds 56 bytes per
vector (48 code bytes + the id) instead of 1,536 and the page cache the few rows a query re-ranks. Its
parameters (factory string, nlist, m, nprobe, train size, re-rank depth) go into the manifest's "dense"
entry and `load` reads them back. HNSW indexes built by earlier versions still load and search.
Figures (README, "Beyond one machine": `python -m eval.bench_dense`): flat search is ~10 ms per query at
200k vectors on 2 cores and grows linearly; IVF-PQ at 10^6 answered in 7.5 ms (under load) with
recall@10 0.85 on synthetic e5-like vectors (0.76 without the re-rank), from 58 bytes a vector in memory.

Indexes are read memory-mapped (IO_FLAG_MMAP_IFC): replicas on one machine share one copy in the page
cache, and a load costs no copy. A mapped index must never be added to (FAISS aborts): build writes new.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

# Flat search scans every vector: ~ n * dim multiply-adds per query. Measured on 2 cores (384-d):
# 200k vectors ≈ 10 ms, 1M ≈ 50-60 ms; above this many vectors the compressed index pays for its build.
THRESHOLD = 200_000
THRESHOLD_ENV = "TRACUU_DENSE_THRESHOLD"  # tests (and experiments) move it without a million vectors
HNSW_EF_SEARCH = 128  # indexes built as HNSW before IVF-PQ replaced it
TRAIN_PER_LIST = 50  # k-means wants >= 39 points per list; more buys little and costs training time
NPROBE = 32
RERANK = 4  # re-rank RERANK*k (at least RERANK_MIN) PQ candidates against the exact vectors
RERANK_MIN = 40
EXACT_SUBSET = 50_000  # a filter leaving this few rows is searched exactly (~5 ms) rather than by IVF
VECTORS_FILE = "dense.vectors.npy"


@dataclass(frozen=True)
class Plan:
    """How a dense index is (to be) built: what the manifest's "dense" entry records."""

    kind: str  # "flat" or "ivfpq"
    factory: str  # faiss.index_factory string
    nlist: int = 0
    m: int = 0  # PQ sub-quantizers (bytes per code at 8 bits)
    nbits: int = 0
    nprobe: int = 0
    train_size: int = 0
    rerank: int = 0


def threshold() -> int:
    from tracuu import config

    return config.dense_threshold(THRESHOLD)  # $TRACUU_DENSE_THRESHOLD, else THRESHOLD


def plan(n: int, dim: int, limit: int | None = None) -> Plan:
    """The index for `n` vectors of `dim`: exact up to `limit` (default: threshold())."""
    limit = threshold() if limit is None else limit
    if n <= limit:
        return Plan("flat", "Flat")
    # ~sqrt(n) lists, a power of two: 10^6 -> 1024, 10^7 -> 4096; each list gets enough training points
    nlist = max(4, min(65_536, 2 ** round(math.log2(math.sqrt(n))), n // TRAIN_PER_LIST))
    m = next(m for m in range(max(1, dim // 8), 0, -1) if dim % m == 0)  # 8 dims per byte, dividing dim
    train = min(n, max(TRAIN_PER_LIST * nlist, 256 * 40))  # PQ's 256 centroids want >= 39 points too
    nbits = max(1, min(8, int(math.log2(train / 39))))  # fewer centroids only for a tiny (test) index
    factory = f"IVF{nlist},PQ{m}" + (f"x{nbits}" if nbits != 8 else "")
    return Plan("ivfpq", factory, nlist, m, nbits, min(NPROBE, nlist), train, RERANK)


@dataclass
class Compressed:
    """An IVF-PQ index with the exact vectors (memory-mapped) that re-rank its candidates."""

    ivf: object  # faiss.IndexIVFPQ
    raw: np.ndarray  # row i = vector of id i
    plan: Plan

    @property
    def ntotal(self) -> int:
        return self.ivf.ntotal

    @property
    def d(self) -> int:
        return self.ivf.d


def build(vectors: np.ndarray, threshold: int | None = None):
    """A dense index over `vectors` (rows L2-normalised float32); id i = row i."""
    import faiss

    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    p = plan(len(vectors), vectors.shape[1], threshold)
    if p.kind == "flat":
        index = faiss.IndexFlatIP(vectors.shape[1])
        if len(vectors):
            index.add(vectors)
        return index
    ivf = faiss.index_factory(vectors.shape[1], p.factory, faiss.METRIC_INNER_PRODUCT)
    # the factory turns on polysemous training (codes ordered for Hamming pre-filtering, which we do
    # not use): ~5x the whole build's time on 20k vectors
    faiss.downcast_index(ivf).do_polysemous_training = False
    # an even sample: rows are in document order, so a prefix would train on a few directives only
    sample = np.linspace(0, len(vectors) - 1, p.train_size).astype(np.int64)
    ivf.train(vectors[sample])
    for s in range(0, len(vectors), 200_000):  # bounded temporaries while encoding
        ivf.add(vectors[s : s + 200_000])
    faiss.extract_index_ivf(ivf).nprobe = p.nprobe
    return Compressed(ivf, vectors, p)


def kind(index) -> str:
    import faiss

    if isinstance(index, Compressed):
        return "ivfpq"
    return "hnsw" if isinstance(index, faiss.IndexHNSW) else "flat"


def describe(index) -> dict:
    """The manifest's "dense" entry: the kind, and for a compressed index its parameters."""
    if isinstance(index, Compressed):
        return asdict(index.plan) | {"count": index.ntotal}
    return {"kind": kind(index), "count": index.ntotal}


def save(index, path: Path) -> None:
    import faiss

    if isinstance(index, Compressed):
        faiss.write_index(index.ivf, str(path))
        np.save(Path(path).parent / VECTORS_FILE, np.ascontiguousarray(index.raw, dtype=np.float32))
    else:
        faiss.write_index(index, str(path))


def _read(path: Path):
    import faiss

    try:  # mapped, not copied (see the module's docstring)
        return faiss.read_index(str(path), faiss.IO_FLAG_MMAP_IFC)
    except RuntimeError:
        return faiss.read_index(str(path))


def load(path: Path, described: dict | None = None):
    """The index at `path`, read-only; `described` is the manifest's "dense" entry (its nprobe etc.)."""
    import faiss

    index = _read(path)
    if isinstance(index, faiss.IndexHNSW):
        index.hnsw.efSearch = HNSW_EF_SEARCH
        return index
    if not isinstance(index, faiss.IndexIVF) and faiss.try_extract_index_ivf(index) is None:
        return index
    ivf = faiss.extract_index_ivf(index)
    fields = {k: v for k, v in (described or {}).items() if k in Plan.__dataclass_fields__}
    p = Plan(**({"kind": "ivfpq", "factory": "", "nprobe": NPROBE, "rerank": RERANK} | fields))
    ivf.nprobe = min(p.nprobe or NPROBE, ivf.nlist)
    raw = np.load(Path(path).parent / VECTORS_FILE, mmap_mode="r")
    if raw.shape != (index.ntotal, index.d):
        raise ValueError(f"{VECTORS_FILE} holds {raw.shape}, the index {index.ntotal} vectors of {index.d}")
    return Compressed(index, raw, p)


def vectors(index) -> np.ndarray:
    """All stored vectors, row i = id i, as built (a compressed index keeps them beside its codes)."""
    if isinstance(index, Compressed):
        return np.asarray(index.raw)
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
    if isinstance(index, Compressed):
        return _search_compressed(index, q, k, allowed)
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


def _search_compressed(index: Compressed, q: np.ndarray, k: int, allowed) -> tuple[np.ndarray, np.ndarray]:
    import faiss

    ivf = faiss.extract_index_ivf(index.ivf)
    nprobe, params, thin = ivf.nprobe, None, 1.0
    if allowed is not None:
        ids = np.flatnonzero(allowed).astype(np.int64)
        if len(ids) <= EXACT_SUBSET:  # few rows left: exact over them beats probing for them
            return _exact(index.raw, q, ids, k)
        # probe as many more lists as the filter thins them, so about as many allowed codes are scanned
        # and re-rank as many more candidates: the allowed rows' near ties are spread wider
        thin = index.ntotal / len(ids)
        nprobe = min(ivf.nlist, math.ceil(nprobe * thin))
        params = faiss.SearchParametersIVF(sel=faiss.IDSelectorBatch(ids), nprobe=nprobe)
    depth = min(index.ntotal, math.ceil(max(k * (index.plan.rerank or RERANK), RERANK_MIN) * min(thin, 8)))
    _, cand = index.ivf.search(q, depth, params=params)
    cand = cand[0][cand[0] >= 0]
    return _exact(index.raw, q, np.sort(cand), k)  # sorted ids: the mapped rows are read in file order


def _exact(raw: np.ndarray, q: np.ndarray, ids: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    if len(ids) == 0:
        return np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.int64)
    scores = np.asarray(raw[ids], dtype=np.float32) @ q[0]
    top = np.argsort(-scores, kind="stable")[:k]
    return scores[top], ids[top].astype(np.int64)
