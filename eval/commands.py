"""`tracuu eval QUERIES --index DIR [-k 10] [--json] [--per-query FILE]`."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from eval import tables
from eval.metrics import metric_names
from eval.runner import Result, read_queries, run
from tracuu.errors import UsageError

LABELS = {"hit": "Hit", "recall": "Recall", "mrr": "MRR", "ndcg": "nDCG"}


def label(metric: str) -> str:
    name, _, cut = metric.partition("@")
    return f"{LABELS.get(name, name)}@{cut}"


def render(result: Result) -> str:
    names = metric_names(result.k)
    rows = [[mode, *(r.metrics[m] for m in names)] for mode, r in result.modes.items()]
    answered, none = len(result.answered), len(result.no_answer)
    lines = [
        f"{len(result.queries)} queries: {answered} scored"
        + (f", {none} with no answer in the corpus (left out of the averages)" if none else ""),
        "",
        tables.text(["mode", *map(label, names)], rows),
    ]
    if none:
        lines += ["", "median top-1 score, answered / no-answer queries:"]
        for mode in result.modes:
            a, n = result.top_score_medians(mode)
            lines.append(f"  {mode:<7} {tables.cell(a)} / {tables.cell(n)}")
    kinds_of = {str(q["id"]): str(q.get("kind") or "") for q in result.queries}
    kinds = sorted({k for k in kinds_of.values() if k})
    if kinds:
        mrr = f"mrr@{result.k}"
        rows = []
        for kind in kinds:
            ids = [q for q in result.answered if kinds_of[q] == kind]
            if ids:
                rows.append([kind, len(ids), *(_mean(r.per_query, ids, mrr) for r in result.modes.values())])
        lines += ["", f"{label(mrr)} by kind of question:", tables.text(["kind", "n", *result.modes], rows)]
    return "\n".join(lines)


def _mean(per_query: dict, ids: list[str], metric: str) -> float:
    return sum(per_query[q][metric] for q in ids) / len(ids)


def write_per_query(result: Result, path: Path) -> None:
    path = Path(path)
    if path.parent and not path.parent.exists():
        raise UsageError(f"cannot write {path}: folder {path.parent} does not exist")
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with open(tmp, "w", encoding="utf-8") as f:
        for row in result.per_query_rows():
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    tmp.replace(path)


def _progress(mode: str, done: int, total: int) -> None:
    print(f"\r\033[Keval: {mode} {done}/{total}", end="", file=sys.stderr, flush=True)


def evaluate(args) -> int:
    from index import load

    queries = read_queries(Path(args.queries))
    index = load(Path(args.index))
    result = run(index, queries, k=args.k, progress=_progress if sys.stderr.isatty() else None)
    if sys.stderr.isatty():
        print("\r\033[K", end="", file=sys.stderr)
    if args.per_query:
        write_per_query(result, Path(args.per_query))
    if args.json:
        print(json.dumps(result.table(), ensure_ascii=False))
    else:
        print(render(result))
        if args.per_query:
            print(f"\nper-query results: {args.per_query}", file=sys.stderr)
    return 0
