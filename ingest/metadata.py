"""Document metadata where the document says it: type, number, issuer, place, date, school year,
signer, title, recipients; for a news article, the directive it reports on.

The folder's `catalog.csv` (ingest/catalog.py) supplies what a text does not say and corrects what it
gets wrong: `read_document` lets a catalog value replace the text's value for that field.
"""

from __future__ import annotations

import re

from ingest import header as H
from ingest import lines as L
from ingest.blocks import shown

# Type words as they appear on the type line ("KẾ HOẠCH") or in a number's code ("/KH-UBND").
TYPES = {
    "HIẾN PHÁP": "Hiến pháp", "BỘ LUẬT": "Bộ luật", "LUẬT": "Luật", "PHÁP LỆNH": "Pháp lệnh",
    "NGHỊ QUYẾT": "Nghị quyết", "NGHỊ ĐỊNH": "Nghị định", "QUYẾT ĐỊNH": "Quyết định",
    "CHỈ THỊ": "Chỉ thị", "THÔNG TƯ LIÊN TỊCH": "Thông tư liên tịch", "THÔNG TƯ": "Thông tư",
    "KẾ HOẠCH": "Kế hoạch", "THÔNG BÁO": "Thông báo", "HƯỚNG DẪN": "Hướng dẫn", "CÔNG ĐIỆN": "Công điện",
    "CÔNG VĂN": "Công văn", "BÁO CÁO": "Báo cáo", "TỜ TRÌNH": "Tờ trình", "CHƯƠNG TRÌNH": "Chương trình",
    "ĐỀ ÁN": "Đề án", "VĂN BẢN HỢP NHẤT": "Văn bản hợp nhất", "QUY CHẾ": "Quy chế", "QUY ĐỊNH": "Quy định",
}  # fmt: skip
CODES = {
    "NĐ": "Nghị định", "QĐ": "Quyết định", "CT": "Chỉ thị", "KH": "Kế hoạch", "TB": "Thông báo",
    "TT": "Thông tư", "TTLT": "Thông tư liên tịch", "NQ": "Nghị quyết", "CĐ": "Công điện",
    "HD": "Hướng dẫn", "BC": "Báo cáo", "TTr": "Tờ trình", "VBHN": "Văn bản hợp nhất", "QH": "Luật",
}  # fmt: skip
NEWS = "Tin tức"

_DATE_WORDS = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})")
_DATE_SLASH = re.compile(r"\b(\d{1,2})/(\d{1,2})/((?:19|20)\d{2})\b")
_PLACE_DATE = re.compile(r"^([A-ZĐÀ-Ỹ][^\d,|]{1,40}),\s+" + _DATE_WORDS.pattern)
_NUMBER = re.compile(r"Số\s*:\s*([0-9]+[^\s|,;]*)")
_YEAR = re.compile(r"năm học\s+(\d{4})\s*[-–]\s*(\d{4})", re.IGNORECASE)
_REPORTED = re.compile(
    r"(?:ban hành|ký|ra)\s+(?:(Văn bản|Công văn|Chỉ thị|Kế hoạch|Quyết định|Thông báo|Công điện"
    r"|Nghị quyết|Hướng dẫn)(?:\s+số\s+([0-9]+/[^\s,;]+))?)"
)
_WHO = re.compile(
    r"((?:Chủ tịch\s+)?(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân|Bộ|Sở)[^,.;]*?)\s+(?:đã\s+)?(?:ký\s+)?$"
)
_ISSUER = re.compile(
    r"(?:Ủy|Uỷ) ban nhân dân\s+(?:huyện|tỉnh|thành phố|quận|thị xã|xã|phường|thị trấn)"
    r"(?:\s+[A-ZĐÀ-Ỹ][a-zđà-ỹ]*)*"
)


def _iso(d: str, m: str, y: str) -> str:
    return f"{int(y):04d}-{int(m):02d}-{int(d):02d}"


def extract(text: str, doc: str) -> tuple[str, dict[str, str]]:
    """(title, metadata) of a canonical text; `doc` is its file's name (a title's last resort)."""
    lines = L.split_lines(text)
    head = lines[: max(L.header_end(lines), 1)]
    meta: dict[str, str] = {}
    type_line = next((i for i, ln in enumerate(head) if _type_of(ln.text)), None)
    number = next((m.group(1) for ln in head if (m := _NUMBER.search(ln.text))), "")
    if number:
        meta["number"] = number.rstrip(".")
    for ln in head:
        if m := _PLACE_DATE.search(ln.text.lstrip("| ")) or _PLACE_DATE.search(
            ln.text.split("|")[-2] if ln.text.count("|") >= 2 else ""
        ):
            meta["place"], meta["date"] = m.group(1).strip(), _iso(*m.group(2, 3, 4))
            break
    if type_line is not None:
        meta["type"] = _type_of(head[type_line].text)
    elif number and (code := _code_type(number)):
        meta["type"] = code
    elif _looks_like_news(lines):
        meta["type"] = NEWS
    title = _title(head, type_line, meta.get("type", ""), doc)
    if type_line is None and (vv := next((ln.text for ln in head if ln.text.startswith("V/v ")), "")):
        title = " ".join(x for x in (meta.get("type", ""), f"số {number}" if number else "", vv) if x)
    if issuer := _header_issuer(head):
        meta["issuer"] = issuer
    title = _from_header(text, meta, title, doc)
    _body_fields(text, lines, meta)
    meta["title"] = title = H.without_web_label(shown(title))  # "# Toàn văn ...", "**", "|" are not shown
    return title, meta


