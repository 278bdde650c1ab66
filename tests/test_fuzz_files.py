"""Fuzzing the readers with mutated real documents (hypothesis): whatever the bytes, `tracuu ingest` and
`tracuu parse` end with exit 0 or 1, one `error:` line for a file that fails, never a traceback, and a file
that fails leaves what the index held for it unchanged.

The seeds are the text-layer PDFs and the DOCX files of ../shared/realdocs. A PDF is mutated as bytes (its
streams are compressed, so flips there test zlib and MuPDF's repair) and in its numbers (page counts,
lengths, object numbers: the structure). A DOCX is mutated either as the ZIP package or inside its
word/document.xml, re-zipped, so the XML parser sees the damage rather than the ZIP check. Bounded:
a fixed number of examples, derandomized (the same examples every run), OCR off, the fake embedder.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import tempfile
import zipfile
from pathlib import Path

import pytest
from conftest import CORPUS, need_shared
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import index
from index import store
from tracuu.cli import main

SEEDS = (
    "nd-55-2023-textlayer.pdf",
    "du-thao-thong-tu-btc-textlayer.pdf",
    "du-thao-luat-nha-giao-2025.docx",
    "du-thao-luat-sua-doi-luat-giao-duc.docx",
)
GOOD = "2021-09-13-tin-phu-tho-van-ban-4088-day-hoc-an-toan-covid.txt"
NUMBER = re.compile(rb"-?\d+")
EXAMPLES = 24

# One mutation: (kind, where in the data as a fraction, an argument).
MUTATIONS = st.one_of(
    st.tuples(st.just("flip"), st.floats(0, 1), st.lists(st.integers(0, 255), min_size=1, max_size=16)),
    st.tuples(st.just("cut"), st.floats(0.02, 0.98), st.none()),
    st.tuples(st.just("splice"), st.floats(0, 1), st.binary(min_size=0, max_size=64)),
    st.tuples(st.just("repeat"), st.floats(0, 1), st.integers(1, 8192)),
    st.tuples(
        st.just("number"), st.floats(0, 1), st.sampled_from([b"0", b"-1", b"7", b"99999999", b"2147483648"])
    ),
)


def mutate(data: bytes, mutation: tuple) -> bytes:
    kind, where, arg = mutation
    at = min(len(data) - 1, int(where * len(data)))
    if kind == "flip":
        return data[:at] + bytes(arg) + data[at + len(arg) :]
    if kind == "cut":
        return data[:at]
    if kind == "splice":
        return data[:at] + arg + data[at + len(arg) :]
    if kind == "repeat":
        return data[:at] + data[at : at + arg] * 2 + data[at + arg :]
    numbers = list(NUMBER.finditer(data))  # "number": replace the one nearest `where`
    if not numbers:
        return data
    m = numbers[min(len(numbers) - 1, int(where * len(numbers)))]
    return data[: m.start()] + arg + data[m.end() :]


def mutate_docx_xml(data: bytes, mutation: tuple) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["word/document.xml"] = mutate(parts["word/document.xml"], mutation)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in parts.items():
            z.writestr(name, body)
    return out.getvalue()


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """A corpus of the seeds beside a good directive, and its index (fake embedder), built once."""
    realdocs = need_shared("realdocs")
    root = tmp_path_factory.mktemp("fuzz")
    corpus = root / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / GOOD, corpus / GOOD)
    for name in SEEDS:
        shutil.copy(realdocs / name, corpus / name)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TRACUU_OCR", "0")
        index.build([corpus], root / "idx", model="fake")
    return root


def _held(index_dir: Path, doc: str) -> tuple:
    """What the index holds for one document: its manifest entry and its stored text and title."""
    entry = next(d for d in store.read_manifest(index_dir)["documents"] if d["doc"] == doc)
    row = next(r for r in store.read_jsonl(index_dir / "documents.jsonl") if r["doc"] == doc)
    return entry["sha256"], entry["chunks"], row["title"], row["text"]


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(seed=st.sampled_from(SEEDS), mutation=MUTATIONS, inside_xml=st.booleans())
def test_mutated_real_documents_fail_alone_in_one_line(base, capsys, monkeypatch, seed, mutation, inside_xml):
    monkeypatch.setenv("TRACUU_OCR", "0")
    original = (base / "corpus" / seed).read_bytes()
    if seed.endswith(".docx") and inside_xml:
        data = mutate_docx_xml(original, mutation)
    else:
        data = mutate(original, mutation)
    with tempfile.TemporaryDirectory(prefix="tracuu-fuzz-") as tmp:
        work = Path(tmp)
        shutil.copytree(base / "corpus", work / "corpus")
        shutil.copytree(base / "idx", work / "idx")
        target = work / "corpus" / seed
        target.write_bytes(data)
        before = _held(work / "idx", seed)
        capsys.readouterr()

        code = main(["parse", str(target)])
        out = capsys.readouterr()
        assert code in (0, 1) and "Traceback" not in out.err
        if code == 1:
            assert out.err.startswith(f"error: {seed}: ") and out.err.count("\n") == 1, out.err
            assert out.out == ""

        code = main(["ingest", str(work / "corpus"), "--index", str(work / "idx"), "--model", "fake"])
        err = capsys.readouterr().err
        assert code in (0, 1) and "Traceback" not in err, err
        errors = [line for line in err.splitlines() if line.startswith("error:")]
        if code == 1:
            assert len(errors) == 1 and errors[0].startswith(f"error: {target}: "), err
            assert _held(work / "idx", seed) == before  # the failed file's previous version is kept
        else:
            assert errors == []
            assert _held(work / "idx", seed)[0] == hashlib.sha256(data).hexdigest()
        documents = {d["doc"] for d in json.loads((work / "idx" / "manifest.json").read_text())["documents"]}
        assert documents == {GOOD, *SEEDS}
