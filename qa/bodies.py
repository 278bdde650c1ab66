"""Gazetteer of Vietnamese administrative bodies: find "Sở Y tế", "Phòng GD&ĐT", "UBND các xã, thị trấn",
"Công an huyện", "nhà trường", ... in text, with or without diacritics, and name them one way.

Matching runs on a key of the text (lower case, no diacritics, same length), so a match's offsets are
offsets in the text. A body is (kind, domain, level): "Phòng GD&ĐT" and "Phòng Giáo dục và Đào tạo"
are the same Body. Bodies the table does not list ("Ban Quản lý dự án ...", "Ban Tuyên giáo Huyện ủy")
are still found when written with a capital after Ban/Trung tâm/Sở/Phòng, so the corpus itself extends
the list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ingest.normalize import fold
from qa.gazetteer import (
    DOMAINS,
    FAMILY,
    FIXED,
    GENERIC_HEADS,
    HEADS,
    LEVEL_IN_NAME,
    LEVEL_OF,
    LEVEL_WORD,
    LEVEL_WORDS_MARKED,
    LVL,
    NAME_STOP,
    NAME_STOP_MARKED,
    SCHOOL_OPENING,
    SUFFIX,
    VERB_START,
    VERB_START_MARKED,
    key,
)

LEVELS = ("trung ương", "tỉnh", "huyện", "xã", "trường")


@dataclass(frozen=True)
class Body:
    kind: str  # "Sở", "Phòng", "UBND", "Công an", "Nhà trường", ...
    domain: str  # "Y tế", "Giáo dục và Đào tạo", ... ("" for UBND, Công an, ...)
    level: str  # one of LEVELS, or "" when the text does not say

    @property
    def name(self) -> str:
        if self.kind in LEVEL_IN_NAME and self.level:
            return f"{self.kind} {self.domain} {LEVEL_WORD[self.level]}".replace("  ", " ")
        return f"{self.kind} {self.domain}".strip()

    @property
    def key(self) -> str:
        return key(f"{self.kind}|{self.domain}|{self.level}")

    def covers(self, other: Body) -> bool:
        """Whether a question naming `self` asks about `other` ("UBND" covers "UBND xã"; "nhà trường"
        covers "cơ sở giáo dục" and "Trường THPT ..."; "giáo viên" covers "giáo viên chủ nhiệm")."""
        if other.kind in FAMILY.get(self.kind, ()):
            return True
        if self.kind != other.kind or (self.domain and key(self.domain) != key(other.domain)):
            return False
        # A side that does not say the level matches any: "Ngành Giáo dục huyện" asks about the
        # "Ngành Giáo dục và Đào tạo" of a district directive that never writes "huyện" after it.
        return not self.level or not other.level or self.level == other.level


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    body: Body


@cache
def _domain_re() -> str:
    return "|".join(f"(?P<d{i}>{pat})" for i, (_, pat) in enumerate(DOMAINS))


@cache
def _patterns() -> list[tuple[re.Pattern, str, str | None, str]]:
    pats = []
    for kind, domain, level, head in FIXED:
        pats.append((re.compile(rf"{head}{SUFFIX}(?!\w)"), kind, domain, level))
    for kind, level, head in HEADS:
        pats.append((re.compile(rf"{head}\s+(?:{_domain_re()}){SUFFIX}(?!\w)"), kind, None, level))
    pats.append((re.compile(SCHOOL_OPENING), "Nhà trường", "", "trường"))
    return pats


def _level(m: re.Match, kind: str, default: str) -> str:
    word = m.groupdict().get("lvl")
    if kind in ("Sở", "Phòng", "Bộ") or not word:
        return default
    return LEVEL_OF.get(word, default)


def find(text: str, folded: str | None = None) -> list[Mention]:
    """Every body named in `text`, left to right; overlapping matches keep the longest. `folded` is
    key(text), when the caller has it."""
    k = folded if folded is not None else key(text)
    found: list[Mention] = []
    for pat, kind, domain, level in _patterns():
        for m in pat.finditer(k):
            if domain is None:
                i = next(int(g[1:]) for g, v in m.groupdict().items() if g.startswith("d") and v)
                dom = DOMAINS[i][0]
            else:
                dom = domain
            found.append(Mention(m.start(), m.end(), Body(kind, dom, _level(m, kind, level))))
    # "Trường THPT Cao Lãnh 2 ..." is a named school (the fallback's), "Trường học báo cáo ..." any school.
    found = [f for f in found if not (f.body.kind == "Nhà trường" and _named_next(text, f.end))]
    kept = _longest(found)
    # A listed body is never stretched into "Sở Tài chính nghiên cứu ..."; a name the table does not
    # list wins over a listed body inside it ("Cục Nhà giáo và Cán bộ quản lý giáo dục" is not "nhà giáo").
    extra = [
        f
        for f in _fallback(text, k)
        if all(f.start < m.start for m in kept if f.start < m.end and m.start < f.end)
    ]
    inside = {(m.start, m.end) for m in kept for f in extra if f.start < m.start < f.end}
    return _longest([m for m in kept if (m.start, m.end) not in inside] + extra)


def _named_next(text: str, end: int) -> bool:
    nxt = text[end : end + 2].strip()
    return bool(nxt) and (nxt[0].isupper() or nxt[0].isdigit())


def _longest(found: list[Mention]) -> list[Mention]:
    found.sort(key=lambda m: (m.start, -(m.end - m.start)))
    kept: list[Mention] = []
    for m in found:
        if not kept or m.start >= kept[-1].end:
            kept.append(m)
    return kept


_GENERIC_HEAD = re.compile(
    r"(?<!\w)(" + "|".join(sorted(GENERIC_HEADS, key=len, reverse=True)) + r") (?=[A-ZĐÀ-Ỹ\d])"
)
_NAME_STOP = re.compile(NAME_STOP)
_NAME_STOP_MARKED = re.compile(NAME_STOP_MARKED)
_VERB, _VERB_MARKED = re.compile(VERB_START), re.compile(VERB_START_MARKED)
_SYLL = re.compile(r"[^\W_]+")
_ABBREVIATION = re.compile(r"[A-ZĐ]{2,}[A-ZĐ&\-]*")


def _fallback(text: str, k: str) -> list[Mention]:
    # "Ban Quản lý dự án đầu tư xây dựng khu vực huyện": a capitalised name the table does not list.
    # Its end: a verb or function word (read with diacritics when the text has them: "giao" is not "Giáo"),
    # punctuation other than a hyphen between two capitalised words, or a level word ("huyện").
    f = fold(text)
    marked = f != k
    stop, words_of = (_NAME_STOP_MARKED, f) if marked else (_NAME_STOP, k)
    verb = _VERB_MARKED if marked else _VERB
    out = []
    for m in _GENERIC_HEAD.finditer(text):
        pos, words, level = m.end(), [], ""
        last, after_proper = pos, False
        for w in _SYLL.finditer(text, pos):
            raw = text[pos : w.start()]
            gap = raw.strip()
            # Inside a name: "Phòng Văn hóa - Xã hội", "Tạp chí Giáo dục TP.HCM".
            joins = words and w.group()[0].isupper() and (gap in "-–" or (gap == "." and raw == "."))
            if (gap and not joins) or len(words) >= 10:
                break
            lower = w.group()[0].islower()
            if words and (
                stop.match(words_of, w.start())
                or (lower and after_proper and verb.match(words_of, w.start()))
            ):
                # The first word is the name's own ("Ban Tổ chức", "Ban Quản lý ..."); after a proper
                # name any verb starts the predicate ("Liên đoàn Vovinam Việt Nam hỗ trợ ...").
                break
            wk = k[w.start() :]
            lv = re.match(rf"(?:{LVL})\b", wk)
            if lv and marked and fold(text[w.start() : w.start() + lv.end()]) not in LEVEL_WORDS_MARKED:
                lv = None  # "quản lý" is not "quận", "cuộc thi" not "thị"
            if lv and words and not re.match(r"(?:huyen|tinh|thanh) uy\b", wk):
                level = LEVEL_OF.get(lv.group(), "")
                pos = w.start() + lv.end()
                break
            words.append(w.group())
            after_proper = len(words) > 1 and not lower
            pos = last = w.end()
        if len(words) >= 2 or (words and _ABBREVIATION.fullmatch(words[0])):
            name = " ".join(text[m.end() : last].split())
            out.append(Mention(m.start(), pos, Body(m.group(1), name, level)))
    return out


def display(body: Body) -> str:
    return body.name
