"""How good the cited answers are on the labelled obligation questions, and how fast `ask` is.

For each of the first N questions of eval/queries.jsonl with "kind": "obligation" and a "body":
- first_correct: the first point overlaps a gold span (DESIGN's overlap rule);
- wrong_points: points that overlap no gold span of the question (strict: the gold sets list the
  labelled body's items in the documents the question is about, so an item of that body from another
  document also counts here);
- seconds: wall time of `qa.ask` (the index and model already loaded).

    python -m eval.bench.obligations [--index DIR] [--queries eval/queries.jsonl] [-n 20]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

QUERIES = Path(__file__).resolve().parents[2] / "eval" / "queries.jsonl"


def obligation_questions(path: Path = QUERIES, n: int = 20) -> list[dict]:
    rows = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    return [q for q in rows if q.get("kind") == "obligation" and q.get("body")][:n]


def _point_spans(index, answer):
    from eval.spans import Span

    by_n = {c.n: c.chunk for c in answer.citations}
    out = []
    for p in answer.points:
        span = None
        for n in p.citations:
            doc = index.documents.get(by_n[n].doc)
            i = doc.text.find(p.text) if doc else -1
            if i >= 0:
                span = Span(doc.doc, i, i + len(p.text))
                break
        out.append(span)
    return out


def run(index, queries_path: Path = QUERIES, n: int = 20) -> list[dict]:
    """One row per question: id, body, points, first_correct, wrong_points, seconds."""
    from eval.spans import locate_all, overlaps
    from qa.compose import ask

    questions = obligation_questions(queries_path, n)
    gold = locate_all(questions, {d: doc.text for d, doc in index.documents.items()})
    ask(index, "nhiệm vụ của Sở Y tế")  # warm-up: model, tokenizer and caches load once, not in q1's time
    rows = []
    for q in questions:
        t = time.perf_counter()
        answer = ask(index, q["query"])
        seconds = time.perf_counter() - t
        spans = _point_spans(index, answer)
        good = [s is not None and any(overlaps(s, g) for g in gold[q["id"]]) for s in spans]
        rows.append(
            {
                "id": q["id"],
                "body": q["body"],
                "points": len(spans),
                "first_correct": bool(good and good[0]),
                "wrong_points": good.count(False),
                "seconds": round(seconds, 3),
            }
        )
    return rows


def summary(rows: list[dict]) -> dict:
    return {
        "questions": len(rows),
        "first_point_correct": sum(r["first_correct"] for r in rows),
        "no_wrong_points": sum(r["points"] > 0 and r["wrong_points"] == 0 for r in rows),
        "ask_p50_s": round(statistics.median(r["seconds"] for r in rows), 3) if rows else None,
        "ask_max_s": round(max(r["seconds"] for r in rows), 3) if rows else None,
    }


def main(argv: list[str] | None = None) -> int:
    from index import load
    from tracuu import config

    p = argparse.ArgumentParser(prog="python -m eval.bench.obligations", description=__doc__.splitlines()[0])
    p.add_argument("--index", default=None)
    p.add_argument("--queries", default=str(QUERIES))
    p.add_argument("-n", type=int, default=20)
    a = p.parse_args(argv)
    index = load(Path(a.index or config.index_dir()))
    rows = run(index, Path(a.queries), a.n)
    for r in rows:
        print(
            f"{r['id']}  first={'yes' if r['first_correct'] else 'no ':3}  wrong={r['wrong_points']:2}/"
            f"{r['points']:<2}  {r['seconds']:.2f}s  {r['body']}"
        )
    print(json.dumps(summary(rows), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
