"""index/hybrid.py: score fusion of the dense and BM25 rankings, on the sample corpus indexed with the real
default model (rankings come from real FAISS and bm25s searches)."""

from __future__ import annotations

import numpy as np
import pytest
from index_helpers import corpus_index

from index import dense, hybrid, lexical

pytestmark = pytest.mark.model  # the real embedding model (make test-fast leaves these out)

QUERIES = ["nhiệm vụ của Sở Y tế", "dạy học trực tuyến an toàn", "day hoc truc tuyen", "kiểm định chất lượng"]


@pytest.fixture(scope="module")
def idx():
    import index

    return index.load(corpus_index())


def _rankings(idx, query: str, depth: int) -> dict:
    lq = lexical.Query.of(query)
    return {
        "dense": dense.search(idx.dense_index, idx.query_vector(query), depth),
        "bm25": idx.lexical.search(lq, depth),
        "passages": idx.lexical.search_passages(lq, depth),
    }


def test_the_index_ranks_what_hybrid_fuses(idx):
    query = QUERIES[0]
    got = idx.rankings(query, hybrid.POOL)
    want = _rankings(idx, query, hybrid.POOL)
    assert list(got) == list(want)
    for name in want:
        assert got[name][1].tolist() == want[name][1].tolist(), name


def test_normalise_maps_the_pool_to_unit_range():
    s = np.array([9.0, 7.0, 5.0, 3.0, 1.0])
    assert hybrid.normalise(s, pool=3).tolist() == [1.0, 0.5, 0.0, 0.0, 0.0]  # the pool-th and below: 0
    assert hybrid.normalise(s, pool=10).tolist() == [1.0, 0.75, 0.5, 0.25, 0.0]  # fewer than pool: the last
    assert hybrid.normalise(np.array([2.0, 2.0]), pool=5).tolist() == [1.0, 1.0]  # a tie at the top
    assert hybrid.normalise(np.array([0.8]), pool=5).tolist() == [1.0]
    assert len(hybrid.normalise(np.zeros(0))) == 0


ALL = {"dense", "bm25", "passages"}


def test_weights_for_unmarked_queries_and_folders_without_passages():
    w = hybrid.weights_for(marked=True, fields=ALL)
    assert w == hybrid.WEIGHTS | hybrid.PRIORS
    assert sum(w[name] for name in ALL) == pytest.approx(1.0)
    bare = hybrid.weights_for(marked=False, fields=ALL)
    assert bare["dense"] == pytest.approx(w["dense"] * hybrid.UNMARKED_DENSE_SHARE)
    assert bare["bm25"] == w["bm25"] and bare["passages"] == w["passages"]
    flat = hybrid.weights_for(marked=True, fields={"dense", "bm25"})
    assert "passages" not in flat and flat["bm25"] == pytest.approx(w["bm25"] + w["passages"])


@pytest.mark.parametrize("query", QUERIES)
def test_fused_scores_recomputed_by_hand(idx, query):
    rankings = _rankings(idx, query, hybrid.POOL)
    # Hand-picked weights (not the shipped ones, which may leave a field at 0), a prior included.
    weights = {"dense": 0.4, "bm25": 0.2, "passages": 0.4, "opening": -0.1, "short": -0.05}
    priors = idx.priors()
    want: dict[int, float] = {}
    for name, (scores, ids) in rankings.items():
        s = scores.astype(float)
        lo = s[min(hybrid.POOL, len(s)) - 1]
        for i, v in zip(ids.tolist(), s.tolist(), strict=True):
            z = max(0.0, (v - lo) / (s[0] - lo)) if s[0] > lo else 1.0
            want[i] = want.get(i, 0.0) + weights[name] * z
    for i in want:
        want[i] += weights["opening"] * priors["opening"][i] + weights["short"] * priors["short"][i]
    order = sorted(want, key=lambda i: -want[i])[:10]
    got = hybrid.fuse(rankings, weights, k=10, priors=priors)
    assert [i for i, _ in got] == order
    assert [s for _, s in got] == pytest.approx([min(1.0, max(0.0, want[i])) for i in order])
    assert all(0.0 <= s <= 1.0 for _, s in got)


def test_priors_mark_each_documents_first_chunk_and_short_chunks(idx):
    p = idx.priors()
    first = {}
    for i, c in enumerate(idx.chunks):
        if c.doc not in first or c.start < idx.chunks[first[c.doc]].start:
            first[c.doc] = i
    assert np.flatnonzero(p["opening"]).tolist() == sorted(first.values())
    assert all(p["short"][i] == (len(c.text.strip()) < hybrid.SHORT) for i, c in enumerate(idx.chunks))


@pytest.mark.parametrize("query", QUERIES)
def test_the_top_does_not_depend_on_k(idx, query):
    short = idx.search(query, k=5)
    long = idx.search(query, k=60)
    assert [(h.chunk.doc, h.chunk.start, h.score) for h in short] == [
        (h.chunk.doc, h.chunk.start, h.score) for h in long[:5]
    ]
    assert len(long) == min(60, len(idx.chunks))
    assert [h.rank for h in long] == list(range(1, len(long) + 1))
    assert [h.score for h in long] == sorted((h.score for h in long), reverse=True)


def test_first_everywhere_scores_one_and_weights_decide(idx):
    query = QUERIES[0]
    rankings = _rankings(idx, query, hybrid.POOL)
    # Only the dense side weighed: the fusion is the dense order.
    only_dense = hybrid.fuse(rankings, {"dense": 1.0, "bm25": 0.0, "passages": 0.0}, k=5)
    assert [i for i, _ in only_dense] == rankings["dense"][1][:5].tolist()
    assert only_dense[0][1] == pytest.approx(1.0)
    # One ranking given three times is that ranking, its best at 1.0.
    same = {name: rankings["passages"] for name in ("dense", "bm25", "passages")}
    fused = hybrid.fuse(same, hybrid.WEIGHTS, k=5)
    assert [i for i, _ in fused] == rankings["passages"][1][:5].tolist() and fused[0][1] == pytest.approx(1.0)


def test_filters_apply_before_fusion(idx):
    doc = sorted(idx.documents)[1]
    hits = idx.search("nhiệm vụ năm học", k=8, filters={"doc": [doc]})
    assert hits and {h.chunk.doc for h in hits} == {doc}
    assert hits[0].score == pytest.approx(max(h.score for h in hits))
