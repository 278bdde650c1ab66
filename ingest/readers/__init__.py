"""File readers: one file in, its raw text out (NFC, paragraphs separated by blank lines).

Canonicalisation (tone placement, look-alike letters, spacing) happens after this, in ingest.normalize.
Every expected failure raises UnreadableFile with a one-line reason that says what to do.
"""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

from tracuu import config
from tracuu.errors import TracuuError, UnreadableFile, one_line

from .extracted import Extracted
from .limits import Budget

TEXT_SUFFIXES = (".txt", ".md")
SUFFIXES = (*TEXT_SUFFIXES, ".pdf", ".docx", ".html", ".htm")


def max_file_bytes() -> int:
    return int(config.max_file_mb() * 1024 * 1024)


def _check_file(path: Path) -> int:
    """Size of a readable regular file, or UnreadableFile saying why not (before reading a byte)."""
    if path.is_symlink() and not path.exists():
        raise UnreadableFile(
            f"{path.name}: is a link to {os.readlink(path)}, which does not exist; fix the link"
        )
    if not path.exists():
        raise UnreadableFile(f"{path.name}: no such file; check the path")
    if path.is_dir():
        raise UnreadableFile(
            f"{path.name}: is a folder, not a file; give the files inside it (or ingest the folder)"
        )
    if not path.is_file():
        raise UnreadableFile(
            f"{path.name}: is not a regular file (device, pipe or socket); give a document file"
        )
    size = path.stat().st_size
    limit = max_file_bytes()
    if size > limit:
        raise UnreadableFile(
            f"{path.name}: {size / 2**20:.0f} MB is over the {limit / 2**20:.0f} MB limit; split the file or "
            "raise TRACUU_MAX_FILE_MB"
        )
    if size == 0:
        raise UnreadableFile(f"{path.name}: the file is empty (0 bytes); give the file with its content")
    return size


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except PermissionError:
        raise UnreadableFile(f"{path.name}: permission denied; make the file readable (chmod +r)") from None
    except OSError as exc:
        raise UnreadableFile(
            f"{path.name}: cannot be read ({exc.strerror}); check the disk or copy it again"
        ) from None


def extract(path: Path) -> Extracted:
    """Raw text of one file, dispatching by extension.

    Files are untrusted, and the libraries that read them fail in their own ways on damaged ones (lxml's
    XMLSyntaxError, PyMuPDF's RuntimeError, zlib, struct and recursion errors, running out of memory):
    whatever a reader raises becomes UnreadableFile, one line naming the file and the cause."""
    path = Path(path)
    try:
        return _extract(path)
    except TracuuError:
        raise
    except MemoryError:
        raise UnreadableFile(
            f"{path.name}: ran out of memory while reading it; the file is damaged or far too large "
            "(split it, or give another copy)"
        ) from None
    except Exception as exc:  # noqa: BLE001 - see above: any reader failure is this file's failure
        raise UnreadableFile(
            f"{path.name}: cannot be read, the file looks damaged ({type(exc).__name__}: "
            f"{one_line(exc, 160)}); open and save it again, or get another copy"
        ) from None


def _extract(path: Path) -> Extracted:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        hint = " (save old .doc files as .docx)" if suffix == ".doc" else ""
        raise UnreadableFile(
            f"{path.name}: unsupported file type '{suffix or '(none)'}'; tracuu reads "
            f"{', '.join(SUFFIXES)}{hint}"
        )
    _check_file(path)
    budget = Budget(path.name)
    if suffix in TEXT_SUFFIXES:
        from .text import read

        # No encoding takes more than 4 bytes a character: past that, the text is over the limit unread.
        budget.check_chars(path.stat().st_size // 4)
        text, notes = read(path, _read_bytes(path))
        result = Extracted(text, notes, "txt", 1)
    elif suffix == ".pdf":
        from .pdf import read_pdf

        result = read_pdf(path, budget)
    elif suffix == ".docx":
        from .docxfile import read_docx

        result = read_docx(path, budget)
    else:
        from .htmlpage import read_html
        from .text import decode_bytes

        result = read_html(path, _read_bytes(path), decode_bytes)
    budget.check_text(result.text)
    budget.check_time()
    result.text = unicodedata.normalize("NFC", result.text)
    if not result.text.strip():
        raise UnreadableFile(f"{path.name}: no text found in the file; check that it is the right document")
    return result
