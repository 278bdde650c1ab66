"""Which files an ingest reads, and reading one so that whatever goes wrong stays that file's failure.

Files in a folder are found recursively, hidden ones skipped; a symbolic link that is broken, loops or
leads to a folder is reported as skipped (in words), never passed over silently. Reading a file turns
anything its reader or the sectioning raises into UnreadableFile with one line of reason.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from tracuu.errors import TracuuError, UnreadableFile, UsageError, one_line, without_name


def _link_problem(f: Path) -> str | None:
    """Why a symbolic link met in a folder is not indexed, or None when it leads to a file."""
    import errno
    import os

    try:
        os.stat(f)
    except OSError as e:
        if e.errno == errno.ELOOP:
            return "link loop (the link leads back to itself); fix or remove the link"
        return f"broken link to {one_line(os.readlink(f), 120)}, which does not exist; fix or remove the link"
    if f.is_dir():
        return "link to a folder, not followed; give that folder to ingest itself"
    return None


def files(paths: list[Path]) -> tuple[list[tuple[Path, str, str]], list[tuple[str, str]]]:
    """(file, doc, source) for every indexable file, doc NFC and relative to the given folder; and the
    (path, why) of links inside folders that were skipped."""
    missing = [str(p) for p in paths if not Path(p).exists()]
    if missing:
        raise UsageError(
            f"no such file or folder: {', '.join(missing)}; check the path (nothing was indexed)"
        )
    from ingest.readers import SUFFIXES  # here, not at the top: `tracuu search` imports this module

    suffixes = set(SUFFIXES)  # what the readers read, and nothing they would refuse
    out, skipped = [], []
    for p in map(Path, paths):
        if p.is_file():
            out.append((p, unicodedata.normalize("NFC", p.name), str(p.resolve())))
            continue
        root = p.resolve()
        for f in sorted(p.rglob("*")):
            rel = f.relative_to(p)
            if any(part.startswith(".") for part in rel.parts):
                continue
            wanted = f.suffix.lower() in suffixes
            if f.is_symlink() and (wanted or not f.suffix):  # a link named like a folder is checked too
                problem = _link_problem(f)
                if problem:
                    skipped.append((str(f), problem))
                    continue
            if wanted and f.is_file():
                out.append((f, unicodedata.normalize("NFC", rel.as_posix()), str(root)))
    return out, skipped


def read(f: Path, doc: str):
    """The document and chunks of one file; UnreadableFile whatever went wrong with it."""
    from ingest import parse_file

    try:
        doc.encode("utf-8")
    except UnicodeEncodeError:
        raise UnreadableFile(f"{f.name}: the file name is not valid UTF-8; rename the file") from None
    try:
        return parse_file(f, doc)
    except TracuuError:
        raise
    except MemoryError:
        raise UnreadableFile(f"{f.name}: ran out of memory while reading it; split the file") from None
    except Exception as e:  # noqa: BLE001 - one file's failure, whatever it is, is that file's alone
        raise UnreadableFile(
            f"{f.name}: could not be split into sections ({type(e).__name__}: {one_line(e, 160)}); "
            "this is a fault in tracuu, please report it with the file"
        ) from None


def reason(f: Path, e: Exception) -> str:
    """The error's message on one line, without the file name it usually starts with (the line names it)."""
    return without_name(one_line(e, 1000), f, f.name)
