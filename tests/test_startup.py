"""A one-shot `tracuu search` loads only what it uses (`make bench` times it: eval/bench/startup.py).

Before: pyvi's tagger imported scikit-learn, SciPy and pandas (1.5 s); bm25s imported SciPy (0.2 s) and
tqdm; the ONNX engine built the full tokenizer's 250,000-piece model for one query (0.8 s).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import CORPUS, ROOT

pytestmark = pytest.mark.model  # the real embedding model (make test-fast leaves these out)

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


def test_the_bench_part_times_the_cli_and_tells_what_a_search_loads(small_index):
    from eval.bench import startup as bench_startup

    env = bench_startup._env()
    assert "PYTHONDONTWRITEBYTECODE" not in env  # timed as installed: bytecode written once, then reused
    (cli,) = bench_startup.cli_rows(small_index, 1, env, modes=("bm25",))
    assert cli["what"] == "tracuu search --mode bm25 (one shot)" and cli["runs"] == 1
    assert 0 < cli["wall s min"] <= cli["wall s median"] <= cli["wall s max"] and cli["cpu s median"] > 0
    rows = bench_startup.import_rows(
        small_index, env, 1, [bench_startup.IMPORTS[0], bench_startup.IMPORTS[-1]]
    )
    assert [(r["what"], r["loaded by tracuu search"]) for r in rows] == [
        ("import numpy", "yes"),
        ("import streamlit", "no"),
    ]
    assert all(r["wall s median"] > 0 and r["cpu s median"] > 0 for r in rows)
