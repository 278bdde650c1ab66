"""Does a quoted point start and end where a sentence or an item does? A check on canonical text only.

The answer metrics (eval/answers.py) count the points that do not: a point is meant to be a whole
sentence, item or heading, and the failures seen are points cut inside one ("Đào tạo và các sở, ngành
..." is the tail of "Sở Giáo dục và / Đào tạo"; one point ended "(chỉ số ≥" and the next began "301),").

A start is a boundary when the point opens the text, follows a sentence end (. ; : ! ? …, closing quotes
and brackets allowed after it, and the "./" that closes many directives) or a list marker on its own
line, or opens a line whose point begins with a list marker or a table row ("|"), or opens a line after
a line that is not cut short. The end is the mirror image: before a sentence end, a list marker or a
table row, or at the end of a line that is not cut short. A line with no sentence end is cut short when
it ends on a comma, an operator or an opening bracket, or on a word that cannot end a Vietnamese
sentence or heading ("và", "của", "các", ...), or when the next line goes on in lower case.

Only sure cuts are counted, so the count is a lower bound: a wrapped line that ends on a noun and goes
on with a capitalised word ("... của Trường THPT / Phước Bửu về ...", "... tham dự cấp / Thành phố, cụ
thể như sau:") reads like a title followed by its first sentence, which is no cut, and is not flagged.
Rules that flagged such lines (line length, a capitalised word on both sides) also flagged every
sentence-case title and news headline of the sample corpus.
"""

from __future__ import annotations

import re

SENTENCE_END = ".;:!?…"
CLOSERS = ")]”\"'’»/"
# A list marker at the start of a line or point: bullets (also Word's private-use and "o" bullets as PDFs
# keep them), "1." "1.2." "a)" "(b)" "II." "Điều 3", a markdown heading's "#".
MARKER = re.compile(
    r"(?:[-–—•+*▪◦●\uf000-\uf0ff]|o|\(?\d{1,3}(?:\.\d{1,3})*[.)]|\(?[a-zđ][.)]|\(?[IVXLC]{1,6}[.)]|#{1,6}|"
    r"(?:Điều|Chương|Mục|Phần)\s+[\dIVXLC]+[.:]?)(?=\s|$)|\|"
)
# An article's or a chapter's title line: it may end on any word ("Điều 461. ... của tài sản tặng cho").
_TITLE = re.compile(r"(?:Điều|Chương|Mục|Phần)\s+[\dIVXLC]+\b")
_RULE = re.compile(r"[-_=*.]{3,}$")  # a separator ("______", "Hạnh phúc ---------"), not an open end
# Words that join what follows to what precedes: a sentence or heading does not end on one.
JOINERS = frozenset(
    "và hoặc hay của các những với cho để trong tại từ đến là được bị do mà thì nhằm như bằng mỗi mọi "
    "sẽ đã đang cần phải".split()
)


def _ends_sentence(text: str) -> bool:
    t = text.rstrip().rstrip(CLOSERS)
    return bool(t) and (t[-1] in SENTENCE_END or t[-1] == "|")  # "|" closes a table row


def _wrapped(line: str, following: str) -> bool:
    """True when `line` (the last line before a break) and `following` (the text after it) are one
    sentence cut by a line break (see the module docstring)."""
    line = line.rstrip()
    following = following.lstrip()
    if not line or not following or _ends_sentence(line) or MARKER.match(following):
        return False
    start = line[line.rfind("\n") + 1 :].lstrip()
    if _RULE.search(line) or (_TITLE.match(start) and not following[0].islower()):
        return False
    if not (line[-1].isalnum() or line[-1] in CLOSERS):
        return True  # a comma, "≥", "(", "-", "&" ...
    return line.split()[-1].strip(CLOSERS) in JOINERS or following[0].islower()


def starts_at_boundary(text: str, i: int) -> bool:
    """Whether a point beginning at text[i] begins a sentence, an item or a line that is not a wrap."""
    point = text[i:]
    if point[:1] in ",.;:)]”" or point[:1].isspace():
        return False
    before = text[:i]
    line = before[before.rfind("\n") + 1 :]
    if line.strip():  # the point starts inside a line
        prefix = line.rstrip()
        return _ends_sentence(prefix) or MARKER.fullmatch(prefix.lstrip()) is not None
    prev = before.rstrip()
    return not _wrapped(prev[prev.rfind("\n") + 1 :], point)


def ends_at_boundary(text: str, j: int) -> bool:
    """Whether a point ending at text[j] (exclusive) ends a sentence, an item or a line that is not cut."""
    point = text[:j].rstrip()
    if not point:
        return False
    after = text[len(point) :]
    rest = after[: after.find("\n")] if "\n" in after else after
    if rest.strip():  # the point stops inside a line
        return _ends_sentence(point) or MARKER.match(rest.lstrip()) is not None
    return not _wrapped(point[point.rfind("\n") + 1 :], after)
