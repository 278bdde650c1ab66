"""The gazetteer's tables: how Vietnamese administrative bodies are named, as of the 2025 reorganisation.

Patterns are written on the matching key (lower case, no diacritics; qa.bodies.key). Since mid-2025
provinces have two levels of local government (tỉnh and xã/phường/đặc khu) and merged departments: Sở Nội
vụ took in Lao động – Thương binh và Xã hội, Sở Khoa học và Công nghệ took in Thông tin và Truyền thông,
Sở Xây dựng took in Giao thông vận tải, Sở Nông nghiệp và Môi trường replaced Nông nghiệp và Phát triển
nông thôn and Tài nguyên và Môi trường. Old and new names stay different bodies: a 2023 directive's Sở
Tài nguyên và Môi trường is not a 2025 directive's Sở Nông nghiệp và Môi trường.
"""

from __future__ import annotations

from ingest.lines import ACTION_VERBS
from ingest.normalize import fold, strip_accents

# Between the parts of a name: "và", "&", "-", "–", ",", or nothing ("GDĐT").
J = r"\s*(?:[&,\-–]\s*)?(?:va\s+)?"

# Domains of Sở/Phòng/Trung tâm/Ngành/Bộ, longer names first: the first that matches wins, so "Tài chính –
# Kế hoạch" comes before "Tài chính".
DOMAINS: list[tuple[str, str]] = [
    ("Giáo dục và Đào tạo", rf"giao duc{J}dao tao|gd{J}dt"),
    ("Lao động – Thương binh và Xã hội", rf"lao dong{J}thuong binh{J}xa hoi|ld{J}tb{J}xh|ldtb{J}xh"),
    ("Tài nguyên và Môi trường", rf"tai nguyen{J}moi truong|tn{J}mt"),
    ("Nông nghiệp và Môi trường", rf"nong nghiep{J}moi truong|nn{J}mt"),
    ("Tài chính – Kế hoạch", rf"tai chinh{J}ke hoach|tc{J}kh"),
    ("Kế hoạch – Tài chính", rf"ke hoach{J}tai chinh|kh{J}tc"),
    ("Kế hoạch và Đầu tư", rf"ke hoach{J}dau tu|kh{J}dt"),
    ("Văn hóa, Thể thao và Du lịch", rf"van hoa{J}the thao{J}du lich|vh{J}tt{J}dl|vhttdl"),
    ("Văn hóa – Thể thao và Truyền thông", rf"van hoa{J}the thao{J}truyen thong"),
    ("Văn hóa và Thể thao", rf"van hoa{J}the thao"),
    ("Văn hóa – Xã hội", rf"van hoa{J}xa hoi"),
    ("Văn hóa và Thông tin", rf"van hoa{J}thong tin"),
    ("Thông tin và Truyền thông", rf"thong tin{J}truyen thong|tt{J}tt"),
    ("Nông nghiệp và Phát triển nông thôn", rf"nong nghiep{J}phat trien nong thon|nn{J}ptnt"),
    ("Khoa học và Công nghệ", rf"khoa hoc{J}cong nghe|kh{J}cn"),
    ("Giao thông vận tải", rf"giao thong{J}van tai|gtvt"),
    ("Kinh tế, Hạ tầng và Đô thị", rf"kinh te{J}ha tang{J}do thi"),
    ("Kinh tế và Hạ tầng", rf"kinh te{J}ha tang"),
    ("Giáo dục và Đào tạo", r"giao duc(?! (?:thuong xuyen|nghe nghiep|mam non|pho thong))"),
    ("Quản lý đô thị", r"quan ly do thi"),
    ("Lao động – Thương binh và Xã hội", r"lao dong(?= thuong binh)"),
    ("Y tế", r"y te"),
    ("Tài chính", r"tai chinh"),
    ("Nội vụ", r"noi vu"),
    ("Tư pháp", r"tu phap"),
    ("Dân tộc và Tôn giáo", rf"dan toc{J}ton giao"),
    ("Dân tộc", r"dan toc"),
    ("Xây dựng", r"xay dung"),
    ("Công thương", r"cong thuong"),
    ("Kinh tế", r"kinh te"),
    ("Văn hóa", r"van hoa"),
    ("Ngoại vụ", r"ngoai vu"),
]

