"""The dense index past its size threshold: N synthetic e5-like vectors as IVF-PQ (index/dense.py's plan).

    python -m eval.bench.dense [--n 1000000] [--queries 100] [--dim 384]

Vectors are e5-like: unit vectors sharing a common direction (e5's embeddings of unrelated passages
are at cosine ~0.7), in 1,024 topics each split into sub-topics of ~8 passages, so a query (drawn the
same way, held out of the index) has a few close neighbours, then its topic, then the rest; one flat
level of clusters (eval/bench/synth.py) makes ~1,000 equidistant neighbours at 10^6, which no index
ranks and real text does not have. One row: the plan (factory, nlist, m, nprobe,
train size), build time (training + encoding), bytes per vector on disk and in memory once loaded
(memory-mapped, as a replica loads it: the codes are file pages shared between processes), query p50
with and without the exact re-rank, recall@10 of both against exact search (numpy brute force), and
exact (flat) search's p50 on the same vectors for comparison.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np

from eval.bench.work import pct, peak_rss_mb, status_mb

TOPICS = 1024
PER_SUBTOPIC = 8


def e5_like(n: int, dim: int, rng: np.random.Generator, block: int = 65_536) -> np.ndarray:
    def unit(v):
        return v / np.linalg.norm(v, axis=-1, keepdims=True)

    def noise(rows: int, scale: float):
        return rng.standard_normal((rows, dim)).astype(np.float32) * (scale / np.sqrt(dim))

    common = unit(rng.standard_normal(dim).astype(np.float32))
    topics = unit(rng.standard_normal((TOPICS, dim)).astype(np.float32))
    n_sub = max(1, n // PER_SUBTOPIC)
    subs = unit(topics[rng.integers(0, TOPICS, n_sub)] + noise(n_sub, 0.8))
    out = np.empty((n, dim), dtype=np.float32)
    for s in range(0, n, block):
        e = min(n, s + block)
        v = unit(subs[rng.integers(0, n_sub, e - s)] + noise(e - s, 0.45))
        out[s:e] = unit(v + 1.2 * common)
    return out


def _exact_top(vectors: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    out = np.empty((len(queries), k), dtype=np.int64)
    for i, q in enumerate(queries):
        s = vectors @ q
        top = np.argpartition(-s, k)[:k]
        out[i] = top[np.argsort(-s[top])]
    return out


def _recall(found: list[np.ndarray], truth: np.ndarray) -> float:
    return sum(len(set(f.tolist()) & set(t.tolist())) for f, t in zip(found, truth, strict=True)) / truth.size


def run(n: int = 1_000_000, n_queries: int = 100, dim: int = 384, k: int = 10, seed: int = 0) -> dict:
    import faiss

    from index import dense

    both = e5_like(n + n_queries, dim, np.random.default_rng(seed))
    vectors, queries = both[:n], both[n:]
    t = time.perf_counter()
    built = dense.build(vectors, threshold=0)
    build_s = time.perf_counter() - t
    peak_build_mb = peak_rss_mb()
    with tempfile.TemporaryDirectory(prefix="tracuu-bench-dense-") as tmp:
        path = Path(tmp) / "dense.faiss"
        dense.save(built, path)
        disk = path.stat().st_size
        entry = dense.describe(built)
        del built
        anon0, file0 = status_mb("RssAnon"), status_mb("RssFile")
        index = dense.load(path, entry)
        ivf_times, rr_times, ivf_found, rr_found = [], [], [], []
        for q in queries:
            t = time.perf_counter()
            _, ids = index.ivf.search(q.reshape(1, -1), k)
            ivf_times.append(time.perf_counter() - t)
            ivf_found.append(ids[0])
            t = time.perf_counter()
            rr_found.append(dense.search(index, q, k)[1])
            rr_times.append(time.perf_counter() - t)
        anon, file_ = status_mb("RssAnon") - anon0, status_mb("RssFile") - file0
        truth = _exact_top(vectors, queries, k)
        flat = faiss.IndexFlatIP(dim)
        flat.add(vectors)
        flat_times = []
        for q in queries[:20]:
            t = time.perf_counter()
            flat.search(q.reshape(1, -1), k)
            flat_times.append(time.perf_counter() - t)
    return {
        "n": n,
        "dim": dim,
        **{key: entry[key] for key in ("factory", "nlist", "m", "nprobe", "train_size", "rerank")},
        "build_s": round(build_s, 1),
        "build_peak_rss_mb": round(peak_build_mb),
        "disk_bytes_per_vector": round(disk / n, 1),
        "raw_bytes_per_vector": dim * 4,
        "loaded_anon_mb": round(anon, 1),
        "loaded_file_mb": round(file_, 1),
        "query_p50_ms": round(pct(rr_times, 50) * 1000, 2),
        "recall_at_10": round(_recall(rr_found, truth), 4),
        "pq_only_p50_ms": round(pct(ivf_times, 50) * 1000, 2),
        "pq_only_recall_at_10": round(_recall(ivf_found, truth), 4),
        "flat_p50_ms": round(pct(flat_times, 50) * 1000, 2),
    }


def rows(quick: bool = False) -> list[dict]:
    """`make bench`'s part "dense": 10^6 vectors (10^5 with --quick; IVF-PQ either way)."""
    return [run(100_000 if quick else 1_000_000)]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--queries", type=int, default=100)
    ap.add_argument("--dim", type=int, default=384)
    a = ap.parse_args(argv)
    print(json.dumps(run(a.n, a.queries, a.dim), ensure_ascii=False))


if __name__ == "__main__":
    main()
