"""The header every signed directive prints, read as one block: number, place and date, type, subject.

A header is laid out in two columns that text extraction interleaves in any order ("Số: /KH-THPT.PB
Thành Phố Hồ Chí Minh, ngày tháng năm 2025" on one line, "KẾ HOẠCH Tổ chức ..." with its title, "V/v
..." wrapped over two lines), so it is read as one run of text up to where the body starts ("Kính gửi",
"Căn cứ", "Thực hiện"), not line by line.

A signed PDF often leaves the number and the day and month blank ("Số: /KH-SGDĐT", "ngày tháng năm
2025"): the e-signature fills them in a stamp whose text sits on a page as a loose line, number then day
then month ("4728 18 11"; ingest/unwrap.py sets it aside). When the header has a blank, the first such
stamp that agrees with what the header does print (the month, the day) fills it in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.unwrap import STAMP

HEAD_CHARS = 2500  # a header is well inside this; a body does not start later than this
_BODY_STARTS = re.compile(r"(?m)^\s*(?:Căn cứ|Thực hiện|Theo đề nghị|Điều 1\.)|Kính g[ửở]i\s*:?|^\s*I\.\s")
_NUMBER = re.compile(r"Số\s*:\s*(\d{1,6}(?:[./]\d{1,4})*)?\s*(/\s*[A-ZĐ][^\s|,;]*)?")
_DATE = re.compile(r"ngày\s*(\d{1,2})?\s*tháng\s*(\d{1,2})?\s*năm\s*((?:19|20)\d\d)")
# The place before ", ngày": a run of capitalised words ("Thành phố Hồ Chí Minh", "Đồng Tháp").
_PLACE = re.compile(r"(?<![\w./-])((?:[A-ZĐÀ-Ỹ][\wđà-ỹ]*\s+(?:phố\s+)?){0,5}[A-ZĐÀ-Ỹ][\wđà-ỹ]*),\s*$")
_SUBJECT = re.compile(
    r"\bV/v\s+(.+?)(?=\s+(?:CỘNG HÒA|CỘNG HOÀ|Kính g[ửở]i|Số\s*:|Độc lập)"
    r"|\s+(?:[A-ZĐÀ-Ỹ][\wđà-ỹ]*\s+){0,5}[A-ZĐÀ-Ỹ][\wđà-ỹ]*,\s*ngày\b|\s*$)"
)
_LOOSE_STAMP = re.compile(r"(?m)^(" + STAMP.pattern + r")(?=\s|$)")
_MARKUP = re.compile(r"[|#*]+|-{3,}|_{3,}")


@dataclass(frozen=True)
class Header:
    number: str = ""  # "1239/BGDĐT-QLCL"; "/KH-SGDĐT" when the number is blank and no stamp fills it
    date: str = ""  # ISO "2025-03-24", or "" when the day or month stays blank
    place: str = ""
    subject: str = ""  # the "V/v ..." line of a letter, joined across its wraps
    stamped: bool = False  # whether the e-signature stamp filled in the number or the date


def region(text: str) -> str:
    """The header's text, lines joined, markup dropped: everything before the body starts."""
    head = text[:HEAD_CHARS]
    m = _BODY_STARTS.search(head)
    head = head[: m.start()] if m else head[:800]
    return " ".join(_MARKUP.sub(" ", head).split())


def read(text: str) -> Header:
    """The number, date, place and subject a document's header prints, blanks filled from its stamp."""
    flat = region(text)
    digits, code = "", ""
    if m := _NUMBER.search(flat):
        digits, code = m.group(1) or "", re.sub(r"\s+", "", m.group(2) or "")
    day = month = year = ""
    place = ""
    # The place-date line ("Hà Nội, ngày ..."): a date after a comma, not one a title cites ("Nghị định số
    # 75/2021/NĐ-CP ngày 24 tháng 7 năm 2021").
    if m := next((d for d in _DATE.finditer(flat) if flat[: d.start()].rstrip().endswith(",")), None):
        day, month, year = m.group(1) or "", m.group(2) or "", m.group(3)
        if p := _PLACE.search(flat[: m.start()]):
            place = p.group(1)
    stamped = False
    if (code and not digits) or (year and not (day and month)):
        if stamp := _stamp(text, month, day):
            n, d, mo = stamp
            if code and not digits:
                digits, stamped = n, True
            if year and not (day and month):
                day, month, stamped = day or d, month or mo, True
    number = f"{digits}{code}" if digits or code else ""
    date = f"{int(year):04d}-{int(month):02d}-{int(day):02d}" if year and day and month else ""
    subject = m.group(1).strip(" .;") if (m := _SUBJECT.search(flat)) else ""
    return Header(number, date, place, subject, stamped)


def _stamp(text: str, month: str, day: str) -> tuple[str, str, str] | None:
    """The first loose (number, day, month) stamp agreeing with the header's printed month and day."""
    for m in _LOOSE_STAMP.finditer(text):
        n, d, mo = m.group(1).split()
        if (month and int(month) != int(mo)) or (day and int(day) != int(d)):
            continue
        return n, d, mo
    return None


_ROLE_AFTER = re.compile(
    r"\s+(?:(?:KT|TM|Q)\.\s*)?"
    r"(?:CHỦ TỊCH|BỘ TRƯỞNG|THỦ TƯỚNG|GIÁM ĐỐC|HIỆU TRƯỞNG|QUYẾT ĐỊNH\s*:|QUYẾT NGHỊ)\b"
)
_WEB_LABEL = re.compile(
    r"^(?:Toàn văn|Chi tiết văn bản|Nội dung văn bản|Xem toàn văn|Văn bản gốc|Thuộc tính văn bản)"
    r"\s*[:\-–|]?\s*",
    re.IGNORECASE,
)


def type_title(text: str, types: dict[str, str]) -> tuple[str, str]:
    """(type, its title) from the type line after the number and date ("KẾ HOẠCH Tổ chức ..."), or ("", "").

    `types` maps a type word in capitals to its name (ingest.metadata.TYPES)."""
    flat = region(text)
    after = max((m.end() for p in (_NUMBER, _DATE) if (m := p.search(flat))), default=0)
    words = "|".join(re.escape(w) for w in sorted(types, key=len, reverse=True))
    m = re.compile(rf"(?<![\wÀ-Ỹ])({words})(?![\wÀ-Ỹ])\s*:?\s*(.*)$").search(flat, after)
    if not m:
        return "", ""
    rest = m.group(2)
    if cut := _ROLE_AFTER.search(rest):
        rest = rest[: cut.start()]
    rest = rest[:400].strip(" .;:")
    typ = types[m.group(1)]
    if not rest:
        return typ, ""
    if rest[:2].isupper() or rest.isupper():
        return typ, f"{typ} {rest}"
    return typ, f"{typ} {rest[0].lower()}{rest[1:]}"


def without_web_label(title: str) -> str:
    """A title without the label a web page puts before it ("Toàn văn", "Chi tiết văn bản")."""
    return _WEB_LABEL.sub("", title).strip()
