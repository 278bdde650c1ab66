"""The sample corpus indexed once per test session with the real default model.

Built lazily into a temporary folder the first time a test asks for it and shared by every test module
that imports `corpus_index` (tests must not modify it: copy it first).
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import cache
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


@cache
def corpus_index() -> Path:
    import index

    folder = Path(tempfile.mkdtemp(prefix="tracuu-corpus-index-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    index.build([CORPUS], folder / "index")
    return folder / "index"


def cli_json(capsys, *argv) -> dict:
    """What `tracuu ARGV...` prints as JSON (it must exit 0), read from pytest's captured output."""
    import json

    from tracuu.cli import main

    capsys.readouterr()
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


# A new document for tests that change an index under a running server (the API's reload, Serve's replicas).
EXTRA = (
    "ỦY BAN NHÂN DÂN HUYỆN\nCÔNG VĂN\nVề phòng, chống đuối nước cho học sinh trong dịp hè\n\n"
    "1. Phòng Giáo dục và Đào tạo: chủ trì hướng dẫn các trường tổ chức dạy bơi an toàn cho học sinh.\n"
    "2. Trạm Y tế xã: phối hợp kiểm tra công tác sơ cứu đuối nước tại các trường trước ngày 30/6.\n"
)
