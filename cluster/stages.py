"""The work a Ray worker does for `tracuu ingest --ray`, one function per pipeline stage.

Rows carry a file's bytes (the driver reads them: workers on other machines cannot see its disk) and,
between stages, pickled documents, chunks, tokens and vectors: Arrow would rewrite the chunks' free-form
metadata into columns, and the index must equal a local build's exactly. Each stage calls the same code
as a local build (index.build, ingest.readers), so the results are the same.
"""

from __future__ import annotations

import csv
import json
import pickle
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path, PurePosixPath


@contextmanager
def _as_file(row: dict):
    """The row's bytes as a file laid out as on the driver: the same name, as deep below a temporary
    folder as `doc` is below the folder given to ingest, with a catalog.csv there holding the driver's
    catalog entry for it (ingest/catalog.py finds a document's catalog by that layout)."""
    with tempfile.TemporaryDirectory(prefix="tracuu-ray-") as folder:
        path = Path(folder).joinpath(*PurePosixPath(row["doc"]).parts[:-1], row["name"])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(row["data"])
        fields = json.loads(row["catalog"])
        if fields:
            with open(Path(folder) / "catalog.csv", "w", encoding="utf-8", newline="") as f:
                out = csv.writer(f)
                out.writerow(["doc", "field", "value", "source"])
                out.writerows([row["doc"], k, v, ""] for k, v in fields.items())
        yield path


def scanned_pages(row: dict) -> list[dict]:
    """One row per scanned page of a PDF, holding the page image tesseract will read."""
    from ingest.readers import limits, pdf

    t0 = time.perf_counter()
    try:
        with _as_file(row) as path:
            pages = pdf.scanned_page_images(path, limits.current().pages)
    except Exception:  # noqa: BLE001 - a file that cannot be rendered here is read (and refused) whole later
        pages = []
    per_page = (time.perf_counter() - t0) / max(1, len(pages))
    return [{"i": row["i"], "page": n, "png": png, "render_s": per_page} for n, png in pages]


def ocr_page(row: dict) -> dict:
    """Tesseract's text of one page image; None when tesseract fails (the reader then fails as locally)."""
    import ray

    from ingest.readers import ocr

    t0 = time.perf_counter()
    try:
        text = ocr.read_image(row["png"])
    except Exception:  # noqa: BLE001 - reading the file runs tesseract again and reports its error
        text = None
    seconds = row["render_s"] + time.perf_counter() - t0
    task = ray.get_runtime_context().get_task_id() or ""
    return {"i": row["i"], "page": row["page"], "text": text, "ocr_s": seconds, "task": task}


def read_split(row: dict) -> dict:
    """Read and split one file (with its pages' OCR text, if any): its pickled (document, chunks), or
    the one-line reason it failed, worded as a local build words it."""
    from index import inputs
    from index.build import ToRead, read
    from ingest.readers import ocr
    from tracuu.errors import TracuuError

    t0 = time.perf_counter()
    pages = pickle.loads(row["ocr"]) if row["ocr"] else {}
    out = {"i": row["i"], "doc": row["doc"], "result": b"", "error": "", "known": row["known"]}
    with _as_file(row) as path:
        try:
            with ocr.prefilled(pages):
                out["result"] = pickle.dumps(read(ToRead(path, row["doc"], "", "")))
        except TracuuError as e:
            out["error"] = inputs.reason(path, e).replace(str(path), row["path"])
    out["read_s"] = time.perf_counter() - t0
    return out


def segment(row: dict) -> dict:
    """pyvi's tokens of every chunk of one file, by embedded text (what `build.finish` takes)."""
    from index.chunk_view import embed_text
    from index.chunk_view import segment as segment_chunk

    t0 = time.perf_counter()
    tokens = {}
    if row["result"]:
        document, chunks = pickle.loads(row["result"])
        tokens = {embed_text(document.title, c): segment_chunk(document.title, c) for c in chunks}
    return row | {"tokens": pickle.dumps(tokens), "segment_s": time.perf_counter() - t0}


class Embed:
    """An actor that loads the model once and embeds the chunks of the files it is given, except those
    whose vectors the index already holds (`known`: the cache keys of the file's previous version)."""

    def __init__(self, model: str, threads: int) -> None:
        from index.embedders import load

        self.embedder = load(model, fallback=False)
        if hasattr(self.embedder, "use_threads"):
            self.embedder.use_threads(threads)  # its share of the node, not every core

    def __call__(self, row: dict) -> dict:
        from index.build import cache_key
        from index.chunk_view import embed_text
        from index.writer import embed_batched

        t0 = time.perf_counter()
        texts: dict[str, str] = {}
        if row["result"]:
            known = pickle.loads(row["known"])
            document, chunks = pickle.loads(row["result"])
            for c in chunks:
                text = embed_text(document.title, c)
                key = cache_key(self.embedder.name, text)
                if key not in known:
                    texts[key] = text
        keys = list(texts)
        vectors = dict(zip(keys, embed_batched(self.embedder, [texts[k] for k in keys]), strict=True))
        return row | {"vectors": pickle.dumps(vectors), "embed_s": time.perf_counter() - t0}
