"""The scope a question sets: which indexed documents it asks about, and how to say so.

A question may name a document by number ("Kế hoạch 215/KH-UBND", "công văn 1820", "KH 362", "Thông tư
01/2026"), a type with its issuer ("CV nào của SGDĐT HCM"), a province or city ("ở Nghệ An", "TP.HCM",
"Sở GD Đà Nẵng"), a school year ("năm học 2025-2026"). Each is matched, accent-free and case-blind,
against what the loaded index's documents hold: their metadata (number, type, issuer, place, school
year, title) and the header block of their text (issuing bodies in capitals, "Số: ...", place and date).
Only a document number, an issuer after "của/do" following a document type, a place and a school year
are read: a bare type word is usually a topic ("xây dựng kế hoạch giáo dục"), and a body before a verb
is whose duty is asked, not who issued the text.

Parts of one kind widen (two places: documents of either); parts of different kinds narrow, the most
specific first (number, issuer, type, place, school year). A part that matches no document, or none of
the documents the more specific parts left, is not applied and is reported in `unmet`, so the caller
says "không có văn bản nào ..." instead of silently searching everything. `Scope.filters` is the
`Index.search` filter the page's sidebar also sets ({"doc": [...]}); search applies it (index/search.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from index.doc_cards import CODE_NUMBER, CODES, SCHOOL_YEAR, TYPES, Card, Catalog, code_type, key, words

PRIORITY = ("number", "issuer", "type", "place", "school_year")
_ISSUERS = {  # issuer kind: (its name in a description, pattern over a key of the issuing bodies)
    "bo": ("Bộ GDĐT", r"\bbo\b|\bbgd"),
    "so": ("Sở GDĐT", r"\bso\b|\bsgd"),
    "ubnd": ("UBND", r"\bubnd\b|\buy ban nhan dan\b"),
    "chinh phu": ("Chính phủ", r"\bchinh phu\b|-cp\b"),
}
# A type word right after one of these names a department ("Phòng Kế hoạch - Tài chính"), not a document.
_DEPARTMENT = re.compile(r"\b(?:phong|ban|vu|cuc|so|to|bo phan)\s+$")


@dataclass(frozen=True)
class Part:
    kind: str  # one of PRIORITY
    said: str  # as the question says it
    label: str  # as a description says it: "số 215/KH-UBND", "Nghệ An", "năm học 2025-2026"
    docs: frozenset[str]


@dataclass(frozen=True)
class Scope:
    parts: tuple[Part, ...] = ()
    docs: frozenset[str] | None = None  # the documents searched; None: all of them
    applied: tuple[Part, ...] = ()
    unmet: tuple[Part, ...] = ()  # read, but no document matches (with the applied parts)
    description: str = ""  # "trong Kế hoạch 215/KH-UBND" / "trong 3 văn bản (Đồng Tháp)"; "" for all
    notes: tuple[str, ...] = field(default=())  # "không có văn bản nào của Nghệ An trong chỉ mục"

    @property
    def filters(self) -> dict:
        return {"doc": sorted(self.docs)} if self.docs is not None else {}


_TYPE_WORDS = "|".join(
    sorted({words(key(t)) for t in TYPES} | {words(key(c)) for c in CODES}, key=len, reverse=True)
)
_TYPED_NUMBER = re.compile(
    rf"(?P<type>{_TYPE_WORDS})\s*(?:so\b\s*)?[:.]?\s*(?P<n>\d{{1,5}})(?:/(?P<y>(?:19|20)\d\d))?(?![\d/\-])"
)
_ISSUER_AFTER_TYPE = re.compile(
    rf"(?P<type>{_TYPE_WORDS}|\bvan ban\b)(?:\s+\S+){{0,3}}?\s+(?:cua|do)\s+(?:cac\s+)?"
    r"(?P<kind>bo|so|ubnd|uy ban nhan dan|chinh phu|bgd\w*|sgd\w*)\b"
)


def _type_of(word: str) -> str:
    k = key(word).strip()
    for t in TYPES:
        if key(t) == k:
            return t
    return code_type(k)


def _numbers(q: str, k: str, cards: dict[str, Card]) -> list[Part]:
    parts, taken = [], []
    for m in CODE_NUMBER.finditer(k):
        n, year, code = int(m.group(1)), m.group(2) or "", m.group(3).lower()
        head = re.split(r"[-.]", code)[0]
        docs = {
            c.doc for c in cards.values() for (cn, cy, cc) in c.numbers
            if cn == n and (not year or not cy or cy == year) and re.split(r"[-.]", cc)[0] == head
        }  # fmt: skip
        said = q[m.start() : m.end()]
        parts.append(Part("number", said, f"{code_type(head) or 'văn bản'} số {said}", frozenset(docs)))
        taken.append(range(m.start(), m.end()))
    for m in _TYPED_NUMBER.finditer(k):
        if any(m.start("n") in r for r in taken):
            continue
        n, year, typ = int(m.group("n")), m.group("y") or "", _type_of(m.group("type"))
        if not year and 1990 <= n <= 2035 and not re.search(r"\bso\b", k[m.start() : m.start("n")]):
            continue  # "Kế hoạch 2025" is a year
        docs = {
            c.doc for c in cards.values() for (cn, cy, _) in c.numbers
            if cn == n and (not year or not cy or cy == year) and (not c.type or not typ or c.type == typ)
        }  # fmt: skip
        number = f"{m.group('n')}/{year}" if year else m.group("n")
        label = f"{typ or 'văn bản'} số {number}"
        parts.append(Part("number", q[m.start() : m.end()], label, frozenset(docs)))
    return parts


def _issuers(q: str, k: str, cards: dict[str, Card]) -> list[Part]:
    parts = []
    for m in _ISSUER_AFTER_TYPE.finditer(k):
        if _DEPARTMENT.search(k[max(0, m.start() - 12) : m.start()]):
            continue
        kind = {"uy ban nhan dan": "ubnd"}.get(m.group("kind"), m.group("kind"))
        kind = "bo" if kind.startswith("bgd") else "so" if kind.startswith("sgd") else kind
        name, pattern = _ISSUERS[kind]
        docs = {c.doc for c in cards.values() if re.search(pattern, c.orgs)}
        parts.append(Part("issuer", q[m.start("kind") : m.end("kind")], f"của {name}", frozenset(docs)))
        typ = _type_of(m.group("type"))
        if typ:
            docs = {c.doc for c in cards.values() if c.type == typ}
            parts.append(Part("type", q[m.start("type") : m.end("type")], typ, frozenset(docs)))
    return parts


def _places(q: str, k: str, catalog: Catalog) -> list[Part]:
    parts = []
    capitalised = any(c.isupper() for c in q)
    for m in catalog.place_re.finditer(k):
        said = q[m.start() : m.end()]
        if capitalised and not all(w[:1].isupper() for w in re.findall(r"\w+", said)):
            continue  # in a question written with capitals, "hòa bình" and "Việt Nam định cư" are no place
        name = catalog.places[m.lastgroup]
        want = words(key(name))
        docs = {c.doc for c in catalog.cards.values() if re.search(want, c.places)}
        parts.append(Part("place", said, name, frozenset(docs)))
    return parts


def _school_years(q: str, k: str, cards: dict[str, Card]) -> list[Part]:
    parts = []
    for m in SCHOOL_YEAR.finditer(k):
        a, b = m.groups()
        if int(b) != int(a) + 1:
            continue
        year = f"{a}-{b}"
        docs = {c.doc for c in cards.values() if year in c.school_years}
        parts.append(Part("school_year", q[m.start() : m.end()], f"năm học {year}", frozenset(docs)))
    return parts


def read(question: str, catalog: Catalog) -> Scope:
    """The scope of `question` over the documents of `catalog` (see the module docstring)."""
    k = key(question)
    if not any(
        p.search(k) for p in (CODE_NUMBER, _TYPED_NUMBER, _ISSUER_AFTER_TYPE, SCHOOL_YEAR, catalog.place_re)
    ):
        return Scope()  # the common case: nothing to match, and no card is read
    cards = catalog.cards
    parts = [
        *_numbers(question, k, cards),
        *_issuers(question, k, cards),
        *_places(question, k, catalog),
        *_school_years(question, k, cards),
    ]
    if not parts:
        return Scope()
    docs: set[str] | None = None
    applied, unmet = [], []
    for kind in PRIORITY:
        group = [p for p in parts if p.kind == kind]
        union = set().union(*(p.docs for p in group)) if group else set()
        if not group:
            continue
        narrowed = union if docs is None else docs & union
        if narrowed:
            docs = narrowed
            applied += group
        else:
            unmet += group
    return Scope(tuple(parts), frozenset(docs) if docs is not None else None, tuple(applied), tuple(unmet),
                 _describe(docs, applied, cards), tuple(_note(p) for p in unmet))  # fmt: skip


def _describe(docs: set[str] | None, applied: list[Part], cards: dict[str, Card]) -> str:
    if docs is None:
        return ""
    if len(docs) == 1:
        return f"trong {cards[next(iter(docs))].label}"
    said = ", ".join(dict.fromkeys(p.label for p in applied))
    return f"trong {len(docs)} văn bản ({said})"


def _note(part: Part) -> str:
    """ "không có văn bản nào của Nghệ An trong chỉ mục", or "... khớp với phần còn lại của câu hỏi"."""
    what = {
        "number": part.label,
        "type": f"{part.label.lower()} nào",
        "place": f"văn bản nào của {part.label}",
        "issuer": f"văn bản nào {part.label}",
        "school_year": f"văn bản nào về {part.label}",
    }[part.kind]
    where = "trong chỉ mục" if not part.docs else "khớp với phần còn lại của câu hỏi"
    return f"không có {what} {where}"
