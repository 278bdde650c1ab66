"""The cache folder of the export and the ONNX models: where it is, checksums, and publishing a folder whole.

Every folder written here carries a record of its files' sha256 (`export.json`, `onnx/onnx.json`); a
folder whose record does not match is rebuilt. Weights are never committed to the repository.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from tracuu.files import sha256


def cache_root() -> Path:
    """`$TRACUU_CACHE`, else `~/.cache/tracuu` (tracuu.config)."""
    from tracuu import config

    return config.cache_dir()


def file_digests(folder: Path, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """sha256 of every file under `folder` (relative paths), except the top-level names in `skip`."""
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.relative_to(folder).parts[0] not in skip)
    return {str(p.relative_to(folder)): sha256(p) for p in files}


def digests_match(folder: Path, digests: dict[str, str], verify: bool) -> bool:
    """Every recorded file is there; with `verify`, every one also hashes as recorded."""
    if not digests or not all((folder / rel).is_file() for rel in digests):
        return False
    return not verify or all(sha256(folder / rel) == d for rel, d in digests.items())


def publish(tmp: Path, folder: Path, record_name: str, record: dict) -> None:
    """Write the checksum record into `tmp`, then swap `tmp` in as `folder`: no reader sees half a folder."""
    (tmp / record_name).write_text(json.dumps(record, indent=2), encoding="utf-8")
    tmp.chmod(0o755)  # mkdtemp makes it private; the cache is an ordinary folder
    if folder.exists():
        shutil.rmtree(folder)
    os.replace(tmp, folder)


def is_complete(folder: Path, record_name: str, verify: bool, **expected) -> bool:
    """True when `folder` holds a finished cache folder: its record has the `expected` fields and lists
    files that are all there (with `verify`, that also hash as recorded)."""
    try:
        rec = json.loads((folder / record_name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if any(rec.get(k) != v for k, v in expected.items()):
        return False
    return digests_match(folder, rec.get("files", {}), verify)


def write_once(folder: Path, record_name: str, write: Callable[[Path], dict], note: str) -> Path:
    """Build a cache folder beside its final place and swap it in whole: `write(tmp)` fills it and
    returns the record's fields (the files' sha256 are added). `note` tells the user why they wait."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    print(f"note: {note}", file=sys.stderr)
    tmp = Path(tempfile.mkdtemp(prefix=folder.name + ".", suffix=".tmp", dir=folder.parent))
    try:
        fields = write(tmp)
        publish(tmp, folder, record_name, {**fields, "files": file_digests(tmp)})
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return folder
