"""`build`: make the index mirror the given files and folders, embedding only what is new.

Per file: sha256 unchanged → its document, chunks, tokens and vectors are carried over without parsing;
new or changed → parsed, segmented, and embedded unless the embedding cache (keyed by sha256 of model
and embedded text) already holds the vector. Files gone from a given folder are dropped; documents that
came from folders not given this time are kept. A file that fails, whatever its reader raised, keeps its
previous version, if any, and is reported with a one-line reason; the other files go in.

Nothing changes silently: the index keeps its engine unless another is named (`engine_change` says what
a named one replaces), an index written by a newer tracuu is refused rather than rewritten in an older
format, and links that are broken, loop or point at a folder are reported as skipped.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from index import analyze, dense, inputs, store
from index.chunk_view import embed_text
from index.embedders import DEFAULT_MODEL, Embedder, get_embedder
from index.writer import cache_key, write
from tracuu.errors import TracuuError, UsageError
from tracuu.files import sha256
from tracuu.types import Chunk, Document

Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass
class BuildReport:
    index_dir: Path
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, one-line reason)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, why): links not followed
    documents: int = 0
    chunks: int = 0
    embedded: int = 0  # chunks sent to the model
    reused: int = 0  # chunks whose vector came from the cache
    written: bool = False  # False when nothing changed and the index was left as it was
    seconds: float = 0.0
    embed_seconds: float = 0.0


@dataclass
class _Entry:
    document: Document
    chunks: list[Chunk]
    sha256: str
    source: str  # the folder (or file) given to ingest, resolved: what "mirror" is relative to


def reader_fingerprint(paths: list[Path] = ()) -> str:
    """Hash of the code that turns files into chunks and tokens, and of the catalogs of `paths` (the
    catalog.csv of each folder given, or of a file's folder: ingest/catalog.py).

    When it changes, every file is read and segmented again; chunks whose embedded text did not change
    still reuse their vectors, so this costs parsing and pyvi time, not model time.
    """
    import ingest
    from ingest import catalog

    h = hashlib.sha256(analyze.segmenter_version().encode())
    root = Path(ingest.__file__).resolve().parent
    here = Path(__file__).resolve().parent
    code = sorted(root.rglob("*.py")) + [
        here / f"{m}.py"
        for m in ("analyze", "segmenter", "abbrev", "lexical", "build", "writer", "chunk_view")
    ]
    for p in code:
        h.update(p.name.encode() + b"\0" + p.read_bytes())
    for p in sorted({catalog.of_given(p) for p in paths}):  # a changed catalog re-reads its documents
        if p.is_file():
            h.update(p.read_bytes())
    return h.hexdigest()


def _manifest_or_none(index_dir: Path) -> dict | None:
    try:
        manifest = store.read_manifest(index_dir)
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) else None


def _engine(manifest: dict | None) -> str | None:
    embedder = (manifest or {}).get("embedder")
    name = embedder.get("name") if isinstance(embedder, dict) else embedder
    return name if isinstance(name, str) and name else None


def engine_change(index_dir: Path, model: str | None) -> tuple[str, str] | None:
    """(the index's engine, `model`) when `model` names another engine than the index at `index_dir` was
    built with, so every chunk is embedded again; None when the index keeps its engine."""
    current = _engine(_manifest_or_none(Path(index_dir)))
    if model is None or current is None or current == model:
        return None
    return current, model


def _previous(index_dir: Path):
    """Entries, tokens, cache of the current index, or empties when there is none (or it is unreadable,
    of another format version or inconsistent: store.read's check)."""
    try:
        folder = store.read(index_dir, repair=False, lexical=False)  # build() recovered it already
        toks = store.read_jsonl(index_dir / "tokens.jsonl")
        keys = (index_dir / "keys.txt").read_text().split()
        vecs = dense.vectors(folder.dense)
        docs, chunks, manifest = folder.documents, folder.chunks, folder.manifest
        by_doc: dict[str, list[int]] = {}
        for i, c in enumerate(chunks):
            by_doc.setdefault(c.doc, []).append(i)
        entries = {}
        for d in manifest["documents"]:
            ids = by_doc.get(d["doc"], [])
            entries[d["doc"]] = _Entry(
                docs[d["doc"]], [chunks[i] for i in ids], d["sha256"], d.get("source", "")
            )
        # Keyed by the embedded text (title, heading and span); rows of an older layout are not reused.
        token_cache = {
            embed_text(docs[c.doc].title, c): toks[i]
            for i, c in enumerate(chunks)
            if c.doc in docs and isinstance(toks[i], dict)
        }
        vector_cache = dict(zip(keys, vecs, strict=True))
    except (TracuuError, OSError, ValueError, KeyError, IndexError, RuntimeError):
        return {}, {}, {}, None
    return entries, token_cache, vector_cache, manifest


@dataclass
class ToRead:
    """A file that is new or changed since the index was built: it must be read, split and embedded."""

    path: Path
    doc: str
    source: str
    sha256: str


@dataclass
class Plan:
    """What a build starts from: the previous index, what carries over, and which files must be read.

    The stages `plan` -> `read` (+ `accept`) per file -> `finish` are `build`; `cluster/` runs the
    reading, segmenting and embedding of `todo` elsewhere and hands the results to `accept` and `finish`."""

    index_dir: Path
    report: BuildReport
    embedder: Embedder
    reader: str
    same_reader: bool
    old: dict[str, _Entry]
    old_manifest: dict | None
    token_cache: dict
    vector_cache: dict
    entries: dict[str, _Entry]
    todo: list[ToRead]
    started: float


def plan(paths: list[Path], index_dir: Path, model: str | None = None) -> Plan:
    """Hash every given file and sort it: unchanged (carried over), to read (`todo`), or failed."""
    t0 = time.perf_counter()
    index_dir = Path(index_dir)
    report = BuildReport(index_dir)
    files, report.skipped = inputs.files([Path(p) for p in paths])
    store.recover(index_dir)
    current = _manifest_or_none(index_dir)
    store.check_format(index_dir, current, writing=True)
    embedder = get_embedder(model or _engine(current) or DEFAULT_MODEL)
    old, token_cache, vector_cache, old_manifest = _previous(index_dir)
    reader = reader_fingerprint(paths)
    same_reader = old_manifest is not None and old_manifest.get("reader") == reader
    if not same_reader:
        token_cache = {}  # tokens from other code may differ
    entries: dict[str, _Entry] = {}
    given_sources = {src for _, _, src in files} | {str(Path(p).resolve()) for p in paths}
    for doc, e in old.items():
        if e.source not in given_sources:
            entries[doc] = e  # from a folder not given this time: kept as it was
    todo: list[ToRead] = []
    seen: set[str] = set()
    for f, doc, src in files:
        seen.add(doc)
        try:
            sha = sha256(f)
        except OSError as e:
            report.failed.append((str(f), f"cannot be read ({e.strerror}); check that the file is readable"))
            if doc in old:
                entries[doc] = old[doc]
            continue
        prev = old.get(doc)
        if prev is not None and prev.sha256 == sha and same_reader:
            entries[doc] = _Entry(prev.document, prev.chunks, sha, src)
            report.unchanged.append(doc)
            continue
        todo.append(ToRead(f, doc, src, sha))
    report.removed = sorted(d for d, e in old.items() if e.source in given_sources and d not in seen)
    return Plan(
        index_dir, report, embedder, reader, same_reader, old, old_manifest, token_cache, vector_cache,
        entries, todo, t0,
    )  # fmt: skip


def read(item: ToRead) -> tuple[Document, list[Chunk]]:
    """The document and chunks of one file to read; TracuuError (one file's failure) otherwise."""
    return inputs.read(item.path, item.doc)


def accept(p: Plan, item: ToRead, result: tuple[Document, list[Chunk]] | None, reason: str = "") -> None:
    """Record one read file: its document and chunks, or (`result` None) its failure's one-line reason."""
    prev = p.old.get(item.doc)
    if result is None:
        p.report.failed.append((str(item.path), reason))
        if prev is not None:
            p.entries[item.doc] = prev  # bad input never destroys what is indexed
        return
    p.entries[item.doc] = _Entry(result[0], result[1], item.sha256, item.source)
    if prev is None:
        p.report.added.append(item.doc)
    else:  # same bytes read again by changed reading code count as unchanged
        (p.report.unchanged if prev.sha256 == item.sha256 else p.report.changed).append(item.doc)


def previous_keys(p: Plan, doc: str) -> set[str]:
    """Cache keys of the vectors the previous version of `doc` had (those need not be embedded again)."""
    prev = p.old.get(doc)
    if prev is None:
        return set()
    title = prev.document.title
    return {cache_key(p.embedder.name, embed_text(title, c)) for c in prev.chunks}


def finish(
    p: Plan,
    progress: Progress | None = None,
    tokens: dict[str, dict] | None = None,
    vectors: dict[str, np.ndarray] | None = None,
) -> BuildReport:
    """Write the index of `p.entries` and swap it in (or leave it when nothing changed).

    `tokens` (by embedded text) and `vectors` (by cache key) were computed elsewhere (cluster/); what
    they lack is segmented and embedded here."""
    progress = progress or (lambda stage, done, total: None)
    report, entries = p.report, p.entries
    old_model = (p.old_manifest or {}).get("embedder", {}).get("name")
    same_model = p.old_manifest is not None and old_model == p.embedder.name
    if same_model and p.same_reader and not (report.added or report.changed or report.removed):
        report.documents = len(entries)
        report.chunks = sum(len(e.chunks) for e in entries.values())
        report.reused = report.chunks
        report.seconds = time.perf_counter() - p.started
        return report
    if not entries:
        reasons = "; ".join(f"{path}: {r}" for path, r in report.failed[:3])
        raise UsageError(
            "nothing could be indexed"
            + (f" ({reasons})" if reasons else " (no readable files found)")
            + "; give a folder or files of .txt, .pdf, .docx or .html (the index was not changed)"
        )
    token_cache = p.token_cache | (tokens or {})
    vectors = vectors or {}
    write(entries, p.index_dir, p.embedder, token_cache, p.vector_cache, report, progress, p.reader, vectors)
    report.seconds = time.perf_counter() - p.started
    return report


def build(
    paths: list[Path], index_dir: Path, model: str | None = None, progress: Progress | None = None
) -> BuildReport:
    """Make the index at `index_dir` mirror `paths`; swap the result in atomically.

    `model` None keeps the engine the index was built with (the default engine for a new index); naming
    another embeds every chunk again with it."""
    p = plan(paths, index_dir, model)
    progress = progress or (lambda stage, done, total: None)
    for i, item in enumerate(p.todo):
        progress("read", i, len(p.todo))
        try:
            result = read(item)
        except TracuuError as e:
            accept(p, item, None, inputs.reason(item.path, e))
            continue
        accept(p, item, result)
    progress("read", len(p.todo), len(p.todo))
    return finish(p, progress)
