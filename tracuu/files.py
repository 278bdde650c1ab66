"""Small file helpers every layer shares: a file's sha256, and the one JSON Lines reader.

The JSON Lines reader is behind `tracuu search --queries`, `tracuu ask --questions` and `tracuu eval`,
so a file one of them accepts the others accept too: UTF-8 with or without a byte order mark (Notepad
and Excel write one), blank lines skipped. Only the standard library and tracuu.errors are imported.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from tracuu.errors import UsageError


def sha256(path: Path) -> str:
    """The file's sha256 (hex), read in 1 MB blocks: an ingest's change check, an export's record."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(1 << 20):
            h.update(block)
    return h.hexdigest()


def read_json_lines(path: Path, shape: str) -> list[tuple[int, Any]]:
    """(line number, value) for every non-blank line of the JSON Lines file at `path`.

    `shape` names what a line holds (`{"id", "query"}`), for the messages: a missing file, text that is
    not UTF-8 and a line that is not JSON are each a UsageError naming the file (and the line)."""
    path = Path(path)
    if not path.is_file():
        raise UsageError(f"no such file: {path}; give a JSON Lines file, one {shape} object a line")
    try:
        text = path.read_bytes().decode("utf-8-sig")  # "-sig": a leading byte order mark is dropped
    except UnicodeDecodeError as e:
        line = path.read_bytes()[: e.start].count(b"\n") + 1
        raise UsageError(f"{path} line {line} is not UTF-8 text; save the file as UTF-8") from e
    rows = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rows.append((n, json.loads(line)))
        except json.JSONDecodeError as e:
            raise UsageError(f"{path} line {n} is not JSON ({e.msg}); write one {shape} object a line") from e
    return rows
