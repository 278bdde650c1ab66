"""`tracuu ingest` and `tracuu search`."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from tracuu.errors import UsageError, one_line

STAGES = {
    "read": "reading files",
    "segment": "segmenting words",
    "embed": "embedding chunks",
    "write": "writing",
}
LINE_FORMAT = 'one {"id", "query"} object a line'


def _progress(stream=None):
    """A progress callback: one rewritten line on a terminal, a few plain lines otherwise."""
    stream = stream or sys.stderr  # looked up per call: a default bound at import outlives a replaced stderr
    tty = stream.isatty()
    last: dict[str, float] = {}

    def show(stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        finished = done >= total
        if tty:
            if finished or now - last.get(stage, 0) > 0.1:
                end = "\n" if finished else ""
                stream.write(f"\r{STAGES.get(stage, stage)}: {done}/{total}\x1b[K{end}")
                stream.flush()
                last[stage] = now
        elif finished or stage not in last or now - last[stage] > 10:
            if last.get(stage) == -1:
                return  # this stage already said it finished
            stream.write(f"{STAGES.get(stage, stage)}: {done}/{total}\n")
            stream.flush()
            last[stage] = -1 if finished else now

    return show


def ingest(args) -> int:
    from index.build import build, engine_change

    if getattr(args, "ray", None) is not None:
        from functools import partial

        from cluster.ingest import ingest as on_ray  # Ray is imported only here, only with --ray

        build = partial(on_ray, address=args.ray)

    change = engine_change(Path(args.index), args.model)
    if change:
        print(
            f"note: the index at {args.index} was built with {change[0]}; --model {change[1]} embeds every "
            "chunk again with it",
            file=sys.stderr,
        )
    report = build([Path(p) for p in args.paths], Path(args.index), model=args.model, progress=_progress())
    for path, why in report.skipped:
        print(f"warning: skipped {one_line(path)}: {why}", file=sys.stderr)
    for path, reason in report.failed:
        print(f"error: {one_line(path)}: {reason}", file=sys.stderr)
    what = (
        f"{len(report.added)} added, {len(report.changed)} changed, {len(report.removed)} removed, "
        f"{len(report.unchanged)} unchanged, {len(report.failed)} failed"
    )
    state = "updated" if report.written else "unchanged"
    print(
        f"index {state} at {report.index_dir}: {report.documents} documents, {report.chunks} chunks "
        f"({what}; {report.embedded} chunks embedded) in {report.seconds:.1f}s",
        file=sys.stderr,
    )
    return 1 if report.failed else 0


def hit_json(hit, index) -> dict:
    c = hit.chunk
    doc = index.documents.get(c.doc)
    return {
        "rank": hit.rank,
        "score": round(hit.score, 6),
        "doc": c.doc,
        "title": doc.title if doc else c.meta.get("title", ""),
        "section": c.section,
        "heading": c.heading,
        "start": c.start,
        "end": c.end,
        "text": doc.text[c.start : c.end] if doc else c.text,
    }


def _snippet(text: str, width: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1].rsplit(" ", 1)[0] + " …"


def _print_hits(query: str, hits, index) -> None:
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
    if not path.is_file():
        raise UsageError(f'no queries file at {path}; give a JSON Lines file of {{"id", "query"}}')
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as e:
            raise UsageError(f"{path} line {n} is not JSON ({e.msg}); {LINE_FORMAT}") from e
        if not isinstance(row, dict) or not isinstance(row.get("query"), str):
            raise UsageError(f'{path} line {n} has no "query" string; {LINE_FORMAT}')
        rows.append(row)
    return rows


def search(args) -> int:
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


def scope_json(scope) -> dict:
    """{"scope": {"searched", "notes"}} when the query names documents, places or years; else {}."""
    if not scope.parts:
        return {}
    return {"scope": {"searched": scope.description, "notes": list(scope.notes)}}
