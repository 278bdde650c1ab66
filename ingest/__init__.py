"""File → Document → Chunks. `parse_file` is the entry point everyone else uses."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from tracuu.errors import UnreadableFile
from tracuu.types import Chunk, Document


def parse_file(path: Path, doc: str | None = None) -> tuple[Document, list[Chunk]]:
    # Provisional .txt-only version so other parts can run; replaced by the full pipeline.
    path = Path(path)
    try:
        raw = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise UnreadableFile(f"{path}: cannot read as UTF-8 text ({e}); save it as UTF-8") from e
    text = unicodedata.normalize("NFC", raw).strip()
    name = unicodedata.normalize("NFC", doc or path.name)
    lines = [ln for ln in text.splitlines() if ln.strip()]
    title = lines[0].strip() if lines else name
    document = Document(doc=name, title=title, text=text, meta={"title": title})
    chunks = []
    for m in re.finditer(r"\S[^\n]*(?:\n(?!\n)[^\n]*)*", text):
        s, e = m.start(), m.end()
        chunks.append(Chunk(name, s, e, "", "", text[s:e], dict(document.meta)))
    return document, chunks
