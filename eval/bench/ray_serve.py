"""The API as Ray Serve replicas under concurrent clients: one replica vs two, same load as eval/bench/api.py.

    python -m eval.bench.ray_serve [--index DIR] [--replicas 1 2] [--clients 1 10 50] [--requests 20 60 150]
                               [--seconds 60]

For each replica count, `tracuu serve --ray --replicas N` is started in its own process (a private local
Ray cluster on 127.0.0.1, Serve's HTTP proxy on a loopback port), and this process drives /search and
/ask with eval/bench/api.py's load generator (fresh query spellings, bounded in count and time per
level). Rows: the start to a healthy API, then p50/p95/max latency, requests/s and errors per endpoint
and level. Without --index the sample corpus is indexed into a temporary folder first (not timed).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from eval.bench.api import LEVELS, add_level_args, drive, levels_of

ROOT = Path(__file__).resolve().parents[2]


def _stop(proc: subprocess.Popen) -> None:
    """SIGTERM to the command alone: it removes Serve and stops the cluster it started; the group after."""
    from eval.bench import api_server as server

    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            pass
    server.stop(proc)


def run(index_dir: Path | None = None, replicas=(1, 2), levels=LEVELS, seconds: float = 60) -> list[dict]:
    import index
    from eval.bench import api_server as server

    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="tracuu-bench-serve-") as tmp:
        work = Path(tmp)
        if index_dir is None:
            index_dir = work / "index"
            index.build([ROOT / "corpus"], index_dir)
        for n in replicas:
            port = server.free_port()
            url = f"http://127.0.0.1:{port}"
            started = time.perf_counter()
            env = {**os.environ, "PYTHONPATH": str(ROOT)}  # cluster/local.py switches Ray's usage stats off
            ray_args = ("--ray", "--replicas", str(n))
            proc = server.start(index_dir, port, work / f"serve-{n}.log", env, ray_args)
            try:
                health = server.wait_ready(proc, url, timeout=600)
                ready = time.perf_counter() - started
                level_rows = drive(url, levels, seconds)
            finally:
                _stop(proc)
            log = (work / f"serve-{n}.log").read_text(errors="replace")
            rows.append(
                {
                    "replicas": n,
                    "endpoint": f"start → /health ({health['chunks']} chunks; cluster, Serve, replicas)",
                    "seconds": round(ready, 1),
                    "tracebacks": log.count("Traceback"),
                }
            )
            rows += [{"replicas": n, **r} for r in level_rows]
    return rows


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", type=Path, help="an index folder to serve (default: build one from corpus/)")
    ap.add_argument("--replicas", type=int, nargs="+", default=[1, 2])
    add_level_args(ap)
    a = ap.parse_args(argv)
    levels = levels_of(ap, a)
    for row in run(a.index, a.replicas, levels, a.seconds):
        print(json.dumps(row, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
