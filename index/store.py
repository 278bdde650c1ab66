"""The index folder on disk (DESIGN "Index folder") and its atomic replacement.

    manifest.json    format_version, created, tracuu version, embedder, segmenter, chunk count, documents
    chunks.jsonl     line i = FAISS id i = BM25 id i
    documents.jsonl  canonical text, title, meta, notes per document (offsets point into it)
    tokens.jsonl     line i = stored pyvi tokens of chunk i (a rebuild never segments a stored chunk again)
    keys.txt         line i = sha256 of (model, embedded text) of chunk i: the embedding cache key
    dense.faiss      vectors, inner product on L2-normalised embeddings
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
from dataclasses import dataclass
from pathlib import Path

from tracuu.errors import IndexMismatch, UsageError
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


def chunk_row(c: Chunk, document: Document) -> dict:
    """A line of chunks.jsonl. DESIGN's contract gives every line its document's metadata (with the title);
    in memory a chunk has none of its own: readers take it from the document (index/hit_view.py)."""
    meta = dict(document.meta)
    meta.setdefault("title", document.title)
    return {
        "doc": c.doc,
        "start": c.start,
        "end": c.end,
        "heading": c.heading,
        "section": c.section,
        "text": c.text,
        "meta": meta,
    }


def chunk_from_row(r: dict) -> Chunk:
    # The line's "meta" is its document's (documents.jsonl), read once per document instead.
    return Chunk(r["doc"], r["start"], r["end"], r.get("heading", ""), r.get("section", ""), r["text"])


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


def check_format(
    index_dir: Path, manifest: dict | None, writing: bool = False, model: str | None = None
) -> None:
    """The one check of an index's format version, saying how to go on.

    Reading: the version must be the one this tracuu reads (IndexMismatch with the rebuild command).
    Writing (a build): any version but a newer one is rebuilt; a newer one is refused (UsageError), which
    this tracuu would otherwise rewrite in its older format."""
    version = (manifest or {}).get("format_version")
    newer = isinstance(version, int) and version > FORMAT_VERSION
    if writing:
        if newer:
            raise UsageError(
                f"the index at {index_dir} has format version {version}, newer than this tracuu writes "
                f"({FORMAT_VERSION}); upgrade tracuu to update it, or give another --index folder "
                "(nothing was changed)"
            )
        return
    if newer:
        # Written by a newer tracuu, which ingest will not overwrite: a rebuild goes to another folder.
        elsewhere = rebuild_command(index_dir.with_name(f"{index_dir.name}-v{FORMAT_VERSION}"), manifest)
        raise IndexMismatch(
            f"index at {index_dir} has format version {version}, newer than this tracuu reads "
            f"({FORMAT_VERSION}); upgrade tracuu, or rebuild for this version in another folder with: "
            f"{elsewhere}"
        )
    if version != FORMAT_VERSION:
        raise IndexMismatch(
            f"index at {index_dir} has format version {version}, this tracuu reads "
            f"{FORMAT_VERSION}; rebuild with: {rebuild_command(index_dir, manifest, model)}"
        )


@dataclass
class Folder:
    """An index folder, read and checked: what a loaded Index and a rebuild start from."""

    path: Path
    manifest: dict
    documents: dict[str, Document]
    chunks: list[Chunk]
    dense: object  # the FAISS index
    lexical: object | None  # index.lexical.Lexical, None when not asked for
    model: str | None  # the engine the index was built with


def read(index_dir: Path, model: str | None = None, repair: bool = True, lexical: bool = True) -> Folder:
    """The index at `index_dir`; IndexMismatch/UsageError (saying how to rebuild) when it is not usable:
    missing, unreadable, another format version, built with another engine than `model` (when given),
    incomplete, or its files disagree on the chunk count.

    `repair` first undoes what a killed build left (`recover`). A server that only reads passes False: it
    may share the folder with builds on other machines, whose staging folders look dead here."""
    from index import dense
    from index import lexical as bm25

    index_dir = Path(index_dir)
    if repair:
        recover(index_dir)
    rebuild = rebuild_command(index_dir, None, model)
    if not (index_dir / "manifest.json").is_file():
        raise UsageError(f"no index at {index_dir}; build one with: {rebuild}")
    try:
        manifest = read_manifest(index_dir)
    except (OSError, ValueError) as e:
        raise IndexMismatch(f"{index_dir}/manifest.json is unreadable ({e}); rebuild with: {rebuild}") from e
    if not isinstance(manifest, dict):
        raise IndexMismatch(f"{index_dir}/manifest.json is not a JSON object; rebuild with: {rebuild}")
    # Named after the folders the index was built from (a rebuild keeps the engine unless one is named).
    rebuild = rebuild_command(index_dir, manifest, model)
    check_format(index_dir, manifest, model=model)
    embedder = manifest.get("embedder")
    built_with = embedder.get("name") if isinstance(embedder, dict) else None
    if model is not None and built_with != model:
        raise IndexMismatch(
            f"index at {index_dir} was built with model {built_with}, not {model}; "
            f"use --model {built_with}, or rebuild with: {rebuild}"
        )
    try:
        chunks = [chunk_from_row(r) for r in read_jsonl(index_dir / "chunks.jsonl")]
        documents = {r["doc"]: document_from_row(r) for r in read_jsonl(index_dir / "documents.jsonl")}
        dense_index = dense.load(index_dir / "dense.faiss")
        lex = bm25.load(index_dir / "bm25", len(chunks)) if lexical else None
    except (OSError, ValueError, KeyError, RuntimeError) as e:
        raise IndexMismatch(f"index at {index_dir} is incomplete ({e}); rebuild with: {rebuild}") from e
    n = manifest.get("chunk_count")
    counts = {"manifest": n, "chunks.jsonl": len(chunks), "dense.faiss": dense_index.ntotal}
    if len(set(counts.values())) != 1 or len(documents) != len(manifest.get("documents", [])):
        raise IndexMismatch(f"index at {index_dir} is inconsistent ({counts}); rebuild with: {rebuild}")
    return Folder(index_dir, manifest, documents, chunks, dense_index, lex, built_with)
