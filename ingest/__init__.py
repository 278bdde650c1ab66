"""File → Document → Chunks. `parse_file` is the entry point everyone else uses.

`read_document` extracts the text (ingest.readers), makes it canonical (ingest.normalize) and reads the
metadata (ingest.metadata); `sections.split` cuts the Document into chunks.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from tracuu.errors import UnreadableFile
from tracuu.types import Chunk, Document


def _extract(path: Path) -> tuple[str, list[str]]:
    """Raw text and what the reader assumed."""
    try:
        from ingest.readers import extract
    except ImportError:
        extract = None
    if extract is not None:
        got = extract(path)
        return got.text, list(got.notes)
    # Until the readers exist: UTF-8 text files only.
    try:
        return path.read_bytes().decode("utf-8-sig"), []
    except (OSError, UnicodeDecodeError) as e:
        raise UnreadableFile(f"{path}: cannot read as UTF-8 text ({e}); save it as UTF-8") from e


def read_document(path: Path, doc: str | None = None) -> Document:
    """The Document for one file: canonical text, title and metadata (the text's, then the catalog.csv
    of the folder given to ingest: `doc` is the file's path inside it). Raises UnreadableFile."""
    from ingest import catalog, metadata, normalize

    path = Path(path)
    name = unicodedata.normalize("NFC", doc if doc is not None else path.name)
    raw, notes = _extract(path)
    text = normalize.canonical(raw)
    if not text.strip():
        raise UnreadableFile(f"{path}: no text found; check that the file is not empty")
    title, meta = metadata.extract(text, name)
    if fields := catalog.entry(path, name):
        meta.update(fields)
        title = meta.get("title", title)
    return Document(doc=name, title=title, text=text, meta=meta, notes=notes)


def parse_file(path: Path, doc: str | None = None) -> tuple[Document, list[Chunk]]:
    """Read one file and split it into chunks. `doc` defaults to the file name (NFC)."""
    from ingest import sections

    document = read_document(path, doc)
    return document, sections.split(document)


__all__ = ["parse_file", "read_document"]
