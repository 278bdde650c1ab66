"""tracuu/files.py: one sha256 of a file, and one JSON Lines reader behind `search --queries`, `ask
--questions` and `eval`, so a file saved with a byte order mark (Notepad, Excel) is read by all three."""

from __future__ import annotations

import codecs
import hashlib
import json

import pytest
from conftest import CORPUS, write_jsonl

import index
from tracuu.cli import main
from tracuu.errors import UsageError
from tracuu.files import read_json_lines, sha256

DOC = "2021-chi-thi-ubnd-huyen-nhiem-vu-trong-tam-nam-hoc-2021-2022.txt"
ROW = {
    "id": "q1",
    "query": "Ủy ban nhân dân các xã, thị trấn căn cứ Chỉ thị này",
    "relevant": [{"doc": DOC, "quote": "c. Ủy ban nhân dân các xã, thị trấn căn cứ Chỉ thị này"}],
}


@pytest.fixture(scope="module")
def fake_index(tmp_path_factory):
    """The one sample directive, embedded by the fast fake model: the readers are under test, not search."""
    folder = tmp_path_factory.mktemp("corpus")
    (folder / DOC).write_bytes((CORPUS / DOC).read_bytes())
    out = tmp_path_factory.mktemp("idx") / "index"
    index.build([folder], out, model="fake")
    return out


def _with_bom(path):
    path.write_bytes(codecs.BOM_UTF8 + path.read_bytes())
    return path


def test_sha256_of_a_file_over_one_block_equals_hashlib(tmp_path):
    data = bytes(range(256)) * 5000  # 1.28 MB: more than one 1 MB block
    (tmp_path / "f").write_bytes(data)
    assert sha256(tmp_path / "f") == hashlib.sha256(data).hexdigest()


def test_a_bom_is_dropped_and_blank_lines_keep_the_numbering(tmp_path):
    path = tmp_path / "q.jsonl"
    path.write_bytes(codecs.BOM_UTF8 + b'{"a": 1}\n\n  \n{"b": "\xc3\xa1"}\n')
    assert read_json_lines(path, "{a}") == [(1, {"a": 1}), (4, {"b": "á"})]


@pytest.mark.parametrize(
    ("content", "needle"),
    [(b'{"a": 1}\n{"b": 2\n', "line 2 is not JSON"), (b'{"a": 1}\n{"b": "\xe1"}\n', "line 2 is not UTF-8")],
)
def test_a_bad_line_is_named(tmp_path, content, needle):
    path = tmp_path / "q.jsonl"
    path.write_bytes(content)
    with pytest.raises(UsageError, match=needle):
        read_json_lines(path, "{a}")
    with pytest.raises(UsageError, match="no such file"):
        read_json_lines(tmp_path / "nope.jsonl", "{a}")


def test_search_queries_ask_questions_and_eval_all_read_a_file_saved_with_a_bom(fake_index, tmp_path, capsys):
    qfile = _with_bom(write_jsonl(tmp_path / "q.jsonl", [ROW]))
    assert main(["search", "--queries", str(qfile), "--json", "--index", str(fake_index)]) == 0
    assert json.loads(capsys.readouterr().out)["id"] == "q1"
    assert main(["ask", "--questions", str(qfile), "--json", "--index", str(fake_index)]) == 0
    assert json.loads(capsys.readouterr().out)["id"] == "q1"
    assert main(["eval", str(qfile), "--json", "--index", str(fake_index)]) == 0
    assert set(json.loads(capsys.readouterr().out)) == {"bm25", "dense", "hybrid"}


def test_a_line_that_is_not_utf8_is_a_usage_error_not_a_fault(fake_index, tmp_path, capsys):
    qfile = tmp_path / "q.jsonl"
    qfile.write_bytes('{"id": "q1", "query": "Hà Nội"}\n'.encode("latin-1", "replace"))  # "à" as one byte
    for verb in (["search", "--queries"], ["ask", "--questions"], ["eval"]):
        assert main([*verb, str(qfile), "--json", "--index", str(fake_index)]) == 2
        err = capsys.readouterr().err
        assert err.startswith("error: ") and "line 1 is not UTF-8" in err, err
