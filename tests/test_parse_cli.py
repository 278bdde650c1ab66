"""`tracuu parse FILE [--json]` through the real CLI entry point."""

from __future__ import annotations

import json

import pytest
from conftest import CORPUS
from test_sections import SEEDS

from tracuu.cli import main

PLAN = CORPUS / SEEDS["003"]


def test_parse_json_matches_the_design(capsys):
    assert main(["parse", str(PLAN), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"doc", "title", "meta", "text", "chunks"}
    assert out["doc"] == PLAN.name and out["meta"]["type"] == "Kế hoạch"
    assert all(set(c) == {"section", "heading", "start", "end", "text"} for c in out["chunks"])
    assert all(out["text"][c["start"] : c["end"]] == c["text"] for c in out["chunks"])
    assert "III.2.2" in [c["section"] for c in out["chunks"]]


def test_parse_prints_an_outline(capsys):
    assert main(["parse", str(CORPUS / SEEDS["001"])]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("Đẩy mạnh triển khai các nhiệm vụ")
    assert "reports_on: Văn bản số 4088/UBND-KGVX" in out
    assert "Sở Y tế  ·  Sở Y tế" in out


@pytest.mark.parametrize(
    "name, content",
    [
        ("empty.txt", b""),
        ("fake.pdf", b"\x00\x01 not a pdf at all \xff" * 20),
        ("notes.xyz", b"hello"),
        ("blank.txt", b"   \n\n  \n"),
    ],
)
def test_bad_input_is_one_error_line_and_exit_1(tmp_path, capsys, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    assert main(["parse", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err


def test_missing_file(tmp_path, capsys):
    assert main(["parse", str(tmp_path / "khong-co.txt")]) == 1
    assert capsys.readouterr().err.startswith("error: ")


def test_nfd_file_name_gives_an_nfc_doc(tmp_path, capsys):
    import unicodedata

    name = unicodedata.normalize("NFD", "Kế hoạch năm học.txt")
    (tmp_path / name).write_text("KẾ HOẠCH\n\nNội dung chính của kế hoạch năm học.", encoding="utf-8")
    assert main(["parse", str(tmp_path / name), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)["doc"]
    assert doc == unicodedata.normalize("NFC", name)
