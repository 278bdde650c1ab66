"""Pre-Unicode Vietnamese encodings: Windows-1258, VNI-Windows and TCVN3 (ABC).

VNI and TCVN3 were font encodings: the bytes are plain 8-bit text and only the font made them look
Vietnamese, so no codec ships with Python. The tables below are written from the published layouts:
TCVN3 gives each toned lower-case letter one byte (0xA1-0xFF, the same as glibc's TCVN5712-1 there);
VNI-Windows writes a base letter followed by a mark byte from the Windows-1252 range ("Vieät" = "Việt").
`encode` exists so tests can write files the way old software did.
"""

from __future__ import annotations

import re
import unicodedata

# TCVN3 bytes 0xA0..0xFF. Bytes 0xB0-0xB4 are the five combining tone marks.
_TCVN3_HIGH = (
    "\u00a0ĂÂÊÔƠƯĐăâêôơưđẰ\u0300\u0309\u0303\u0301\u0323àảãáạẲằẳẵắẴẮẦẨẪẤỀặầẩẫấậ"
    "èỂẻẽéẹềểễếệìỉỄẾỒĩíịòỔỏõóọồổỗốộờởỡớợùỖủũúụừửữứựỳỷỹýỵỐ"
)


def _cp1252_char(b: int) -> str:
    # cp1252 leaves five bytes undefined; keep them as their own code points instead of failing.
    try:
        return bytes([b]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(b)


_CP1252 = [_cp1252_char(b) for b in range(256)]
# TCVN3 ("ABC") files were typed on Windows, where 0x80-0x9F are Windows-1252 punctuation (curly quotes,
# dashes); the VN1 upper-case letters glibc puts there are rare in practice, so those bytes stay cp1252.
_TCVN3 = _CP1252[:0xA0] + list(_TCVN3_HIGH)

_TONES = {"\u0301": "acute", "\u0300": "grave", "\u0309": "hook", "\u0303": "tilde", "\u0323": "dot"}
_PLAIN_MARK = {"": "", "acute": "ù", "grave": "ø", "hook": "û", "tilde": "õ", "dot": "ï"}
_CIRCUMFLEX = {"": "â", "acute": "á", "grave": "à", "hook": "å", "tilde": "ã", "dot": "ä"}
_BREVE = {"": "ê", "acute": "é", "grave": "è", "hook": "ú", "tilde": "ü", "dot": "ë"}
_VNI_I = {"": "i", "acute": "í", "grave": "ì", "hook": "æ", "tilde": "ó", "dot": "ò"}


def _split(ch: str) -> tuple[str, str]:
    """'ệ' -> ('ê', 'dot'): the letter with its vowel mark, and its tone."""
    decomposed = unicodedata.normalize("NFD", ch)
    tone = next((_TONES[m] for m in decomposed if m in _TONES), "")
    base = unicodedata.normalize("NFC", "".join(m for m in decomposed if m not in _TONES))
    return base, tone


def _vni_lower(ch: str) -> str | None:
    base, tone = _split(ch)
    if base == "đ":
        return "ñ"
    if base == "i":
        return _VNI_I[tone]
    if base == "y" and tone == "dot":
        return "î"
    if base in "âêô":
        return {"â": "a", "ê": "e", "ô": "o"}[base] + _CIRCUMFLEX[tone]
    if base == "ă":
        return "a" + _BREVE[tone]
    if base in ("ơ", "ư"):
        return {"ơ": "ô", "ư": "ö"}[base] + _PLAIN_MARK[tone]
    if base in "aeouy" and tone:
        return base + _PLAIN_MARK[tone]
    return None


def _vietnamese_letters() -> list[str]:
    bases = "aăâeêioôơuưy"
    letters = ["đ"]
    for b in bases:
        for mark in ["", *_TONES]:
            letters.append(unicodedata.normalize("NFC", b + mark))
    return letters


def _build_vni() -> dict[str, str]:
    """Unicode letter -> VNI-Windows characters (as decoded by cp1252)."""
    table: dict[str, str] = {}
    for low in _vietnamese_letters():
        seq = _vni_lower(low)
        if seq is None or seq == low:
            continue
        table[low] = seq
        table[low.upper()] = seq.upper()
    return table


VNI_ENCODE = _build_vni()
_VNI_DECODE: dict[str, str] = {}
for _uni, _seq in VNI_ENCODE.items():
    _VNI_DECODE[_seq] = _uni
    if len(_seq) == 2:
        # Old documents mix cases inside a letter (base typed in caps, mark from the lower-case key).
        _VNI_DECODE.setdefault(_seq[0] + _seq[1].swapcase(), _uni)
_VNI_PATTERN = re.compile("|".join(re.escape(s) for s in sorted(_VNI_DECODE, key=len, reverse=True)))


def decode(data: bytes, encoding: str) -> str:
    """Decode legacy bytes to NFC text; `encoding` is "cp1258", "vni" or "tcvn3"."""
    if encoding == "cp1258":
        text = data.decode("cp1258", errors="replace")
    elif encoding == "vni":
        raw = "".join(map(_CP1252.__getitem__, data))
        text = _VNI_PATTERN.sub(lambda m: _VNI_DECODE[m.group(0)], raw)
    elif encoding == "tcvn3":
        text = "".join(map(_TCVN3.__getitem__, data))
    else:
        raise ValueError(f"unknown legacy encoding {encoding!r}")
    return unicodedata.normalize("NFC", text)


def encode(text: str, encoding: str) -> bytes:
    """Write NFC text the way old software did (for tests). Raises UnicodeEncodeError on other scripts."""
    text = unicodedata.normalize("NFC", text)
    if encoding == "cp1258":
        out = bytearray()
        for ch in text:
            try:
                out += ch.encode("cp1258")
            except UnicodeEncodeError:
                base, _ = _split(ch)
                tones = [m for m in unicodedata.normalize("NFD", ch) if m in _TONES]
                if not tones:
                    raise
                out += base.encode("cp1258") + tones[0].encode("cp1258")
        return bytes(out)
    if encoding == "vni":
        return "".join(VNI_ENCODE.get(ch, ch) for ch in text).encode("cp1252")
    if encoding == "tcvn3":
        reverse = {ch: bytes([0xA1 + i]) for i, ch in enumerate(_TCVN3_HIGH[1:])}
        # ABC has no code for most toned capitals: people typed the lower-case code in an upper-case font.
        return b"".join(reverse.get(ch) or reverse.get(ch.lower()) or ch.encode("cp1252") for ch in text)
    raise ValueError(f"unknown legacy encoding {encoding!r}")
