"""catalog.csv is read from each folder given to ingest (ingest/catalog.py), not from the repository: a
user's corpus (TRACUU_CORPUS) carries its own, and corpus/catalog.csv still serves corpus/."""

from __future__ import annotations

import codecs
import csv
import io

from conftest import CORPUS

import index
from ingest import read_document

NEWS = "2021-09-13-tin-phu-tho-van-ban-4088-day-hoc-an-toan-covid.txt"
TEXT = (
    "ỦY BAN NHÂN DÂN\nHUYỆN MỘC HÓA\n\nKẾ HOẠCH\nTổ chức ngày hội đọc sách\n\n"
    "1. Các trường tổ chức đọc sách.\n"
)


def _catalog(folder, rows: list[tuple[str, str, str]], bom: bool = False) -> None:
    out = io.StringIO()
    csv.writer(out).writerows([("doc", "field", "value", "source"), *((*r, "test") for r in rows)])
    (folder / "catalog.csv").write_bytes((codecs.BOM_UTF8 if bom else b"") + out.getvalue().encode("utf-8"))


def test_the_folder_catalog_fills_in_and_a_changed_catalog_is_read_again(tmp_path):
    folder = tmp_path / "van-ban"
    (folder / "2024").mkdir(parents=True)
    (folder / "2024" / "ke-hoach.txt").write_text(TEXT, encoding="utf-8")
    doc = "2024/ke-hoach.txt"
    _catalog(folder, [(doc, "place", "Long An"), (doc, "number", "12/KH-UBND")])
    out = tmp_path / "idx"
    index.build([folder], out, model="fake")
    meta = index.load(out).documents["2024/ke-hoach.txt"].meta
    assert (meta["place"], meta["number"]) == ("Long An", "12/KH-UBND")
    assert "catalog.csv" not in index.load(out).documents  # the catalog is not a document

    _catalog(folder, [("2024/ke-hoach.txt", "place", "Mộc Hóa, Long An")], bom=True)  # saved by Excel
    report = index.build([folder], out, model="fake")
    assert report.written and report.embedded == 0  # read again, nothing embedded again
    meta = index.load(out).documents["2024/ke-hoach.txt"].meta
    assert meta["place"] == "Mộc Hóa, Long An" and "number" not in meta


def test_a_file_given_alone_takes_its_folder_catalog_and_title(tmp_path):
    (tmp_path / "kh.txt").write_text(TEXT, encoding="utf-8")
    _catalog(tmp_path, [("kh.txt", "title", "Kế hoạch ngày hội đọc sách 2024")])
    document = read_document(tmp_path / "kh.txt")
    assert document.title == document.meta["title"] == "Kế hoạch ngày hội đọc sách 2024"


def test_the_repository_catalog_serves_corpus_only(tmp_path):
    assert read_document(CORPUS / NEWS).meta["place"] == "Phú Thọ"  # corpus/catalog.csv
    (tmp_path / NEWS).write_bytes((CORPUS / NEWS).read_bytes())
    assert read_document(tmp_path / NEWS).meta.get("place") != "Phú Thọ"  # another folder: not applied
