"""Start `tracuu serve` in a subprocess on a loopback port and wait until it answers: for the tests
and eval/bench/api.py (eval/bench/serve.py does the same for the Streamlit page; its port and stop are
reused).
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from api.client import Client
from eval.bench.serve import free_port, stop
from tracuu.errors import ApiError

__all__ = ["free_port", "start", "stop", "wait_ready"]


def start(
    index_dir: Path, port: int, log_path: Path, env: dict | None = None, extra_args: tuple[str, ...] = ()
) -> subprocess.Popen:
    """The API serving `index_dir` on 127.0.0.1:`port`, logging to `log_path` (closed by `stop`);
    `extra_args` go to `tracuu serve` as they are (`--ray --replicas N`)."""
    log = open(log_path, "wb")  # noqa: SIM115 - lives as long as the server
    cmd = [sys.executable, "-m", "tracuu.cli", "serve", "--index", str(index_dir), "--port", str(port)]
    cmd += extra_args
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    proc.log = log
    proc.log_path = Path(log_path)
    return proc


def wait_ready(proc: subprocess.Popen, url: str, timeout: float = 300) -> dict:
    """/health's JSON once the server answers; RuntimeError with the log's tail if it died or hung."""
    client = Client(url, timeout=5)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"tracuu serve exited with {proc.returncode}:\n{_tail(proc)}")
        try:
            return client.health()
        except ApiError:
            time.sleep(0.1)
    raise RuntimeError(f"tracuu serve did not answer /health within {timeout:.0f}s:\n{_tail(proc)}")


def _tail(proc: subprocess.Popen) -> str:
    proc.log.flush()
    return proc.log_path.read_text(errors="replace")[-3000:]
