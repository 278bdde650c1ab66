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

from ingest.normalize import fold, strip_accents

LEVELS = ("trung ương", "tỉnh", "huyện", "xã", "trường")


@dataclass(frozen=True)
class Body:
    kind: str  # "Sở", "Phòng", "UBND", "Công an", "Nhà trường", ...
    domain: str  # "Y tế", "Giáo dục và Đào tạo", ... ("" for UBND, Công an, ...)
    level: str  # one of LEVELS, or "" when the text does not say

    @property
    def name(self) -> str:
        if self.kind in _LEVEL_IN_NAME and self.level:
            return f"{self.kind} {self.domain} {_LEVEL_WORD[self.level]}".replace("  ", " ")
        return f"{self.kind} {self.domain}".strip()

    @property
    def key(self) -> str:
        return key(f"{self.kind}|{self.domain}|{self.level}")

    def covers(self, other: Body) -> bool:
        """Whether a question naming `self` asks about `other` ("UBND" covers "UBND xã")."""
        if (self.kind, key(self.domain)) != (other.kind, key(other.domain)):
            return False
        # A side that does not say the level matches any: "Ngành Giáo dục huyện" asks about the
        # "Ngành Giáo dục và Đào tạo" of a district directive that never writes "huyện" after it.
        return not self.level or not other.level or self.level == other.level


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    body: Body


def key(text: str) -> str:
    """Lower case, no diacritics, same length as `text`: the form every pattern here is written in."""
    return strip_accents(fold(text))


# Between the parts of a name: "và", "&", "-", "–", ",", or nothing ("GDĐT").
J = r"\s*(?:[&,\-–]\s*)?(?:va\s+)?"

# Domains of Sở/Phòng/Trung tâm/Ngành/Bộ, longest first so "Tài chính – Kế hoạch" wins over "Tài chính".
DOMAINS: list[tuple[str, str]] = [
    ("Giáo dục và Đào tạo", rf"giao duc{J}dao tao|gd{J}dt"),
    ("Lao động – Thương binh và Xã hội", rf"lao dong{J}thuong binh{J}xa hoi|ld{J}tb{J}xh|ldtb{J}xh"),
    ("Tài nguyên và Môi trường", rf"tai nguyen{J}moi truong|tn{J}mt"),
    ("Tài chính – Kế hoạch", rf"tai chinh{J}ke hoach|tc{J}kh"),
    ("Kế hoạch và Đầu tư", rf"ke hoach{J}dau tu|kh{J}dt"),
    ("Văn hóa, Thể thao và Du lịch", rf"van hoa{J}the thao{J}du lich|vh{J}tt{J}dl"),
    ("Văn hóa – Thể thao và Truyền thông", rf"van hoa{J}the thao{J}truyen thong"),
    ("Văn hóa và Thông tin", rf"van hoa{J}thong tin"),
    ("Thông tin và Truyền thông", rf"thong tin{J}truyen thong|tt{J}tt"),
    ("Nông nghiệp và Phát triển nông thôn", rf"nong nghiep{J}phat trien nong thon|nn{J}ptnt"),
    ("Khoa học và Công nghệ", rf"khoa hoc{J}cong nghe|kh{J}cn"),
    ("Giao thông vận tải", rf"giao thong{J}van tai|gtvt"),
    ("Kinh tế và Hạ tầng", rf"kinh te{J}ha tang"),
    ("Giáo dục và Đào tạo", r"giao duc(?! (?:thuong xuyen|nghe nghiep|mam non|pho thong))"),
    ("Quản lý đô thị", r"quan ly do thi"),
    ("Lao động – Thương binh và Xã hội", r"lao dong(?= thuong binh)"),
    ("Y tế", r"y te"),
    ("Tài chính", r"tai chinh"),
    ("Nội vụ", r"noi vu"),
    ("Tư pháp", r"tu phap"),
    ("Dân tộc", r"dan toc"),
    ("Xây dựng", r"xay dung"),
    ("Công thương", r"cong thuong"),
    ("Kinh tế", r"kinh te"),
    ("Văn hóa", r"van hoa"),
    ("Ngoại vụ", r"ngoai vu"),
]

