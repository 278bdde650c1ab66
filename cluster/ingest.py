"""`tracuu ingest --ray`: the build of index.build with its middle run as a Ray Data pipeline.

    plan (driver: sha256 of every file; only new and changed ones go on)
      -> OCR: scanned PDF pages rendered per file, each page read by tesseract as its own task
      -> read + split (tasks) -> segment (tasks) -> embed (actors that load the model once)
    finish (driver: the index written exactly as a local build writes it, swapped in atomically)

Tasks are never retried: a worker lost mid-pipeline fails the build with one line, before anything is
written, so the old index stays as it was (a rerun starts over; files already in the index are skipped).
"""

from __future__ import annotations

import pickle
import time
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cluster import local, stages
from index.build import BuildReport, Plan, Progress, accept, finish, plan, previous_keys
from tracuu.errors import TracuuError, first_line, one_line

# Each stage's share of a CPU: the read, OCR and segment tasks and the embedding actors of one worker
# fit in one core together, so Ray runs them side by side instead of queueing one behind another.
TASK_CPUS = 0.5
ACTOR_CPUS = 0.5
# Ray 2.60 has no named parameter for retries and marks the catch-all ray_remote_args deprecated (for 2.64;
# the extra pins 2.60.*): passed anyway, with that warning silenced in _build_dataset.
NO_RETRY = {"max_retries": 0}
NO_RESTART = {"max_restarts": 0, "max_task_retries": 0}


@dataclass
class Timings:
    """Seconds spent in each stage, summed over the workers (wall: the pipeline from start to end)."""

    ocr: float = 0.0
    read: float = 0.0
    segment: float = 0.0
    embed: float = 0.0
    pipeline: float = 0.0
    pages: int = 0  # scanned pages OCR'd
    ocr_tasks: int = 0  # the Ray tasks they were OCR'd in
    files: int = 0  # files that went through the pipeline


def ingest(
    paths: list[Path],
    index_dir: Path,
    model: str | None = None,
    address: str | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
    timings: Timings | None = None,
) -> BuildReport:
    """Make the index at `index_dir` mirror `paths` as `index.build.build` does, with the files' reading, OCR,
    segmenting and embedding spread over the Ray cluster at `address` (None: a local one)."""
    if address in (None, "", local.LOCAL):
        local.loopback_node()  # before Ray is imported
    local.require_ray()  # a missing extra is said before any work
    p = plan([Path(x) for x in paths], Path(index_dir), model)
    tokens, vectors = {}, {}
    if p.todo:  # nothing new or changed: no cluster is started or joined
        local.connect(address)
        tokens, vectors = _run(p, workers or local.workers(), progress, timings or Timings())
    return finish(p, progress, tokens, vectors)


def _rows(p: Plan) -> list[dict]:
    import json

    from ingest import catalog

    rows = []
    for i, item in enumerate(p.todo):
        try:
            data = item.path.read_bytes()
        except OSError as e:  # the same words as a file that cannot be hashed
            data, error = b"", f"cannot be read ({e.strerror}); check that the file is readable"
        else:
            error = ""
        known = pickle.dumps(previous_keys(p, item.doc))
        fields = json.dumps(catalog.entry(item.path, item.doc), ensure_ascii=False)
        rows.append(
            {"i": i, "name": item.path.name, "path": str(item.path), "doc": item.doc, "data": data,
             "known": known, "ocr": b"", "error": error, "catalog": fields}
        )  # fmt: skip
    return rows


