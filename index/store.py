"""The index folder on disk (DESIGN "Index folder") and its atomic replacement.

    manifest.json    format_version, created, tracuu version, embedder, segmenter, chunk count, documents
    chunks.jsonl     line i = FAISS id i = BM25 id i
    documents.jsonl  canonical text, title, meta, notes per document (offsets point into it)
    tokens.jsonl     line i = stored pyvi tokens of chunk i (a rebuild never segments a stored chunk again)
    keys.txt         line i = sha256 of (model, embedded text) of chunk i: the embedding cache key
    dense.faiss      vectors, inner product on L2-normalised embeddings (flat; IVF-PQ past a size threshold,
                     its parameters in the manifest's "dense")
    dense.vectors.npy  with IVF-PQ only: the exact vectors its candidates are re-ranked against
    bm25/words, bm25/bare

A build writes everything into a sibling folder, then swaps it in with one atomic rename (Linux
renameat2 RENAME_EXCHANGE, else a two-rename fallback that `recover` repairs), so a crash or Ctrl-C at
any moment leaves either the old or the new index whole.
"""

from __future__ import annotations

import ctypes
import json
import os
import shutil
from pathlib import Path

from tracuu.types import Chunk, Document

FORMAT_VERSION = 1
NEW, OLD = ".new-", ".old-"


def write_jsonl(path: Path, rows) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def read_jsonl(path: Path) -> list:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def chunk_row(c: Chunk) -> dict:
    return {
        "doc": c.doc,
        "start": c.start,
        "end": c.end,
        "heading": c.heading,
        "section": c.section,
        "text": c.text,
        "meta": c.meta,
    }


def chunk_from_row(r: dict) -> Chunk:
    return Chunk(
        r["doc"],
        r["start"],
        r["end"],
        r.get("heading", ""),
        r.get("section", ""),
        r["text"],
        r.get("meta") or {},
    )


def document_row(d: Document) -> dict:
    return {"doc": d.doc, "title": d.title, "meta": d.meta, "notes": d.notes, "text": d.text}


def document_from_row(r: dict) -> Document:
    return Document(r["doc"], r["title"], r["text"], r.get("meta") or {}, r.get("notes") or [])


def staging_dir(index_dir: Path) -> Path:
    """A fresh sibling folder to build into, named after this process so stale ones can be found."""
    path = index_dir.parent / f"{index_dir.name}{NEW}{os.getpid()}"
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover(index_dir: Path) -> None:
    """Undo what a killed build left: put a parked old index back, delete dead builds' staging folders."""
    parent = index_dir.parent
    if not parent.is_dir():
        return
    for p in parent.glob(f"{index_dir.name}{OLD}*"):
        if not (index_dir / "manifest.json").exists() and (p / "manifest.json").exists():
            if index_dir.exists():
                shutil.rmtree(index_dir)
            os.rename(p, index_dir)
        else:
            shutil.rmtree(p, ignore_errors=True)
    for p in parent.glob(f"{index_dir.name}{NEW}*"):
        pid = p.name.rsplit("-", 1)[-1]
        if not pid.isdigit() or not _pid_alive(int(pid)):
            shutil.rmtree(p, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two existing paths (Linux); False when the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def swap_in(staged: Path, index_dir: Path) -> None:
    """Make `staged` the index at `index_dir`; the previous index is deleted only once the new one is live."""
    if not index_dir.exists():
        os.rename(staged, index_dir)
        return
    if _exchange(staged, index_dir):
        shutil.rmtree(staged, ignore_errors=True)  # now holds the old index
        return
    parked = index_dir.parent / f"{index_dir.name}{OLD}{os.getpid()}"
    os.rename(index_dir, parked)  # a crash between these two renames is repaired by `recover`
    os.rename(staged, index_dir)
    shutil.rmtree(parked, ignore_errors=True)


def fsync_tree(folder: Path) -> None:
    """Flush the staged files to disk before the swap, so a power cut cannot expose half-written files."""
    for p in folder.rglob("*"):
        if p.is_file():
            fd = os.open(p, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


def read_manifest(index_dir: Path) -> dict:
    with open(index_dir / "manifest.json", encoding="utf-8") as f:
        return json.load(f)


def write_manifest(folder: Path, manifest: dict) -> None:
    with open(folder / "manifest.json", "w", encoding="utf-8") as f:
        json.dump(manifest, f, ensure_ascii=False, indent=1)


def rebuild_command(index_dir: Path, manifest: dict | None = None, model: str | None = None) -> str:
    """The `tracuu ingest` that rebuilds this index: from the folders and files it was built from (the
    manifest's `roots`, else its documents' sources; `corpus` when neither is known), with `model` when one
    must be named."""
    import shlex

    manifest = manifest if isinstance(manifest, dict) else {}
    roots = manifest.get("roots")
    if not (isinstance(roots, list) and roots and all(isinstance(r, str) for r in roots)):
        documents = manifest.get("documents") if isinstance(manifest.get("documents"), list) else []
        roots = sorted({d["source"] for d in documents if isinstance(d, dict) and d.get("source")})
    command = ["tracuu", "ingest", *(roots or ["corpus"]), "--index", str(index_dir)]
    return shlex.join(command + (["--model", model] if model else []))
