"""Reading an uploaded file off the page's thread: in a child process, with a deadline and a memory cap.

An upload is read once before it is stored, to refuse what cannot be read. In the page's own thread a
hostile file would hold that thread (and, being Python, every other visitor's share of the interpreter)
for as long as the reader runs. Here a child process reads it (`python -m page.reading`, the same
`ingest.parse_file` the CLI uses, within the same `ingest.readers.limits`) while the page polls it and
moves a progress bar; the child is killed at the reading time limit plus a grace, and its address space
is capped, so a file that would take minutes or gigabytes costs neither.

The child gets the file's path and name as JSON on stdin and answers one JSON line on stdout:
`{"ok": true, "chunks": n}` or `{"ok": false, "reason": "..."}`. Nothing here imports Streamlit.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

GRACE_SECONDS = 10.0  # past the readers' own time limit, before the child is killed
POLL = 0.2


def _memory_cap() -> int:
    """The reading child's address space (TRACUU_UPLOAD_READ_MB)."""
    from tracuu import config

    return int(config.upload_read_mb() * 2**20)


def read(
    path: Path,
    name: str,
    on_wait: Callable[[float], None] = lambda seconds: None,
    deadline: float | None = None,
) -> str | None:
    """Read `path` (shown as `name`) in a child process. None when it reads into at least one passage;
    else why not, in one line, without the name. `on_wait(seconds so far)` is called while it works;
    the child is killed after `deadline` seconds (default: the readers' time limit and a grace)."""
    from ingest.readers.limits import current

    deadline = current().seconds + GRACE_SECONDS if deadline is None else deadline
    proc = subprocess.Popen(
        [sys.executable, "-m", "page.reading"],
        cwd=Path(__file__).resolve().parents[1],  # the project, importable even where it is not installed
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: killed whole, never by a signal meant for us
    )
    try:
        proc.stdin.write(json.dumps({"path": str(path), "name": name}).encode())
        proc.stdin.close()
        started = time.monotonic()
        while proc.poll() is None:
            waited = time.monotonic() - started
            if waited > deadline:
                return (
                    f"reading took more than {deadline:,.0f} seconds and was stopped; split the document, "
                    "or check that it is the right file"
                )
            on_wait(waited)
            time.sleep(POLL)
        answer = proc.stdout.read().decode("utf-8", "replace").strip().splitlines()
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        proc.stdout.close()
    try:
        result = json.loads(answer[-1])
    except (IndexError, ValueError):
        # Killed by the memory cap or a crash inside a reader's C code: no answer at all.
        return f"reading it failed ({_how(proc.returncode)}); the file may be damaged or far too large"
    if result.get("ok"):
        return None
    from tracuu.errors import without_name

    return without_name(str(result.get("reason") or "unreadable"), path, name)


def _how(code: int | None) -> str:
    if code is not None and code < 0:
        return f"stopped by signal {signal.Signals(-code).name}"
    return f"exit code {code}"


def _child() -> int:
    import resource

    from tracuu.errors import TracuuError, one_line

    cap = _memory_cap()
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    job = json.loads(sys.stdin.read())
    name = job["name"]
    try:
        import ingest

        document, chunks = ingest.parse_file(Path(job["path"]), doc=name)
        if not document.text.strip() or not chunks:
            answer = {"ok": False, "reason": f"{name}: no readable text (an empty or damaged scan?)"}
        else:
            answer = {"ok": True, "chunks": len(chunks)}
    except TracuuError as e:
        answer = {"ok": False, "reason": one_line(e, 1000)}
    except MemoryError:
        answer = {
            "ok": False,
            "reason": f"{name}: reading it needs more than {cap // 2**20:,} MB; split the file",
        }
    except Exception as e:  # noqa: BLE001 - whatever a reader raises is this file's failure, in one line
        answer = {"ok": False, "reason": f"{name}: cannot be read ({type(e).__name__}: {one_line(e, 160)})"}
    sys.stdout.write(json.dumps(answer, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(_child())
