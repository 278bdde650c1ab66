"""Logical lines: the canonical text's lines with wraps joined back, markup trimmed, stamps set aside.

Text copied from PDFs, web pages and tables breaks lines anywhere: "4. Sở Tài" / "chính", "của Bộ Giáo dục
và" / "Đào tạo ban hành ...", "giai đoạn 2021-" / "2025;". A line joins the one before it when that one
does not end a sentence and this one continues it (starts in lower case; follows a connective word, a
comma, a hyphen, an open bracket; completes a "Căn cứ ..." line). A numbered or bulleted line, a table row,
an ALL-CAPS line after a sentence-case one, "Nơi nhận" never continue anything.

Offsets stay exact: a logical line is a span `[start, end)` of the canonical text that may cross line
breaks; its `text` is that span with each line break read as a space (same length, so an offset in it is
an offset in the canonical text). Web markup that opens or closes a line ("## ", "*", "> ") is left
outside the span; a markdown table's rule row ("|---|---|") and an e-signature stamp standing alone
("1239 24 3": number, day, month floating in a signed PDF's text layer) are no line at all.
"""

from __future__ import annotations

import re

from ingest import lines as L

# A list marker that is not numbering: dashes, bullets, PDF private-use bullets (Wingdings), "o".
BULLET = re.compile(r"^(?:[-–—+•*·▪◦‣○●■□➢➤✓\uf000-\uf0ff](?=\s|$)|o(?=\s+[A-ZĐÀ-Ỹ\d]))")
_LEAD_MARKUP = re.compile(r"^(?:#{1,6}(?=\s|$)|>(?=\s)|\*(?=\S)|_(?=\S))\s*")
_TAIL_MARKUP = re.compile(r"(?<=\S)\s*(?:\*|_|\s#{1,6}|(?:\s*<[^<>\n]{1,300}>)+)$")
_TABLE_RULE = re.compile(r"^\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?$")
# "1239 24 3", "4728 18 11": the number, day and month an e-signature stamps on each page.
STAMP = re.compile(r"\d{1,5} (?:0?[1-9]|[12]\d|3[01]) (?:0?[1-9]|1[0-2])(?!\S)")
# Words after which a phrase cannot end: the next line finishes it.
_CONNECTIVES = frozenset(
    "và của với các cho về theo những là được để hoặc hay cùng nhằm thuộc bằng do mà thì đối như giữa "
    "trong tới đến từ gồm bị đã sẽ đang cần phải mỗi mọi".split()
)
_BEFORE_NUMBER = frozenset("ngày số tháng năm lúc giờ từ đến khoản điều điểm".split())
_OPEN_END = tuple(",-–/(≥≤+&")
_OPERATOR = re.compile(r"[=x×÷+]")
_LETTER = re.compile(r"^[a-zđ]{1,2}[.)/]")  # "a)", "đ.", "a/", "a)10 ..." (a footnote after the marker)


def is_row(text: str) -> bool:
    """A table row as readers emit it: "| a | b |" (markdown) or "a | b" (a DOCX table)."""
    return text.startswith("|") or " | " in text


def read(text: str) -> list[L.Line]:
    """The logical lines of a canonical text, in order."""
    out: list[L.Line] = []
    physical = L.split_lines(text)
    # The closing block (recipients, signature) is read line by line: "GIÁM ĐỐC SỞ GIÁO DỤC VÀ" / "ĐÀO TẠO"
    # / a name is a signature, not a wrapped heading.
    closing = {i for a, b, _ in L.closing_blocks(physical) for i in range(a, b)}
    for i, ln in enumerate(physical):
        ln = _trim(text, ln)
        if ln is None or STAMP.fullmatch(ln.text):
            continue  # a stamp inside a sentence stays inside the joined span; alone it is no line
        if out and i not in closing and _continues(out[-1].text, _without_stamp(ln.text)):
            out[-1] = _span(text, out[-1].start, ln.end)
        elif (m := STAMP.match(ln.text)) and len(ln.text) > m.end():
            # "4646 14 11 lập do Nhà nước ...": the stamp glued to a paragraph that does not continue.
            out.append(_span(text, ln.start + m.end() + 1, ln.end))
        else:
            out.append(ln)
    return out


def _without_stamp(t: str) -> str:
    m = STAMP.match(t)
    return t[m.end() + 1 :] if m and len(t) > m.end() + 1 else t


def _span(text: str, start: int, end: int) -> L.Line:
    return L.Line(start, end, text[start:end].replace("\n", " "))


def _trim(text: str, ln: L.Line) -> L.Line | None:
    t = ln.text
    if _TABLE_RULE.fullmatch(t) and "-" in t:
        return None
    s, e = 0, len(t)
    if m := _LEAD_MARKUP.match(t):
        s = m.end()
    if m := _TAIL_MARKUP.search(t, s):
        e = m.start()
    if s >= e:
        return None
    return L.Line(ln.start + s, ln.start + e, t[s:e]) if (s, e) != (0, len(t)) else ln


def _opens_line(t: str) -> bool:
    """A line that starts something of its own: numbering, a bullet, a table row, the closing block."""
    return bool(L.marker(t) or BULLET.match(t) or is_row(t) or L.is_recipients(t) or t.startswith("Kính gửi"))


def _continues(a: str, b: str) -> bool:
    """Whether line `b` continues line `a` (a wrap inside a heading, an item or a sentence)."""
    if not a or not b or _opens_line(b) or is_row(a) or _is_rule(a):
        return False
    if _OPERATOR.fullmatch(a.split()[-1]) or _OPERATOR.fullmatch(b):
        return True  # a formula laid out one term a line: "Tiền lương 01 tiết dạy" / "=" / "Tổng ..." / "x"
    if a[-1] in ".!?…" or a.endswith(("--", "./")):
        return False
    if b[0].islower():
        return not _LETTER.match(b)
    if L.marker(a) and L.marker(a)[0] in L.LEGAL_RANK:
        return False  # "Điều 461. Thông báo khuyết tật của tài sản tặng cho" is a whole title
    if a.count("(") > a.count(")") and ")" in b:
        return True  # "(giải nhất 1.500.000đ/đội, Giải nhì: 1.000.000đ;" / "Giải ba: 500.000đ)."
    if a.endswith(("-", "–", "/")) and not a.endswith("--"):
        return True  # a word cut at its hyphen or slash: "229/KH-" / "THPTPB).", "2021-" / "2025;"
    if L.is_caps(b) and not L.is_caps(a):
        return False  # "... Tờ trình số 25," / "QUYẾT ĐỊNH:"
    if a[-1] in ";:":
        return False
    words = a.split()
    last = words[-1].lower()
    if a.endswith(_OPEN_END) or last in _CONNECTIVES:
        return True
    if last in _BEFORE_NUMBER and b[0].isdigit():
        return True
    # "Căn cứ ... của Trường THPT" / "Phước Bửu về ...;": a legal basis runs until its ";" or ",".
    if a.startswith("Căn cứ") and len(words) > 4:
        return True
    # A sentence-long line and a short tail that ends it: "... nhằm chọn dự án tham dự cấp" / "Thành phố,
    # cụ thể như sau:" (a heading is not this long with commas; a body paragraph is not this short).
    return len(a) >= 60 and ", " in a and not L.marker(a) and len(b.split()) <= 8 and b[-1] in ".;:"


def _is_rule(text: str) -> bool:
    return len(text) >= 3 and set(text) <= set("_-–—=.* ")
