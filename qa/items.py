"""Who is told to do what: the sentences of a document in which a body is the actor.

The document's structure is ingest.blocks' (headings, numbered and bulleted items, paragraphs, table
rows, recipients, signature); this module only reads who acts in each sentence:
- the subject: "Sở Y tế: Chủ trì ...", "2.2. Công an huyện phối hợp ...", after a fronted clause
  ("Trong thời hạn 03 ngày ..., Hiệu trưởng ... lập ...");
- the object of giao/yêu cầu/đề nghị/kính mong: "Giao Phòng Tài nguyên và Môi trường ...", "Chủ tịch UBND
  huyện yêu cầu ngành Giáo dục ... như sau:" (the items after such a lead are theirs too);
- the body a heading names: "1. Phòng Giáo dục và Đào tạo", "Điều 12. Trách nhiệm của Sở ...";
- by continuation: subjectless sentences after one with an actor ("Phối hợp với ...", "Chú trọng ...");
- in a table of tasks, the row's body cell.
Headers, "Kính gửi" and "Nơi nhận" lists and signatures are never tasks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ingest import blocks as B
from ingest.normalize import fold
from qa.bodies import Body, Mention, find, key
from qa.gazetteer import COLLECTIVE, VERB_START, VERB_START_MARKED
from qa.tables import row_items
from tracuu.types import Document


@dataclass(frozen=True)
class Item:
    doc: str
    start: int
    end: int
    text: str  # exactly document.text[start:end]
    actors: tuple[Body, ...]
    how: str  # "subject", "assigned", "heading", "continued", "list", "row", "document"
    deadline: bool  # mentions a date or time limit
    context: str = ""  # the titles of the headings it sits under, outermost first


_SUBITEM = re.compile(r"\d{1,2}|[a-zđ]$")  # "5", "b": a numbered item's heading, not a division
# Sentences that are never tasks: the legal basis ("Căn cứ ...", "Thực hiện Kế hoạch số ..."), the closing
# summary ("Trên đây là ...").
NOT_TASK = re.compile(
    r"(?:can cu|tren (?:day )?la|thuc hien (?:ke hoach|cong van|quyet dinh|chi thi|thong tu|nghi dinh"
    r"|huong dan|van ban|chi dao|nghi quyet)\b)"
)
_FORM = re.compile(r"\.{5,}|…{2,}|…\s*\.{2,}")  # a form's blanks ("năm.....", "Số: ....../QĐ"): a template
_INTRO = re.compile(r"(?:theo do|dong thoi|ngoai ra|rieng|tren co so do|de to chuc thuc hien[^,]*)\s*,?\s*")
# A clause before the subject: "Trong thời hạn 03 ngày làm việc kể từ ..., Hiệu trưởng ...".
_FRONTED = re.compile(
    r"(?:trong (?:thoi han|thoi gian|qua trinh)|truoc (?:ngay|khi)|sau khi|khi|neu|truong hop"
    r"|hang (?:nam|thang|quy|tuan)|dinh ky|cham nhat|tren co so|de|can cu)\b[^,;:.]{0,160},\s*"
)
_TRIGGER = re.compile(
    r"(?<!\w)(?:da\s+|se\s+)?(giao(?:\s+cho)?|yeu cau|(?:kinh\s+)?de nghi|kinh mong|chi dao|phan cong)\s+"
)
_TRIGGER_AT = re.compile(
    r"\s*(?:da\s+|se\s+)?(giao(?:\s+cho)?|yeu cau|(?:kinh\s+)?de nghi|kinh mong|chi dao|phan cong)\s+"
)
LEADER = re.compile(r"(?<!\w)(?:chu tich|thu tuong|bo truong|giam doc|truong phong)(?!\w)")
_SEP = re.compile(r"\s*(?:,|;|&|\bva\b)\s*(?:\bva\s+)?")
# Words before a body that keep it the actor: "các", "Thủ trưởng các", "Giám đốc", "Chủ tịch".
_FILLER = re.compile(r"(?:(?:cac|toan the|thu truong|lanh dao|giam doc|chu tich)\s+){1,3}")
_VERB_START = re.compile(
    VERB_START_MARKED
)  # on fold(text): "Phối hợp với ..." goes on with the actor's tasks
_VERB_START_BARE = re.compile(VERB_START)  # the same, for text without diacritics
# A time limit ("trước ngày 20 tháng 9", "chậm nhất", "định kỳ hằng tháng"), not just any date: the dates
# of cited decisions ("Quyết định số 522/QĐ-TTg ngày 14/5/2018") are not deadlines.
DEADLINE = re.compile(
    r"(?<!\w)(?:truoc (?:ngay|\d|thang)|cham nhat|han chot|thoi han|han nop|den ngay"
    r"|hang (?:tuan|thang|quy|nam)|dinh ky)(?!\w)"
)
DATE = re.compile(
    r"(?<!\w)(?:\d{1,2}/\d{1,2}(?:/\d{2,4})?|ngay \d{1,2}|thang \d{1,2}(?: nam \d{4})?|nam \d{4})(?!\w)"
)


def body_list(k: str, pos: int, limit: int, by_start: dict[int, Mention]) -> tuple[list[Body], int]:
    """Bodies named one after another from `pos` ("Phòng Y tế huyện, Trung tâm Y tế huyện ..."), and where
    the list ends."""
    actors: list[Body] = []
    end = pos
    p = pos
    while p < limit:
        while p < limit and k[p] in " \t\n":
            p += 1
        m = by_start.get(p)
        if m is None:
            f = _FILLER.match(k, p)
            m = by_start.get(f.end()) if f else None
        if m is None or m.start >= limit:
            break
        if m.body not in actors:
            actors.append(m.body)
        end = p = m.end
        sep = _SEP.match(k, p)
        if not sep:
            break
        p = sep.end()
    return actors, end


def own_actors(k: str, s: int, e: int, by_start: dict[int, Mention]) -> tuple[list[Body], str]:
    """The bodies a sentence k[s:e] names as its actor, and how ("subject" or "assigned")."""
    pos = s
    intro = _INTRO.match(k, pos)
    if intro:
        pos = intro.end()
    subject, end = body_list(k, pos, e, by_start)
    if not subject and (fronted := _FRONTED.match(k, pos)):
        subject, end = body_list(k, fronted.end(), e, by_start)
    if subject:
        t = _TRIGGER_AT.match(k, end)
        if t:
            objects, _ = body_list(k, t.end(), e, by_start)
            if objects:
                return objects, "assigned"
        return subject, "subject"
    for t in _TRIGGER.finditer(k, s, e):
        if t.group(1) == "chi dao" and not LEADER.search(k, s, t.start()):
            continue  # "Chỉ đạo các trường ..." is the actor's own task, not an assignment to the schools
        objects, _ = body_list(k, t.end(), e, by_start)
        if objects:
            return objects, "assigned"
    return [], ""


def extract(document: Document) -> list[Item]:
    """The items of `document` that have an actor, in text order."""
    return list(_extract(document.doc, document.text, document.title))


@lru_cache(maxsize=256)
def _extract(doc: str, text: str, title: str = "") -> tuple[Item, ...]:
    k = key(text)
    f = fold(text)
    verb_start, words = (_VERB_START, f) if f != k else (_VERB_START_BARE, k)
    blocks = B.read(text)
    by_start = {m.start: m for m in find(text, k)}
    named = _named_headings(k, blocks, by_start)
    addressed = _addressees(k, blocks, by_start)
    whose = _title_bodies(title)
    items: list[Item] = []
    listed: tuple[list[Body], int, int] | None = None  # a lead's bodies ("... như sau:"), scope, where
    carry: list[Body] = []
    for i, b in enumerate(blocks):
        if b.kind not in B.CONTENT:
            carry, listed = [], None
            continue
        chain = _ancestors(blocks, i)
        if listed and listed[1] != -1 and listed[1] not in chain and listed[1] != b.parent:
            listed = None  # out of the lead's division
        if b.kind == "heading":
            carry = []
            if not _SUBITEM.match(b.label):
                listed = None  # "II. NỘI DUNG" ends what a lead before it listed; "5. ..." under it does not
            continue
        context = " › ".join(blocks[j].title for j in reversed(chain) if blocks[j].title)
        if b.kind == "row":
            for s, e, actors, timed in row_items(text, k, blocks, i, by_start, body_list):
                items.append(Item(doc, s, e, text[s:e], tuple(actors), "row", timed, context))
            carry = []
            continue
        # The nearest of: a heading naming bodies above this block, a lead "... như sau:" before it.
        near = next(((j, named[j]) for j in chain if named.get(j)), None)
        heading = near[1] if near else None
        if listed and near and near[0] > listed[2]:
            listed = None
        numbered = b.kind == "item" and b.label not in ("", "-")
        if b.kind == "item" or not verb_start.match(words, b.content):
            carry = []
        for ss, se in quoted_sentences(text, b):
            start, ss = ss, max(ss, b.content)
            actors, how = own_actors(k, ss, se, by_start)
            if actors:
                carry = actors
                if heading and numbered:
                    # "2.2. Công an huyện ..." under "2. Các phòng, ban chuyên môn huyện": both are told.
                    actors = actors + [a for a in heading if a not in actors]
            elif carry:
                actors, how = carry, "continued"
            elif listed:
                actors, how = listed[0], "list"
            elif heading:
                actors, how = heading, "heading"
            elif whose and b.kind == "item":
                actors, how = whose, "document"
            if actors and text[se - 1 : se] == ":":
                listed = (actors, b.parent, i)
            if (
                not actors
                or len(text[ss:se].split()) < 4
                or NOT_TASK.match(k, ss)
                or _FORM.search(text, ss, se)
            ):
                continue
            prev = items[-1] if items else None
            if prev and prev.actors == tuple(actors) and b.start <= prev.start:
                start, how = prev.start, prev.how
                items.pop()
            dl = bool(DEADLINE.search(k, start, se))
            actors = _resolve(actors, addressed)
            items.append(Item(doc, start, se, text[start:se], tuple(actors), how, dl, context))
    return tuple(items)


def quoted_sentences(text: str, b: B.Block) -> list[tuple[int, int]]:
    """The sentences of a block as points quote them: a numbered item's first one with its number; never
    one left open on a comma ("Xét đề nghị của Giám đốc Sở ...," before "QUYẾT ĐỊNH:")."""
    spans = B.sentences(text, b.content, b.end)
    if spans and b.kind == "item" and b.label not in ("", "-"):
        spans[0] = (b.start, spans[0][1])
    # Nor one that is form blanks ("...., ngày ... tháng") or ends in markup residue ('.png" />').
    return [(s, e) for s, e in spans if text[e - 1] not in ",>" and text[s] not in ",.;:…"]


_OF_TITLE = re.compile(r"(?<!\w)(?:cua|doi voi)\s+")
_RULES = re.compile(
    r"(?<!\w)(?:quy tac|ung xu|quy dinh|quy che|chuan muc|dao duc|nhiem vu|trach nhiem|che do|nghia vu"
    r"|quyen han|chuc nang|tham quyen)(?!\w)"
)


def _title_bodies(title: str) -> list[Body]:
    """Whom a regulation's title says it is about ("Quy tắc ứng xử của nhà giáo"): its numbered rules with
    no actor of their own are theirs."""
    k = key(title)
    m = _OF_TITLE.search(k)
    # Rules of a body ("quy tắc ứng xử của nhà giáo", "nhiệm vụ của ..."), not a thing a body owns ("hướng
    # dẫn xây dựng kế hoạch giáo dục của nhà trường": its sentences are not all the school's tasks).
    if not m or not _RULES.search(k, max(0, m.start() - 40), m.start()):
        return []
    by_start = {x.start: x for x in find(title, k)}
    bodies, _ = body_list(k, m.end(), len(k), by_start)
    return bodies


_KINH_GUI = re.compile(r"kinh gui\b")


def _addressees(k: str, blocks: list[B.Block], by_start: dict[int, Mention]) -> list[Body]:
    """The bodies a letter is addressed to ("Kính gửi: Thủ trưởng các cơ sở giáo dục")."""
    out: list[Body] = []
    for i, b in enumerate(blocks):
        m = _KINH_GUI.search(k, b.start, b.end) if b.kind in ("header", "recipients") else None
        if not m:
            continue
        end = b.end
        for nxt in blocks[i + 1 :]:
            if nxt.kind != "recipients":
                break
            end = nxt.end
        out += [x.body for p, x in sorted(by_start.items()) if m.end() <= p < end and x.body not in out]
        break
    return [b for b in out if b.kind != COLLECTIVE]


def _resolve(actors: list[Body], addressed: list[Body]) -> list[Body]:
    """ "Các đơn vị", "Thủ trưởng các đơn vị" in a letter are the bodies it is addressed to."""
    if not addressed or not any(a.kind == COLLECTIVE for a in actors):
        return actors
    out = [a for a in actors if a.kind != COLLECTIVE]
    return out + [a for a in addressed if a not in out]


def _ancestors(blocks: list[B.Block], i: int) -> list[int]:
    """Indices of the blocks block i sits under, nearest first."""
    out = []
    p = blocks[i].parent
    while p >= 0 and len(out) < 20:
        out.append(p)
        p = blocks[p].parent
    return out


def _named_headings(k, blocks, by_start) -> dict[int, list[Body]]:
    """The bodies each heading names ("4. Sở Tài chính", "Trách nhiệm của Ủy ban nhân dân xã, ...")."""
    out = {}
    for i, b in enumerate(blocks):
        if b.names and b.kind == "heading":
            bodies, _ = body_list(k, b.names[0], b.names[1], by_start)
            if bodies:
                out[i] = bodies
    return out
