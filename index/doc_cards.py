"""What each indexed document says about itself, as matching keys: the cards index/scope.py reads a
question's scope against.

A card holds a document's numbers ("215/KH-UBND" → 215, code "kh-ubnd"), type (from the metadata, the
number's code, or the "V/v" line that makes a letter a công văn), the issuing bodies (the runs of
capitals in its header block, number codes, issuer metadata), the places it names in its header, title
and metadata (aliases such as "TP.HCM" written as the name), and its school years.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from index.places import ALIASES, PROVINCES
from ingest import metadata

# Types a question names with a number: ingest's types, but not those a year follows ("Luật Giáo dục
# 2019", "Chương trình 2018").
YEAR_TYPES = {"Hiến pháp", "Bộ luật", "Luật", "Pháp lệnh", "Chương trình", "Đề án", "Quy chế", "Quy định"}
TYPES = tuple(t for t in dict.fromkeys(metadata.TYPES.values()) if t not in YEAR_TYPES | {"Văn bản hợp nhất"})
# The codes of a number ("/KH-UBND"), as ingest reads them, and the short forms people type ("CV 4646").
CODES = {c: t for c, t in metadata.CODES.items() if t in TYPES} | {"CV": "Công văn", "KHLT": "Kế hoạch"}
HEADER_CHARS = 4000
CODE_NUMBER = re.compile(r"(\d{1,5})(?:/((?:19|20)\d\d))?/([a-zđ][\w&.\-]*)", re.IGNORECASE)
SCHOOL_YEAR = re.compile(r"(?:nam hoc\s*)?\b((?:19|20)\d\d)\s*[-–]\s*((?:19|20)\d\d)\b")


def key(text: str) -> str:
    """Matching key: lower case, one tone placement, no diacritics; the same length as `text`."""
    from ingest.normalize import fold, strip_accents

    return strip_accents(fold(text))


def code_type(code: str) -> str:
    """The type a number's code names ("kh" → "Kế hoạch"), compared as keys; "" when none."""
    return _code_types().get(key(code), "")


@cache
def _code_types() -> dict[str, str]:
    return {key(c): t for c, t in CODES.items()}


def words(k: str) -> str:
    """A pattern for the key `k` as whole words, any run of spaces or hyphens between them."""
    return r"(?<![\w.])" + re.escape(k).replace(r"\ ", r"[\s\-]+") + r"(?![\w])"


@dataclass(frozen=True)
class Card:
    """What a document says about itself, as keys to match a question against."""

    doc: str
    label: str  # "Kế hoạch 215/KH-UBND", or the title
    type: str
    numbers: tuple[tuple[int, str, str], ...]  # (number, year or "", code key)
    orgs: str  # key of the issuing bodies: capitals of the header, number codes, issuer metadata
    places: str  # key of header, title and place metadata, place aliases written as the name
    school_years: frozenset[str]


def card(document) -> Card:
    from ingest import lines as L

    meta = document.meta or {}
    lines = L.split_lines(document.text[:HEADER_CHARS])  # the header block is at the top
    header = " \n".join(ln.text for ln in lines[: L.header_end(lines)])
    said = " ".join(str(meta.get(f, "")) for f in ("number", "reports_on", "title"))
    said += " " + " ".join(m.group(0) for m in re.finditer(r"Số\s*:?\s*\S+", header))
    numbers = tuple(
        dict.fromkeys(
            (int(m.group(1)), m.group(2) or "", key(m.group(3))) for m in CODE_NUMBER.finditer(said)
        )
    )
    typ = meta.get("type", "")
    if not typ and re.search(r"(?m)^\s*V/v\b|\bV/v\s", header):
        typ = "Công văn"  # the "V/v" (về việc) summary line is what makes a letter a công văn
    if not typ and numbers:
        parts = [c for _, _, code in numbers for c in re.split(r"[-.]", code)]
        typ = next((code_type(c) for c in parts if code_type(c)), "")
    caps = " ".join(_caps_runs(header))
    orgs = key(
        " ".join(
            [
                caps,
                *(c for _, _, c in numbers),
                str(meta.get("issuer", "")),
                str(meta.get("reports_on_issuer", "")),
            ]
        )
    )
    places = _canonical_places(
        key(
            " ".join(
                [
                    header,
                    document.title,
                    *(str(meta.get(f, "")) for f in ("place", "issuer", "reports_on_issuer")),
                ]
            )
        )
    )
    years = {str(meta["school_year"])} if meta.get("school_year") else set()
    years |= {f"{a}-{b}" for a, b in SCHOOL_YEAR.findall(key(document.title))}
    number = str(meta.get("number", ""))
    label = f"{typ} {number}".strip() if number else (document.title or document.doc)
    return Card(document.doc, label, typ, numbers, orgs, places, frozenset(years))


def _caps_runs(text: str) -> list[str]:
    """Runs of two or more words in capitals: the issuing bodies of a header ("ỦY BAN NHÂN DÂN ...")."""
    runs, run = [], []
    for word in text.split() + [""]:
        if word.isupper():
            run.append(word)
            continue
        if len(run) >= 2:
            runs.append(" ".join(run))
        run = []
    return runs


@cache
def _alias_patterns() -> list[tuple[re.Pattern, str]]:
    pairs = [(key(a), key(n)) for a, n in ALIASES.items()]
    return [(re.compile(words(a)), n) for a, n in sorted(pairs, key=lambda p: -len(p[0]))]


def _canonical_places(k: str) -> str:
    for pattern, name in _alias_patterns():
        k = pattern.sub(name, k)
    return k


def place_names(metas) -> dict[str, str]:
    """key → display name of every place a question may name: provinces, their aliases, and the places
    the indexed documents' metadata give (a district's "Củ Chi")."""
    names = {key(p): p for p in PROVINCES}
    names |= {key(a): ALIASES[a] for a in ALIASES}
    for meta in metas:
        for p in str(meta.get("place", "")).split(","):
            if p.strip() and len(p.strip()) > 2:
                names.setdefault(key(p.strip()), p.strip())
    return names


class Catalog:
    """The place names a question is scanned for, and the cards of one loaded index's documents.

    Cards are made on first use: most questions name no document, place or year, and a large index
    (10,000 documents) takes seconds to read headers from.
    """

    def __init__(self, documents: dict):
        self.documents = documents
        places = place_names(doc.meta or {} for doc in documents.values())
        # One named group per place, longest first, so the match says which place it is.
        ordered = sorted(places, key=len, reverse=True)
        self.places = {f"p{i}": places[k] for i, k in enumerate(ordered)}  # group name → display name
        alts = "|".join(f"(?P<p{i}>{words(k)})" for i, k in enumerate(ordered))
        self.place_re = re.compile(alts or r"(?!x)x")
        self._cards: dict[str, Card] | None = None

    @classmethod
    def of(cls, documents: dict) -> Catalog:
        return cls(documents)

    @property
    def cards(self) -> dict[str, Card]:
        if self._cards is None:
            self._cards = {d: card(doc) for d, doc in self.documents.items()}
        return self._cards
