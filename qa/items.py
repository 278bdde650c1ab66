"""Who is told to do what: the sentences of a document in which a body is the actor.

A directive names the actor in a few ways, and each is read here:
- as the subject: "Sở Y tế: Chủ trì ...", "2.2. Công an huyện phối hợp ...";
- as the object of giao/yêu cầu/đề nghị: "Giao Phòng Tài nguyên và Môi trường ...",
  "Chủ tịch UBND huyện yêu cầu ngành Giáo dục ... như sau:" (the items that follow are theirs too);
- as a section heading: "1. Phòng Giáo dục và Đào tạo" followed by subjectless items;
- by continuation: subjectless sentences after one with an actor ("Phối hợp với ...", "Chú trọng ...").
Everything after "Nơi nhận:" is a distribution list, not tasks, and is skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from qa.bodies import Body, Mention, find, key
from tracuu.types import Document


@dataclass(frozen=True)
class Item:
    doc: str
    start: int
    end: int
    text: str  # exactly document.text[start:end]
    actors: tuple[Body, ...]
    how: str  # "subject", "assigned", "heading", "continued", "list"
    deadline: bool  # mentions a date or time limit


_RECIPIENTS = re.compile(r"(?m)^[^\S\n]*[\-–•*]?[^\S\n]*[^\W\d_]?oi nhan\s*:")
_NUM = re.compile(
    r"[^\S\n]*(?:(?P<roman>[ivxlc]+)[.)]|(?P<num>\d{1,2}(?:\.\d{1,2})*)[.)]|(?P<num2>\d{1,2}(?:\.\d{1,2})+)"
    r"|(?P<letter>[a-z])[.)])[^\S\n]+"
)
_BULLET = re.compile(r"[^\S\n]*[-–•*+][^\S\n]+")
_INTRO = re.compile(r"(?:theo do|dong thoi|ngoai ra|rieng|tren co so do|de to chuc thuc hien[^,]*)\s*,?\s*")
_TRIGGER = re.compile(r"(?<!\w)(?:da\s+|se\s+)?(giao(?:\s+cho)?|yeu cau|de nghi|chi dao|phan cong)\s+")
_TRIGGER_AT = re.compile(r"\s*(?:da\s+|se\s+)?(giao(?:\s+cho)?|yeu cau|de nghi|chi dao|phan cong)\s+")
_LEADER = re.compile(r"(?<!\w)(?:chu tich|thu tuong|bo truong|giam doc|truong phong)(?!\w)")
_SEP = re.compile(r"\s*(?:,|;|&|\bva\b)\s*(?:\bva\s+)?")
_FILLER = re.compile(r"(?:cac|toan the|thu truong|lanh dao)\s+")
_VERB_START = re.compile(
    r"(?:phoi hop|chi dao|tang cuong|to chuc|chu trong|co giai phap|can cu|trien khai|thuc hien|xay dung|"
    r"tham muu|huong dan|day manh|tiep tuc|chu dong|chu tri|ra soat|kien toan|nang cao|quan triet|theo doi|"
    r"tong hop|bao dam|dam bao|huy dong|quan ly|cham lo|uu tien|tap trung|giai quyet|de xuat|bo tri|kiem tra|"
    r"phat huy|duy tri|hoan thien|hoan thanh|thuong xuyen|nghien cuu|khuyen khich|bao cao|chuan bi|van dong|"
    r"phan cong|lam tot|tich cuc|kip thoi|nghiem tuc|cung co|day nhanh|giam sat|phoi hop)\b"
)
# A time limit ("trước ngày 20 tháng 9", "chậm nhất", "định kỳ hằng tháng"), not just any date: the dates
# of cited decisions ("Quyết định số 522/QĐ-TTg ngày 14/5/2018") are not deadlines.
DEADLINE = re.compile(
    r"(?<!\w)(?:truoc (?:ngay|\d|thang)|cham nhat|han chot|thoi han|han nop|den ngay"
    r"|hang (?:tuan|thang|quy|nam)|dinh ky)(?!\w)"
)
DATE = re.compile(
    r"(?<!\w)(?:\d{1,2}/\d{1,2}(?:/\d{2,4})?|ngay \d{1,2}|thang \d{1,2}(?: nam \d{4})?|nam \d{4})(?!\w)"
)
_SENT_END = re.compile(r"[.!?…]+[\"”’)]*\s+")
_ABBREV_END = re.compile(r"(?:\b[A-ZĐ]{1,3}|\bTp|\bĐ/c|\bv\.v)$")


def body_list(k: str, pos: int, limit: int, by_start: dict[int, Mention]) -> tuple[list[Body], int]:
    """Bodies named one after another from `pos` ("Phòng Y tế huyện, Trung tâm Y tế huyện ..."), and where
    the list ends."""
    actors: list[Body] = []
    end = pos
    p = pos
    while p < limit:
        while p < limit and k[p] in " \t":
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


def _own_actors(k: str, s: int, e: int, by_start: dict[int, Mention]) -> tuple[list[Body], str]:
    pos = s
    intro = _INTRO.match(k, pos)
    if intro:
        pos = intro.end()
    subject, end = body_list(k, pos, e, by_start)
    if subject:
        t = _TRIGGER_AT.match(k, end)
        if t:
            objects, _ = body_list(k, t.end(), e, by_start)
            if objects:
                return objects, "assigned"
        return subject, "subject"
    for t in _TRIGGER.finditer(k, s, e):
        if t.group(1) == "chi dao" and not _LEADER.search(k, s, t.start()):
            continue  # "Chỉ đạo các trường ..." is the actor's own task, not an assignment to the schools
        objects, _ = body_list(k, t.end(), e, by_start)
        if objects:
            return objects, "assigned"
    return [], ""


def _paragraphs(text: str, limit: int) -> list[tuple[int, int]]:
    # Lines; a line that starts in lower case continues the one before (a break inside a sentence).
    spans: list[tuple[int, int]] = []
    for m in re.finditer(r"[^\n]+", text[:limit]):
        line = m.group()
        if not line.strip():
            continue
        first = line.lstrip()[0]
        if spans and first.islower() and not _NUM.match(key(line)) and not _BULLET.match(line):
            spans[-1] = (spans[-1][0], m.end())
        else:
            spans.append((m.start(), m.end()))
    return spans


def _sentences(text: str, s: int, e: int) -> list[tuple[int, int]]:
    out, start = [], s
    for m in _SENT_END.finditer(text, s, e):
        nxt = text[m.end() : m.end() + 1]
        if not nxt or not (nxt.isupper() or nxt in '"“('):
            continue
        if _ABBREV_END.search(text, max(s, m.start() - 5), m.start()):
            continue
        out.append((start, m.start() + len(m.group().rstrip())))
        start = m.end()
    if start < e:
        out.append((start, e))
    return [(a, b) for a, b in out if text[a:b].strip()]


def _depth(m: re.Match) -> int:
    if m.group("roman"):
        return 0
    if m.group("letter"):
        return 3
    return (m.group("num") or m.group("num2")).count(".") + 1


def _is_heading(content: str, numbered: bool) -> bool:
    words = content.split()
    if not words or content.rstrip()[-1] in ".;:!?…" or ". " in content:
        return False
    return len(words) <= (16 if numbered else 12) and not content.lstrip()[0].islower()


def extract(document: Document) -> list[Item]:
    """The items of `document` that have an actor, in text order."""
    return list(_extract(document.doc, document.text))


@lru_cache(maxsize=256)
def _extract(doc: str, text: str) -> tuple[Item, ...]:
    k = key(text)
    cut = _RECIPIENTS.search(k)
    limit = cut.start() if cut else len(text)
    by_start = {m.start: m for m in find(text[:limit], k[:limit])}
    items: list[Item] = []
    section: tuple[list[Body], int] | None = None
    listed: list[Body] = []
    carry: list[Body] = []
    for ps, pe in _paragraphs(text, limit):
        num = _NUM.match(k, ps)
        bullet = None if num else _BULLET.match(k, ps)
        lead = ps + len(text[ps:pe]) - len(text[ps:pe].lstrip())
        cs = (num or bullet).end() if (num or bullet) else lead
        content = text[cs:pe]
        depth = _depth(num) if num else None
        if depth is not None and section and depth <= section[1]:
            section = None
        if _is_heading(content, num is not None) and not bullet:
            listed, carry = [], []
            if num is None:
                section = None
                continue
            heads, _ = body_list(k, cs, pe, by_start)
            if heads:
                section = (heads, depth)
            continue
        if num or bullet or not _VERB_START.match(k, cs):
            carry = []
        sents = _sentences(text, cs, pe)
        for i, (ss, se) in enumerate(sents):
            actors, how = _own_actors(k, ss, se, by_start)
            if actors:
                carry = actors
                if section and depth is not None and depth > section[1]:
                    # "2.2. Công an huyện ..." under "2. Các phòng, ban chuyên môn huyện": both are told.
                    actors = actors + [b for b in section[0] if b not in actors]
            elif carry:
                actors, how = carry, "continued"
            elif listed:
                actors, how = listed, "list"
            elif section:
                actors, how = section[0], "heading"
            if actors and text[se - 1 : se] == ":":
                listed = actors
            if not actors or len(text[ss:se].split()) < 4:
                continue
            start = lead if (i == 0 and num) else ss
            prev = items[-1] if items else None
            if prev and prev.actors == tuple(actors) and _same_paragraph(text, prev.end, start):
                start, how = prev.start, prev.how
                items.pop()
            items.append(
                Item(doc, start, se, text[start:se], tuple(actors), how, bool(DEADLINE.search(k, start, se)))
            )
    return tuple(items)


def _same_paragraph(text: str, a: int, b: int) -> bool:
    return "\n" not in text[a:b]
