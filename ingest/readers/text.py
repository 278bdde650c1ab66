"""Plain text (.txt, .md): find the encoding, say which one was assumed, refuse when none fits."""

from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path

from tracuu.errors import UnreadableFile

from . import legacy

_LEGACY_NAMES = {"cp1258": "windows-1258", "vni": "VNI-Windows", "tcvn3": "TCVN3 (ABC)"}
# A legacy decoding is accepted when at least this share of its accented words are Vietnamese syllables;
# a wrong table turns most of them into letter soup ("ViÖt", "Vieät"), so the right one stands out.
MIN_SYLLABLE_SHARE = 0.85

_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"
_ONSET = "ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx]"
_SYLLABLE = re.compile(rf"(?:{_ONSET})?[aăâeêioôơuưy]{{1,3}}(?:ch|ng|nh|[cmnpt])?")
_WORD = re.compile(r"[^\W\d_]+")


def _is_syllable(word: str) -> bool:
    decomposed = unicodedata.normalize("NFD", word.lower())
    if sum(ch in _TONE_MARKS for ch in decomposed) > 1:
        return False
    plain = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONE_MARKS))
    return _SYLLABLE.fullmatch(plain) is not None


def syllable_share(text: str) -> tuple[float, int]:
    """Share of the non-ASCII words that are well-formed Vietnamese syllables, and how many there were."""
    words = [w for w in _WORD.findall(text) if not w.isascii()]
    if not words:
        return 0.0, 0
    return sum(map(_is_syllable, words)) / len(words), len(words)


def _looks_utf16(data: bytes) -> str | None:
    # UTF-16 without a BOM: Vietnamese text has a zero high byte on most ASCII characters.
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd > len(sample) / 4 and even < odd / 10:
        return "utf-16-le"
    if even > len(sample) / 4 and odd < even / 10:
        return "utf-16-be"
    return None


def decode_bytes(data: bytes, name: str) -> tuple[str, str]:
    """Text (NFC) and a note saying which encoding was assumed and why."""
    for bom, codec, label in (
        (codecs.BOM_UTF8, "utf-8-sig", "UTF-8 (BOM)"),
        (codecs.BOM_UTF32_LE, "utf-32", "UTF-32 (BOM)"),
        (codecs.BOM_UTF16_LE, "utf-16", "UTF-16 (BOM)"),
        (codecs.BOM_UTF16_BE, "utf-16", "UTF-16 (BOM)"),
    ):
        if data.startswith(bom):
            try:
                return unicodedata.normalize("NFC", data.decode(codec)), f"encoding: {label}"
            except UnicodeDecodeError as exc:
                raise UnreadableFile(
                    f"{name}: starts with a {label} mark but is not valid {label} ({exc.reason} at byte "
                    f"{exc.start}); re-save it as UTF-8"
                ) from None
    utf16 = _looks_utf16(data)
    if utf16:
        try:
            return unicodedata.normalize("NFC", data.decode(utf16)), f"encoding: {utf16} (no BOM, detected)"
        except UnicodeDecodeError:
            pass
    if b"\x00" in data:
        raise UnreadableFile(
            f"{name}: contains binary data (NUL bytes), not text; give the original document"
        )
    try:
        return unicodedata.normalize("NFC", data.decode("utf-8")), "encoding: UTF-8"
    except UnicodeDecodeError:
        pass
    scored = []
    for enc in ("cp1258", "vni", "tcvn3"):
        text = legacy.decode(data, enc)
        share, count = syllable_share(text)
        scored.append((share, enc, text, count))
    share, enc, text, count = max(scored)
    if share < MIN_SYLLABLE_SHARE:
        tried = ", ".join(f"{_LEGACY_NAMES[e]} {s:.0%}" for s, e, _, _ in scored)
        raise UnreadableFile(
            f"{name}: not UTF-8/UTF-16 and no Vietnamese legacy encoding fits (Vietnamese words: {tried}); "
            "re-save it as UTF-8"
        )
    note = (
        f"encoding: {_LEGACY_NAMES[enc]} (detected: {share:.0%} of {count} accented words read as Vietnamese)"
    )
    if enc == "tcvn3":
        note += "; TCVN3 has no toned capitals, so they read as lower case"
    return text, note


def read(path: Path, data: bytes) -> tuple[str, list[str]]:
    text, note = decode_bytes(data, path.name)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, [note]
