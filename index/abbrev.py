"""Abbreviations used in education directives and their long forms: one table, used by search and qa.

Matching works both ways: a text that says "Sở GD&ĐT" and one that says "Sở Giáo dục và Đào tạo" both
get the same key token (`keys`), so a query written either way finds both.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

# key -> (spellings of the abbreviation, long form). Spellings are matched case-insensitively unless
# they are two letters or fewer (MN, TH): those only count in capitals, since "th"/"mn" occur in
# ordinary lower-case text.
ABBREVIATIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "gdđt": (("GD&ĐT", "GDĐT", "GD-ĐT", "GD và ĐT", "GD&DT", "GDDT"), "Giáo dục và Đào tạo"),
    "ubnd": (("UBND",), "Ủy ban nhân dân"),
    "hđnd": (("HĐND", "HDND"), "Hội đồng nhân dân"),
    "lđtbxh": (
        ("LĐTB&XH", "LĐTBXH", "LĐ-TB&XH", "LĐTB-XH", "LDTB&XH", "LDTBXH"),
        "Lao động - Thương binh và Xã hội",
    ),
    "tckh": (("TC-KH", "TCKH", "TC&KH"), "Tài chính - Kế hoạch"),
    "thcs": (("THCS",), "trung học cơ sở"),
    "thpt": (("THPT",), "trung học phổ thông"),
    "gdnngdtx": (
        ("GDNN-GDTX", "GDNN&GDTX", "GDNN - GDTX"),
        "giáo dục nghề nghiệp - giáo dục thường xuyên",
    ),
    "cntt": (("CNTT",), "công nghệ thông tin"),
    "mn": (("MN",), "mầm non"),
    "th": (("TH",), "tiểu học"),
}


def strip_accents(text: str) -> str:
    """Lower-level helper: drop Vietnamese diacritics (đ → d), keep everything else."""
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return unicodedata.normalize("NFC", bare).replace("đ", "d").replace("Đ", "D")


def _words_pattern(phrase: str) -> str:
    # Any run of spaces/hyphens between words, and "&" for "và", so "Lao động-Thương binh & Xã hội" matches.
    words = re.split(r"[\s\-–]+", phrase)
    parts = []
    for w in words:
        parts.append("(?:&|va)" if w == "va" else re.escape(w))
    return r"(?<!\w)" + r"[\s\-–]*".join(parts) + r"(?!\w)"


@cache
def _patterns() -> list[tuple[str, re.Pattern, re.Pattern | None, re.Pattern]]:
    out = []
    for key, (spellings, long_form) in ABBREVIATIONS.items():
        long_re = re.compile(_words_pattern(strip_accents(long_form).lower()))
        short = [strip_accents(s) for s in spellings if len(s) > 2]
        tiny = [s for s in spellings if len(s) <= 2]
        short_re = None
        if short:
            ordered = sorted(set(short), key=len, reverse=True)
            alts = "|".join(re.escape(s).replace(r"\ ", r"\s*") for s in ordered)
            short_re = re.compile(rf"(?<!\w)(?:{alts})(?!\w)", re.IGNORECASE)
        tiny_re = re.compile(rf"(?<!\w)(?:{'|'.join(tiny)})(?!\w)") if tiny else re.compile(r"(?!x)x")
        out.append((key, short_re, tiny_re, long_re))
    return out


def keys(text: str) -> list[str]:
    """Keys of the abbreviations whose short or long form occurs in `text`, once per occurrence."""
    bare = strip_accents(text)
    bare_lower = bare.lower()
    found: list[str] = []
    for key, short_re, tiny_re, long_re in _patterns():
        n = len(long_re.findall(bare_lower)) + len(tiny_re.findall(text))
        if short_re is not None:
            n += len(short_re.findall(bare))
        found.extend([key] * n)
    return found


def long_form(abbreviation: str) -> str | None:
    """The long form of one abbreviation as written ("UBND" → "Ủy ban nhân dân"), or None."""
    wanted = strip_accents(abbreviation).lower().replace(" ", "")
    for spellings, long in ABBREVIATIONS.values():
        if any(strip_accents(s).lower().replace(" ", "") == wanted for s in spellings):
            return long
    return None


def expand(text: str) -> str:
    """`text` with each abbreviation followed by its long form in brackets, for the embedder."""

    def add(m: re.Match) -> str:
        long = long_form(m.group(0))
        return f"{m.group(0)} ({long})" if long else m.group(0)

    pattern = _all_short_pattern()
    return pattern.sub(add, text)


@cache
def _all_short_pattern() -> re.Pattern:
    spellings = {s for sp, _ in ABBREVIATIONS.values() for s in sp if len(s) > 2}
    spellings = sorted(spellings, key=len, reverse=True)
    alts = "|".join(re.escape(s).replace(r"\ ", r"\s*") for s in spellings)
    tiny = "|".join(s for sp, _ in ABBREVIATIONS.values() for s in sp if len(s) <= 2)
    return re.compile(rf"(?<!\w)(?:(?i:{alts})|{tiny})(?!\w)")
