"""`tracuu search QUERY [--json]` and `tracuu search --queries FILE.jsonl --json`: ranked passages."""

from __future__ import annotations

import json
from pathlib import Path

from tracuu.errors import UsageError

LINE_SHAPE = '{"id", "query"}'


def _snippet(text: str, width: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1].rsplit(" ", 1)[0] + " …"


def _print_hits(query: str, hits, index) -> None:
    from index.output import hit_json

    if not hits:
        print(f"no passages found for: {query}")
        return
    for h in hits:
        j = hit_json(h, index)
        where = " · ".join(x for x in (j["section"], j["heading"]) if x)
        print(f"{j['rank']:>2}. [{j['score']:.3f}] {j['title']}  ({j['doc']})")
        if where:
            print(f"    {where}")
        print(f"    {_snippet(j['text'])}")


def read_query_lines(path: Path) -> list[dict]:
    """The {id, query} rows of a `--queries` / `--questions` file (tracuu.files.read_json_lines)."""
    from tracuu.files import read_json_lines

    rows = []
    for n, row in read_json_lines(path, LINE_SHAPE):
        if not isinstance(row, dict) or not isinstance(row.get("query"), str):
            raise UsageError(f'{path} line {n} has no "query" string; write one {LINE_SHAPE} object a line')
        rows.append(row)
    return rows


def search(args) -> int:
    from index.output import hit_json, scope_json
    from index.search import check_query, load

    if args.queries and args.query:
        raise UsageError("give either a QUERY or --queries FILE, not both")
    if not args.queries:
        check_query(args.query or "")  # a bad query fails before the index is opened
    if args.queries:
        rows = read_query_lines(Path(args.queries))
        for row in rows:
            check_query(row["query"])
    index = load(Path(args.index))
    if args.queries:
        for row in rows:
            hits, scope = index.search_scoped(row["query"], k=args.k, mode=args.mode)
            out = {"id": row.get("id"), "query": row["query"], "hits": [hit_json(h, index) for h in hits]}
            print(json.dumps(out | scope_json(scope), ensure_ascii=False))
        return 0
    hits, scope = index.search_scoped(args.query, k=args.k, mode=args.mode)
    if args.json:
        out = {"query": args.query, "hits": [hit_json(h, index) for h in hits]}
        print(json.dumps(out | scope_json(scope), ensure_ascii=False))
    else:
        for line in ([f"tìm {scope.description}"] if scope.description else []) + list(scope.notes):
            print(f"({line})")
        _print_hits(args.query, hits, index)
    return 0
