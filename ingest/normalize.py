"""Canonical text and the matching keys built on it.

`canonical` decides the text every offset points into. `fold` and `strip_accents` are matching keys:
they keep the length of their input, so a match found in the key is at the same offsets in the text.
"""

from __future__ import annotations

import re
import unicodedata

# Cyrillic and Greek letters that render like Latin ones. Copy-paste from some PDFs and web pages puts
# them inside Vietnamese words, which breaks matching on that word. Cyrillic Н/н map to N/n, the letter
# they stand for ("Нơi nhận" is "Nơi nhận"), not to the H they resemble.
_LOOKALIKE_PAIRS = {
    # Cyrillic capitals, then small letters
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "N", "О": "O", "Р": "P", "С": "C",
    "Т": "T", "Х": "X", "У": "Y", "Ѕ": "S", "І": "I", "Ј": "J",
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "х": "x", "у": "y", "ѕ": "s", "і": "i",
    "ј": "j", "һ": "h", "ԁ": "d", "н": "n", "к": "k", "м": "m", "т": "t", "в": "b",
    # Greek
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N",
    "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "ο": "o", "ν": "v",
}  # fmt: skip
_LOOKALIKES = str.maketrans(_LOOKALIKE_PAIRS)
_LOOKALIKE_CHARS = frozenset(_LOOKALIKE_PAIRS)
_WORD = re.compile(r"[^\W\d_]+")

# Invisible characters that only get in the way of matching; soft hyphens come from Word documents.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)


def strip_invisible(text: str) -> str:
    """`text` without the invisible characters the canonical text drops (so quotes match it)."""
    return text.translate(_INVISIBLE)


_SPACES = dict.fromkeys(
    map(
        ord,
        "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t\v\f",
    ),
    " ",
)

# Lines that close a web page after the article: pagers, menus, visit counters, "related posts".
_WEB_TAIL = re.compile(
    r"^(?:[\d\s.…»«<>|]+|\[[^\]]{1,40}\]|(?:bài viết|tin) (?:liên quan|khác|cùng chuyên mục)\b.*"
    r"|tin tức|đăng nhập|đăng ký|trang chủ|liên hệ|tìm kiếm|chia sẻ|in bài viết|bản in|về đầu trang"
    r"|thống kê truy cập|[•·*-]?\s*(?:đang online|đang truy cập|hôm nay|hôm qua|trong tuần|tuần này"
    r"|trong tháng|tháng này|tất cả|tổng số|tổng truy cập|lượt truy cập)\s*:?\s*[\d.,]*)$",
    re.IGNORECASE,
)


def _is_latin(c: str) -> bool:
    return unicodedata.name(c, "").startswith("LATIN")


def _fix_lookalikes(text: str) -> str:
    # Only inside words that also hold Latin letters: a real Russian or Greek word stays as it is.
    def fix(m: re.Match) -> str:
        word = m.group()
        if any(c in _LOOKALIKE_CHARS for c in word) and any(_is_latin(c) for c in word):
            return word.translate(_LOOKALIKES)
        return word

    return _WORD.sub(fix, text)


def _strip_web_tail(lines: list[str]) -> list[str]:
    end = len(lines)
    while end and (not lines[end - 1].strip() or _WEB_TAIL.match(lines[end - 1].strip())):
        end -= 1
    # A tail is a run of such lines; one blank-line-free closing sentence is the article itself.
    return lines[:end]


def _joins_page_break(prev: str, nxt: str) -> bool:
    # A paragraph cut mid-sentence by a page break: the first half ends in a lower-case word or a
    # comma, the second starts with a lower-case word that is not a list letter ("a) ...").
    if not prev or not nxt:
        return False
    last, first = prev.rstrip()[-1], nxt.lstrip()[0]
    if not (last.islower() or last == ","):
        return False
    return first.islower() and not re.match(r"[a-zđ][.)]\s", nxt)


def canonical(raw: str) -> str:
    """The canonical text of a document: NFC, look-alikes fixed, spacing cleaned, web tail removed.

    Paragraphs are separated by one blank line; a line break inside a paragraph stays a line break.
    Markdown bold markers (`**`) are removed: they are formatting, not words, and would sit inside
    quotes. The result is stable: `canonical(canonical(x)) == canonical(x)`.
    """
    text = unicodedata.normalize("NFC", raw.replace("\r\n", "\n").replace("\r", "\n"))
    text = text.translate(_INVISIBLE).translate(_SPACES)
    text = _fix_lookalikes(text)
    text = text.replace("**", "")
    text = re.sub(r"(?<=[“\"])\*(?=\S)|(?<=\S)\*(?=[”\"])", "", text)
    lines = [re.sub(r" {2,}", " ", ln).strip() for ln in text.split("\n")]
    lines = _strip_web_tail(lines)
    paragraphs: list[str] = []
    current: list[str] = []
    for ln in lines + [""]:
        if ln:
            current.append(ln)
        elif current:
            para = "\n".join(current)
            if paragraphs and _joins_page_break(paragraphs[-1], para):
                paragraphs[-1] += " " + para
            else:
                paragraphs.append(para)
            current = []
    return "\n\n".join(paragraphs)


def _tone_tables() -> tuple[dict[str, tuple[str, str]], str]:
    # For each toned a/e/y, the base letter and the tone mark, so the mark can move to o/u.
    moves: dict[str, tuple[str, str]] = {}
    for base in "aey":
        for mark in "\u0300\u0301\u0309\u0303\u0323":
            moves[unicodedata.normalize("NFC", base + mark)] = (base, mark)
    return moves, "".join(moves)


_MOVES, _TONED = _tone_tables()
# o/u followed by a toned a/e/y that ends the word: "hoà", "khoẻ", "uỷ", "thuý". After q, u is part of
# the consonant ("quý"), so it is left alone; with a final consonant ("hoàng") both styles agree.
_OLD_NEW = re.compile(rf"(?<!q)([ou])([{_TONED}])(?![^\W\d_])")


def fold(text: str) -> str:
    """Matching key: lower case, one tone placement for oa/oe/uy. Same length as `text`.

    Give it NFC text (canonical text is): a tone written as a separate combining mark is not moved.

    Vietnamese writes the tone of open oa/oe/uy syllables in two places: "hoà"/"hòa", "uỷ"/"ủy",
    "thuý"/"thúy", "khoẻ"/"khỏe". The key always puts it on the first vowel (hòa, ủy, thúy, khỏe), the
    spelling these directives mostly use. Characters whose lower case is longer than one character
    are kept as they are, so offsets in the key are offsets in the text.
    """
    lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)

    def move(m: re.Match) -> str:
        base, mark = _MOVES[m.group(2)]
        return unicodedata.normalize("NFC", m.group(1) + mark) + base

    return _OLD_NEW.sub(move, lowered)


def strip_accents(text: str) -> str:
    """Matching key without diacritics ("Đường" → "Duong"), case kept. Same length as `text`."""
    out = []
    for c in text:
        if c in "đĐ":
            out.append("d" if c == "đ" else "D")
            continue
        base = unicodedata.normalize("NFD", c)[0]
        out.append(base if len(base) == 1 else c)
    return "".join(out)
