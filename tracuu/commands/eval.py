"""`tracuu eval QUERIES --index DIR [-k 10] [--json] [--per-query FILE]`: search quality;
`tracuu eval --answers QUERIES --index DIR [--json] [--per-query FILE]`: answer quality (eval/answers.py)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tracuu.errors import UsageError


def _progress(mode: str, done: int, total: int) -> None:
    print(f"\r\033[Keval: {mode} {done}/{total}", end="", file=sys.stderr, flush=True)


def evaluate(args) -> int:
    from eval.render import render, write_per_query
    from eval.runner import read_queries, run
    from index import load

    if bool(args.queries) == bool(getattr(args, "answers", None)):
        raise UsageError(
            "give a labelled queries file: tracuu eval QUERIES.jsonl (search quality) "
            "or tracuu eval --answers QUERIES.jsonl (answer quality), not both"
        )
    if args.answers:
        return evaluate_answers(args)
    queries = read_queries(Path(args.queries))
    index = load(Path(args.index))
    progress = _progress if sys.stderr.isatty() else None
    result = run(index, queries, k=args.k, progress=progress, scope=not getattr(args, "no_scope", False))
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


def evaluate_answers(args) -> int:
    from eval.render import answers_table, render_answers, write_rows
    from eval.runner import read_queries, run_answers
    from index import load

    queries = read_queries(Path(args.answers))
    index = load(Path(args.index))
    results = run_answers(index, queries, progress=_progress if sys.stderr.isatty() else None)
    if sys.stderr.isatty():
        print("\r\033[K", end="", file=sys.stderr)
    if args.per_query:
        write_rows((r.row() for r in results), Path(args.per_query))
    table = answers_table(results)
    print(json.dumps(table, ensure_ascii=False) if args.json else render_answers(table))
    return 0
