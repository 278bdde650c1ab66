"""`tracuu ask`: the answer on a terminal, or DESIGN's JSON with --json; `--questions FILE` answers a
JSON Lines file of {id, query} in one process, one JSON line per question (the `--json` object plus `id`)."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from tracuu.errors import UsageError
from tracuu.types import Answer


def _source(index, chunk) -> str:
    from index.hit_view import source_text, view_of

    return source_text(view_of(index, chunk))


def render(index, answer: Answer, width: int = 100) -> str:
    """The answer for a terminal: the sentence, numbered points with [n], then the sources."""
    lines = [answer.answer]
    if answer.searched:
        lines.append(f"(Đã tìm {answer.searched})")
    lines += [f"({note})" for note in answer.scope_notes]
    for i, p in enumerate(answer.points, start=1):
        refs = "".join(f"[{n}]" for n in p.citations)
        lines.append(textwrap.fill(f"{i}. {p.text} {refs}", width, subsequent_indent="   "))
    if answer.citations:
        lines.append("")
        lines.append("Nguồn:")
        for c in answer.citations:
            lines.append(textwrap.fill(f"[{c.n}] {_source(index, c.chunk)}", width, subsequent_indent="    "))
    if answer.related:
        lines.append("")
        lines.append("Có thể liên quan:")
        for h in answer.related:
            lines.append(textwrap.fill(f"- {_source(index, h.chunk)}", width, subsequent_indent="  "))
    return "\n".join(lines)


def ask(args) -> int:
    from index import check_query, load
    from qa.compose import ask as answer_question
    from qa.output import answer_json

    if args.questions:
        return _ask_all(args)
    if not (args.question or "").strip():
        raise UsageError("the question is empty; ask e.g. tracuu ask 'nhiệm vụ của Sở Y tế'")
    check_query(args.question)
    index = load(Path(args.index))
    answer = answer_question(index, args.question)
    if args.json:
        print(json.dumps(answer_json(answer, index), ensure_ascii=False, indent=2))
    else:
        print(render(index, answer))
    return 0


def _ask_all(args) -> int:
    from index import check_query, load
    from qa.output import answer_lines
    from tracuu.commands.search import read_query_lines

    if args.question:
        raise UsageError("give either a QUESTION or --questions FILE, not both")
    rows = read_query_lines(Path(args.questions))
    for row in rows:  # every question is checked before the index is opened
        try:
            check_query(row["query"])
        except UsageError as e:
            raise UsageError(f"question {row.get('id')!r} in {args.questions}: {e}") from e
    index = load(Path(args.index))
    for line in answer_lines(index, rows):
        print(json.dumps(line, ensure_ascii=False), flush=True)
    return 0
