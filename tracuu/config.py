"""Every TRACUU_* setting, with its default, read here and nowhere else.

Each function reads the environment when it is called (not at import), so a test or a server started
with a changed environment sees the change. A number that does not parse falls back to its default
(a typo in a limit must not stop an ingest). Only the standard library and tracuu.errors are imported:
every layer, the e5 compiler included, may import this module.

    TRACUU_INDEX           the index folder                  data/index
    TRACUU_CORPUS          the page's document folder        corpus
    TRACUU_API             a `tracuu serve` the page asks    unset: the page loads the index itself
    TRACUU_MODEL           the engine of a page's first build unset: index.embedders.DEFAULT_MODEL
    TRACUU_ADMIN_PASSWORD  who may upload on the page        unset: Streamlit secrets, else nobody
    TRACUU_CACHE           the e5 export and its ONNX graphs ~/.cache/tracuu
    TRACUU_OCR             0/no/off/false switches OCR off   on
    TRACUU_MAX_FILE_MB     a file's size, refused unread     40
    TRACUU_MAX_CHARS, _PARAGRAPHS, _PAGES, _READ_SECONDS     3,000,000 / 50,000 / 1,000 / 600
    TRACUU_UPLOAD_READ_MB  address space of an upload's reading child (MB)  2048
    TRACUU_DEBUG           1: a command's unexpected error shows its traceback
    TRACUU_SHARED          the shared data sets (tests, benchmarks) ../shared beside the repository
"""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_INDEX = "data/index"
DEFAULT_CORPUS = "corpus"
DEFAULT_MAX_FILE_MB = 40.0
DEFAULT_UPLOAD_READ_MB = 2048
# A reader's bounds (ingest/readers/limits.py says why they are this size): name -> (variable, default)
READ_LIMITS = {
    "chars": ("TRACUU_MAX_CHARS", 3_000_000),
    "paragraphs": ("TRACUU_MAX_PARAGRAPHS", 50_000),
    "pages": ("TRACUU_MAX_PAGES", 1_000),
    "seconds": ("TRACUU_MAX_READ_SECONDS", 600.0),
}
OFF = ("0", "no", "off", "false")


def _text(var: str) -> str:
    return (os.environ.get(var) or "").strip()


def _number(var: str, default: float) -> float:
    try:
        return float(_text(var)) if _text(var) else default
    except ValueError:
        return default


def index_dir() -> str:
    return os.environ.get("TRACUU_INDEX") or DEFAULT_INDEX


def corpus_dir() -> str:
    return os.environ.get("TRACUU_CORPUS") or DEFAULT_CORPUS


def api_url() -> str | None:
    """TRACUU_API: the address of a running `tracuu serve` (no trailing /); None when unset."""
    url = _text("TRACUU_API")
    if not url:
        return None
    if not url.startswith(("http://", "https://")):
        from tracuu.errors import UsageError

        raise UsageError(
            f"TRACUU_API must be the API's address, like http://127.0.0.1:8000 (got {url!r}); "
            "unset it to search the local index instead"
        )
    return url.rstrip("/")


def model_name() -> str | None:
    """TRACUU_MODEL, or None: then the engine table's default (index.embedders.DEFAULT_MODEL)."""
    return os.environ.get("TRACUU_MODEL") or None


def admin_password() -> str | None:
    return os.environ.get("TRACUU_ADMIN_PASSWORD") or None


def cache_dir() -> Path:
    env = os.environ.get("TRACUU_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "tracuu"


def ocr_switched_off() -> bool:
    return _text("TRACUU_OCR").lower() in OFF


def max_file_mb() -> float:
    return _number("TRACUU_MAX_FILE_MB", DEFAULT_MAX_FILE_MB)


def read_limits() -> dict[str, int | float]:
    """Each reader bound: its default, replaced by its variable when that is a number."""
    return {name: type(default)(_number(var, default)) for name, (var, default) in READ_LIMITS.items()}


def upload_read_mb() -> float:
    return _number("TRACUU_UPLOAD_READ_MB", DEFAULT_UPLOAD_READ_MB)


def debug() -> bool:
    return os.environ.get("TRACUU_DEBUG") == "1"


def shared_dir(root: Path) -> Path:
    """TRACUU_SHARED, else `shared` beside the repository at `root`."""
    return Path(os.environ.get("TRACUU_SHARED") or root.parent / "shared")
