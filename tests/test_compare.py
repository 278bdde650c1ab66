"""eval.compare: paired per-question comparison of two `tracuu eval --per-query` runs, on hand-made runs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from eval.compare import compare, read_run, sign_test
from tracuu.errors import UsageError

ROOT = Path(__file__).resolve().parents[1]


def write_run(path: Path, mrr: dict[str, float], mode: str = "hybrid") -> Path:
    rows = [
        {"id": qid, "mode": mode, "gold": 1, "metrics": {"hit@1": float(v == 1.0), "mrr@10": v}}
        for qid, v in mrr.items()
    ]
    rows.append({"id": "none", "mode": mode, "gold": 0, "metrics": {"hit@1": 0.0, "mrr@10": 0.0}})
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_sign_test_by_hand():
    assert sign_test(0, 0) == 1.0
    assert sign_test(1, 1) == 1.0
    assert sign_test(5, 0) == pytest.approx(2 / 32)  # all five one way: 2 * (1/2)^5
    assert sign_test(1, 4) == pytest.approx(2 * 6 / 32)  # P(X <= 1) = (1 + 5) / 32, both tails


def test_paired_differences_by_hand(tmp_path):
    base = read_run(write_run(tmp_path / "a.jsonl", {"q1": 1.0, "q2": 0.5, "q3": 0.0, "q4": 1.0}))
    cand = read_run(write_run(tmp_path / "b.jsonl", {"q1": 1.0, "q2": 1.0, "q3": 0.25, "q4": 0.5}))
    assert ("hybrid", "none") not in base  # questions without gold are left out, as in the averages
    r = compare(base, cand)["hybrid"]
    assert r["n"] == 4 and (r["better"], r["worse"], r["same"]) == (2, 1, 1)
    assert r["mean_diff"]["mrr@10"] == pytest.approx((0 + 0.5 + 0.25 - 0.5) / 4)
    assert r["mean_diff"]["hit@1"] == pytest.approx((0 + 1 + 0 - 1) / 4)
    assert r["p"] == pytest.approx(1.0)


def test_runs_on_other_queries_are_refused(tmp_path):
    a = read_run(write_run(tmp_path / "a.jsonl", {"q1": 1.0}))
    b = read_run(write_run(tmp_path / "b.jsonl", {"x1": 1.0}))
    with pytest.raises(UsageError, match="share no"):
        compare(a, b)


def test_command_line_prints_a_table_and_reports_bad_files(tmp_path):
    a = write_run(tmp_path / "a.jsonl", {"q1": 1.0, "q2": 0.0})
    b = write_run(tmp_path / "b.jsonl", {"q1": 1.0, "q2": 1.0})
    out = subprocess.run([sys.executable, "-m", "eval.compare", str(a), str(b)], capture_output=True,
                         text=True, cwd=ROOT)  # fmt: skip
    assert out.returncode == 0
    assert out.stdout.splitlines()[1].split()[:2] == ["hybrid", "2"]
    (tmp_path / "bad.jsonl").write_text("not json\n", encoding="utf-8")
    bad = subprocess.run([sys.executable, "-m", "eval.compare", str(a), str(tmp_path / "bad.jsonl")],
                         capture_output=True, text=True, cwd=ROOT)  # fmt: skip
    assert bad.returncode == 2 and bad.stderr.startswith("error:") and "bad.jsonl:1" in bad.stderr
