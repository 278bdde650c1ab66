"""What qa works out from a whole index, once per loaded index and kept with it (`Index.derived`):

- `items`: every actor item of every document (qa.items.extract), what body answers and the
  obligations list read;
- `corpus`: the word weights over the chunks (qa.relevance.Corpus), what every answer's coverage uses;
- `spans`: each document's chunks in text order (`Index.chunks_of`), where a quoted sentence finds the
  passages it cites.

Kept on the index itself, so they go when the index goes (a rebuild, the API's reload) instead of living
in module caches keyed on id(index).
"""

from __future__ import annotations

from qa.items import Item, extract
from qa.relevance import Corpus
from tracuu.types import Chunk


def items(index) -> list[Item]:
    """Actor items of every document in `index`."""
    return index.derived("qa.items", lambda: [it for d in index.documents.values() for it in extract(d)])


def corpus(index) -> Corpus:
    """Word weights over the heading and text of every chunk of `index`."""
    return index.derived("qa.corpus", lambda: Corpus([f"{c.heading} {c.text}" for c in index.chunks]))


def spans(index) -> dict[str, list[Chunk]]:
    """Document → its chunks in text order."""
    return index.chunks_of()