# Level words after a name: "Phòng Y tế huyện", "UBND các xã, thị trấn", "UBND xã, phường, đặc khu",
# "Ủy ban nhân dân cấp tỉnh", "UBND phường/xã/đặc khu".
LVL = r"tinh|thanh pho|huyen|quan|thi xa|thanh|thi tran|thi|xa|phuong|dac khu"
LEVEL_OF = {
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
    "dac khu": "xã",
}
LEVEL_WORDS_MARKED = frozenset(
    "tỉnh thành phố huyện quận thị xã thành thị trấn thị xã phường đặc khu".split()
) | {"thành phố", "thị xã", "thị trấn", "đặc khu"}
LEVEL_WORD = {"tỉnh": "tỉnh", "huyện": "huyện", "xã": "xã", "trường": "", "trung ương": ""}
SUFFIX = rf"(?:\s+(?:cac\s+)?(?:cap\s+)?(?P<lvl>{LVL})(?:\s*[,/]?\s*(?:{LVL}))*\b)?"

# (kind, default level, pattern before the domain) for bodies named by a domain.
HEADS: list[tuple[str, str, str]] = [
    ("Sở", "tỉnh", r"(?<!co )(?<!\w)so"),
    ("Phòng", "huyện", r"(?<![\w/])phong"),
    ("Trung tâm", "huyện", r"(?<!\w)trung tam"),
    ("Ngành", "", r"(?<!toan )(?<!\w)nganh"),
    ("Bộ", "trung ương", r"(?<!toan )(?<!can )(?<!\w)bo"),
]
# A school named as a school ("các trường", "nhà trường"), never "trường hợp", "trường đại học".
_SCHOOL_NOT = r"(?! (?:hop|dai hoc|cao dang|trung cap)\b)"
COLLECTIVE = "Các cơ quan, đơn vị"  # in a letter: whoever it is addressed to
# (kind, domain, default level, pattern) for bodies with a fixed name.
FIXED: list[tuple[str, str, str, str]] = [
    ("UBND", "", "", r"(?<![\w/-])(?:uy ban nhan dan|ubnd)"),
    ("HĐND", "", "", r"(?<![\w/-])(?:hoi dong nhan dan|hdnd)"),
    ("Ủy ban MTTQ", "", "", r"(?<![\w/-])(?:uy ban mat tran to quoc(?: viet nam)?|(?:ub)?mttq(?:vn)?)"),
    ("Công an", "", "", r"(?<!\w)cong an"),
    ("Đảng ủy", "", "", r"(?<!\w)dang uy"),
    ("Đài truyền thanh", "", "", rf"(?<!\w)dai (?:truyen thanh|phat thanh)(?:{J}truyen hinh)?"),
    ("Ban chỉ đạo", "công tác giáo dục", "", r"(?<!\w)ban chi dao cong tac giao duc"),
    # "PGDĐT", "SGD&ĐT": the education Phòng and Sở as people type them (never inside a number's code).
    ("Phòng", "Giáo dục và Đào tạo", "huyện", rf"(?<![\w/-])pgd(?:{J}dt)?"),
    ("Sở", "Giáo dục và Đào tạo", "tỉnh", rf"(?<![\w/-])sgd(?:{J}dt)?"),
    (
        "Các phòng, ban",
        "",
        "huyện",
        r"(?<!\w)cac phong,?\s+ban(?:,?\s+nganh)?(?:,?\s+doan the)?(?:\s+chuyen mon)?(?:\s+lien quan)?",
    ),
    (
        "Các sở, ban, ngành",
        "",
        "tỉnh",
        r"(?<!\w)cac so,?\s+ban,?\s+nganh(?:,?\s+(?:doan the|co quan))*(?:\s+lien quan)?",
    ),
    (
        COLLECTIVE,
        "",
        "",
        r"(?<!\w)(?:cac|thu truong(?: cac)?) (?:co quan,? )?don vi(?:,? dia phuong)?"
        r"(?: (?:truc thuoc|co lien quan|lien quan)(?: so)?)?",
    ),
    (
        "Trung tâm GDNN-GDTX",
        "",
        "huyện",
        rf"(?<!\w)trung tam (?:giao duc nghe nghiep{J}giao duc thuong xuyen|gdnn{J}gdtx)",
    ),
    ("Trung tâm học tập cộng đồng", "", "xã", r"(?<!\w)trung tam hoc tap cong dong"),
    ("Huyện đoàn", "", "huyện", r"(?<!\w)huyen doan"),
    ("Tỉnh đoàn", "", "tỉnh", r"(?<!\w)(?:tinh doan|thanh doan)"),
    ("Đoàn trường", "", "trường", r"(?<!\w)(?:bi thu )?doan (?:truong|thanh nien(?: truong)?)(?!\w)"),
    ("Ban đại diện cha mẹ học sinh", "", "trường", r"(?<!\w)ban dai dien cha me hoc sinh"),
    ("Hội đồng thi", "", "", r"(?<!\w)hoi dong thi"),
    ("Hiệu trưởng", "", "trường", rf"(?<!\w)hieu truong(?: cac (?:truong{_SCHOOL_NOT}|co so giao duc))?"),
    ("Giáo viên", "chủ nhiệm", "trường", r"(?<!\w)(?:giao vien chu nhiem|gvcn)"),
    ("Giáo viên", "", "trường", r"(?<!\w)(?:cac |moi )?(?:giao vien|nha giao)(?! (?:chu nhiem|huong dan)\b)"),
    ("Cơ sở giáo dục", "", "trường", r"(?<!\w)co so giao duc(?! va dao tao)"),
    (
        "Nhà trường",
        "",
        "trường",
        rf"(?<!\w)(?:nha truong|(?:cac (?:don vi )?|moi |tung )truong(?: hoc)?{_SCHOOL_NOT})",
    ),
]
# Levelled bodies whose level comes from the words after them.
LEVELLED = {"UBND", "HĐND", "Ủy ban MTTQ", "Công an", "Đảng ủy", "Đài truyền thanh", "Ban chỉ đạo"}
LEVEL_IN_NAME = LEVELLED | {"Các phòng, ban"}

