"""`make bench`: retrieval quality and speed in one table, written to eval/report.md with a Recall@k chart.

    python -m eval.bench [--quick] [--skip-synthetic-1m] [--skip PART ...] [--shared ../shared]

Quality: bm25 / dense / hybrid on corpus/ with eval/queries.jsonl, and on the dev queries of
../shared/bench/alqac and congbot, next to the issue's naive pipeline on those two (eval/naive.py: the
"naive anchor" rows; its paragraph vectors are cached in data/bench-index/naive/). Speed: ingest,
load, per-mode query latency and peak memory on those corpora and on synthetic indexes of 100,000
and 1,000,000 chunks. Indexes are cached under data/bench-index/ (a rebuild there is incremental:
unchanged files are not embedded again). Then the other parts' benchmarks, when their modules exist:
eval.bench.readers, eval.bench.app, eval.bench.load (also with the page asking the API), eval.bench.engines,
eval.bench.startup, eval.bench.api, eval.bench.answers (answers, and the directives set by odd and even
ids), eval.bench.obligations, eval.bench.cluster (ingest on a local Ray cluster; needs make
install-cluster), eval.bench.dense (IVF-PQ on 10^6 synthetic vectors), eval.bench.ray_serve (the API on
Ray Serve, one replica vs two; needs make install-cluster). A part that cannot run is skipped with the
reason, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib.util
import inspect
import json
import os
import shutil
import subprocess
import sys
import tempfile
import traceback
from datetime import UTC, datetime
from pathlib import Path

from eval import naive
from eval.bench import report as bench_report
from eval.bench import work as bench_work
from eval.bench.work import in_child
from index.embedders import DEFAULT_MODEL
from tracuu import config

ROOT = Path(__file__).resolve().parents[2]
SETS = ("corpus", "alqac", "congbot")
NAIVE_SETS = ("alqac", "congbot")  # the sets issue 3 states the naive pipeline's figures for
SUBSET_BYTES = 200_000
PARTS = (
    "quality", "ingest", "synthetic", "synthetic-1m", "readers", "app", "load", "load-api", "engines",
    "startup", "api", "answers", "qa", "cluster", "dense", "serve",
)  # fmt: skip


def _args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m eval.bench", description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true",
                   help="CI size: sample corpus, 2,000 synthetic chunks, quick hooks")  # fmt: skip
    p.add_argument("--skip-synthetic-1m", action="store_true", help="leave out the 1,000,000-chunk index")
    p.add_argument("--skip", action="append", default=[], choices=PARTS, help="leave out a part (repeatable)")
    p.add_argument("--shared", type=Path, default=config.shared_dir(ROOT))
    p.add_argument("--sets", nargs="+", choices=SETS, default=list(SETS), help="labelled sets to run")
    p.add_argument("--corpus", type=Path, default=ROOT / "corpus", help="the sample corpus folder")
    p.add_argument("--queries", type=Path, default=ROOT / "eval" / "queries.jsonl")
    p.add_argument("--cache", type=Path, default=ROOT / "data" / "bench-index", help="where indexes are kept")
    p.add_argument("--synthetic", type=int, nargs="*", help="synthetic index sizes (default 100000 1000000)")
    p.add_argument("--max-queries", type=int, help="use only the first N queries of each set")
    p.add_argument("--model", default=DEFAULT_MODEL)
    p.add_argument("-k", type=int, default=10)
    p.add_argument("--out", type=Path, default=ROOT / "eval" / "report.md")
    p.add_argument("--chart", type=Path, default=ROOT / "eval" / "recall.png")
    p.add_argument("--json", type=Path, help="also write the raw figures here")
    a = p.parse_args(argv)
    if a.synthetic is None:
        a.synthetic = [2_000] if a.quick else [100_000, 1_000_000]
    if a.skip_synthetic_1m:
        a.synthetic = [n for n in a.synthetic if n < 1_000_000]
    return a


def _say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def _commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        )
        return out.stdout.strip() or "unknown"
    except OSError:
        return "unknown"


def _datasets(a, skipped: list) -> list[tuple[str, Path, Path]]:
    sets = [("corpus", a.corpus, a.queries)] if "corpus" in a.sets else []
    if a.quick:
        return sets
    for name in ("alqac", "congbot"):
        if name not in a.sets:
            skipped.append((f"quality and speed on {name}", "left out with --sets"))
            continue
        folder = a.shared / "bench" / name
        if (folder / "corpus").is_dir() and (folder / "queries-dev.jsonl").is_file():
            sets.append((name, folder / "corpus", folder / "queries-dev.jsonl"))
        else:
            skipped.append(
                (f"quality and speed on {name}", f"{folder} is absent (../shared is not beside the repo)")
            )
    return sets


def _ingest_record(a, name: str, build: dict) -> dict | None:
    """The build figures of a from-nothing build of this set: this run's, or one an earlier run recorded."""
    record = a.cache / f"{name}.build.json"
    if build.get("fresh"):
        record.write_text(json.dumps({**build, "date": datetime.now(UTC).isoformat(timespec="seconds")}))
        return build
    try:
        return json.loads(record.read_text())
    except (OSError, ValueError):
        return None


