"""The labelled questions in eval/queries.jsonl are well formed and their gold quotes really exist.

Gold quotes are located exactly as the evaluator does it (`eval.spans.locate_all` over the canonical
text that `ingest.parse_file` produces), so a reader change that breaks a quote fails here, naming it.
"""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from eval.spans import Span, collapse, locate_all, overlaps
from ingest import parse_file

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ROOT / "eval" / "queries.jsonl"
CORPUS = ROOT / "corpus"
KINDS = {
    "obligation",
    "deadline",
    "topic",
    "fact",
    "paraphrase",
    "accentless",
    "abbreviation",
    "multi",
    "none",
}


@pytest.fixture(scope="module")
def queries() -> list[dict]:
    rows = []
    for n, line in enumerate(QUERIES.read_text(encoding="utf-8").splitlines(), 1):
        assert line.strip(), f"line {n} of {QUERIES.name} is blank"
        rows.append(json.loads(line))
    return rows


@pytest.fixture(scope="module")
def parsed(queries) -> dict[str, tuple]:
    """doc name → (Document, chunks) for every corpus file the queries cite, parsed by the real reader."""
    cited = {r["doc"] for q in queries for r in q["relevant"]}
    return {name: parse_file(CORPUS / name) for name in sorted(cited) if (CORPUS / name).is_file()}


@pytest.fixture(scope="module")
def gold(queries, parsed) -> dict[str, list[Span]]:
    return locate_all(queries, {name: d.text for name, (d, _) in parsed.items()})


def test_every_line_has_the_contract_fields(queries):
    for q in queries:
        assert isinstance(q["id"], str) and q["id"], q
        assert isinstance(q["query"], str) and q["query"].strip(), q["id"]
        assert q["kind"] in KINDS, f"{q['id']}: unknown kind {q['kind']!r}"
        assert isinstance(q["relevant"], list), q["id"]
        for rel in q["relevant"]:
            assert set(rel) == {"doc", "quote"}, f"{q['id']}: {rel}"
            # Short quotes make the overlap rule meaningless (any hit nearby would count).
            assert len(" ".join(rel["quote"].split())) >= 40, f"{q['id']}: quote too short: {rel['quote']!r}"


def test_ids_are_unique(queries):
    dup = [i for i, c in Counter(q["id"] for q in queries).items() if c > 1]
    assert not dup, f"duplicate ids: {dup}"


def test_enough_questions_of_each_sort(queries):
    kinds = Counter(q["kind"] for q in queries)
    assert len(queries) >= 80
    assert sum(1 for q in queries if q["kind"] == "obligation" and q.get("body")) >= 20
    assert sum(1 for q in queries if not q["relevant"]) >= 5
    assert set(kinds) == KINDS, f"missing kinds: {KINDS - set(kinds)}"
    # Accent-free typing is a real share of what users type, not a token example.
    assert kinds["accentless"] >= 0.1 * len(queries)


def test_answerable_and_unanswerable_are_labelled_consistently(queries):
    for q in queries:
        if q["kind"] == "none":
            assert q["relevant"] == [], f"{q['id']} is kind none but has gold"
        else:
            assert q["relevant"], f"{q['id']} has no gold but is kind {q['kind']}"
        if q["kind"] == "obligation":
            assert q.get("body"), f"{q['id']}: obligation question without body"


def test_multi_questions_span_several_documents(queries):
    for q in queries:
        if q["kind"] == "multi":
            assert len({r["doc"] for r in q["relevant"]}) >= 2, q["id"]


def test_accentless_queries_carry_no_diacritics(queries):
    for q in queries:
        if q["kind"] == "accentless":
            decomposed = unicodedata.normalize("NFD", q["query"])
            marks = [c for c in decomposed if unicodedata.combining(c) or c in "đĐ"]
            assert not marks, f"{q['id']}: {q['query']!r} has diacritics"


def test_every_cited_document_is_in_the_corpus(queries):
    names = {p.name for p in CORPUS.iterdir()}
    for q in queries:
        for rel in q["relevant"]:
            assert rel["doc"] in names, f"{q['id']}: {rel['doc']} is not in corpus/"


def test_every_quote_is_found_once_in_canonical_text(queries, parsed, gold):
    # locate_all raising (in the fixture) already names a missing quote; here: found, and unambiguous.
    flat = {name: collapse(d.text)[0] for name, (d, _) in parsed.items()}
    for q in queries:
        assert len(gold[q["id"]]) == len(q["relevant"]), f"{q['id']}: a quote is listed twice"
        for rel in q["relevant"]:
            needle = collapse(unicodedata.normalize("NFC", rel["quote"]))[0]
            count = flat[rel["doc"]].count(needle)
            assert count == 1, f"{q['id']}: quote occurs {count} times: {needle[:60]}"


def test_every_gold_span_can_be_retrieved(queries, parsed, gold):
    # A quote from a signature block or web tail that no chunk covers could never be hit: a bad label.
    for q in queries:
        for span in gold[q["id"]]:
            chunks = parsed[span.doc][1]
            assert any(overlaps(Span(c.doc, c.start, c.end), span) for c in chunks), (
                f"{q['id']}: no chunk of {span.doc} overlaps gold [{span.start}, {span.end})"
            )


def test_obligation_body_is_named_in_a_gold_document(queries, parsed):
    for q in queries:
        if not q.get("body"):
            continue
        body = " ".join(q["body"].split()).casefold()
        texts = [collapse(parsed[r["doc"]][0].text)[0].casefold() for r in q["relevant"]]
        assert any(body in t for t in texts), f"{q['id']}: body {q['body']!r} is not written in its documents"
