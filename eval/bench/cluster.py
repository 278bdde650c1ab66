"""Ingest on a Ray cluster against a local build: ALQAC's laws (text) and the scanned PDFs of realdocs.

    python -m eval.bench.cluster [--shared ../shared] [--quick | --laws N --scans N] [--json FILE]

For each set: a local build (`index.build.build`), then `tracuu ingest --ray` on a local cluster of this
machine's CPUs with 1 and 2 workers (a worker: one read/OCR/segment task slot and one embedding actor),
each into a fresh index so every chunk is read and embedded (and checked equal to the local build's).
Rows give chunks/s and pages/s and where the time went, per stage: for the local build read/OCR, split,
segment, embed, write (from its progress calls; split timed again apart); for Ray the seconds the
workers spent in read/OCR (with split), segment and embed, summed over workers, the driver's part
(`write s`: hashing the files and writing the index) and the pipeline's wall time. `overhead s` is Ray
with 1 worker less the local build. The projection to N workers is

    T(N) = driver + fixed + work / N

with `work` the stages' seconds summed over the workers, `driver` plan + write, `fixed` what the 2-worker
pipeline took beyond work / 2 (actor start, model load, scheduling, moving rows), all from the 2-worker
run. The cluster's start-up is shown apart: it is paid once per `tracuu ingest --ray` without an
address, not per file.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

from tracuu import config

ROOT = Path(__file__).resolve().parents[2]
WORKERS = (1, 2)
PROJECT = (4, 16, 64)


def _sets(shared: Path, laws: int | None, scans: int | None) -> list[tuple[str, list[Path]]]:
    """ALQAC's laws and realdocs' scans, smallest first; the first `laws` / `scans` of them when given."""
    alqac = sorted((shared / "bench" / "alqac" / "corpus").glob("*.txt"), key=lambda p: p.stat().st_size)
    pdfs = sorted((shared / "realdocs").glob("*-scanned.pdf"), key=lambda p: p.stat().st_size)
    alqac, pdfs = alqac[:laws], pdfs[:scans]
    return [(f"ALQAC, {len(alqac)} laws (text)", alqac), (f"realdocs, {len(pdfs)} scanned PDFs", pdfs)]


def _pages(files: list[Path]) -> int:
    import pymupdf

    return sum(pymupdf.open(f).page_count for f in files if f.suffix.lower() == ".pdf")


def _local(files: list[Path], work: Path) -> dict:
    """A local build, its stages timed from its progress calls; split timed apart on its documents."""
    from index import store
    from index.build import build
    from ingest import sections

    marks: dict[str, float] = {}

    def progress(stage: str, done: int, total: int) -> None:
        marks.setdefault(stage, time.perf_counter())
        if stage == "write" and done >= total:
            marks["end"] = time.perf_counter()

    t0 = time.perf_counter()
    report = build(files, work / "local", progress=progress)
    total = time.perf_counter() - t0
    docs = [store.document_from_row(r) for r in store.read_jsonl(work / "local" / "documents.jsonl")]
    s0 = time.perf_counter()
    for d in docs:
        sections.split(d)
    split = time.perf_counter() - s0
    read_split = marks["segment"] - marks.get("read", t0)
    return {
        "report": report,
        "seconds": total,
        "stages": {
            "read/OCR": read_split - split,
            "split": split,
            "segment": marks["embed"] - marks["segment"],
            "embed": marks["write"] - marks["embed"],
            "write": marks.get("end", t0 + total) - marks["write"],
        },
    }


def _ray(files: list[Path], work: Path, workers: int) -> dict:
    from cluster.ingest import Timings, ingest

    t = Timings()
    t0 = time.perf_counter()
    report = ingest(files, work / f"ray{workers}", workers=workers, timings=t)
    total = time.perf_counter() - t0
    return {"report": report, "seconds": total, "timings": t}


def _check_same(a: Path, b: Path) -> None:
    """A figure of a Ray build that differs from the local one would compare different work."""
    for name in ("chunks.jsonl", "tokens.jsonl", "keys.txt"):
        if (a / name).read_bytes() != (b / name).read_bytes():
            raise RuntimeError(f"the Ray build's {name} differs from the local build's")


def _row(name: str, how: str, r: dict, chunks: int, pages: int) -> dict:
    row = {
        "set": name,
        "how": how,
        "seconds": round(r["seconds"], 1),
        "chunks": chunks,
        "chunks/s": round(chunks / r["seconds"], 1),
    }
    if pages:
        row["pages"] = pages
        row["pages/s"] = round(pages / r["seconds"], 2)
    return row


def _projection(name: str, two: dict, chunks: int, pages: int) -> list[dict]:
    """T(N) = driver + fixed + work / N from the 2-worker run (see the module's docstring)."""
    t = two["timings"]
    work_s = t.ocr + t.read + t.segment + t.embed
    driver = two["report"].seconds - t.pipeline
    fixed = max(0.0, t.pipeline - work_s / 2)
    rows = []
    for n in PROJECT:
        seconds = driver + fixed + work_s / n
        row = {"set": name, "how": f"projected, {n} workers", "seconds": round(seconds, 1), "chunks": chunks,
               "chunks/s": round(chunks / seconds, 1)}  # fmt: skip
        if pages:
            row |= {"pages": pages, "pages/s": round(pages / seconds, 2)}
        rows.append(
            row | {"work s": round(work_s, 1), "driver s": round(driver, 1), "fixed s": round(fixed, 1)}
        )
    return rows


def run(
    shared: Path | None = None, quick: bool = False, laws: int | None = None, scans: int | None = None
) -> list[dict]:
    from cluster import local

    shared = Path(shared or config.shared_dir(ROOT))
    rows: list[dict] = []
    work = Path(tempfile.mkdtemp(prefix="tracuu-bench-cluster-"))
    try:
        laws, scans = (2, 1) if quick else (laws, scans)
        sets = [(n, f) for n, f in _sets(shared, laws, scans) if f]
        locals_ = {}
        for name, files in sets:
            locals_[name] = _local(files, work / name.split()[0])
        c0 = time.perf_counter()
        local.start_local(num_cpus=os.cpu_count() or 1)
        startup = time.perf_counter() - c0
        for name, files in sets:
            folder = work / name.split()[0]
            base = locals_[name]
            chunks, pages = base["report"].chunks, _pages(files)
            row = _row(name, "local build", base, chunks, pages)
            rows.append(row | {f"{k} s": round(v, 1) for k, v in base["stages"].items()})
            runs = {}
            for w in WORKERS:
                r = runs[w] = _ray(files, folder, w)
                _check_same(folder / "local", folder / f"ray{w}")
                t = r["timings"]
                row = _row(name, f"Ray, {w} worker{'s' if w > 1 else ''}", r, chunks, pages)
                row |= {
                    "read/OCR s": round(t.ocr + t.read, 1), "segment s": round(t.segment, 1),
                    "embed s": round(t.embed, 1), "write s": round(r["report"].seconds - t.pipeline, 1),
                    "pipeline wall s": round(t.pipeline, 1),
                }  # fmt: skip
                if w == 1:
                    row["overhead s"] = round(r["seconds"] - base["seconds"], 1)
                rows.append(row)
            rows += _projection(name, runs[2], chunks, pages)
        rows.append({"set": "-", "how": "local cluster start-up", "seconds": round(startup, 1)})
    finally:
        import ray

        if ray.is_initialized():
            ray.shutdown()
        shutil.rmtree(work, ignore_errors=True)
    return rows


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m eval.bench.cluster", description=__doc__.splitlines()[0])
    p.add_argument("--shared", type=Path, default=None)
    p.add_argument("--quick", action="store_true", help="the two smallest ALQAC laws and the smallest scan")
    p.add_argument("--laws", type=int, help="only the N smallest of ALQAC's 17 laws")
    p.add_argument("--scans", type=int, help="only the N smallest of realdocs' 3 scanned PDFs")
    p.add_argument("--json", type=Path, help="also write the rows here")
    a = p.parse_args(argv)
    rows = run(a.shared, a.quick, a.laws, a.scans)
    from eval.bench.report import hook_table

    print(hook_table(rows))
    if a.json:
        a.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
