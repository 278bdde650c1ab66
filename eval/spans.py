"""Gold quotes → character spans in canonical text, and the overlap rule that makes a hit relevant.

A quote is matched with runs of whitespace collapsed to one space (extraction may re-flow lines), and
failing that with tone marks folded by `ingest.normalize.fold` when the reader provides it (old/new
tone placement: "hoà"/"hòa"). Both transformations keep a map back to the original offsets, so the
span returned always points into the unmodified canonical text.
"""

from __future__ import annotations

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


def collapse(text: str) -> tuple[str, list[int]]:
    """`text` with whitespace runs → one space, ends stripped, and each output char's offset in `text`."""
    out: list[str] = []
    where: list[int] = []
    in_space = False
    for i, ch in enumerate(text):
        if ch.isspace():
            in_space = True
            continue
        if in_space and out:
            out.append(" ")
            where.append(i - 1)
        in_space = False
        out.append(ch)
        where.append(i)
    return "".join(out), where


class Locator:
    """Finds quotes in one document's canonical text; the collapsed/folded forms are computed once."""

    def __init__(self, doc: str, text: str):
        self.doc = doc
        self.flat, self.where = collapse(text)
        self._folded: str | None = None

    def find(self, quote: str) -> Span | None:
        # Canonical text has no soft hyphens or zero-width marks; a quote copied from the source may.
        needle, _ = collapse(strip_invisible(unicodedata.normalize("NFC", quote)))
        if not needle:
            return None
        i = self.flat.find(needle)
        if i < 0:
            if self._folded is None:
                self._folded = fold(self.flat)
                # fold must keep lengths, or the offset map is wrong; a mismatch means no folding.
                if len(self._folded) != len(self.flat):
                    self._folded = self.flat
            folded_needle = fold(needle)
            if len(folded_needle) != len(needle):
                return None
            i = self._folded.find(folded_needle)
            if i < 0:
                return None
        return Span(self.doc, self.where[i], self.where[i + len(needle) - 1] + 1)


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
