"""`tracuu ask --questions` and `tracuu eval --answers` as a user runs them (subprocess, real model, the
sample corpus index), and their error cases."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, write_jsonl
from index_helpers import corpus_index

from eval.answers import METRICS

pytestmark = pytest.mark.model  # the real embedding model (make test-fast leaves these out)

TRACUU = [sys.executable, "-m", "tracuu.cli"]


def tracuu(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*TRACUU, *args], capture_output=True, text=True, cwd=ROOT, timeout=600)


def _rows() -> list[dict]:
    lines = (ROOT / "eval" / "queries.jsonl").read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines if line.strip()]
    # Three obligation questions, a topic question and two with no answer in the corpus.
    pick = [r for r in rows if r.get("kind") == "obligation"][:3] + [
        r for r in rows if r.get("kind") == "topic"
    ][:1]
    return pick + [r for r in rows if not r["relevant"]][:2]


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("answers")
    rows = _rows()
    queries = write_jsonl(tmp / "queries.jsonl", rows)
    asked = tracuu("ask", "--questions", str(queries), "--json", "--index", str(corpus_index()))
    assert asked.returncode == 0, asked.stderr
    per_query = tmp / "per-query.jsonl"
    scored = tracuu(
        "eval",
        "--answers",
        str(queries),
        "--index",
        str(corpus_index()),
        "--json",
        "--per-query",
        str(per_query),
    )
    assert scored.returncode == 0, scored.stderr
    return {"queries": queries, "asked": asked.stdout, "scored": scored.stdout, "per_query": per_query}


def test_ask_questions_prints_one_ask_json_line_per_question_with_its_id(files):
    rows = _rows()
    lines = [json.loads(line) for line in files["asked"].splitlines()]
    assert [line["id"] for line in lines] == [r["id"] for r in rows]
    single = tracuu("ask", rows[0]["query"], "--json", "--index", str(corpus_index()))
    assert single.returncode == 0, single.stderr
    alone = json.loads(single.stdout)
    assert list(lines[0]) == ["id", *alone]  # the `ask --json` shape, `id` first
    assert {k: v for k, v in lines[0].items() if k != "id"} == alone


def test_eval_answers_json_and_per_query_rows_agree_with_the_ask_output(files):
    table = json.loads(files["scored"])
    assert list(table) == ["answers", "by_kind"]
    assert list(table["answers"]) == list(METRICS)
    assert set(table["by_kind"]) == {"obligation", "topic", "none"}
    rows = [json.loads(line) for line in files["per_query"].read_text(encoding="utf-8").splitlines()]
    asked = {a["id"]: a for a in map(json.loads, files["asked"].splitlines())}
    assert [r["id"] for r in rows] == list(asked)
    for r in rows:  # the same answers, point for point: one process of each gives the same text
        assert [p["text"] for p in r["points"]] == [p["text"] for p in asked[r["id"]]["points"]]
        assert r["not_found"] == (not asked[r["id"]]["points"])
    scored = [r for r in rows if r["gold"]]
    a = table["answers"]
    assert a["questions"] == 4 and a["none"] == 2
    assert a["first_right"] == pytest.approx(sum(r["first_right"] for r in scored) / 4)
    assert a["any_right"] == pytest.approx(sum(r["any_right"] for r in scored) / 4)
    points = [p for r in scored for p in r["points"]]
    assert a["points"] == len(points)
    if points:
        assert a["points_off_gold"] == pytest.approx(sum(p["off_gold"] for p in points) / len(points))
    none = [r for r in rows if not r["gold"]]
    assert a["none_not_found"] == pytest.approx(sum(r["not_found"] for r in none) / 2)
    # Obligation questions on the sample corpus are answered well (eval.bench.obligations: 20 of 20 first
    # right).
    assert table["by_kind"]["obligation"]["first_right"] == 1.0


def test_eval_answers_prints_a_table_per_kind(files):
    out = tracuu("eval", "--answers", str(files["queries"]), "--index", str(corpus_index()))
    assert out.returncode == 0, out.stderr
    assert "first right" in out.stdout and "\nobligation " in out.stdout
    assert 'no-answer questions answered "not found"' in out.stdout


def test_errors_are_one_line_with_the_fix(tmp_path):
    missing = tracuu("ask", "--questions", str(tmp_path / "nope.jsonl"), "--index", str(corpus_index()))
    assert missing.returncode == 2 and missing.stderr.startswith("error: ") and "nope.jsonl" in missing.stderr
    empty = write_jsonl(tmp_path / "empty.jsonl", [{"id": "x7", "query": "   "}])
    bad = tracuu("ask", "--questions", str(empty), "--index", str(corpus_index()))
    assert bad.returncode == 2 and "x7" in bad.stderr and "empty" in bad.stderr
    both = tracuu("ask", "Sở Y tế làm gì", "--questions", str(empty))
    assert both.returncode == 2 and "not both" in both.stderr
    neither = tracuu("eval", "--index", str(corpus_index()))
    assert neither.returncode == 2 and "--answers" in neither.stderr
    doc = "2021-chi-thi-ubnd-huyen-nhiem-vu-trong-tam-nam-hoc-2021-2022.txt"
    relevant = [{"doc": doc, "quote": "không có câu này"}]
    lost = write_jsonl(tmp_path / "lost.jsonl", [{"id": "z1", "query": "q", "relevant": relevant}])
    notfound = tracuu("eval", "--answers", str(lost), "--index", str(corpus_index()))
    assert notfound.returncode == 2 and "z1" in notfound.stderr and "not found" in notfound.stderr
    assert "Traceback" not in notfound.stderr
