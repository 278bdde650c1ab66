"""`catalog.csv` in an ingested folder (columns doc, field, value, source): what a document's text does not
say, or gets wrong, in the words of whoever keeps the folder. A catalog value replaces the text's value
for its field (`title` included).

Each folder given to `tracuu ingest` (or the folder of a file given alone) is read for its own catalog,
so a user's corpus carries its catalog with it; `doc` is the file's path inside that folder, as the index
names it. The sample corpus's is `corpus/catalog.csv`.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from functools import lru_cache
from pathlib import Path, PurePath

NAME = "catalog.csv"


def folder_of(path: Path, doc: str) -> Path:
    """The folder that was given to ingest: `doc` is `path` relative to it (a bare name: its own folder)."""
    parents = Path(path).parents
    depth = len(PurePath(doc).parts) - 1
    return parents[depth] if 0 <= depth < len(parents) else Path(path).parent


def path_of(path: Path, doc: str) -> Path:
    return folder_of(path, doc) / NAME


def of_given(path: Path) -> Path:
    """The catalog that applies to a path given to ingest: a folder's own, or a file's folder's."""
    path = Path(path).resolve()
    return (path if path.is_dir() else path.parent) / NAME


def entry(path: Path, doc: str) -> dict[str, str]:
    """The catalog's fields for the document `doc` read from the file at `path` ({} without a catalog)."""
    catalog = path_of(path, doc)
    try:
        stat = catalog.stat()
    except OSError:
        return {}
    return dict(_read(str(catalog), stat.st_mtime_ns, stat.st_size).get(doc, {}))


@lru_cache(maxsize=8)
def _read(path: str, mtime_ns: int, size: int) -> dict[str, dict[str, str]]:
    """doc -> {field: value}; read once per version of the file (mtime and size are the cache key)."""
    out: dict[str, dict[str, str]] = {}
    text = Path(path).read_bytes().decode("utf-8-sig")  # a catalog saved by Excel starts with a BOM
    for row in csv.DictReader(io.StringIO(text)):
        out.setdefault(unicodedata.normalize("NFC", row["doc"]), {})[row["field"]] = row["value"]
    return out
