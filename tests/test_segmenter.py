"""index.segmenter gives pyvi's words, without importing scikit-learn.

The comparison runs pyvi itself (imported here only) on every line of every text of ../shared's corpora
and of corpus/, and on the corpus files whole (newlines are syllables of their own in pyvi).
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from index import segmenter
from tests.conftest import CORPUS, ROOT, need_shared

# The text files of every corpus in ../shared; their PDFs and DOCX are read by ingest, not compared here.
SHARED_TEXTS = (
    "bench/alqac/corpus",
    "bench/congbot/corpus",
    "bench/directives/corpus",
    "corpus-seeds",
    "realdocs",
)


def _lines(folder) -> list[str]:
    files = sorted(p for p in folder.rglob("*") if p.suffix in (".txt", ".md") and p.is_file())
    assert files, f"no text files in {folder}"
    return [line for f in files for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def pyvi_tokenize():
    from pyvi import ViTokenizer

    return ViTokenizer.tokenize


def _differences(texts: list[str], reference) -> list[tuple[str, str, str]]:
    return [(t, ours, theirs) for t in texts if (ours := segmenter.tokenize(t)) != (theirs := reference(t))]


def test_sample_corpus_lines_and_whole_files_match_pyvi(pyvi_tokenize):
    whole = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    texts = _lines(CORPUS) + whole
    assert len(texts) > 200
    assert _differences(texts, pyvi_tokenize) == []


@pytest.mark.shared
@pytest.mark.parametrize("part", SHARED_TEXTS)
def test_every_line_of_the_shared_corpora_matches_pyvi(part, pyvi_tokenize):
    lines = _lines(need_shared(*part.split("/")))
    diffs = _differences(lines, pyvi_tokenize)
    assert diffs == [], f"{len(diffs)} of {len(lines)} lines differ, e.g. {diffs[:2]}"


def test_edge_cases_match_pyvi(pyvi_tokenize):
    texts = [
        "",
        "   ",
        "…",
        "Tp. HCM, Mr. Nam, ThS. Lan, TT. Huế",
        "05/9/2021; 1.234,5 đồng; 2020-2021; 3_4",
        "xem http://moet.gov.vn/van-ban?id=1 hoặc gửi hcm@moet.edu.vn ==> xong ... >> tiếp -> hết",
        "Hòa hoà Học sinh học Sinh HỌC SINH",
        "dòng một\ndòng hai\n\nđoạn mới",
        "Ủy ban nhân dân" + "\u0301",  # a stray combining mark
    ]
    assert _differences(texts, pyvi_tokenize) == []


def test_loading_imports_neither_scikit_learn_nor_scipy():
    code = (
        "import sys; from index import segmenter; print(segmenter.tokenize('Sở Giáo dục và Đào tạo'));"
        "print(sorted(m for m in ('sklearn', 'scipy', 'pandas', 'pyvi.ViTokenizer') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.splitlines() == ["Sở Giáo_dục và Đào_tạo", "[]"]


def test_a_pickle_that_names_other_code_is_refused(tmp_path):
    import pickle

    bad = tmp_path / "model.pkl"
    bad.write_bytes(pickle.dumps(subprocess.Popen))  # any global outside pyvi's model
    with pytest.raises(pickle.UnpicklingError, match="unexpected subprocess.Popen"):
        segmenter.crf_model_bytes(bad)
