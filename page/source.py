"""Where the page's answers come from: one small surface, two implementations.

The views (the search tab, the reading view, tasks by body, the sidebar's filters and status) talk to a
`Source` and to nothing else of the index:

- `page.local.LocalSource`: the index and model loaded in this process (the default, `make run`);
- `page.remote.ApiSource`: a running `tracuu serve` at TRACUU_API=http://host:port; this process then
  loads neither the model nor the index (no FAISS, no ONNX Runtime), so many small page servers can run
  behind a balancer.

`Source.key` names the index being answered from; page/per_index.py keeps what depends only on the index
(filter options, document labels, tasks by body, a document's outline) once per key, and search_tab
keeps what a question finds once per (key, question, filters), whichever the source.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from tracuu.types import Answer, Chunk, Document

if TYPE_CHECKING:
    from qa.obligations import Obligation

FILTERS = ("type", "issuer", "year")  # the sidebar's filters by value; "doc" is by document id


@dataclass(frozen=True)
class DocInfo:
    """One document as the lists show it (the API's /documents row): no text."""

    doc: str
    title: str
    meta: dict[str, str]
    filters: dict[str, str]  # its value for each of FILTERS, as the search's filters see it ("" for none)
    chunks: int


@dataclass(frozen=True)
class Reading:
    """One document for the reading view: its canonical text and its sections in text order."""

    document: Document
    outline: list[Chunk]


@dataclass(frozen=True)
class Status:
    documents: int
    chunks: int
    model: str
    created: str  # the manifest's build time, ISO 8601
    remote: bool = False  # served by the API at TRACUU_API: uploads and rebuilds happen there


class Source(Protocol):
    @property
    def key(self) -> str:
        """Changes when the index answered from changes (rebuilt, reloaded, another folder)."""

    def status(self) -> Status: ...

    def documents(self) -> dict[str, DocInfo]:
        """Every document by id, sorted by id."""

    def search(self, query: str, k: int, filters: dict) -> list[Chunk]:
        """The k best passages within `filters` (the sidebar's dict; empty: everything), best first.

        Where "what was searched" for a scoped question (index/scope.py) will come from: it belongs
        beside the passages here (and in the API's /search), and search_tab.Found carries it to the page."""

    def ask(self, question: str, filters: dict) -> Answer:
        """The cited answer, made from the documents passing `filters` only (qa.ask)."""

    def find(self, query: str, k: int, filters: dict, answer: bool) -> tuple[list[Chunk], Answer | None]:
        """`search`, and with `answer` the cited answer too (else None): what the search box shows. The
        index loaded here searches once for both; the API is asked twice."""

    def reading(self, doc: str) -> Reading | None:
        """The document and its outline, None when the index holds no such document."""

    def obligations(self) -> list[Obligation]:
        """Every task assigned to a body (qa.obligations)."""
