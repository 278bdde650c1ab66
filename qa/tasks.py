"""The tasks (or deadlines) of a body, as the whole question asks: its body, its topic and its scope.

The body's items come from the documents search found for the question (within its scope), not from
every document that names the body: the best documents first, each document's items ranked by how well
they answer the question's topic (the item's words and the headings it sits under). When the question
has a topic, an item of the body that is off the topic is not a point; when the found documents give the
body nothing, the answer says so and quotes the passages that do answer the topic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa import derived
from qa.bodies import find, key
from qa.items import Item
from qa.question import unit
from qa.relevance import ASKING, Terms, norm
from tracuu.types import Hit

DOCS = 3  # documents of the top hits whose items may answer
MAX_POINTS = 8
MAX_LISTED = 15  # points when the question asks for every task of a body
ON_TOPIC = 0.5  # least share of the best item's topic score an item needs to be a point


@dataclass
class Ranked:
    item: Item
    doc_rank: int  # 0 for the document of the best hit
    hit_rank: int  # rank of the best hit overlapping the item (large when none)
    topic: float  # coverage of the question's topic by the item and its headings
    named: bool  # says the proper name the question gives its body ("Riêng UBND phường Hồng Ngự ...")


def topic_terms(corpus, q, scope_said: list[str]) -> Terms:
    """The question's topic: its words without the bodies it names, what it asks and its scope."""
    rest = q.rest
    for said in scope_said:
        rest = re.sub(re.escape(said), " ", rest, flags=re.IGNORECASE)
    rest = re.sub(r"(?i)\b(?:năm học\s*)?(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)\d\d)?\b", " ", rest)
    return corpus.terms(rest, drop=ASKING)


def body_items(
    index, q, hits: list[Hit], corpus, scope, allowed: set[str] | None = None
) -> tuple[list[Item], Terms]:
    """The items of the question's body that answer it, best first (from `allowed` documents only, when
    the question is filtered)."""
    terms = topic_terms(corpus, q, [p.said for p in getattr(scope, "parts", ())])
    everyone = [it for it in derived.items(index) if any(b.covers(a) for b in q.bodies for a in it.actors)]
    if q.intent == "deadline":
        everyone = [it for it in everyone if it.deadline]
    if not terms:
        # "Nhiệm vụ của Phòng GD&ĐT": no topic, so every task of the body (within the scope), newest first.
        within = getattr(scope, "docs", None)
        mine = [
            it
            for it in everyone
            if (within is None or it.doc in within) and (allowed is None or it.doc in allowed)
        ]
        mine.sort(key=lambda it: (_neg(_date(index, it.doc)), it.doc, _tier(it), it.start))
        return mine[:MAX_LISTED], terms
    docs = list(dict.fromkeys(h.chunk.doc for h in hits))[:DOCS]
    mine = [it for it in everyone if it.doc in docs]
    units = [key(u) for u in q.units]
    # Words of a document's title ("Bắc Giang", "kế hoạch thời gian năm học") say which document, not which
    # of its items: they do not rank the items within it.
    within = {d: without_title(terms, index.documents[d]) for d in docs}
    ranked = [
        Ranked(
            it,
            docs.index(it.doc),
            _hit_rank(it, hits),
            corpus.coverage(within[it.doc], f"{it.context} {it.text}"),
            _says_unit(it, q.bodies, units),
        )
        for it in mine
    ]
    if terms and ranked:
        best = max(r.topic for r in ranked)
        if best > 0:
            ranked = [
                r for r in ranked if r.topic >= ON_TOPIC * best or r.hit_rank <= 1 or not within[r.item.doc]
            ]
        else:
            # No item holds the topic's words: search's best passages decide what is on the topic, else
            # its best document.
            first = min(r.doc_rank for r in ranked)
            ranked = [r for r in ranked if r.hit_rank <= 3] or [r for r in ranked if r.doc_rank == first]
    ranked.sort(key=_order)
    return [r.item for r in ranked][:MAX_POINTS], terms


def _date(index, doc: str) -> str:
    meta = index.documents[doc].meta if doc in index.documents else {}
    for k in ("date", "reports_on_date"):
        v = str(meta.get(k, ""))
        if re.match(r"\d{4}-\d{2}-\d{2}", v):
            return v
    m = re.search(r"(?:19|20)\d\d", str(meta.get("school_year", "")))
    return m.group() if m else ""


def _neg(date: str) -> str:
    # Sort key that puts later ISO dates first.
    return "".join(chr(0x10FFFF - ord(c)) for c in date) if date else "\U0010ffff"


def _says_unit(it: Item, bodies, units: list[str]) -> bool:
    """Whether the item names the question's body with the same proper name ("Riêng Uỷ ban nhân dân phường
    Hồng Ngự ..." for "UBND phường Hồng Ngự"), not the name alone ("Tạp chí Giáo dục TP.HCM")."""
    if not units:
        return False
    for m in find(it.text):
        if any(b.covers(m.body) for b in bodies) and key(unit(it.text, m.end)) in units:
            return True
    return False


def without_title(terms: Terms, document) -> Terms:
    """`terms` without the words of the document's title: they say which document, not which passage."""
    title = document.title
    kind = str(document.meta.get("type", ""))
    if kind and title.lower().startswith(kind.lower()):
        title = title[
            len(kind) :
        ]  # "Quyết định BAN HÀNH ...": the type is not a topic ("quyết định" is a verb too)
    padded = norm(title, terms.bare)
    return Terms(tuple(t for t in terms.words if f" {t} " not in padded), terms.bare, terms.initials)


def _order(r: Ranked) -> tuple:
    return (r.doc_rank, not r.named, _tier(r.item), -round(r.topic, 2), r.hit_rank, r.item.start)


def _hit_rank(it: Item, hits: list[Hit]) -> int:
    ranks = [
        h.rank for h in hits if h.chunk.doc == it.doc and h.chunk.start < it.end and it.start < h.chunk.end
    ]
    return min(ranks, default=99)


def _tier(it: Item) -> int:
    """0 for items that name the body as theirs; 1 for what it shares with many ("Chủ tịch yêu cầu
    ngành Giáo dục, các phòng, ban, ngành và UBND các xã ... như sau:", and the items under it) and for
    what it receives rather than does ("a) Được hỗ trợ kinh phí ...")."""
    shared = it.how == "document" or len(it.actors) >= 3
    if shared or it.text.rstrip().endswith(":") or _RECEIVES.match(key(it.text)):
        return 1
    return 0


# "a) Được hỗ trợ ...", "Cơ sở giáo dục được cấp ...": a right, not a task ("được giao" is a task).
_RECEIVES = re.compile(r"(?:\S{1,8}[.)]\s+)?(?:[^\s,;:.]+\s){0,5}?(?<!khong )duoc\s(?!giao\b)")
