"""Uploaded files into the corpus folder: safe names, size and type checks, never an overwrite.

A name is refused (not silently repaired) when it carries a directory, so nothing an uploader types can
reach outside the corpus folder; so is one with control characters, too long for the file system, made of
dots, or a Windows device name (CON, NUL, COM1…), each with the reason in words. A name already taken
by different content gets a numbered suffix and the page says so; the same content uploaded twice is
recognised and not stored again.
"""

from __future__ import annotations

import hashlib
import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from page.config import ALLOWED_SUFFIXES
from tracuu.errors import UsageError, one_line
from tracuu.files import sha256

_MAX_NAME = 180  # characters
_MAX_NAME_BYTES = 240  # a Linux file name holds 255 bytes; room is left for a "-NNN" suffix
# Names Windows keeps for devices, with any extension: a corpus copied there could not hold them.
_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"} | {
    f"{d}{n}" for d in ("COM", "LPT") for n in "123456789"
}


@dataclass
class Saved:
    path: Path  # where the file now lives, inside the corpus folder
    asked: str  # the name the uploader gave
    renamed: bool = False  # stored under another name because the asked one was taken
    duplicate: bool = False  # identical content was already in the corpus; nothing written


def shown(name: object) -> str:
    """A name as the page may quote it: one line, control characters as escapes, at most 120 characters."""
    return one_line(name, 120)


def safe_name(name: str) -> str:
    """The file name to store, or UsageError saying why this one cannot be used (quoting it with `shown`)."""
    name = unicodedata.normalize("NFC", (name or "").strip())
    said = shown(name)
    if not name:
        raise UsageError("tệp không có tên; hãy đặt tên cho tệp rồi tải lên lại")
    if "/" in name or "\\" in name or name in (".", ".."):
        raise UsageError(
            f"tên tệp “{said}” chứa đường dẫn thư mục; chỉ tải lên một tệp có tên thường, ví dụ van-ban.pdf"
        )
    if name.startswith(".") or any(unicodedata.category(c).startswith("C") for c in name):
        raise UsageError(f"tên tệp “{said}” bắt đầu bằng dấu chấm hoặc có ký tự điều khiển; hãy đổi tên tệp")
    if len(name) > _MAX_NAME or len(name.encode("utf-8")) > _MAX_NAME_BYTES:
        raise UsageError(
            f"tên tệp “{said}” quá dài ({len(name)} ký tự, {len(name.encode('utf-8'))} byte; tối đa "
            f"{_MAX_NAME} ký tự và {_MAX_NAME_BYTES} byte); hãy đặt tên ngắn hơn"
        )
    if name.split(".", 1)[0].rstrip(" ").upper() in _RESERVED:
        raise UsageError(f"“{said}” là tên dành riêng cho thiết bị trong Windows; hãy đổi tên tệp")
    if Path(name).suffix.lower() not in ALLOWED_SUFFIXES:
        kinds = ", ".join(s.lstrip(".").upper() for s in ALLOWED_SUFFIXES)
        raise UsageError(f"“{said}” không phải loại tệp được nhận ({kinds})")
    return name


def check_size(name: str, size: int, limit: int) -> None:
    if size == 0:
        raise UsageError(f"“{name}” rỗng (0 byte); hãy chọn đúng tệp")
    if size > limit:
        raise UsageError(
            f"“{name}” nặng {size / 1048576:.1f} MB, quá giới hạn {limit / 1048576:.0f} MB; "
            "hãy tách hoặc nén tệp rồi tải lên lại"
        )


def store(corpus: Path, name: str, data: bytes) -> Saved:
    """Write `data` into `corpus` under `name` (already passed through safe_name), never replacing a file."""
    corpus = corpus.resolve()
    corpus.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(data).hexdigest()
    stem, suffix = Path(name).stem, Path(name).suffix
    for n in range(1000):
        candidate = corpus / (name if n == 0 else f"{stem}-{n}{suffix}")
        if candidate.resolve().parent != corpus:  # belt and braces: safe_name already refused this
            raise UsageError(f"tên tệp “{name}” trỏ ra ngoài thư mục văn bản; hãy đổi tên tệp")
        if candidate.exists():
            if candidate.is_file() and sha256(candidate) == digest:
                return Saved(candidate, name, renamed=n > 0, duplicate=True)
            continue
        try:
            # O_EXCL: if another upload takes the name between the check and the write, try the next one.
            fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            continue
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        return Saved(candidate, name, renamed=n > 0)
    raise UsageError(f"đã có quá nhiều tệp tên “{name}”; hãy đổi tên tệp")
