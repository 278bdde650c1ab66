"""Gold quotes → character spans in canonical text, and the overlap rule that makes a hit relevant.

A quote is matched with runs of whitespace collapsed to one space (extraction may re-flow lines), and
failing that with tone marks folded by `ingest.normalize.fold` when the reader provides it (old/new
tone placement: "hoà"/"hòa"). Both transformations keep a map back to the original offsets, so the
span returned always points into the unmodified canonical text.

Failing both, a quote may still match with page numbers left out: a quote copied from a PDF's raw text
that crosses a page break carries the page number ("... đơn vị sự nghiệp công 2 lập ..."), which ingest
removes from the canonical text (`ingest.readers.pages.strip_running`). Only a standalone number of one
to four digits inside the quote may be absent; any other difference still fails, so a quote that is not
in the document remains an error naming its query (DESIGN, "Evaluation"), never a silent miss.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from ingest.normalize import fold, strip_invisible
from tracuu.errors import UsageError


@dataclass(frozen=True)
class Span:
    doc: str
    start: int
    end: int

    def __len__(self) -> int:
        return self.end - self.start


def overlaps(a: Span, b: Span) -> bool:
    """True when `a` and `b` share at least half the length of the shorter one (DESIGN, "Evaluation")."""
    if a.doc != b.doc:
        return False
    shared = min(a.end, b.end) - max(a.start, b.start)
    return shared > 0 and 2 * shared >= min(len(a), len(b))


def collapse(text: str, borders: bool = False) -> tuple[str, list[int]]:
    """`text` with whitespace runs → one space, ends stripped, and each output char's offset in `text`.

    With `borders`, a table's cell borders ("|") count as whitespace: a quote from a table reads as its
    cells in order, without the borders the reader writes between them."""
    out: list[str] = []
    where: list[int] = []
    in_space = False
    for i, ch in enumerate(text):
        if ch.isspace() or (borders and ch == "|"):
            in_space = True
            continue
        if in_space and out:
            out.append(" ")
            where.append(i - 1)
        in_space = False
        out.append(ch)
        where.append(i)
    return "".join(out), where


# A token of a quote that may be a page number the canonical text dropped (see the module docstring).
_PAGE_NUMBER = re.compile(r"\d{1,4}")


def without_page_numbers(needle: str) -> re.Pattern | None:
    """A pattern for a collapsed quote whose inner page-number tokens are optional; None if it has none."""
    tokens = needle.split(" ")
    optional = [
        0 < i < len(tokens) - 1 and _PAGE_NUMBER.fullmatch(t) is not None for i, t in enumerate(tokens)
    ]
    if not any(optional):
        return None
    parts = [re.escape(tokens[0])]
    for token, maybe in zip(tokens[1:], optional[1:], strict=True):
        parts.append(f"(?: {re.escape(token)})?" if maybe else f" {re.escape(token)}")
    return re.compile("".join(parts))


class Locator:
    """Finds quotes in one document's canonical text; the collapsed/folded forms are computed once."""

    def __init__(self, doc: str, text: str):
        self.doc = doc
        self.flat, self.where = collapse(text)
        self._folded: str | None = None
        self._text = text

    def find(self, quote: str) -> Span | None:
        # Canonical text has no soft hyphens or zero-width marks; a quote copied from the source may.
        needle, _ = collapse(strip_invisible(unicodedata.normalize("NFC", quote)))
        if not needle:
            return None
        i = self.flat.find(needle)
        if i >= 0:
            return self._span(i, i + len(needle))
        folded_needle = fold(needle)
        if len(folded_needle) != len(needle):
            return None
        i = self.folded.find(folded_needle)
        if i >= 0:
            return self._span(i, i + len(needle))
        pattern = without_page_numbers(folded_needle)
        m = pattern.search(self.folded) if pattern else None
        if m:
            return self._span(m.start(), m.end())
        if "|" in self._text:  # a quote across a table's cells
            folded, where = self._bordered
            i = folded.find(folded_needle)
            if i >= 0:
                return Span(self.doc, where[i], where[i + len(needle) - 1] + 1)
            if m := pattern.search(folded) if pattern else None:
                return Span(self.doc, where[m.start()], where[m.end() - 1] + 1)
        return None

    @functools.cached_property
    def _bordered(self) -> tuple[str, list[int]]:
        """The folded text with a table's cell borders collapsed too, and its offset map (once)."""
        flat, where = collapse(self._text, borders=True)
        folded = fold(flat)
        # As `folded`: a fold that changes the length would break the offset map, so no folding then.
        return (folded if len(folded) == len(flat) else flat), where

    @property
    def folded(self) -> str:
        if self._folded is None:
            self._folded = fold(self.flat)
            # fold must keep lengths, or the offset map is wrong; a mismatch means no folding.
            if len(self._folded) != len(self.flat):
                self._folded = self.flat
        return self._folded

    def _span(self, i: int, j: int) -> Span:
        """The span in the original text of flat[i:j]."""
        return Span(self.doc, self.where[i], self.where[j - 1] + 1)


def locate_all(queries: list[dict], texts: dict[str, str]) -> dict[str, list[Span]]:
    """Gold spans per query id; raises UsageError naming the query when a doc or quote is not found.

    Identical spans of one query (the same quote listed twice) are kept once.
    """
    locators: dict[str, Locator] = {}
    gold: dict[str, list[Span]] = {}
    for q in queries:
        spans: list[Span] = []
        for rel in q.get("relevant") or []:
            doc = unicodedata.normalize("NFC", str(rel.get("doc", "")))
            quote = str(rel.get("quote", ""))
            if doc not in texts:
                raise UsageError(
                    f"query {q['id']}: document {doc!r} is not in the index; ingest the folder that holds it "
                    f"(doc names are paths relative to the ingested folder) or fix the queries file"
                )
            if doc not in locators:
                locators[doc] = Locator(doc, texts[doc])
            span = locators[doc].find(quote)
            if span is None:
                shown = " ".join(quote.split())[:80]
                raise UsageError(
                    f"query {q['id']}: quote not found in {doc!r}: {shown!r}; copy the passage verbatim "
                    f"from `tracuu parse` output of that document"
                )
            if span not in spans:
                spans.append(span)
        gold[str(q["id"])] = spans
    return gold
