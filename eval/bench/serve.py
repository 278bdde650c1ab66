"""Start, watch and stop `streamlit run app.py` on a loopback port: shared by the browser test and bench.

The server runs in its own process group, so stopping it also stops anything it started.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Debian's Chromium on a machine with no network but the loopback (DEVELOPERS.md).
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def visitors_env(work: Path, index_dir: Path | None = None) -> dict:
    """The environment of a page server for visitors (no admin password) over `index_dir`, or, when none
    is given, over an index of corpus/ built into `work` first: what the page benchmarks serve."""
    corpus = ROOT / "corpus"
    if index_dir is None:
        import index

        index_dir = work / "index"
        index.build([corpus], index_dir)
    env = {
        **os.environ,
        "TRACUU_INDEX": str(index_dir),
        "TRACUU_CORPUS": str(corpus),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("TRACUU_ADMIN_PASSWORD", None)
    return env


def start(workdir: Path, env: dict, port: int) -> subprocess.Popen:
    """The server, logging to workdir/server.log (`proc.log`, closed by `stop`)."""
    log = open(workdir / "server.log", "wb")  # noqa: SIM115 - lives as long as the server
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
        "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
        "--client.toolbarMode", "viewer",
    ]  # fmt: skip
    proc = subprocess.Popen(
        cmd, cwd=workdir, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    proc.log = log
    proc.log_path = workdir / "server.log"
    return proc


def wait_healthy(proc: subprocess.Popen, url: str, timeout: float = 180, poll: float = 0.05) -> None:
    """Returns once /_stcore/health answers; RuntimeError with the log's tail if the server died or hung."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}:\n{_tail(proc)}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(poll)
    raise RuntimeError(f"streamlit did not answer /_stcore/health within {timeout:.0f}s:\n{_tail(proc)}")


@contextmanager
def running(workdir: Path, env: dict, timeout: float = 180, poll: float = 0.05) -> Iterator[subprocess.Popen]:
    """A page server on a free loopback port, healthy, stopped on leaving. `proc.url` is its address and
    `proc.started` the time.perf_counter() at its launch (for start-up timings)."""
    port = free_port()
    started = time.perf_counter()
    proc = start(workdir, env, port)
    proc.url, proc.started = f"http://127.0.0.1:{port}", started
    try:
        wait_healthy(proc, proc.url, timeout, poll)
        yield proc
    finally:
        stop(proc)


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=15)
    proc.log.close()


def _tail(proc: subprocess.Popen) -> str:
    return proc.log_path.read_text(errors="replace")[-3000:]