def _dataset(a, name: str, corpus: Path, queries: Path) -> dict:
    index_dir = a.cache / name
    d: dict = {}
    if name == "corpus" and "ingest" not in a.skip and index_dir.exists():
        # The sample corpus is small: time a build from nothing every run.
        shutil.rmtree(index_dir)
    _say(f"bench: {name}: index at {index_dir} (built, or brought up to date)")
    build = in_child(bench_work.build, [str(corpus)], str(index_dir), a.model)
    d["ingest"] = _ingest_record(a, name, build)
    if build["written"]:
        # Time an ingest of the unchanged corpus (the incremental path), after the build that wrote it.
        build = in_child(bench_work.build, [str(corpus)], str(index_dir), a.model)
    d["reingest_s"] = None if build["written"] else build["seconds"]
    if d["ingest"] is None and "ingest" not in a.skip:
        d["ingest"] = _ingest_subset(a, corpus)
    _say(f"bench: {name}: load, {'quality, ' if 'quality' not in a.skip else ''}latency")
    qfile = None if "quality" in a.skip else str(queries)
    texts = _query_texts(queries)
    d["measure"] = in_child(bench_work.measure, str(index_dir), qfile, texts, a.k, a.max_queries)
    if qfile and name in NAIVE_SETS:
        _say(f"bench: {name}: naive anchor (eval/naive.py; paragraphs are embedded once, then cached)")
        cache = a.cache / "naive" / f"{name}.npz"
        d["naive"] = in_child(naive.measure, str(corpus), qfile, str(cache), a.k, a.max_queries)
    return d


def _ingest_subset(a, corpus: Path) -> dict:
    """A timed build from nothing of the smallest files of `corpus`, up to SUBSET_BYTES of text.

    Used when the set's cached index was built outside the bench (so its build was not timed) and
    re-embedding the whole set would take most of an hour on two cores.
    """
    files = sorted((p for p in corpus.rglob("*") if p.is_file()), key=lambda p: p.stat().st_size)
    chosen, total = [], 0
    for f in files:
        if chosen and total + f.stat().st_size > SUBSET_BYTES:
            break
        chosen.append(f)
        total += f.stat().st_size
    _say(f"bench: timing a build of {len(chosen)} of {len(files)} files of {corpus} ({total / 1024:.0f} KiB)")
    with tempfile.TemporaryDirectory(prefix="tracuu-bench-") as tmp:
        build = in_child(bench_work.build, [str(f) for f in chosen], str(Path(tmp) / "index"), a.model)
    return {**build, "subset": f"{len(chosen)} of {len(files)} files"}