# Bodies the table does not list, found by a capitalised name after one of these ("Ban Quản lý dự án ...",
# "Cục Nhà giáo và Cán bộ quản lý giáo dục", "Trường THPT Cao Lãnh 2", "Tạp chí Giáo dục TP.HCM").
GENERIC_HEADS = (
    "Ban", "Trung tâm", "Sở", "Phòng", "Cục", "Chi cục", "Tổng cục", "Vụ", "Viện", "Học viện", "Tạp chí",
    "Báo", "Liên đoàn", "Hội đồng", "Hội", "Công ty", "Văn phòng", "Thanh tra", "Trường", "Đoàn", "Tổ",
)  # fmt: skip

# A school questions name as a school: "Trường học báo cáo ...?", "Trường có học sinh ... phải ...?" (at
# the start of a question or sentence only: elsewhere "trường học" is a topic, "an toàn trường học").
SCHOOL_OPENING = r"(?:(?<=^)|(?<=[.:;!?\n] ))truong(?: hoc)?(?= (?!hop\b|dai hoc\b|cao dang\b)[a-z])"

_FUNCTION_WORDS = (
    "co|la|va cac|cua|cho|voi|trong|tai|ve|de|nham|ngay|theo|da|se|dang|phai|can|duoc|khi|neu|thi|nam hoc"
    "|nhung|gi|nao|the nao|ra sao|bao gio"
)


def key(text: str) -> str:
    """Lower case, no diacritics, same length as `text`: the form every pattern here is written in."""
    return strip_accents(fold(text))


_FUNCTION_WORDS_MARKED = (
    "có|là|và các|của|cho|với|trong|tại|về|để|nhằm|ngày|theo|đã|sẽ|đang|phải|cần|được|khi|nếu|thì|năm học"
    "|những|gì|nào|thế nào|ra sao|bao giờ"
)


def _alternatives(words) -> str:
    return "|".join(sorted(set(words), key=len, reverse=True))


# Words that end a name found by the fallback: a verb or a function word starts the predicate. Matched on
# fold(text) (diacritics kept: "giao" is not "Giáo", "cử" is not "Củ Chi"); the bare forms only for text
# typed without diacritics.
# Verbs that also name what a body does, inside its name: "Ban Quản lý dự án đầu tư xây dựng", "Cục Nhà
# giáo và Cán bộ quản lý giáo dục", "Ban Tổ chức", "Đoàn kiểm tra".
_IN_NAMES = {"quản lý", "xây dựng", "kiểm tra", "giám sát", "tổ chức", "hỗ trợ", "tuyên truyền", "thẩm định"}
_STOPS = [v for v in ACTION_VERBS if v not in _IN_NAMES] + ["xây dựng kế"]
VERB_START_MARKED = rf"(?:{_alternatives(fold(v) for v in ACTION_VERBS)})\b"
NAME_STOP_MARKED = rf"(?:{_alternatives(fold(v) for v in _STOPS)}|{_FUNCTION_WORDS_MARKED})\b"
NAME_STOP = rf"(?:{_alternatives(key(v) for v in _STOPS)}|{_FUNCTION_WORDS})\b"
VERB_START = rf"(?:{_alternatives(key(v) for v in ACTION_VERBS)})\b"

# What a question naming the first kind asks about: a school is a "cơ sở giáo dục", a named "Trường ...",
# and is acted for by its Hiệu trưởng; "các cơ quan, đơn vị" in a letter to schools are the schools.
FAMILY = {
    "Nhà trường": {"Cơ sở giáo dục", "Trường", "Hiệu trưởng"},
    "Cơ sở giáo dục": {"Nhà trường", "Trường", "Hiệu trưởng"},
}
