"""Vietnam's provinces and centrally-run cities, and the short forms people type for them.

The 63 names in use until mid-2025 (the 34 of the two-level reorganisation are among them), so a
question about an old or a new province is read as a place either way. Used by index/scope.py to tell
that a question names a place even when no indexed document comes from it ("... ở Nghệ An"): then the
answer says so instead of quietly searching every province.
"""

from __future__ import annotations

PROVINCES = (
    "An Giang", "Bà Rịa - Vũng Tàu", "Bạc Liêu", "Bắc Giang", "Bắc Kạn", "Bắc Ninh", "Bến Tre",
    "Bình Dương", "Bình Định", "Bình Phước", "Bình Thuận", "Cà Mau", "Cao Bằng", "Cần Thơ", "Đà Nẵng",
    "Đắk Lắk", "Đắk Nông", "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Giang", "Hà Nam",
    "Hà Nội", "Hà Tĩnh", "Hải Dương", "Hải Phòng", "Hậu Giang", "Hòa Bình", "Hồ Chí Minh", "Hưng Yên",
    "Khánh Hòa", "Kiên Giang", "Kon Tum", "Lai Châu", "Lâm Đồng", "Lạng Sơn", "Lào Cai", "Long An",
    "Nam Định", "Nghệ An", "Ninh Bình", "Ninh Thuận", "Phú Thọ", "Phú Yên", "Quảng Bình", "Quảng Nam",
    "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sóc Trăng", "Sơn La", "Tây Ninh", "Thái Bình",
    "Thái Nguyên", "Thanh Hóa", "Huế", "Tiền Giang", "Trà Vinh", "Tuyên Quang", "Vĩnh Long",
    "Vĩnh Phúc", "Yên Bái",
)  # fmt: skip

# Other spellings → the name above. Matched accent-free and case-insensitively, as whole words.
ALIASES = {
    "TP.HCM": "Hồ Chí Minh", "TP HCM": "Hồ Chí Minh", "TPHCM": "Hồ Chí Minh", "TP. HCM": "Hồ Chí Minh",
    "HCM": "Hồ Chí Minh", "Sài Gòn": "Hồ Chí Minh", "Thừa Thiên Huế": "Huế", "Thừa Thiên - Huế": "Huế",
    "BR-VT": "Bà Rịa - Vũng Tàu", "Bà Rịa Vũng Tàu": "Bà Rịa - Vũng Tàu", "Vũng Tàu": "Bà Rịa - Vũng Tàu",
    "Đắc Lắc": "Đắk Lắk", "Daklak": "Đắk Lắk", "Đăk Lăk": "Đắk Lắk", "Đắk Lắc": "Đắk Lắk",
    "TP.HN": "Hà Nội", "Thủ đô Hà Nội": "Hà Nội",
}  # fmt: skip