def _query_texts(path: Path) -> list[str]:
    return [
        json.loads(line)["query"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def _synthetic(a, data: dict, skipped: list) -> None:
    texts = _query_texts(a.queries)
    for n in a.synthetic:
        if n >= 1_000_000 and "synthetic-1m" in a.skip:
            continue
        folder = a.cache / f"synthetic-{n}"
        _say(f"bench: synthetic {n:,} chunks at {folder} (built once, then reused)")
        try:
            build = in_child(bench_work.synthetic, n, str(folder))
            measure = in_child(bench_work.measure, str(folder), None, texts, a.k, a.max_queries)
        except Exception as e:  # noqa: BLE001 (a failed size is reported, the rest of the bench goes on)
            skipped.append((f"synthetic {n:,}", f"failed: {type(e).__name__}: {e}"))
            continue
        data["synthetic"][str(n)] = {"build": build, "measure": measure}


def _call_hook(fn, **available):
    params = inspect.signature(fn).parameters
    return fn(**{k: v for k, v in available.items() if k in params})


def _hooks(a, data: dict, skipped: list, checkpoint) -> None:
    shared_ok = a.shared.is_dir()
    corpus_index = a.cache / "corpus"
    hooks = [
        ("readers", "Readers (eval.bench.readers)", "eval.bench.readers"),
        ("app", "Page (eval.bench.app)", "eval.bench.app"),
        (
            "load",
            "Page server under load (eval.bench.load: websocket sessions, no browser)",
            "eval.bench.load",
        ),
        (
            "load-api",
            "Page server asking the API (eval.bench.load --api: TRACUU_API, one tracuu serve)",
            "eval.bench.load:run_api",
        ),
        ("engines", "Embedding engines (eval.bench.engines)", "eval.bench.engines"),
        (
            "startup",
            "Start-up: one-shot tracuu search, heavy imports (eval.bench.startup)",
            "eval.bench.startup",
        ),
        ("api", "HTTP API, one replica (eval.bench.api)", "eval.bench.api"),
        ("answers", "Answers; directives odd / even ids (eval.bench.answers)", "eval.bench.answers"),
        (
            "cluster",
            "Ingest on a Ray cluster, local vs 1 and 2 workers (eval.bench.cluster)",
            "eval.bench.cluster",
        ),
        ("dense", "Dense IVF-PQ, synthetic vectors (eval.bench.dense)", "eval.bench.dense:rows"),
        (
            "serve",
            "HTTP API on Ray Serve, one replica vs two (eval.bench.ray_serve)",
            "eval.bench.ray_serve",
        ),
    ]
    for part, title, target in hooks:
        module, _, function = target.partition(":")  # a hook is the module's `run` unless named
        if part in a.skip:
            continue
        if importlib.util.find_spec(module) is None:
            skipped.append((title, f"{module} does not exist yet"))
            continue
        if part == "readers" and not shared_ok:
            skipped.append((title, f"{a.shared} is absent (its documents are in ../shared/realdocs)"))
            continue
        if part == "serve" and importlib.util.find_spec("ray") is None:
            skipped.append((title, "Ray is not installed (make install-cluster)"))
            continue
        if part == "cluster" and (importlib.util.find_spec("ray") is None or not shared_ok):
            why = "Ray is not installed (make install-cluster)" if shared_ok else f"{a.shared} is absent"
            skipped.append((title, why))
            continue
        if part in ("api", "load-api") and importlib.util.find_spec("fastapi") is None:
            skipped.append((title, "FastAPI is not installed (pip install '.[api]'; make bench installs it)"))
            continue
        _say(f"bench: {title}")
        try:
            fn = getattr(importlib.import_module(module), function or "run")
            have_index = (corpus_index / "manifest.json").is_file()
            kwargs = {"shared": a.shared, "quick": a.quick, "cache": a.cache, "queries": a.queries}
            kwargs["index_dir"] = corpus_index if have_index else None
            if part == "app" and a.quick:
                kwargs["sessions"] = 4
            data["hooks"][title] = _call_hook(fn, **kwargs)
        except Exception as e:  # noqa: BLE001 (another part's failure is reported, not fatal)
            skipped.append((title, f"failed: {type(e).__name__}: {e}"))
            _say(traceback.format_exc(limit=3))
        checkpoint(data)
    if "qa" not in a.skip:
        title = "Answers (eval.bench.obligations: 20 obligation questions)"
        if importlib.util.find_spec("eval.bench.obligations") is None:
            skipped.append((title, "eval.bench.obligations does not exist yet"))
            return
        if not (corpus_index / "manifest.json").is_file():
            skipped.append((title, "needs the sample corpus index (run with the corpus set)"))
            return
        _say(f"bench: {title}")
        try:
            data["hooks"][title] = in_child(bench_work.qa_latency, str(corpus_index))
        except Exception as e:  # noqa: BLE001
            skipped.append((title, f"failed: {type(e).__name__}: {e}"))


def run(a: argparse.Namespace, checkpoint=lambda data: None) -> dict:
    a.cache.mkdir(parents=True, exist_ok=True)
    data: dict = {
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": _commit(),
        "cpus": os.cpu_count(),
        "load": os.getloadavg(),
        "model": a.model,
        "k": a.k,
        "datasets": {},
        "synthetic": {},
        "hooks": {},
        "skipped": [],
    }
    skipped = data["skipped"]
    for name, corpus, queries in _datasets(a, skipped):
        try:
            data["datasets"][name] = _dataset(a, name, corpus, queries)
        except Exception as e:  # noqa: BLE001 (one set failing leaves the others' figures)
            skipped.append((f"quality and speed on {name}", f"failed: {type(e).__name__}: {e}"))
        checkpoint(data)
    if "quality" not in a.skip and not any("naive" in d for d in data["datasets"].values()):
        why = "--quick runs the sample corpus only" if a.quick else f"no {' or '.join(NAIVE_SETS)} set ran"
        skipped.append(("naive anchor (eval/naive.py)", why))
    if "synthetic" not in a.skip:
        _synthetic(a, data, skipped)
        checkpoint(data)
    _hooks(a, data, skipped, checkpoint)
    data["load_end"] = os.getloadavg()
    return data


def _write(a: argparse.Namespace, data: dict, argv: list[str]) -> Path | None:
    """Report, chart and raw figures as they stand: a run stopped half-way still leaves its figures."""
    data.setdefault("load_end", os.getloadavg())
    rerun = " ".join(["python -m eval.bench", *argv])
    chart = a.chart if bench_report.chart(data, a.chart) else None
    a.out.write_text(bench_report.markdown(data, chart, rerun), encoding="utf-8")
    if a.json:
        a.json.write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str))
    data.pop("load_end")
    return chart


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    a = _args(argv)
    data = run(a, checkpoint=lambda d: _write(a, d, argv))
    chart = _write(a, {**data}, argv)
    print(bench_report.terminal(data))
    print(f"\nreport: {a.out}" + (f", chart: {chart}" if chart else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
