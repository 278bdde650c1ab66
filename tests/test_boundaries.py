"""Every point qa can quote starts and ends at a sentence or item boundary, on every corpus the project has:
the sample corpus, ../shared's bench corpora (directives, ALQAC, CongBot) and realdocs (text layers; the
scanned ones need OCR, which is switched off here). What qa can quote: the actor items of qa.items and the
sentences of every item, paragraph and table row (the topic answers' points). The boundary rules are
eval.boundary's, written apart from the ingest code that joins wrapped lines."""

from __future__ import annotations

import pytest
from conftest import CORPUS, need_shared

from eval.boundary import ends_at_boundary, starts_at_boundary
from ingest import blocks, read_document
from ingest.readers import SUFFIXES
from qa.compose import QUOTED
from qa.items import extract, quoted_sentences
from tracuu.errors import UnreadableFile


def quotable(document) -> set[tuple[int, int]]:
    text = document.text
    spans = {(it.start, it.end) for it in extract(document)}
    for b in blocks.read(text):
        if b.kind in QUOTED:
            spans |= {(s, e) for s, e in quoted_sentences(text, b) if len(text[s:e].split()) >= 4}
    return spans


def cut_points(folder) -> list[str]:
    bad = []
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in SUFFIXES or path.name.startswith("README"):
            continue
        try:
            document = read_document(path)
        except UnreadableFile:
            continue  # a scan, with OCR off
        text = document.text
        for s, e in sorted(quotable(document)):
            if not (starts_at_boundary(text, s) and ends_at_boundary(text, e)):
                before, after = text[max(0, s - 30) : s], text[e : e + 30]
                bad.append(f"{path.name} @{s}: {before!r} | {text[s:e][:80]!r} | {after!r}")
    return bad


@pytest.fixture(autouse=True)
def no_ocr(monkeypatch):
    monkeypatch.setenv("TRACUU_OCR", "0")


def test_sample_corpus_points_are_whole():
    assert cut_points(CORPUS) == []


@pytest.mark.parametrize(
    "parts",
    [
        ("bench", "directives", "corpus"),
        ("bench", "alqac", "corpus"),
        ("bench", "congbot", "corpus"),
        ("realdocs",),
    ],
    ids=["directives", "alqac", "congbot", "realdocs"],
)
def test_shared_corpus_points_are_whole(parts):
    assert cut_points(need_shared(*parts)) == []
