"""`tracuu eval` end to end on a real index (default model) of two sample directives, and its error cases."""

from __future__ import annotations

import contextlib
import io
import json
import math
import re
from pathlib import Path

import pytest
from conftest import CORPUS, write_jsonl

from eval import evaluate
from tracuu.cli import main

pytestmark = pytest.mark.model  # the real embedding model (make test-fast leaves these out)

DOCS = [
    "2021-09-13-tin-phu-tho-van-ban-4088-day-hoc-an-toan-covid.txt",
    "2021-chi-thi-ubnd-huyen-nhiem-vu-trong-tam-nam-hoc-2021-2022.txt",
]
PHU_THO, CHI_THI = DOCS
QUERIES = [
    {
        "id": "yte",
        "query": "Sở Y tế có nhiệm vụ gì trong phòng chống dịch ở trường học?",
        "relevant": [{"doc": PHU_THO, "quote": "Sở Y tế: Chủ trì, phối hợp vở Sở Giáo dục và Đào tạo"}],
    },
    {
        "id": "ngoaingu",
        "query": "Nâng cao chất lượng dạy học ngoại ngữ, nhất là tiếng Anh",
        # Line break where the text has a space: quotes are compared with spacing collapsed.
        "relevant": [
            {"doc": CHI_THI, "quote": "3. Nâng cao chất lượng dạy học ngoại ngữ,\nnhất là tiếng Anh"}
        ],
    },
    {
        "id": "khongdau",
        "query": "uy ban nhan dan cac xa thi tran can cu chi thi",
        "relevant": [{"doc": CHI_THI, "quote": "c. Ủy ban nhân dân các xã, thị trấn căn cứ Chỉ thị này"}],
    },
    {
        "id": "ldtbxh",
        "query": "ngành Lao động Thương binh và Xã hội phối hợp với ngành giáo dục",
        "relevant": [
            {
                "doc": PHU_THO,
                "quote": "Sở Lao động Thương binh và Xã hội phối hợp với Sở Giáo dục và Đào tạo",
            },
            {"doc": CHI_THI, "quote": "b. Ngành Lao động - Thương binh và Xã hội chủ động phối hợp chặt chẽ"},
        ],
    },
    {"id": "ngoai", "query": "học phí đại học năm 2025 là bao nhiêu?", "relevant": [], "kind": "none"},
]
NAMES = ["hit@1", "recall@5", "recall@10", "mrr@10", "ndcg@10"]


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory) -> Path:
    import index

    folder = tmp_path_factory.mktemp("corpus")
    for name in DOCS:
        (folder / name).write_bytes((CORPUS / name).read_bytes())
    out = tmp_path_factory.mktemp("idx") / "index"
    index.build([folder], out)
    return out


@pytest.fixture(scope="module")
def json_run(index_dir, tmp_path_factory):
    """One `tracuu eval --json --per-query` run shared by the checks below."""
    tmp = tmp_path_factory.mktemp("run")
    qfile = write_jsonl(tmp / "q.jsonl", QUERIES)
    per_query = tmp / "per-query.jsonl"
    out = io.StringIO()  # capsys is function-scoped; this fixture is shared by the module
    with contextlib.redirect_stdout(out):
        code = main(["eval", str(qfile), "--index", str(index_dir), "--json", "--per-query", str(per_query)])
    rows = [json.loads(line) for line in per_query.read_text(encoding="utf-8").splitlines()]
    return code, json.loads(out.getvalue()), rows, qfile


def test_json_is_exactly_mode_metric_value(json_run):
    code, table, _, _ = json_run
    assert code == 0
    assert list(table) == ["bm25", "dense", "hybrid"]
    for metrics in table.values():
        assert list(metrics) == NAMES
        assert all(0.0 <= v <= 1.0 for v in metrics.values())


def test_averages_are_over_answered_queries_only(json_run):
    _, table, rows, _ = json_run
    for mode, metrics in table.items():
        scored = [r["metrics"] for r in rows if r["mode"] == mode and r["metrics"] is not None]
        assert len(scored) == 4  # the no-answer query is searched but not averaged
        for name in NAMES:
            assert metrics[name] == pytest.approx(sum(s[name] for s in scored) / 4)
    none = [r for r in rows if r["id"] == "ngoai"]
    assert [r["mode"] for r in none] == ["bm25", "dense", "hybrid"]
    assert all(r["metrics"] is None and r["gold"] == 0 and 0 < len(r["hits"]) <= 10 for r in none)


def _brute_overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    shared = len(set(range(*a)) & set(range(*b)))
    return shared > 0 and shared >= min(a[1] - a[0], b[1] - b[0]) / 2


