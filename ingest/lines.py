"""What each line of a canonical text is: a numbered marker, a heading, the header, the closing block.

Vietnamese administrative and legal documents share one layout (Nghị định 30/2020/NĐ-CP): a header
(issuer, number, place and date, type, title), a body numbered Phần/Chương/Mục/Điều/khoản/điểm or
I./1./1.1./a), and a closing block (Nơi nhận, signature). Sections and metadata both read it from here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass
class Line:
    start: int
    end: int
    text: str


def split_lines(text: str) -> list[Line]:
    """Every non-empty line with its offsets in `text`."""
    return [Line(m.start(), m.end(), m.group()) for m in re.finditer(r"[^\n]+", text)]


# Legal divisions, outermost first. Their rank is fixed: a "Mục" after an "Điều" closes the Điều.
LEGAL_RANK = {"phuluc": 0, "phan": 1, "chuong": 2, "muc": 3, "dieu": 4}

_LEGAL = [
    ("phuluc", re.compile(r"^(?:PHỤ LỤC|Phụ lục)(?:\s+(?:số\s+)?([IVXLC]+|\d+[a-z]?))?\b(?!\s+(?:kèm|ban))")),
    ("phan", re.compile(r"^(?:PHẦN|Phần)\s+(THỨ\s+\S+|thứ\s+\S+|[IVXLC]+|\d+)(?=[\s.:]|$)")),
    ("chuong", re.compile(r"^(?:CHƯƠNG|Chương)\s+([IVXLC]+|\d+)(?=[\s.:]|$)")),
    ("muc", re.compile(r"^(?:MỤC|Mục)\s+(\d+|[IVXLC]+)(?=[\s.:]|$)")),
    ("dieu", re.compile(r"^Điều\s+(\d+[a-zđ]?)\s*(?:[.:]|$)")),
]
_LEGAL_NAME = {"phuluc": "Phụ lục", "phan": "Phần", "chuong": "Chương", "muc": "Mục", "dieu": "Điều"}
_ROMAN = re.compile(r"^([IVX]{1,5}|[IVX]*L[IVX]*)\s*[.)]\s+(?=\S)")
_UPPER = re.compile(r"^([A-H])[.)]\s+(?=\S)")
_MULTI = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){1,3})(?:[.)]\s+|\s+(?=[A-ZĐÀ-Ỹ]))(?=\S)")
_ARABIC = re.compile(r"^(\d{1,2})\s*[.)]\s+(?=\S)")
_LETTER = re.compile(r"^([a-zđ])[.)]\s+(?=\S)")


# An ALL-CAPS type line after the body opens a document attached to it ("KẾ HOẠCH" after a Quyết
# định's last Điều); it ranks with an appendix.
ATTACHED = {"KẾ HOẠCH", "QUY ĐỊNH", "QUY CHẾ", "HƯỚNG DẪN", "CHƯƠNG TRÌNH", "ĐỀ ÁN", "ĐIỀU LỆ"}


def marker(text: str) -> tuple[str, str, int] | None:
    """(kind, label, length of the marker) when the line opens a numbered division."""
    for kind, rx in _LEGAL:
        m = rx.match(text)
        if m:
            num = m.group(1) or ""
            num = num.capitalize() if num.upper().startswith("THỨ") else num
            label = f"{_LEGAL_NAME[kind]} {num}".strip()
            return kind, label, m.end()
    for kind, rx in (("roman", _ROMAN), ("upper", _UPPER), ("multi", _MULTI)):
        m = rx.match(text)
        if m:
            if kind == "multi":
                kind = f"multi{m.group(1).count('.') + 1}"
            return kind, m.group(1), m.end()
    for kind, rx in (("arabic", _ARABIC), ("letter", _LETTER)):
        m = rx.match(text)
        if m:
            return kind, m.group(1), m.end()
    return None


def is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)


_TERMINAL = ".;:,!?…"
_CAPTION = re.compile(r"^(?:Đ/c|Đồng chí|Ảnh|\(Ảnh|Nguồn|Hình)\b|\s[-–]\s")


def is_short_heading(text: str) -> bool:
    """An unnumbered heading line: "Các nhiệm vụ chủ yếu", or an ALL-CAPS line."""
    if is_caps(text):
        return len(text) <= 200
    words = text.split()
    return (
        2 <= len(words) <= 14
        and len(text) <= 110
        and text[0].isupper()
        and text[-1] not in _TERMINAL
        and not _CAPTION.search(text)
        and not text.startswith(("|", "-", "+", "•", "*"))
    )


# Bodies that take orders: "Sở Y tế: Chủ trì ...", "UBND huyện, thành, thị phối hợp ...".
_AGENCY_HEAD = re.compile(
    r"^(?:(?:Các\s+)?(?:Sở|Bộ|Phòng|Ban|Cục|Chi cục|Tổng cục|Hội|Đoàn|Đài|Báo|Văn phòng|Kho bạc"
    r"|Bảo hiểm|Ngân hàng|Bộ Chỉ huy|Ban Chỉ huy|Liên đoàn|Tỉnh đoàn|Huyện đoàn|Thành đoàn)"
    r"\s+[A-ZĐÀ-Ỹ]"
    r"|(?:UBND|Ủy ban|Uỷ ban|UBMTTQ|Công an|Trung tâm|Thanh tra|Ngành|Các trường|Hiệu trưởng"
    r"|Các sở|Các phòng|Các cơ quan|Các đơn vị|Các địa phương|Đối với)\s)"
)
# Verbs that open a predicate ("Sở Y tế phối hợp ...", "Ban Làm phách cử ..."). One list for ingest (where an
# agency's name ends in "Name verb ...") and qa (where a body's name ends; which sentences go on with the
# tasks of the actor before them).
ACTION_VERBS = tuple(
    (
        "chủ động|chủ trì|phối hợp|có trách nhiệm|chịu trách nhiệm|thực hiện|tham mưu|chỉ đạo|tăng cường"
        "|triển khai|căn cứ|tiếp tục|hướng dẫn|xây dựng|tổ chức|đảm bảo|bảo đảm|rà soát|quan tâm|nghiên cứu"
        "|ưu tiên|kiểm tra|theo dõi|tổng hợp|báo cáo|đẩy mạnh|nâng cao|quán triệt|huy động|tập trung|đề xuất"
        "|giải quyết|bố trí|phát huy|duy trì|hoàn thiện|hoàn thành|chuẩn bị|vận động|phân công|làm tốt"
        "|chú trọng|cung cấp|củng cố|đẩy nhanh|giám sát|chăm lo|kiện toàn|quản lý|khuyến khích|tích cực"
        "|kịp thời|nghiêm túc|thường xuyên|ban hành|phê duyệt|thẩm định|thông báo|quyết định|cử|lập|gửi|nộp"
        "|tiếp nhận|xử lý|thành lập|hỗ trợ|tham gia|tuyên truyền|phổ biến|đăng ký|công bố|cập nhật|hoàn tất"
        "|giao|chấm|niêm phong|bàn giao|lựa chọn|tiếp đón|làm việc|sử dụng"
    ).split("|")
)
_AGENCY_VERB = re.compile(r"\s(?:" + "|".join(ACTION_VERBS) + r"|cần|phải|được|là|đã)\b")


def agency(text: str) -> tuple[str, bool] | None:
    """(name of the body a paragraph is addressed to, whether it is written "Name: ...")."""
    if not _AGENCY_HEAD.match(text):
        return None
    colon = re.match(r"^([^:.;]{3,90}):\s+\S", text)
    if colon and len(colon.group(1).split()) <= 14:
        return colon.group(1).strip(), True
    verb = _AGENCY_VERB.search(text, 0, 120)
    name = text[: verb.start()] if verb else " ".join(text.split()[:6])
    return name.rstrip(" ,;"), False


def short_title(text: str, limit: int = 90) -> str:
    """A heading-sized version of a numbered line: its agency, its first clause, or its first words."""
    m = marker(text)
    body = text[m[2] :] if m else text
    prefix = text[: m[2]] if m else ""
    if len(text) <= limit:
        return text
    ag = agency(body)
    if ag and len(ag[0]) <= limit:
        return prefix + ag[0]
    clause = re.split(r"(?<=[^\d])[.:;](?:\s|$)", body, maxsplit=1)[0]
    if len(prefix + clause) <= limit:
        return prefix + clause
    cut = body[:limit].rsplit(" ", 1)[0]
    return prefix + cut + "…"


_HEADER = re.compile(
    r"^(?:\||[-_=*]{3,}$|Số\s*:|Số\s+\d|V/v|Về\s|Độc lập|CỘNG HÒA|CỘNG HOÀ|Kính gửi"
    r"|[^\d:]{2,25}:\s+\S|[A-ZĐÀ-Ỹ][^\d,]{1,40},\s+ngày\b)"
)


# "NGHỊ ĐỊNH Sửa đổi, bổ sung ..." - a PDF header puts the type and the title on one line.
_TYPE_THEN_TITLE = re.compile(
    r"^(?:NGHỊ ĐỊNH|QUYẾT ĐỊNH|CHỈ THỊ|KẾ HOẠCH|THÔNG TƯ|THÔNG BÁO|NGHỊ QUYẾT|CÔNG ĐIỆN|LUẬT|PHÁP LỆNH"
    r"|HƯỚNG DẪN)\s+(?:Về\s|V/v\s)?[A-ZĐÀ-Ỹ][a-zđà-ỹ]"
)


def header_end(lines: list[Line]) -> int:
    """Index of the first body line: the header (issuer, number, place-date, type, title) ends there."""
    for i, ln in enumerate(lines[:20]):
        t = ln.text
        if marker(t) and not t.startswith(("Số", "V/v")):
            return i
        if _HEADER.match(t) or is_caps(t) or t[0].islower() or _TYPE_THEN_TITLE.match(t):
            continue
        if i < 3 and len(t) <= 250 and t[-1] not in ".;!?":
            continue
        return i
    return min(len(lines), 20)


_RECIPIENTS = re.compile(r"^(?:\|\s*)?N[ơo]i nh[ậa]n\s*:?", re.IGNORECASE)
_ROLE = re.compile(
    r"^(?:(?:TM|KT|Q|TL|TUQ|PP)\.\s*)?(?:PHÓ\s+)?(?:CHỦ TỊCH|BỘ TRƯỞNG|THỨ TRƯỞNG|THỦ TƯỚNG|GIÁM ĐỐC"
    r"|TRƯỞNG PHÒNG|TRƯỞNG BAN|CHÁNH VĂN PHÒNG|HIỆU TRƯỞNG|CỤC TRƯỞNG|VỤ TRƯỞNG|TỔNG CỤC TRƯỞNG"
    r"|BÍ THƯ|ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN|CHÍNH PHỦ|QUỐC HỘI|BAN THƯỜNG VỤ|TỔNG BÍ THƯ"
    r"|CHỦ NHIỆM|TRƯỞNG|NGƯỜI KÝ)\b"
)
_SIGNED = re.compile(r"^\((?:đã ký|Đã ký|ký|Ký)[^)]*\)$")
_NAME = re.compile(r"^(?:[A-ZĐÀ-Ỹ][a-zđà-ỹ]*\.?\s){1,5}[A-ZĐÀ-Ỹ][a-zđà-ỹ]+$")


def is_name(text: str) -> bool:
    return bool(_NAME.match(text)) and len(text) <= 40


def closing_blocks(lines: list[Line]) -> list[tuple[int, int, str]]:
    """(first, last+1, kind) for each "recipients" or "signature" block; these are not sections."""
    blocks: list[tuple[int, int, str]] = []
    i = 0
    while i < len(lines):
        t = lines[i].text
        if _RECIPIENTS.match(t):
            j = i + 1
            while j < len(lines) and _recipient_line(lines[j].text):
                j += 1
            blocks.append((i, j, "recipients"))
            i = j
            continue
        if is_caps(t) and _ROLE.match(t) and len(t) <= 80 and _signature_follows(lines, i):
            j = i + 1
            while j < len(lines) and j <= i + 6:
                u = lines[j].text
                if (is_caps(u) and _ROLE.match(u) and len(u) <= 80) or _SIGNED.match(u):
                    j += 1
                elif is_name(u):
                    j += 1
                    break
                else:
                    break
            blocks.append((i, j, "signature"))
            i = j
            continue
        i += 1
    return blocks


def is_recipients(text: str) -> bool:
    """ "Nơi nhận:" opening the distribution list."""
    return bool(_RECIPIENTS.match(text))


def _recipient_line(t: str) -> bool:
    if marker(t) and marker(t)[0] in LEGAL_RANK:
        return False
    if is_caps(t) and _ROLE.match(t):
        return False
    return t.startswith(("-", "+", "•", "*")) or (len(t) <= 80 and not is_name(t))


def _signature_follows(lines: list[Line], i: int) -> bool:
    # A role line closes the document only when a name or "(Đã ký)" comes within a few lines.
    for ln in lines[i + 1 : i + 5]:
        if is_name(ln.text) or _SIGNED.match(ln.text):
            return True
        if not (is_caps(ln.text) and len(ln.text) <= 80):
            return False
    return False
