"""The index folder with the real model: save/load round trip, what `load` checks, the atomic swap."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from index_helpers import CORPUS, corpus_index

import index
from index import dense, store
from index.chunk_view import embed_text
from ingest import parse_file
from tracuu.errors import IndexMismatch, UsageError

pytestmark = pytest.mark.model  # the real embedding model (make test-fast leaves these out)


@pytest.fixture(scope="module")
def built() -> Path:
    return corpus_index()


@pytest.fixture
def copy(built, tmp_path) -> Path:
    return Path(shutil.copytree(built, tmp_path / "index"))


def test_round_trip_keeps_documents_chunks_and_vectors(built):
    idx = index.load(built)
    files = sorted(p for p in CORPUS.glob("*.txt"))
    assert sorted(idx.documents) == [p.name for p in files]
    want_chunks = []
    for p in files:
        document, chunks = parse_file(p, p.name)
        assert idx.documents[p.name].text == document.text
        assert idx.documents[p.name].meta == document.meta
        want_chunks += [(c.doc, c.start, c.end, c.heading, c.section) for c in chunks]
    assert [(c.doc, c.start, c.end, c.heading, c.section) for c in idx.chunks] == want_chunks
    for c in idx.chunks:
        assert c.text == idx.documents[c.doc].text[c.start : c.end]
    # Stored vector i is the default model's embedding of chunk i's title + heading + span.
    vectors = dense.vectors(idx.dense_index)
    emb = index.get_embedder()
    for i in (0, len(idx.chunks) // 2, len(idx.chunks) - 1):
        c = idx.chunks[i]
        fresh = emb.embed_documents([embed_text(idx.documents[c.doc].title, c)])[0]
        assert float(fresh @ vectors[i]) > 0.999
    assert idx.manifest["embedder"]["name"] == emb.name and idx.manifest["chunk_count"] == len(idx.chunks)


QUERY = "phòng chống dịch"


def test_two_loads_answer_alike(built):
    a, b = index.load(built), index.load(built)
    for mode in ("bm25", "dense", "hybrid"):
        ra, rb = (
            [(h.chunk.doc, h.chunk.start, round(h.score, 6)) for h in x.search(QUERY, mode=mode)]
            for x in (a, b)
        )
        assert ra == rb and len(ra) == 10


def test_missing_index_says_how_to_build(tmp_path):
    with pytest.raises(UsageError, match=r"no index at .*tracuu ingest corpus --index"):
        index.load(tmp_path / "nowhere")


def _edit_manifest(folder: Path, **changes) -> None:
    m = store.read_manifest(folder)
    m.update(changes)
    (folder / "manifest.json").write_text(json.dumps(m), encoding="utf-8")


def test_other_format_version_is_refused(copy):
    _edit_manifest(copy, format_version=store.FORMAT_VERSION + 1)
    # Newer than this tracuu: upgrade, or rebuild elsewhere (ingest will not overwrite a newer index).
    with pytest.raises(
        IndexMismatch, match=r"format version 2, newer .*upgrade tracuu.*tracuu ingest \S*corpus"
    ):
        index.load(copy)
    _edit_manifest(copy, format_version=0)
    with pytest.raises(
        IndexMismatch, match=r"format version 0, .*rebuild with: tracuu ingest \S*/corpus --index"
    ):
        index.load(copy)


def test_other_model_is_refused(copy):
    with pytest.raises(IndexMismatch, match=r"built with model onnx-int8, not st:x.*--model onnx-int8"):
        index.load(copy, model="st:x")


def test_inconsistent_counts_are_refused(copy):
    lines = (copy / "chunks.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    (copy / "chunks.jsonl").write_text("".join(lines[:-1]), encoding="utf-8")
    with pytest.raises(IndexMismatch, match="inconsistent"):
        index.load(copy)


def test_missing_part_and_broken_manifest_are_refused(copy):
    (copy / "dense.faiss").unlink()
    with pytest.raises(IndexMismatch, match="incomplete"):
        index.load(copy)
    (copy / "manifest.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(IndexMismatch, match="unreadable"):
        index.load(copy)


def test_swap_in_replaces_the_folder_whole(tmp_path):
    live = tmp_path / "idx"
    live.mkdir()
    (live / "manifest.json").write_text("old", encoding="utf-8")
    (live / "only-in-old").write_text("x", encoding="utf-8")
    staged = store.staging_dir(live)
    (staged / "manifest.json").write_text("new", encoding="utf-8")
    store.swap_in(staged, live)
    assert (live / "manifest.json").read_text() == "new" and not (live / "only-in-old").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["idx"]


def test_vectors_are_unit_length_in_the_folder(built):
    v = dense.vectors(index.load(built).dense_index)
    assert v.dtype == np.float32 and np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-4)


def test_a_repeated_query_is_embedded_once(tmp_path, monkeypatch):
    # The page searches and then asks with the same words: the second time must not run the model.
    from conftest import CORPUS

    import index

    index.build([CORPUS], tmp_path / "idx", model="fake")
    idx = index.load(tmp_path / "idx")
    calls = []
    real = idx.embedder.embed_query
    # The embedder is shared across the process: monkeypatch puts the real method back afterwards.
    monkeypatch.setattr(idx.embedder, "embed_query", lambda q: calls.append(q) or real(q))
    first = idx.search("nhiệm vụ của Sở Y tế", mode="hybrid")
    again = idx.search("nhiệm vụ của Sở Y tế", mode="dense")
    idx.search("dạy học trực tuyến", mode="dense")
    assert calls == ["nhiệm vụ của Sở Y tế", "dạy học trực tuyến"]
    assert {h.chunk.start for h in first} & {h.chunk.start for h in again}
