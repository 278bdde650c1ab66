"""`tracuu ingest --ray`: the same index as a local build, built on a real local Ray cluster (one per test
session, tests/conftest.py `ray_cluster`) with the real default model; incremental, and whole on failure."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import CORPUS, LOOPBACK, ROOT, listening_sockets, session_processes
from tests.index_helpers import corpus_index

FILES = ("documents.jsonl", "chunks.jsonl", "tokens.jsonl", "keys.txt", "bm25/words", "bm25/bare")


def _ingest(*argv: str) -> int:
    from tracuu.cli import main

    return main(["ingest", *argv])


def assert_same_index(a: Path, b: Path) -> None:
    """Same chunks, documents, tokens, keys and BM25; manifests equal but for the time; vectors ±1e-5."""
    from index import dense

    for name in FILES:
        pa, pb = a / name, b / name
        if pa.is_dir():
            assert sorted(p.name for p in pa.iterdir()) == sorted(p.name for p in pb.iterdir()), name
            for f in pa.iterdir():
                assert f.read_bytes() == (pb / f.name).read_bytes(), f"{name}/{f.name} differs"
        else:
            assert pa.read_bytes() == pb.read_bytes(), f"{name} differs"
    ma, mb = (json.loads((x / "manifest.json").read_text(encoding="utf-8")) for x in (a, b))
    ma.pop("created"), mb.pop("created")
    assert ma == mb
    va, vb = (dense.vectors(dense.load(x / "dense.faiss")) for x in (a, b))
    assert va.shape == vb.shape and va.shape[0] > 0
    assert np.abs(va - vb).max() <= 1e-5


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.model
def test_ray_ingest_equals_local_and_listens_on_loopback_only(ray_cluster, tmp_path, capsys):
    assert _ingest(str(CORPUS), "--index", str(tmp_path / "index"), "--ray") == 0
    assert "0 failed" in capsys.readouterr().err
    assert_same_index(corpus_index(), tmp_path / "index")

    listening = listening_sockets()
    assert len(listening) >= 3, f"expected the GCS, raylet and workers listening, found {sorted(listening)}"
    assert {ip for ip, _, _ in listening} <= LOOPBACK, f"Ray listens beyond loopback: {sorted(listening)}"


@pytest.fixture(scope="module")
def scan_folder(tmp_path_factory):
    """A folder with a scanned PDF (two pages of images, the signature stamp) beside a text file."""
    from ingest.readers import ocr
    from tests.test_readers import STAMP, _paragraphs, make_scan, seed

    if ocr.unavailable_reason():
        if os.environ.get("CI") == "true":
            pytest.fail(f"OCR must run in CI: {ocr.unavailable_reason()}")
        pytest.skip(ocr.unavailable_reason())
    folder = tmp_path_factory.mktemp("scans")
    paras = _paragraphs(seed("chi-thi-ubnd-huyen"))
    make_scan(folder / "scan.pdf", paras[:14], STAMP)
    (folder / "scan.text.pdf").unlink()  # make_scan's text-layer draft
    shutil.copy(CORPUS / sorted(p.name for p in CORPUS.glob("*.txt"))[0], folder / "note.txt")
    return folder


@pytest.mark.model
def test_ray_ingest_of_a_scanned_pdf_equals_local(ray_cluster, scan_folder, tmp_path):
    import pymupdf

    from cluster.ingest import Timings, ingest
    from index.build import build

    pages = pymupdf.open(scan_folder / "scan.pdf").page_count
    assert pages >= 2  # so its pages go to separate tasks
    local = build([scan_folder], tmp_path / "local")
    assert not local.failed
    timings = Timings()
    report = ingest([scan_folder], tmp_path / "ray", timings=timings)
    assert not report.failed and timings.pages == timings.ocr_tasks == pages  # a task per scanned page
    assert_same_index(tmp_path / "local", tmp_path / "ray")
    docs = (tmp_path / "ray" / "documents.jsonl").read_text(encoding="utf-8")
    assert f"ocr: tesseract vie, {pages} of {pages} pages" in docs


@pytest.mark.model
def test_rerun_sends_only_the_changed_file_and_failures_match(ray_cluster, tmp_path, capsys):
    from cluster.ingest import Timings, ingest
    from index.build import build

    folder = tmp_path / "corpus"
    shutil.copytree(CORPUS, folder)
    index, local = tmp_path / "index", tmp_path / "local"
    shutil.copytree(corpus_index(), index)  # the local build of the same files
    shutil.copytree(corpus_index(), local)
    changed = sorted(folder.glob("*.txt"))[1]
    extra = "\n\nĐiều bổ sung. Nhà trường báo cáo hằng tháng.\n"
    changed.write_text(changed.read_text(encoding="utf-8") + extra, encoding="utf-8")
    timings = Timings()
    report = ingest([folder], index, timings=timings)
    assert report.changed == [changed.name] and not report.added and len(report.unchanged) == 4
    assert timings.files == 1  # only the changed file went to the cluster
    assert 1 <= report.embedded < 10  # and of it only the chunks whose text changed were embedded
    assert build([folder], local).changed == [changed.name]
    assert_same_index(local, index)

    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 not really a pdf")
    expected = build([folder], local)
    assert _ingest(str(folder), "--index", str(index), "--ray") == 1
    err = capsys.readouterr().err
    assert len(expected.failed) == 1 and expected.failed[0][0].endswith("broken.pdf")
    assert [ln for ln in err.splitlines() if ln.startswith("error:")] == [
        f"error: {expected.failed[0][0]}: {expected.failed[0][1]}"
    ]
    assert_same_index(local, index)


@pytest.mark.model
def test_a_worker_killed_mid_pipeline_fails_cleanly_and_keeps_the_old_index(ray_cluster, tmp_path, capsys):
    import psutil

    index = tmp_path / "index"
    shutil.copytree(corpus_index(), index)
    before = _snapshot(index)
    folder = tmp_path / "more"
    for n, src in enumerate(sorted(CORPUS.glob("*.txt"))):  # new files, so every chunk goes to the cluster
        for copy in range(3):
            text = src.read_text(encoding="utf-8")
            (folder / f"{n}-{copy}.txt").parent.mkdir(exist_ok=True)
            (folder / f"{n}-{copy}.txt").write_text(f"Bản sao {copy}.\n\n{text}", encoding="utf-8")
    killed: list[int] = []

    def kill_an_embedder():
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not killed:
            for proc in session_processes()[1:]:
                try:
                    title = " ".join(proc.cmdline())
                except psutil.Error:
                    continue
                if title.startswith("ray::") and "(Embed)).submit" in title:  # busy embedding
                    proc.kill()
                    killed.append(proc.pid)
                    return
            time.sleep(0.05)

    killer = threading.Thread(target=kill_an_embedder)
    killer.start()
    code = _ingest(str(folder), "--index", str(index), "--ray")
    killer.join()
    err = capsys.readouterr().err
    assert killed, "no embedding actor was found to kill"
    assert code != 0
    lines = [ln for ln in err.splitlines() if ln.startswith("error:")]
    assert len(lines) == 1 and "Ray pipeline failed" in lines[0] and "was not changed" in lines[0], err
    assert _snapshot(index) == before
    assert not list(tmp_path.glob("index.new-*")), "a staging folder was left behind"


def test_without_ray_the_default_path_never_imports_it(tmp_path):
    code = (
        "import sys; from tracuu.cli import main; "
        f"rc = main(['ingest', {str(sorted(CORPUS.glob('*.txt'))[0])!r}, "
        f"'--index', {str(tmp_path / 'i')!r}, '--model', 'fake']); "
        "assert 'ray' not in sys.modules, 'ray was imported'; sys.exit(rc)"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr


def test_ray_flag_without_the_extra_says_how_to_install(tmp_path):
    # sys.modules["ray"] = None is how Python marks a module absent: `import ray` raises ImportError
    code = (
        "import sys; sys.modules['ray'] = None; from tracuu.cli import main; "
        f"sys.exit(main(['ingest', {str(CORPUS)!r}, '--index', {str(tmp_path / 'i')!r}, '--ray']))"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "make install-cluster" in lines[0], lines
    assert not (tmp_path / "i").exists()
