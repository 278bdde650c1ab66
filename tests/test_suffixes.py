"""One list of file types, the readers' own (ingest.readers.SUFFIXES): an ingest of a folder and the page's
upload offer only what a reader reads, never .doc/.rtf/.odt that the readers refuse."""

from __future__ import annotations

import pytest

from index.inputs import files
from ingest.readers import SUFFIXES, extract
from page.config import ALLOWED_SUFFIXES
from tracuu.errors import UnreadableFile


def test_a_folder_offers_only_what_the_readers_read(tmp_path):
    for name in ("cu.doc", "ghi-chu.rtf", "bang.odt", "chi-thi.txt", "ke-hoach.md", "cong-van.PDF"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    assert sorted(doc for _, doc, _ in files([tmp_path])[0]) == ["chi-thi.txt", "cong-van.PDF", "ke-hoach.md"]


def test_the_page_takes_the_readers_list():
    assert tuple(ALLOWED_SUFFIXES) == tuple(SUFFIXES)


def _write(path, text: str) -> None:
    """A small real file of the type `path`'s suffix names."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        import fitz

        pdf = fitz.open()
        pdf.new_page().insert_text((72, 72), text)
        pdf.save(path)
    elif suffix == ".docx":
        import docx

        d = docx.Document()
        d.add_paragraph(text)
        d.save(path)
    elif suffix in (".html", ".htm"):
        path.write_text(f"<html><body><article><p>{text}</p></article></body></html>", encoding="utf-8")
    else:
        path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_every_offered_suffix_is_read(tmp_path, suffix):
    path = tmp_path / f"chi-thi{suffix}"
    _write(path, "Chi thi nhiem vu nam hoc moi")
    assert "Chi thi nhiem vu nam hoc moi" in extract(path).text


@pytest.mark.parametrize("suffix", [".doc", ".rtf", ".odt"])
def test_a_refused_suffix_is_refused_by_the_reader_too(tmp_path, suffix):
    (tmp_path / f"cu{suffix}").write_bytes(b"x")
    with pytest.raises(UnreadableFile, match="unsupported file type"):
        extract(tmp_path / f"cu{suffix}")
    assert suffix not in SUFFIXES
