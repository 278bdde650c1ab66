"""Bad files: each is refused with a one-line reason (UnreadableFile), and `tracuu parse` exits 1 cleanly."""

from __future__ import annotations

import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from ingest.readers import extract
from tracuu.errors import UnreadableFile

ROOT = Path(__file__).resolve().parents[1]
TRACUU = Path(sys.executable).with_name("tracuu")
SAMPLE = "Điều 1. Phạm vi điều chỉnh\n\nKế hoạch này quy định nhiệm vụ năm học 2023-2024 của ngành giáo dục."


def _text_pdf(path: Path) -> Path:
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 72), "Dieu 1. Pham vi dieu chinh", fontsize=12)
    doc.save(path)
    return path


def _encrypted_pdf(path: Path) -> Path:
    import pymupdf

    src = _text_pdf(path.with_name("plain.pdf"))
    doc = pymupdf.open(src)
    doc.save(path, encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="secret", owner_pw="owner")
    return path


def _truncated_pdf(path: Path) -> Path:
    data = _text_pdf(path.with_name("whole.pdf")).read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def _big_file(path: Path) -> Path:
    # Sparse: 50 MB on paper, nothing written; the size check must come before any read.
    with path.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    return path


def _nfd_name(tmp: Path) -> Path:
    path = tmp / unicodedata.normalize("NFD", "kế-hoạch-năm-học.txt")
    path.write_text(SAMPLE, encoding="utf-8")
    return path


BAD = {
    "empty": (lambda t: (t / "empty.txt").write_bytes(b"") and None or t / "empty.txt", "empty"),
    "binary renamed .pdf": (
        lambda t: (t / "photo.pdf").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(4000)) and t / "photo.pdf",
        "not a PDF",
    ),
    "encrypted pdf": (lambda t: _encrypted_pdf(t / "locked.pdf"), "password-protected"),
    "truncated pdf": (lambda t: _truncated_pdf(t / "cut.pdf"), "truncated"),
    "50 MB file": (lambda t: _big_file(t / "huge.txt"), "over the 40 MB limit"),
    "unknown extension": (
        lambda t: (t / "notes.xyz").write_text("x") and t / "notes.xyz",
        "unsupported file type",
    ),
    "directory named x.txt": (lambda t: (t / "x.txt").mkdir() or t / "x.txt", "is a folder"),
    "dangling symlink": (
        lambda t: (t / "gone.txt").symlink_to(t / "missing.txt") or t / "gone.txt",
        "does not exist",
    ),
    "missing file": (lambda t: t / "nowhere.txt", "no such file"),
    "binary renamed .txt": (
        lambda t: (t / "prog.txt").write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(500)) and t / "prog.txt",
        "binary data",
    ),
    "damaged docx": (lambda t: (t / "bad.docx").write_bytes(b"PK\x03\x04broken") and t / "bad.docx", "docx"),
    "pdf with no text": (lambda t: _blank_pdf(t / "blank.pdf"), "no text found"),
}


def _blank_pdf(path: Path) -> Path:
    import pymupdf

    doc = pymupdf.open()
    doc.new_page()
    doc.save(path)
    return path


@pytest.mark.parametrize("case", list(BAD))
def test_bad_file_is_refused_with_one_line_reason(tmp_path, case):
    make, expected = BAD[case]
    path = make(tmp_path)
    with pytest.raises(UnreadableFile) as info:
        extract(path)
    message = str(info.value)
    assert expected in message
    assert "\n" not in message
    assert message.startswith(path.name), "the reason names the file"
    assert ";" in message, "the reason says what to do after the semicolon"


def test_size_limit_is_configurable(tmp_path, monkeypatch):
    path = tmp_path / "small.txt"
    path.write_text(SAMPLE * 100, encoding="utf-8")
    monkeypatch.setenv("TRACUU_MAX_FILE_MB", "0.001")
    with pytest.raises(UnreadableFile, match="TRACUU_MAX_FILE_MB"):
        extract(path)
    monkeypatch.setenv("TRACUU_MAX_FILE_MB", "1")
    assert extract(path).text.startswith("Điều 1.")


def test_nfd_file_name_is_read(tmp_path):
    path = _nfd_name(tmp_path)
    assert path.name != unicodedata.normalize("NFC", path.name)
    assert extract(path).text == SAMPLE


def test_pdf_encrypted_with_empty_user_password_is_read(tmp_path):
    # Only "owner" restrictions (no printing...): anyone can open it, so we read it.
    import pymupdf

    src = _text_pdf(tmp_path / "plain.pdf")
    pymupdf.open(src).save(tmp_path / "perm.pdf", encryption=pymupdf.PDF_ENCRYPT_AES_256, owner_pw="owner")
    assert "Pham vi" in extract(tmp_path / "perm.pdf").text


@pytest.mark.skipif(not TRACUU.exists(), reason="console script not installed (pip install -e .)")
@pytest.mark.parametrize(
    "case",
    [
        "empty",
        "binary renamed .pdf",
        "encrypted pdf",
        "truncated pdf",
        "50 MB file",
        "unknown extension",
        "directory named x.txt",
        "dangling symlink",
    ],
)
def test_parse_cli_exits_1_with_one_error_line(tmp_path, case):
    make, expected = BAD[case]
    path = make(tmp_path)
    proc = subprocess.run(
        [str(TRACUU), "parse", str(path)], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert proc.returncode == 1, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and expected in lines[0], proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stdout == ""


@pytest.mark.skipif(not TRACUU.exists(), reason="console script not installed (pip install -e .)")
def test_parse_cli_scan_without_ocr(tmp_path):
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page()
    pix = pymupdf.Pixmap(pymupdf.csGRAY, pymupdf.IRect(0, 0, 400, 560), 0)
    pix.clear_with(200)
    page.insert_image(page.rect, pixmap=pix)
    page.insert_text((300, 20), "Nguoi ky: Cong Thong tin dien tu Chinh phu", fontsize=6)
    doc.save(tmp_path / "scan.pdf")
    env = {**os.environ, "TRACUU_OCR": "0"}
    proc = subprocess.run(
        [str(TRACUU), "parse", str(tmp_path / "scan.pdf")],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=ROOT,
    )
    assert proc.returncode == 1
    assert proc.stderr.startswith("error: scan.pdf: scanned PDF") and "tesseract-ocr-vie" in proc.stderr
    assert "Traceback" not in proc.stderr
