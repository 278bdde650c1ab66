"""FAISS dense search checked against numpy brute force; HNSW recall against exact search."""

from __future__ import annotations

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
    for index in (dense.build(vectors), dense.build(vectors, threshold=100)):
        _, ids = dense.search(index, q, 10, allowed)
        assert allowed[ids].all()
        assert ids.tolist() == _brute(vectors, q, 10, allowed)[1].tolist()


def test_k_larger_than_index_and_empty_filter():
    vectors, q = _unit(5, 32, 5), _unit(1, 32, 6)[0]
    index = dense.build(vectors)
    assert len(dense.search(index, q, 50)[1]) == 5
    assert len(dense.search(index, q, 5, np.zeros(5, dtype=bool))[1]) == 0


def test_hnsw_chosen_above_threshold_with_high_recall():
    # Random vectors are the hard case for a graph index (no cluster structure); real embeddings do better.
    vectors, queries = _unit(4000, 384, 7), _unit(50, 384, 8)
    index = dense.build(vectors, threshold=1000)
    assert dense.kind(index) == "hnsw"
    found = 0
    for q in queries:
        _, ids = dense.search(index, q, 10)
        found += len(set(ids.tolist()) & set(_brute(vectors, q, 10)[1].tolist()))
    assert found / (10 * len(queries)) >= 0.95


@pytest.mark.parametrize("threshold", [10_000, 100])
def test_save_load_round_trip(tmp_path, threshold):
    vectors, q = _unit(500, 48, 9), _unit(1, 48, 10)[0]
    index = dense.build(vectors, threshold=threshold)
    dense.save(index, tmp_path / "dense.faiss")
    again = dense.load(tmp_path / "dense.faiss")
    assert dense.kind(again) == dense.kind(index)
    assert np.array_equal(dense.vectors(again), vectors)
    assert dense.search(again, q, 10)[1].tolist() == dense.search(index, q, 10)[1].tolist()