def _ocr(ray, rows: list[dict], workers: int, t: Timings) -> None:
    """OCR every scanned page of the PDFs among `rows`, a page per task; texts go into the rows."""
    from ingest.readers import ocr

    pdfs = [r for r in rows if r["name"].lower().endswith(".pdf") and r["data"]]
    if not pdfs or ocr.unavailable_reason():
        return  # the readers say why a scan cannot be read
    with _no_deprecation_notes():
        ds = ray.data.from_items(pdfs, override_num_blocks=len(pdfs))
        images = ds.flat_map(stages.scanned_pages, **_tasks(ray, min(workers, len(pdfs)))).materialize()
        count = images.count()
        if not count:
            return
        # a block per page, so that each page is a task of its own wherever a worker is free
        ds = images.repartition(target_num_rows_per_block=1, strict=True)
        ds = ds.map(stages.ocr_page, **_tasks(ray, min(workers, count)))
    pages: dict[int, dict[int, str]] = {}
    tasks = set()
    for page in ds.iter_rows():
        t.ocr += page["ocr_s"]
        t.pages += 1
        tasks.add(page["task"])
        if page["text"] is not None:
            pages.setdefault(page["i"], {})[page["page"]] = page["text"]
    t.ocr_tasks = len(tasks)
    for r in rows:
        if r["i"] in pages:
            r["ocr"] = pickle.dumps(pages[r["i"]])


def _tasks(ray, workers: int) -> dict:
    return {"num_cpus": TASK_CPUS, "compute": ray.data.TaskPoolStrategy(size=workers), **NO_RETRY}


@contextmanager
def _no_deprecation_notes():
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*ray_remote_args.* is deprecated")
        yield


def _dataset(ray, rows: list[dict], model: str, workers: int):
    """read + split -> segment (tasks) -> embed (an actor per worker, the node's CPUs shared among them)."""
    threads = max(1, local.workers() // workers)
    workers = max(1, min(workers, len(rows)))  # no more slots than files
    with _no_deprecation_notes():
        ds = ray.data.from_items(rows, override_num_blocks=max(1, len(rows)))
        ds = ds.map(stages.read_split, **_tasks(ray, workers))
        ds = ds.map(stages.segment, **_tasks(ray, workers))
        return ds.map(
            stages.Embed,
            fn_constructor_kwargs={"model": model, "threads": threads},
            num_cpus=ACTOR_CPUS,
            compute=ray.data.ActorPoolStrategy(size=workers),
            **NO_RESTART,
        )


def _run(p: Plan, workers: int, progress, t: Timings):
    ray = local.require_ray()
    _quiet(ray)
    progress = progress or (lambda stage, done, total: None)
    rows = _rows(p)
    unread = {r["i"]: r["error"] for r in rows if r["error"]}
    rows = [r for r in rows if not r["error"]]
    results: dict[int, dict] = {}
    t0 = time.perf_counter()
    try:
        _ocr(ray, rows, workers, t)
        for row in _dataset(ray, rows, p.embedder.name, workers).iter_rows():
            progress("read", len(results), len(p.todo))
            results[row["i"]] = row
            t.read += row["read_s"]
            t.segment += row["segment_s"]
            t.embed += row["embed_s"]
    except TracuuError:
        raise
    except Exception as e:  # noqa: BLE001 - a lost worker or node, whatever Ray calls it
        raise TracuuError(
            f"the Ray pipeline failed ({type(e).__name__}: {one_line(first_line(e), 300)}); the index at "
            f"{p.index_dir} was not changed; run the ingest again"
        ) from None
    t.pipeline = time.perf_counter() - t0
    t.files = len(results)
    tokens, vectors = {}, {}
    for i, item in enumerate(p.todo):  # in the order a local build reports them
        row = results.get(i)
        if row is None or row["error"]:
            accept(p, item, None, unread.get(i) or (row or {}).get("error") or "lost by the Ray pipeline")
            continue
        accept(p, item, pickle.loads(row["result"]))
        tokens.update(pickle.loads(row["tokens"]))
        vectors.update(pickle.loads(row["vectors"]))
    progress("read", len(p.todo), len(p.todo))
    return tokens, vectors


def _quiet(ray) -> None:
    """No progress bars, per-dataset log lines or tracebacks on the terminal: ingest prints its own
    progress, and a failure as one line."""
    import logging

    ctx = ray.data.DataContext.get_current()
    ctx.enable_progress_bars = False
    ctx.print_on_execution_start = False
    logging.getLogger("ray.data").setLevel(logging.CRITICAL)