_ISSUER_CAPS = re.compile(r"^(?:BỘ|SỞ|ỦY BAN|UỶ BAN|UBND|TRƯỜNG|PHÒNG|CHÍNH PHỦ|HỘI ĐỒNG|TRUNG TÂM)\b")


def _from_header(text: str, meta: dict[str, str], title: str, doc: str) -> str:
    """Fill the number, date, place and type the header block prints (blanks from the e-signature stamp),
    and give a title when the line-by-line reading found none (an issuer's name, a bare type word)."""
    if meta.get("type") == NEWS:
        return title
    head = H.read(text)
    number = meta.get("number", "")
    if head.number and (not number or head.stamped and head.number.endswith(number.lstrip("0123456789"))):
        meta["number"] = number = head.number
    for field in ("date", "place"):
        if getattr(head, field) and not meta.get(field):
            meta[field] = getattr(head, field)
    if head.place and meta.get("place", "").endswith(" " + head.place) and ":" in meta["place"]:
        meta["place"] = head.place  # "Số: /KH-SGDĐT Đồng Tháp, ngày ...": the line reading took the number
    typ, typed = H.type_title(text, TYPES)
    if typ and not meta.get("type"):
        meta["type"] = typ
    if not meta.get("type") and number and (code := _code_type(number.lstrip("0123456789./"))):
        meta["type"] = code
    if not _weak(shown(title), meta.get("type", "")):
        vv = title.find("V/v ")
        if vv >= 0 and len(head.subject) > len(title) - vv - 4 and head.subject.startswith(title[vv + 4 :]):
            return title[: vv + 4] + head.subject  # a V/v line wrapped: "... giáo dục của" / "nhà trường ..."
        return title
    if typed and typed != typ:
        return typed
    if head.subject:
        kind = meta.get("type") or "Công văn"
        numbered = f" số {number}" if number[:1].isdigit() else ""
        return f"{kind}{numbered} V/v {head.subject}"
    return title


_NOT_ISSUER_LINE = re.compile(r"^(?:[-+•]|Kính g[ửở]i|Căn cứ|Thực hiện|Theo đề nghị)")


def _own_lines(text: str) -> str:
    """The top of a text where an issuer may name itself: not when the header names an issuer other than a
    People's Committee (a Sở's letter), never in the addressees or the legal grounds, which name others."""
    header = H.region(text)
    if _ISSUER_CAPS.match(header) and not re.match(r"^(?:ỦY|UỶ) BAN|^UBND", header):
        return ""
    return "\n".join(ln for ln in text[:2500].split("\n") if not _NOT_ISSUER_LINE.match(ln.strip()))


def _weak(title: str, typ: str) -> bool:
    """A title that names no document: empty, a bare type word, the issuer's name, the V/v line alone."""
    t = title.strip()
    return (
        not t
        or t == typ
        or t.startswith("V/v")
        or "CỘNG HÒA" in t.upper()
        or bool(L.is_caps(t) and _ISSUER_CAPS.match(t))
    )


_UNIT = re.compile(r"^(TỈNH|HUYỆN|THÀNH PHỐ|QUẬN|THỊ XÃ|XÃ|PHƯỜNG|THỊ TRẤN)\s+(.+)$")


def _header_issuer(head: list[L.Line]) -> str:
    """ "ỦY BAN NHÂN DÂN / TỈNH PHÚ THỌ" at the top → "Ủy ban nhân dân tỉnh Phú Thọ"."""
    if len(head) < 2 or not re.match(r"^(?:ỦY|UỶ) BAN NHÂN DÂN$", head[0].text):
        return ""
    m = _UNIT.match(head[1].text)
    if not m:
        return ""
    return f"Ủy ban nhân dân {m.group(1).lower()} {m.group(2).title()}"


def _type_of(line: str) -> str:
    t = line.strip(" |")
    for word, name in TYPES.items():
        if t.upper() == t and (t == word or t.startswith(word + " ") and len(t) <= 60):
            return name
    for word, name in TYPES.items():
        if re.match(rf"^{word}\s+[A-ZĐÀ-Ỹ][a-zđà-ỹ]", t):  # "NGHỊ ĐỊNH Sửa đổi, ..." on one line
            return name
    m = re.match(r"^([A-ZĐÀ-Ỹ][a-zđà-ỹ]+(?: [a-zđà-ỹ]+)?)\s*:\s", t)
    if m and m.group(1).upper() in TYPES:
        return TYPES[m.group(1).upper()]
    return ""


def _code_type(number: str) -> str:
    parts = re.split(r"[/-]", number)
    for p in parts[1:]:
        if p in CODES:
            return CODES[p]
    return "Công văn" if len(parts) >= 2 else ""


