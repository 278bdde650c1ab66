"""The cache folder of the export and the ONNX models: where it is, checksums, and publishing a folder whole.

Every folder written here carries a record of its files' sha256 (`export.json`, `onnx/onnx.json`); a
folder whose record does not match is rebuilt. Weights are never committed to the repository.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path


def cache_root() -> Path:
    """`$TRACUU_CACHE`, else `~/.cache/tracuu`."""
    env = os.environ.get("TRACUU_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "tracuu"


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(1 << 20):
            h.update(block)
    return h.hexdigest()


def file_digests(folder: Path, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """sha256 of every file under `folder` (relative paths), except the top-level names in `skip`."""
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.relative_to(folder).parts[0] not in skip)
    return {str(p.relative_to(folder)): sha256_file(p) for p in files}


def digests_match(folder: Path, digests: dict[str, str], verify: bool) -> bool:
    """Every recorded file is there; with `verify`, every one also hashes as recorded."""
    if not digests or not all((folder / rel).is_file() for rel in digests):
        return False
    return not verify or all(sha256_file(folder / rel) == d for rel, d in digests.items())


def publish(tmp: Path, folder: Path, record_name: str, record: dict) -> None:
    """Write the checksum record into `tmp`, then swap `tmp` in as `folder`: no reader sees half a folder."""
    (tmp / record_name).write_text(json.dumps(record, indent=2), encoding="utf-8")
    tmp.chmod(0o755)  # mkdtemp makes it private; the cache is an ordinary folder
    if folder.exists():
        shutil.rmtree(folder)
    os.replace(tmp, folder)
