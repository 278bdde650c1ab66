"""The HTTP API under concurrent clients: GET /search and POST /ask at 1, 10 and 50 clients at once.

    python -m eval.bench.api [--index DIR | --url URL] [--clients 1 10 50] [--requests 20 60 150]
                             [--seconds 60]

`tracuu serve` (uvicorn, one process: one replica) is started on a loopback port; the clients are
threads of this process, each with its own connection per request (api.client). A level sends a
bounded number of requests and stops sending after --seconds; its row gives p50/p95/max latency,
requests per second and errors. With --url an already running API is driven instead (e.g. a Ray Serve
deployment), so replica counts compare on the same load.

Every request's query is new to the server: a question of eval/queries.jsonl with its first word gap
widened by a number of spaces unique to the request. Words, embedding and results are unchanged (the
tokenizer folds runs of spaces), but the server's query-embedding cache cannot answer, so the model runs
for every request, as it would for distinct visitors. Without --index the sample corpus is indexed into
a temporary folder first (not timed).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import tempfile
import threading
import time
from pathlib import Path

from eval.bench.work import pct, status_mb
from eval.runner import read_queries

ROOT = Path(__file__).resolve().parents[2]
QUERIES = ROOT / "eval" / "queries.jsonl"
LEVELS = ((1, 20), (10, 60), (50, 150))  # (clients, requests)
QUICK_LEVELS = ((1, 10), (10, 30))


def fresh_queries(path: Path = QUERIES):
    """Endless queries, each spelled differently from every earlier one (see the module's docstring)."""
    questions = list(dict.fromkeys(r["query"] for r in read_queries(path)))
    for n in itertools.count(1):
        for q in questions:
            first, _, rest = q.partition(" ")
            yield f"{first}{' ' * n} {rest}" if rest else q


def _level(url: str, endpoint: str, clients: int, requests: int, seconds: float, queries) -> dict:
    from api.client import Client
    from tracuu.errors import ApiError

    lock = threading.Lock()
    latencies: list[float] = []
    errors: list[str] = []
    sent = itertools.count()
    deadline = time.monotonic() + seconds

    def work() -> None:
        client = Client(url, timeout=max(seconds, 30))
        call = client.search if endpoint == "/search" else client.ask
        while next(sent) < requests and time.monotonic() < deadline:
            with lock:
                query = next(queries)
            t = time.perf_counter()
            try:
                call(query)
            except ApiError as e:
                errors.append(f"{e.status}: {e}")
                continue
            latencies.append(time.perf_counter() - t)

    threads = [threading.Thread(target=work) for _ in range(clients)]
    t = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    wall = time.perf_counter() - t
    ms = [s * 1000 for s in latencies]
    return {
        "endpoint": endpoint,
        "clients": clients,
        "requests": len(ms) + len(errors),
        "p50_ms": _ms(pct(ms, 50)),
        "p95_ms": _ms(pct(ms, 95)),
        "max_ms": _ms(max(ms, default=None)),
        "req_per_s": round(len(ms) / wall, 2) if wall else None,
        "errors": len(errors),
        "first_error": errors[0] if errors else "",
    }


def _ms(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def drive(url: str, levels=LEVELS, seconds: float = 60) -> list[dict]:
    """One row per endpoint and level against the API at `url`."""
    queries = fresh_queries()
    return [
        _level(url, endpoint, clients, requests, seconds, queries)
        for endpoint in ("/search", "/ask")
        for clients, requests in levels
    ]


def rss_mb(pid: int) -> float | None:
    mb = status_mb("VmRSS", pid)
    return None if mb is None else round(mb, 1)


def run(index_dir: Path | None = None, quick: bool = False, seconds: float = 60, levels=None) -> list[dict]:
    """Start `tracuu serve` on `index_dir` (default: the sample corpus, indexed first) and drive it."""
    import index
    from eval.bench import api_server as server

    levels = levels or (QUICK_LEVELS if quick else LEVELS)
    with tempfile.TemporaryDirectory(prefix="tracuu-bench-api-") as tmp:
        work = Path(tmp)
        if index_dir is None:
            index_dir = work / "index"
            index.build([ROOT / "corpus"], index_dir)
        port = server.free_port()
        url = f"http://127.0.0.1:{port}"
        started = time.perf_counter()
        proc = server.start(index_dir, port, work / "server.log", {**os.environ, "PYTHONPATH": str(ROOT)})
        try:
            health = server.wait_ready(proc, url)
            ready = time.perf_counter() - started
            rows = drive(url, levels, seconds)
            rss = rss_mb(proc.pid)
        finally:
            server.stop(proc)
        log = (work / "server.log").read_text(errors="replace")
    start = {
        "endpoint": f"server start → /health ({health['chunks']} chunks, model loaded)",
        "seconds": round(ready, 2),
        "server_rss_mb": rss,
        "tracebacks": log.count("Traceback"),
    }
    return [start, *rows]


def add_level_args(ap: argparse.ArgumentParser) -> None:
    """--clients, --requests, --seconds: the load levels of this bench and eval/bench/ray_serve.py."""
    ap.add_argument("--clients", type=int, nargs="+", default=[c for c, _ in LEVELS])
    ap.add_argument("--requests", type=int, nargs="+", default=[n for _, n in LEVELS])
    ap.add_argument("--seconds", type=float, default=60, help="stop sending after this long, per level")


def levels_of(ap: argparse.ArgumentParser, a: argparse.Namespace) -> tuple[tuple[int, int], ...]:
    if len(a.clients) != len(a.requests):
        ap.error("give as many --requests as --clients")
    return tuple(zip(a.clients, a.requests, strict=True))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", type=Path, help="an index folder to serve (default: build one from corpus/)")
    ap.add_argument("--url", help="drive an API already running here instead of starting one")
    add_level_args(ap)
    a = ap.parse_args(argv)
    levels = levels_of(ap, a)
    rows = drive(a.url, levels, a.seconds) if a.url else run(a.index, seconds=a.seconds, levels=levels)
    for row in rows:
        print(json.dumps(row, ensure_ascii=False))


if __name__ == "__main__":
    main()