def _looks_like_news(lines: list[L.Line]) -> bool:
    # An article: a headline, then a lead that dates the event ("Ngày 31/8/2020, ..."), no "Số:".
    body = " ".join(ln.text for ln in lines[1:4])
    return bool(_DATE_SLASH.search(body) or re.search(r"\bngày \d{1,2} tháng \d{1,2} năm \d{4}", body))


def _title(head: list[L.Line], type_line: int | None, typ: str, doc: str) -> str:
    stem = re.sub(r"\.[A-Za-z0-9]+$", "", doc.rsplit("/", 1)[-1])
    if type_line is not None:
        first = head[type_line].text.strip(" |")
        m = re.match(r"^[^:]{2,25}:\s+(.+)$", first)
        if m:  # "Nghị định: Nghị định sửa đổi ..." (a catalog export) says it whole
            return m.group(1).strip()
        word = next((w for w, n in TYPES.items() if n == typ), "")
        same_line = first[len(word) :].strip() if word and first.startswith(word + " ") else ""
        if same_line and not L.is_caps(same_line):  # "NGHỊ ĐỊNH Sửa đổi, ..."
            return f"{typ} {same_line[0].lower()}{same_line[1:]}"
        parts = []
        for ln in head[type_line + 1 :]:
            t = ln.text.strip()
            if t.startswith("|") or _PLACE_DATE.search(t) or re.match(r"^[-_*]{3,}$", t):
                break
            parts.append(re.sub(r"^(?:V/v|Về)\s+", "", t) if not parts else t)
        rest = " ".join(parts)
        if not rest:
            if L.is_caps(first) and first.lower() == stem.lower():
                return stem
            return f"{typ} {same_line.capitalize()}" if same_line else typ  # "LUẬT NHÀ GIÁO"
        if L.is_caps(rest):
            return f"{typ} {rest}"
        if parts and head[type_line + 1].text.startswith(("Về", "V/v")):
            return f"{typ} về {rest}"
        return f"{typ} {rest[0].lower()}{rest[1:]}" if not rest[:2].isupper() else f"{typ} {rest}"
    first = head[0].text.strip(" |") if head else ""
    if L.is_caps(first) and first.lower().replace(" ", "") == stem.lower().replace(" ", ""):
        return stem
    return first or stem


def _body_fields(text: str, lines: list[L.Line], meta: dict[str, str]) -> None:
    years = [f"{a}-{b}" for a, b in _YEAR.findall(meta.get("title", "") + " " + text[:600])]
    if not years:
        years = [f"{a}-{b}" for a, b in _YEAR.findall(text)]
        years = [max(set(years), key=years.count)] if years else []
    if years:
        meta["school_year"] = max(years)
    # The issuer names itself near the top ("Ủy ban nhân dân huyện Củ Chi xây dựng kế hoạch ...").
    if meta.get("type") not in (NEWS, None) and "issuer" not in meta:
        if m := _ISSUER.search(_own_lines(text)):
            meta["issuer"] = m.group().strip()
    recipients, signer = [], ""
    for a, b, kind in L.closing_blocks(lines):
        if kind == "recipients":
            recipients += [ln.text.lstrip("-+•* ").rstrip(";.,") for ln in lines[a + 1 : b]]
        else:
            names = [ln.text for ln in lines[a:b] if L.is_name(ln.text)]
            roles = [ln.text for ln in lines[a:b] if L.is_caps(ln.text)]
            if names and not signer:
                signer = names[-1]
                meta["signer_title"] = " / ".join(roles)
    recipients = [r for r in recipients if r]
    if recipients:
        meta["recipients"] = "; ".join(recipients)
    if signer:
        meta["signer"] = signer
    if "QUỐC HỘI" in meta.get("signer_title", "") and meta.get("type") in (
        "Luật",
        "Bộ luật",
        "Hiến pháp",
        "Nghị quyết",
    ):
        meta["issuer"] = "Quốc hội"
    if meta.get("type") == NEWS:
        _news_fields(text, lines, meta)


def _news_fields(text: str, lines: list[L.Line], meta: dict[str, str]) -> None:
    lead = " ".join(ln.text for ln in lines[1:4])
    if m := _DATE_SLASH.search(lead):
        meta.setdefault("date", _iso(*m.groups()))
    elif m := _DATE_WORDS.search(lead):
        meta.setdefault("date", _iso(*m.groups()))
    if m := _REPORTED.search(lead):
        kind, number = m.group(1), m.group(2)
        meta["reports_on"] = f"{kind} số {number}" if number else kind
        before = lead[max(0, m.start() - 160) : m.start()]
        if who := _WHO.search(before):
            meta["reports_on_issuer"] = who.group(1).strip()
        dates = [*_DATE_WORDS.finditer(before), *_DATE_SLASH.finditer(before)]
        if dates:
            meta["reports_on_date"] = _iso(*max(dates, key=lambda d: d.start()).groups())
    last = lines[-1].text if lines else ""
    if L.is_name(last) or re.fullmatch(r"\[[^\]]+\]", last):
        meta["author"] = last.strip("[]")
