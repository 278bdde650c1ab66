"""`tracuu parse FILE [--json]`: how one file is read and split, without indexing it."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from ingest import parse_file


def parse(args) -> int:
    document, chunks = parse_file(Path(args.file))
    if args.json:
        out = {
            "doc": document.doc,
            "title": document.title,
            "meta": document.meta,
            "text": document.text,
            "chunks": [
                {"section": c.section, "heading": c.heading, "start": c.start, "end": c.end, "text": c.text}
                for c in chunks
            ],
        }
        try:
            print(json.dumps(out, ensure_ascii=False, indent=1))
        except BrokenPipeError:  # `tracuu parse --json | head` is fine
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keeps Python's exit flush quiet
        return 0
    print(document.title)
    for key, value in document.meta.items():
        if key != "title":
            print(f"  {key}: {value if len(value) <= 100 else value[:99] + '…'}")
    for note in document.notes:
        print(f"  note: {note}")
    print(f"\n{len(chunks)} chunks, {len(document.text)} characters")
    for c in chunks:
        first = c.text.split("\n", 1)[0]
        print(f"{c.end - c.start:>6}  {c.section or '-'}  ·  {c.heading or first[:80]}")
    return 0
