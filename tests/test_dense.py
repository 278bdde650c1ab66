"""FAISS dense search checked against numpy brute force; IVF-PQ (past a small threshold) recall against
exact search, through build -> save -> load -> search and a whole index folder."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from index import dense


def _unit(n: int, dim: int, seed: int) -> np.ndarray:
    v = np.random.default_rng(seed).standard_normal((n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def _brute(vectors: np.ndarray, q: np.ndarray, k: int, allowed=None):
    s = vectors @ q
    if allowed is not None:
        s = np.where(allowed, s, -np.inf)
    ids = np.argsort(-s, kind="stable")[:k]
    return s[ids], ids


def test_flat_matches_numpy_brute_force():
    vectors, queries = _unit(3000, 384, 1), _unit(20, 384, 2)
    index = dense.build(vectors)
    assert dense.kind(index) == "flat"
    for q in queries:
        scores, ids = dense.search(index, q, 10)
        want_s, want_ids = _brute(vectors, q, 10)
        assert ids.tolist() == want_ids.tolist()
        assert np.allclose(scores, want_s, atol=1e-5)


def test_filter_mask_restricts_results_exactly():
    vectors, q = _unit(2000, 64, 3), _unit(1, 64, 4)[0]
    allowed = np.zeros(2000, dtype=bool)
    allowed[::7] = True
    for index in (dense.build(vectors), dense.build(vectors, threshold=100)):  # flat, then IVF-PQ
        _, ids = dense.search(index, q, 10, allowed)
        assert allowed[ids].all()
        assert ids.tolist() == _brute(vectors, q, 10, allowed)[1].tolist()


def test_k_larger_than_index_and_empty_filter():
    vectors, q = _unit(5, 32, 5), _unit(1, 32, 6)[0]
    index = dense.build(vectors)
    assert len(dense.search(index, q, 50)[1]) == 5
    assert len(dense.search(index, q, 5, np.zeros(5, dtype=bool))[1]) == 0


def _clustered(n: int, dim: int, seed: int) -> np.ndarray:
    """Like embeddings: neighbourhoods (eval/bench/synth.py's generator), not uniform noise."""
    from eval.bench.synth import vectors

    return vectors(n, dim, np.random.default_rng(seed))


def _recall(index, vectors, queries, k=10, allowed=None) -> float:
    found = 0
    for q in queries:
        _, ids = dense.search(index, q, k, allowed)
        found += len(set(ids.tolist()) & set(_brute(vectors, q, k, allowed)[1].tolist()))
    return found / (k * len(queries))


def test_plan_is_flat_up_to_threshold_then_ivfpq():
    assert dense.plan(200_000, 384).kind == "flat"
    big = dense.plan(1_000_000, 384)
    assert (big.kind, big.factory, big.nlist, big.m, big.nbits) == ("ivfpq", "IVF1024,PQ48", 1024, 48, 8)
    assert big.train_size >= 39 * big.nlist and big.nprobe <= big.nlist
    assert dense.plan(10_000_000, 384).nlist == 4096


def test_ivfpq_save_load_search_recall(tmp_path, monkeypatch):
    # 20k vectors past a threshold of 5k: IVF-PQ trained on a sample, saved, loaded (mapped) and searched.
    # Bound: recall@10 vs exact >= 0.95 (the re-rank of 40 PQ candidates against the exact vectors).
    monkeypatch.setenv(dense.THRESHOLD_ENV, "5000")
    # 64-d keeps PQ training to seconds (8 sub-quantizers); the 384-d figures are eval/bench_dense.py's
    both = _clustered(20_050, 64, 11)  # queries drawn like the rows (near some), held out of the index
    vectors, queries = both[:20_000], both[20_000:]
    index = dense.build(vectors)
    assert dense.kind(index) == "ivfpq"
    entry = dense.describe(index)
    assert entry["factory"] == f"IVF{entry['nlist']},PQ8" and entry["train_size"] < 20_000
    dense.save(index, tmp_path / "dense.faiss")
    entry["nprobe"] = 3  # the manifest's value is the one a load uses
    again = dense.load(tmp_path / "dense.faiss", entry)
    assert dense.kind(again) == "ivfpq" and again.plan.nprobe == 3
    assert np.array_equal(dense.vectors(again), vectors)
    loaded = dense.load(tmp_path / "dense.faiss", dense.describe(index))
    assert _recall(loaded, vectors, queries) >= 0.95
    allowed = np.zeros(len(vectors), dtype=bool)
    allowed[::3] = True  # a filter past EXACT_SUBSET goes through the IVF with more lists probed
    monkeypatch.setattr(dense, "EXACT_SUBSET", 100)
    assert _recall(loaded, vectors, queries[:20], allowed=allowed) >= 0.9
    _, ids = dense.search(loaded, queries[0], 10, allowed)
    assert allowed[ids].all()


def test_index_folder_past_threshold_is_ivfpq_with_parameters_in_manifest(tmp_path, monkeypatch):
    import index
    from index import store

    monkeypatch.setenv(dense.THRESHOLD_ENV, "10")
    corpus = Path(__file__).resolve().parents[1] / "corpus"
    built = tmp_path / "index"
    index.build([corpus], built, model="fake")
    manifest = store.read_manifest(built)
    assert manifest["dense"]["kind"] == "ivfpq" and manifest["dense"]["factory"].startswith("IVF")
    ix = index.load(built)
    assert dense.kind(ix.dense_index) == "ivfpq"
    assert ix.dense_index.plan.nprobe == manifest["dense"]["nprobe"]
    exact = dense.vectors(ix.dense_index)
    q = exact[5]
    assert dense.search(ix.dense_index, q, 1)[1][0] == 5  # a stored vector finds itself
    # a second build reuses the stored (exact) vectors, not PQ reconstructions
    report = index.build([corpus], built, model="fake")
    assert report.embedded == 0
    assert np.array_equal(dense.vectors(index.load(built).dense_index), exact)


def test_hnsw_index_of_earlier_versions_still_loads_and_searches(tmp_path):
    import faiss

    vectors, q = _unit(500, 48, 9), _unit(1, 48, 10)[0]
    old = faiss.IndexHNSWFlat(48, 32, faiss.METRIC_INNER_PRODUCT)
    old.add(vectors)
    dense.save(old, tmp_path / "dense.faiss")
    again = dense.load(tmp_path / "dense.faiss", {"kind": "hnsw", "count": 500})
    assert dense.kind(again) == "hnsw"
    assert np.array_equal(dense.vectors(again), vectors)
    assert dense.search(again, q, 10)[1].tolist() == _brute(vectors, q, 10)[1].tolist()


@pytest.mark.parametrize("threshold", [10_000, 100])
def test_save_load_round_trip(tmp_path, threshold):
    vectors, q = _unit(3000, 48, 9), _unit(1, 48, 10)[0]
    index = dense.build(vectors, threshold=threshold)
    dense.save(index, tmp_path / "dense.faiss")
    again = dense.load(tmp_path / "dense.faiss", dense.describe(index))
    assert dense.kind(again) == dense.kind(index)
    assert np.array_equal(dense.vectors(again), vectors)
    assert dense.search(again, q, 10)[1].tolist() == dense.search(index, q, 10)[1].tolist()