# Level words after a name, as in "Phòng Y tế huyện", "UBND các xã, thị trấn", "UBND huyện, thành, thị".
_LVL = r"tinh|thanh pho|huyen|quan|thi xa|thanh|thi tran|thi|xa|phuong"
_LEVEL_OF = {
    "tinh": "tỉnh",
    "thanh pho": "tỉnh",
    "huyen": "huyện",
    "quan": "huyện",
    "thi xa": "huyện",
    "thanh": "huyện",
    "thi": "huyện",
    "xa": "xã",
    "phuong": "xã",
    "thi tran": "xã",
}
_LEVEL_WORD = {"tỉnh": "tỉnh", "huyện": "huyện", "xã": "xã", "trường": "", "trung ương": ""}
_LEVEL_IN_NAME = {"UBND", "HĐND", "Công an", "Đài truyền thanh", "Đảng ủy", "Ban chỉ đạo", "Các phòng, ban"}
SUFFIX = rf"(?:\s+(?:cac\s+)?(?P<lvl>{_LVL})(?:\s*,?\s*(?:{_LVL}))*\b)?"

# (kind, domain or None to take it from DOMAINS, default level, pattern before the domain/suffix)
_HEADS: list[tuple[str, str | None, str, str]] = [
    ("Sở", None, "tỉnh", r"(?<!co )(?<!\w)so"),
    ("Phòng", None, "huyện", r"(?<![\w/])phong"),
    ("Trung tâm", None, "huyện", r"(?<!\w)trung tam"),
    ("Ngành", None, "", r"(?<!toan )(?<!\w)nganh"),
    ("Bộ", None, "trung ương", r"(?<!toan )(?<!can )(?<!\w)bo"),
]
_FIXED: list[tuple[str, str, str, str]] = [
    ("UBND", "", "", r"(?<![\w/-])(?:uy ban nhan dan|ubnd)"),
    ("HĐND", "", "", r"(?<![\w/-])(?:hoi dong nhan dan|hdnd)"),
    ("Công an", "", "", r"(?<!\w)cong an"),
    ("Đảng ủy", "", "", r"(?<!\w)dang uy"),
    ("Đài truyền thanh", "", "", rf"(?<!\w)dai (?:truyen thanh|phat thanh)(?:{J}truyen hinh)?"),
    ("Ban chỉ đạo", "công tác giáo dục", "", r"(?<!\w)ban chi dao cong tac giao duc"),
    (
        "Các phòng, ban",
        "",
        "huyện",
        r"(?<!\w)cac phong,?\s+ban(?:,?\s+nganh)?(?:,?\s+doan the)?(?:\s+chuyen mon)?"
        r"(?:\s+lien quan)?",
    ),
    (
        "Các sở, ban, ngành",
        "",
        "tỉnh",
        r"(?<!\w)cac so,?\s+ban,?\s+nganh(?:,?\s+(?:doan the|co quan))*(?:\s+lien quan)?",
    ),
    (
        "Trung tâm GDNN-GDTX",
        "",
        "huyện",
        rf"(?<!\w)trung tam (?:giao duc nghe nghiep{J}giao duc thuong xuyen|gdnn{J}gdtx)",
    ),
    ("Trung tâm học tập cộng đồng", "", "xã", r"(?<!\w)trung tam hoc tap cong dong"),
    ("Huyện đoàn", "", "huyện", r"(?<!\w)huyen doan"),
    ("Tỉnh đoàn", "", "tỉnh", r"(?<!\w)tinh doan"),
    ("Hiệu trưởng", "", "trường", r"(?<!\w)hieu truong(?: cac (?:truong|co so giao duc))?"),
    ("Cơ sở giáo dục", "", "trường", r"(?<!\w)co so giao duc(?! va dao tao)"),
    (
        "Nhà trường",
        "",
        "trường",
        r"(?<!\w)(?:nha truong|cac (?:don vi )?truong(?: hoc)?(?! (?:dai hoc|cao dang)))",
    ),
]
# Levelled bodies whose level comes from the words after them.
_LEVELLED = {"UBND", "HĐND", "Công an", "Đảng ủy", "Đài truyền thanh", "Ban chỉ đạo"}