def test_per_query_rows_agree_with_a_brute_force_recount(json_run, index_dir):
    """Relevance and metrics recomputed from the raw hits, without eval's own span or metric code."""
    import index

    texts = {d: doc.text for d, doc in index.load(index_dir).documents.items()}
    queries = {q["id"]: q for q in QUERIES}
    _, _, rows, _ = json_run
    for row in (r for r in rows if r["metrics"] is not None):
        gold = []
        for rel in queries[row["id"]]["relevant"]:
            flat = " ".join(rel["quote"].split())
            text = texts[rel["doc"]]
            # These quotes differ from the text by spacing only: find them with a regex on \s+.
            m = re.search(r"\s+".join(map(re.escape, flat.split(" "))), text)
            assert m, rel
            gold.append((rel["doc"], m.start(), m.end()))
        hit_gold = [
            {
                g
                for g, (d, s, e) in enumerate(gold)
                if d == h["doc"] and _brute_overlap((h["start"], h["end"]), (s, e))
            }
            for h in row["hits"]
        ]
        assert [set(h["gold"]) for h in row["hits"]] == hit_gold
        first = next((i for i, g in enumerate(hit_gold, 1) if g), None)
        assert row["first_relevant"] == first
        m = row["metrics"]
        assert m["mrr@10"] == pytest.approx(1 / first if first else 0.0)
        assert m["hit@1"] == (1.0 if first == 1 else 0.0)
        for c in (5, 10):
            covered = set().union(*hit_gold[:c]) if hit_gold else set()
            assert m[f"recall@{c}"] == pytest.approx(len(covered) / len(gold))
        seen, dcg = set(), 0.0
        for rank, g in enumerate(hit_gold, 1):
            if g - seen:
                dcg += 1 / math.log2(rank + 1)
            seen |= g
        ideal = sum(1 / math.log2(r + 1) for r in range(1, min(len(gold), 10) + 1))
        assert m["ndcg@10"] == pytest.approx(dcg / ideal)


def test_real_model_finds_verbatim_and_accentless_passages(json_run):
    _, _, rows, _ = json_run
    first = {(r["mode"], r["id"]): r["first_relevant"] for r in rows}
    assert first[("bm25", "ngoaingu")] == 1
    assert first[("hybrid", "ngoaingu")] == 1
    assert first[("dense", "yte")] is not None and first[("dense", "yte")] <= 3
    assert first[("bm25", "khongdau")] is not None and first[("bm25", "khongdau")] <= 3


def test_python_api_matches_the_cli(json_run, index_dir):
    import index

    _, table, _, qfile = json_run
    api = evaluate(index.load(index_dir), qfile)
    assert list(api) == list(table)
    for mode in table:
        assert api[mode] == pytest.approx(table[mode])


def test_terminal_table(index_dir, tmp_path, capsys):
    qfile = write_jsonl(tmp_path / "q.jsonl", [QUERIES[1], QUERIES[4]])
    assert main(["eval", str(qfile), "--index", str(index_dir), "-k", "3"]) == 0
    out = capsys.readouterr().out
    assert "2 queries: 1 scored, 1 with no answer in the corpus" in out
    header = next(line for line in out.splitlines() if line.startswith("mode"))
    assert header.split() == ["mode", "Hit@1", "Recall@3", "MRR@3", "nDCG@3"]
    for mode in ("bm25", "dense", "hybrid"):
        row = next(line for line in out.splitlines() if line.startswith(mode + " "))
        assert all(0.0 <= float(v) <= 1.0 for v in row.split()[1:])
    assert "median top-1 score, answered / no-answer queries" in out


def _fails(capsys, argv, *needles):
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "\n" not in err and "Traceback" not in err
    for n in needles:
        assert n in err, err


def test_unknown_document_names_the_query(index_dir, tmp_path, capsys):
    bad = dict(QUERIES[0], id="q-lost", relevant=[{"doc": "khong-co.txt", "quote": "Sở Y tế"}])
    qfile = write_jsonl(tmp_path / "q.jsonl", [QUERIES[0], bad])
    per_query = tmp_path / "pq.jsonl"
    _fails(capsys, ["eval", str(qfile), "--index", str(index_dir), "--per-query", str(per_query)], "q-lost")
    assert not per_query.exists()


def test_quote_not_found_names_the_query(index_dir, tmp_path, capsys):
    bad = dict(
        QUERIES[0],
        id="q-typo",
        relevant=[{"doc": PHU_THO, "quote": "Sở Y tế: Chủ trì tổ chức lễ khai giảng"}],
    )
    qfile = write_jsonl(tmp_path / "q.jsonl", [bad])
    _fails(capsys, ["eval", str(qfile), "--index", str(index_dir)], "q-typo", "not found", PHU_THO)


def test_bad_queries_files(index_dir, tmp_path, capsys):
    _fails(capsys, ["eval", str(tmp_path / "nope.jsonl"), "--index", str(index_dir)], "no such file")
    broken = tmp_path / "broken.jsonl"
    broken.write_text(json.dumps(QUERIES[0], ensure_ascii=False) + "\n{not json\n", encoding="utf-8")
    _fails(capsys, ["eval", str(broken), "--index", str(index_dir)], "broken.jsonl line 2")
    twice = write_jsonl(tmp_path / "twice.jsonl", [QUERIES[0], QUERIES[0]])
    _fails(capsys, ["eval", str(twice), "--index", str(index_dir)], "yte", "twice")


def test_missing_index(tmp_path, capsys):
    qfile = write_jsonl(tmp_path / "q.jsonl", QUERIES[:1])
    _fails(capsys, ["eval", str(qfile), "--index", str(tmp_path / "no-index")], "tracuu ingest")
