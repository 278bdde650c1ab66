"""The bench's measurements, each run in a fresh process so its peak memory (RSS) is its own.

Every function here takes and returns plain data (it crosses a process boundary).
"""

from __future__ import annotations

import resource
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import numpy as np

MODES = ("bm25", "dense", "hybrid")


def in_child(fn, *args):
    """fn(*args) in a new interpreter (spawn: no memory inherited from this one)."""
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as ex:
        return ex.submit(fn, *args).result()


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def status_mb(field: str, pid: int | str = "self") -> float | None:
    """A size line of /proc/PID/status (VmRSS, RssAnon, RssFile...) in MB; None when the process is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def folder_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file()) / 2**20


def pct(values, q: float) -> float | None:
    return float(np.percentile(values, q)) if len(values) else None


def build(paths: list[str], index_dir: str, model: str) -> dict:
    """index.build, timed; `fresh` tells whether every chunk went through the model this time."""
    import index

    t = time.perf_counter()
    report = index.build([Path(p) for p in paths], Path(index_dir), model=model)
    seconds = time.perf_counter() - t
    return {
        "chunks": report.chunks,
        "embedded": report.embedded,
        "written": report.written,
        "fresh": report.written and report.embedded == report.chunks and report.chunks > 0,
        "seconds": seconds,
        "embed_seconds": report.embed_seconds,
        "peak_rss_mb": peak_rss_mb(),
    }


def _latency(secs: list[float]) -> dict:
    ms = [s * 1000 for s in secs]
    return {"p50_ms": pct(ms, 50), "p95_ms": pct(ms, 95), "n": len(ms)}


def measure(
    index_dir: str, queries_file: str | None, texts: list[str], k: int, max_queries: int | None
) -> dict:
    """Load time, first-query time, per-mode latency, and (with a queries file) quality, in one process."""
    import index
    from eval import metrics
    from eval.runner import read_queries, run

    t = time.perf_counter()
    ix = index.load(Path(index_dir))
    load_s = time.perf_counter() - t
    t = time.perf_counter()
    ix.search("kế hoạch năm học", k=k, mode="hybrid")  # loads the model: what the first visitor waits for
    first_s = time.perf_counter() - t
    out: dict = {
        "chunks": len(ix.chunks),
        "documents": len(ix.documents),
        "dense": ix.manifest.get("dense", {}).get("kind", ""),
        "load_s": load_s,
        "first_query_s": first_s,
        "index_mb": folder_mb(Path(index_dir)),
    }
    if queries_file:
        queries = read_queries(Path(queries_file))[:max_queries]
        result = run(ix, queries, k=k, modes=MODES)
        out["quality"] = result.table()
        out["queries"] = len(queries)
        out["no_answer"] = len(result.no_answer)
        out["top_scores"] = {m: result.top_score_medians(m) for m in MODES}
        n_gold = {q: len(g) for q, g in result.gold.items()}
        out["recall_curve"] = {
            m: metrics.recall_curve(r.matches, n_gold, range(1, k + 1)) for m, r in result.modes.items()
        }
        kinds = {str(q["id"]): q.get("kind") for q in queries}
        out["by_kind"] = _by_kind(result, kinds, k)
        out["latency"] = {m: _latency(list(r.seconds.values())) for m, r in result.modes.items()}
        texts = [q["query"] for q in queries]
    else:
        texts = texts[:max_queries]
        out["latency"] = {}
        for mode in MODES:
            ix.forget_queries()  # time the query embedding in every mode, not only the first
            secs = []
            for q in texts:
                t = time.perf_counter()
                ix.search(q, k=k, mode=mode)
                secs.append(time.perf_counter() - t)
            out["latency"][mode] = _latency(secs)
    secs = []
    for q in texts:
        t = time.perf_counter()
        ix.embedder.embed_query(q)
        secs.append(time.perf_counter() - t)
    out["embed_query"] = _latency(secs)
    out["peak_rss_mb"] = peak_rss_mb()
    return out


def _by_kind(result, kinds: dict, k: int) -> dict:
    """{kind: {"n": count, mode: MRR@k}} over answered queries that carry a kind."""
    table: dict[str, dict] = {}
    for kind in sorted({v for v in kinds.values() if v}):
        ids = [q for q in result.answered if kinds[q] == kind]
        if ids:
            row = {"n": len(ids)}
            for mode, r in result.modes.items():
                row[mode] = sum(r.per_query[q][f"mrr@{k}"] for q in ids) / len(ids)
            table[kind] = row
    return table


def synthetic(n: int, index_dir: str) -> dict:
    """Build (or reuse) a synthetic index of n chunks; its build record."""
    from eval.bench import synth as bench_synth

    out = Path(index_dir)
    if bench_synth.is_built(out, n):
        return {**bench_synth.build_record(out), "reused": True}
    record = bench_synth.build(n, out)
    return {**record, "reused": False, "peak_rss_mb": peak_rss_mb()}


def qa_latency(index_dir: str) -> dict:
    """eval.bench.obligations on the sample corpus index: answer quality on obligation questions and `ask`
    latency."""
    import index
    from eval.bench import obligations as bench

    rows = bench.run(index.load(Path(index_dir)))
    return bench.summary(rows)