# Words that end a name found by the fallback (a verb or a function word starts the predicate).
_NAME_STOP = re.compile(
    r"(?:phoi hop|thuc hien|chu tri|chu dong|tham muu|trien khai|to chuc|chi dao|huong dan|xay dung ke|"
    r"can cu|tang cuong|dam bao|bao dam|co trach nhiem|chiu trach nhiem|kiem tra|theo doi|tong hop|"
    r"bao cao|day manh|tiep tuc|nang cao|quan triet|ra soat|huy dong|tap trung|de xuat|giai quyet|"
    r"co|la|va cac|cua|cho|voi|trong|tai|ve|de|nham|ngay|theo|da|se|dang|phai|can|duoc)\b"
)


@cache
def _domain_re() -> str:
    return "|".join(f"(?P<d{i}>{pat})" for i, (_, pat) in enumerate(DOMAINS))


@cache
def _patterns() -> list[tuple[re.Pattern, str, str | None, str]]:
    pats = []
    for kind, domain, level, head in _FIXED:
        pats.append((re.compile(rf"{head}{SUFFIX}(?!\w)"), kind, domain, level))
    for kind, _, level, head in _HEADS:
        pats.append((re.compile(rf"{head}\s+(?:{_domain_re()}){SUFFIX}(?!\w)"), kind, None, level))
    return pats


def _level(m: re.Match, kind: str, default: str) -> str:
    word = m.groupdict().get("lvl")
    if kind in ("Sở", "Phòng", "Bộ") or not word:
        return default
    return _LEVEL_OF.get(word, default)


def find(text: str, folded: str | None = None) -> list[Mention]:
    """Every body named in `text`, left to right; overlapping matches keep the longest."""
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
    kept = _longest(found)
    # The fallback only fills gaps: a listed name is never stretched into "Sở Tài chính nghiên cứu ...".
    extra = [f for f in _fallback(text, k) if not any(f.start < m.end and m.start < f.end for m in kept)]
    return _longest(kept + extra)


def _longest(found: list[Mention]) -> list[Mention]:
    found.sort(key=lambda m: (m.start, -(m.end - m.start)))
    kept: list[Mention] = []
    for m in found:
        if not kept or m.start >= kept[-1].end:
            kept.append(m)
    return kept


_GENERIC_HEAD = re.compile(r"(?<!\w)(Ban|Trung tâm|Sở|Phòng) (?=[A-ZĐÀ-Ỹ])")
_SYLL = re.compile(r"[^\W_]+")


def _fallback(text: str, k: str) -> list[Mention]:
    # "Ban Quản lý dự án đầu tư xây dựng khu vực huyện": a capitalised name the table does not list.
    out = []
    for m in _GENERIC_HEAD.finditer(text):
        pos, words, level = m.end(), [], ""
        for w in _SYLL.finditer(text, pos):
            if text[pos : w.start()].strip() or len(words) >= 10:
                break  # punctuation between words ends the name
            wk = k[w.start() :]
            if _NAME_STOP.match(wk):
                break
            lv = re.match(rf"(?:{_LVL})\b", wk)
            if lv and words and not re.match(r"(?:huyen|tinh|thanh) uy\b", wk):
                level = _LEVEL_OF.get(lv.group(), "")
                pos = w.start() + lv.end()
                break
            words.append(w.group())
            pos = w.end()
        if len(words) >= 2:
            name = " ".join(words)
            out.append(Mention(m.start(), pos, Body(m.group(1), name, level)))
    return out


def display(body: Body) -> str:
    return body.name
