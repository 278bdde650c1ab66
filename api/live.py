"""The index the API answers from, swapped for a new one when the index folder's manifest changes.

A build swaps a whole new folder in (index/store.py), so the manifest's inode, size or mtime changes.
Requests look at it at most once per `check_every` seconds (one stat); on a change a background
thread loads and warms the new index while requests go on being answered from the old one, then the
reference is swapped. A request keeps the `Loaded` it started with, so none is dropped or mixed.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

log = logging.getLogger("tracuu.api")
WARM_QUESTION = "nhiệm vụ năm học"  # loads the model and the answer's word weights before the first visitor


def _stamp(index_dir: Path) -> tuple | None:
    try:
        st = os.stat(index_dir / "manifest.json")
    except OSError:
        return None  # mid-swap, or removed: keep answering from what is loaded
    return (st.st_ino, st.st_mtime_ns, st.st_size)


@dataclass
class Loaded:
    """One loaded index; what the routes derive from it once is kept on the index (`Index.derived`)."""

    index: object  # index.Index
    stamp: tuple | None
    loaded_at: str


def open_index(index_dir: Path, warm: bool = True) -> Loaded:
    """Open (read only) and, with `warm`, exercise the index, so a swap happens once it answers fast."""
    import index
    import qa

    stamp = _stamp(index_dir)
    ix = index.load(index_dir, repair=False)
    ix.chunks_of()  # the documents routes' outlines, worked out before the swap
    if warm and ix.chunks:
        qa.ask(ix, WARM_QUESTION)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    return Loaded(ix, stamp, now)


class LiveIndex:
    """The current `Loaded` for an index folder; `get()` is what every request calls."""

    def __init__(self, index_dir: Path, check_every: float = 1.0, warm: bool = True):
        self.index_dir = Path(index_dir)
        self.check_every = check_every
        self.warm = warm
        self.reloads = 0
        self.reload_error = ""
        self._current = open_index(self.index_dir, warm)
        self._failed: tuple | None = None  # a manifest that would not load: not retried until it changes
        self._next_check = time.monotonic() + check_every
        self._reloading = threading.Lock()

    def get(self) -> Loaded:
        now = time.monotonic()
        if now >= self._next_check:
            self._next_check = now + self.check_every
            stamp = _stamp(self.index_dir)
            if stamp is not None and stamp not in (self._current.stamp, self._failed):
                if self._reloading.acquire(blocking=False):
                    threading.Thread(target=self._reload, name="tracuu-reload", daemon=True).start()
        return self._current

    def _reload(self) -> None:
        stamp = _stamp(self.index_dir)
        try:
            for _ in range(3):  # a build that swapped again while we read: read the newer one
                new = open_index(self.index_dir, self.warm)
                if _stamp(self.index_dir) == new.stamp:
                    break
            self._current = new  # one reference assignment: requests see the old or the new, whole
            self.reloads += 1
            self.reload_error = ""
            log.info("index reloaded from %s (%d chunks)", self.index_dir, len(new.index.chunks))
        except Exception as e:  # noqa: BLE001 (a bad new index must not stop the API serving the old one)
            self._failed = stamp
            self.reload_error = f"{type(e).__name__}: {e}"
            log.error("index at %s changed but did not load (%s); kept the previous one", self.index_dir, e)
        finally:
            self._reloading.release()
