"""Metric arithmetic (via ranx) against values worked out by hand."""

from __future__ import annotations

import math

import pytest

from eval import metrics
from eval.spans import Span

MISS: set[int] = set()


def one(matches, n_gold, k=10):
    return metrics.score({"q": matches}, {"q": n_gold}, k)["q"]


def test_single_gold_at_rank_two():
    m = one([MISS, {0}, MISS], 1)
    assert m["hit@1"] == 0.0
    assert m["recall@5"] == m["recall@10"] == 1.0
    assert m["mrr@10"] == pytest.approx(0.5)
    assert m["ndcg@10"] == pytest.approx(1 / math.log2(3))


def test_two_golds_first_and_third():
    m = one([{0}, MISS, {1}], 2)
    assert m["hit@1"] == 1.0 and m["mrr@10"] == 1.0 and m["recall@10"] == 1.0
    ideal = 1 + 1 / math.log2(3)
    assert m["ndcg@10"] == pytest.approx((1 + 1 / math.log2(4)) / ideal)


def test_a_gold_span_counts_once_at_its_first_hit():
    m = one([{0}, {0}, {0}], 2)
    assert m["recall@10"] == 0.5
    assert m["ndcg@10"] == pytest.approx(1 / (1 + 1 / math.log2(3)))
    assert m["mrr@10"] == 1.0


def test_one_hit_covering_two_gold_spans():
    m = one([{0, 1}, MISS], 2)
    # Recall counts gold spans covered; nDCG gain is binary, one rank earns at most 1.
    assert m["recall@5"] == 1.0
    assert m["ndcg@10"] == pytest.approx(1 / (1 + 1 / math.log2(3)))
    assert m["hit@1"] == 1.0


def test_later_hit_on_other_gold_after_a_double_hit():
    m = one([{0, 1}, {1}, {2}], 3)
    ideal = 1 + 1 / math.log2(3) + 1 / math.log2(4)
    assert m["ndcg@10"] == pytest.approx((1 + 1 / math.log2(4)) / ideal)
    assert m["recall@10"] == 1.0


def test_cutoffs():
    matches = [MISS] * 6 + [{0}] + [MISS] * 3
    m = one(matches, 1)
    assert m["recall@5"] == 0.0 and m["recall@10"] == 1.0
    assert m["mrr@10"] == pytest.approx(1 / 7)
    assert m["ndcg@10"] == pytest.approx(1 / math.log2(8))
    assert m["hit@1"] == 0.0
    # Beyond k nothing counts.
    late = one([MISS] * 10 + [{0}], 1)
    assert late == {"hit@1": 0.0, "recall@5": 0.0, "recall@10": 0.0, "mrr@10": 0.0, "ndcg@10": 0.0}


def test_no_hits_at_all():
    assert set(one([], 2).values()) == {0.0}


def test_other_k_names_the_metrics():
    assert metrics.metric_names(10) == ["hit@1", "recall@5", "recall@10", "mrr@10", "ndcg@10"]
    assert metrics.metric_names(3) == ["hit@1", "recall@3", "mrr@3", "ndcg@3"]
    m = one([MISS, MISS, MISS, {0}], 1, k=3)
    assert m == {"hit@1": 0.0, "recall@3": 0.0, "mrr@3": 0.0, "ndcg@3": 0.0}


def test_mean_skips_queries_without_gold():
    per = metrics.score({"a": [{0}], "b": [MISS, {0}], "none": [MISS]}, {"a": 1, "b": 1, "none": 0})
    assert set(per) == {"a", "b"}
    avg = metrics.mean(per)
    assert avg["mrr@10"] == pytest.approx(0.75)
    assert avg["hit@1"] == pytest.approx(0.5)


def test_recall_curve():
    matches = {"a": [{0}, MISS, {1}], "b": [MISS, {0}]}
    curve = metrics.recall_curve(matches, {"a": 2, "b": 1}, range(1, 4))
    assert curve == pytest.approx({1: 0.25, 2: 0.75, 3: 1.0})


def test_match_uses_the_overlap_rule():
    gold = [Span("d", 100, 200), Span("d", 500, 520), Span("e", 100, 200)]
    hits = [Span("d", 0, 160), Span("d", 0, 140), Span("d", 505, 900), Span("e", 150, 400)]
    # 60 of 100 shared: yes; 40 of 100: no; the 15 of a 20-char gold: yes; other doc: only gold 2.
    assert metrics.match(hits, gold) == [{0}, set(), {1}, {2}]
