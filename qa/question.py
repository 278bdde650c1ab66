"""What a question asks: which body (if any), and whether it wants tasks, a deadline, who, or a topic."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from qa.bodies import Body, find, key
from qa.items import LEADER, body_list

_DEADLINE = re.compile(
    r"(?<!\w)(?:khi nao|bao gio|thoi han|han (?:chot|nop|cuoi|bao cao)|truoc ngay|ngay nao|ngay bao nhieu"
    r"|thoi gian nao|luc nao|han\b(?! che))"
)
_WHO = re.compile(r"(?<!\w)(?:ai|(?:co quan|don vi|bo phan|cap|nguoi|truong|phong|so|ban) nao)(?!\w)")
_TASKS = re.compile(
    r"(?<!\w)(?:nhiem vu|trach nhiem|phai lam|lam gi|lam nhung gi|can lam|viec gi|nhung viec|duoc giao"
    r"|the nao|cong viec|phai thuc hien|co vai tro)(?!\w)"
)
_TRIGGER = re.compile(r"(?<!\w)(?:giao(?:\s+cho)?|yeu cau|de nghi|chi dao)\s+")
_OPENING = re.compile(r"\s*(?:(?:cac\s+)?(?:nhiem vu|trach nhiem|cong viec|vai tro)(?:\s+cua)?\s+)?")


_HOW = re.compile(r"(?<!\w)(?:tham gia|phoi hop|thuc hien|lam|vao cuoc)\s+(?:nhu\s+)?the nao(?!\w)")
_ROLE_BEFORE = re.compile(r"(?<!\w)(?:(?:chu tich|giam doc|thu truong|lanh dao)(?: cac)?\s+)$")


@dataclass
class Question:
    text: str
    intent: str  # "tasks", "deadline", "who" or "topic"
    bodies: list[Body] = field(default_factory=list)  # the bodies it asks about (empty: no body)
    named: list[Body] = field(default_factory=list)  # every body it names, asked about or not
    rest: str = ""  # the question without the bodies it names: its topic, place, year ...
    units: list[str] = field(
        default_factory=list
    )  # proper names after a body: "Hồng Ngự" in "UBND phường Hồng Ngự"


def parse(question: str) -> Question:
    k = key(question)
    mentions = find(question, k)
    by_start = {m.start: m for m in mentions}
    if _DEADLINE.search(k):
        intent = "deadline"
    elif (who := _WHO.search(k)) and not _opening_body(k, by_start, who.start()):
        intent = "who"  # "Đơn vị nào chủ trì ...?", not "Trường học báo cáo ... qua phòng nào?"
    elif _TASKS.search(k) or _WHO.search(k):
        intent = "tasks"
    else:
        intent = "topic"
    named = [m.body for m in mentions]
    # "tham gia thế nào", "phối hợp như thế nào": how the body acts is what is asked, not a topic.
    rest = _HOW.sub(lambda m: " " * len(m.group()), k)
    rest = "".join(c if r != " " or c.isspace() else " " for c, r in zip(question, rest, strict=True))
    for m in reversed(mentions):
        # "Chủ tịch UBND huyện", "Giám đốc Sở": the role goes with the body, it is not the topic.
        lead = _ROLE_BEFORE.search(k, 0, m.start)
        rest = rest[: lead.start() if lead else m.start] + " " + rest[m.end :]
    units = [u for m in mentions if (u := unit(question, m.end))]
    return Question(question, intent, _asked_about(k, mentions, by_start, intent), named, rest, units)


def _opening_body(k: str, by_start, before: int) -> bool:
    opening = _OPENING.match(k)
    subject, end = body_list(k, opening.end(), before, by_start)
    return bool(subject)


def unit(question: str, end: int) -> str:
    """ "Hồng Ngự" in "UBND phường Hồng Ngự": the capitalised name right after a body (its one unit meant)."""
    words = []
    for w in question[end:].split()[:4]:
        w = w.strip(",.;:?!()")
        if not w or not (w[0].isupper() or (words and w.isdigit())):
            break
        words.append(w)
    return " ".join(words)


def _asked_about(k: str, mentions, by_start, intent: str) -> list[Body]:
    if not mentions or intent == "who":
        return []
    # "Chủ tịch UBND huyện yêu cầu Phòng GD&ĐT làm gì": the body after giao/yêu cầu is the one asked about.
    for t in _TRIGGER.finditer(k):
        if t.group().startswith("chi dao") and not LEADER.search(k, 0, t.start()):
            continue  # "Sở GDĐT có trách nhiệm gì trong việc chỉ đạo các trường": Sở's own task
        objects, _ = body_list(k, t.end(), len(k), by_start)
        if objects:
            return objects
    # "Nhiệm vụ của Sở Y tế", "Công an huyện phải làm gì": a body opening the question.
    opening = _OPENING.match(k)
    subject, _ = body_list(k, opening.end(), len(k), by_start)
    if subject:
        return subject
    # "... thì Phòng GD&ĐT phải làm gì": a named body with a question about tasks or deadlines.
    # Not one named as a complement: "Thông tư quy tắc ứng xử của nhà giáo có hiệu lực ...".
    if intent in ("tasks", "deadline"):
        for m in mentions:
            if not _COMPLEMENT.search(k, 0, m.start):
                subject, _ = body_list(k, m.start, len(k), by_start)
                return subject
    return []


_COMPLEMENT = re.compile(r"(?<!\w)(?:cua|doi voi|cho|voi|ve|tai)\s+(?:cac\s+)?$")


def wants_answer(question: str) -> bool:
    """Whether the question asks for tasks, a deadline or a responsible body (the page then shows the
    cited answer before the passages)."""
    q = parse(question)
    return q.intent != "topic" or bool(q.bodies)
