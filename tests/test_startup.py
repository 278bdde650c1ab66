"""A one-shot `tracuu search` loads only what it uses (`make bench` times it: eval/bench_startup.py).

Before: pyvi's tagger imported scikit-learn, SciPy and pandas (1.5 s); bm25s imported SciPy (0.2 s) and
tqdm; the ONNX engine built the full tokenizer's 250,000-piece model for one query (0.8 s).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import CORPUS, ROOT

HEAVY = ("sklearn", "scipy", "pandas", "tqdm", "pyvi.ViTokenizer", "torch", "streamlit")


@pytest.fixture(scope="module")
def small_index(tmp_path_factory):
    import index

    folder = tmp_path_factory.mktemp("startup") / "index"
    index.build(
        [CORPUS / "2021-09-13-tin-phu-tho-van-ban-4088-day-hoc-an-toan-covid.txt"], folder, "onnx-int8"
    )
    return folder


def test_a_search_imports_no_library_it_does_not_use(small_index):
    code = (
        "import json, sys\n"
        "from tracuu.cli import main\n"
        "from index.embedders import get_embedder\n"
        "code = main(['search', 'nhiệm vụ của Sở Y tế', '--index', sys.argv[1], '--json'])\n"
        "sys.stdout.flush()\n"
        "heavy = [m for m in json.loads(sys.argv[2]) if m in sys.modules]\n"
        "full = get_embedder('onnx-int8')._tok is not None\n"
        "print(json.dumps({'code': code, 'heavy': heavy, 'full tokenizer': full}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(small_index), json.dumps(HEAVY)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    hits, loaded = (json.loads(line) for line in out.stdout.splitlines())
    assert loaded == {"code": 0, "heavy": [], "full tokenizer": False}
    assert hits["hits"] and hits["hits"][0]["text"].startswith("Sở Y tế")
