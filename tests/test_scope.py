"""The scope a question sets (index/scope.py) on a small made-up set of directives, and a scoped search
on their real index (default model)."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.doc_cards import Catalog
from index.scope import read

NGHE_AN = """ỦY BAN NHÂN DÂN TỈNH NGHỆ AN
Số: 215/KH-UBND
Nghệ An, ngày 03 tháng 9 năm 2025
KẾ HOẠCH
Thực hiện nhiệm vụ năm học 2025-2026

I. NHIỆM VỤ
1. Các trường học tổ chức tuyên truyền phòng chống đuối nước cho học sinh trước kỳ nghỉ hè.
2. Sở Tài chính bố trí kinh phí thực hiện kế hoạch.
"""
DA_NANG = """SỞ GIÁO DỤC VÀ ĐÀO TẠO THÀNH PHỐ ĐÀ NẴNG
Số: 1820/SGDĐT-GDTrH
V/v tăng cường phòng chống bạo lực học đường
Đà Nẵng, ngày 10 tháng 10 năm 2025
Kính gửi: Hiệu trưởng các trường trung học.

1. Các trường học tổ chức tuyên truyền phòng chống bạo lực học đường và đuối nước cho học sinh.
2. Giáo viên chủ nhiệm theo dõi, nắm bắt tình hình học sinh hằng tuần.
"""
BO = """BỘ GIÁO DỤC VÀ ĐÀO TẠO
Số: 01/2026/TT-BGDĐT
Hà Nội, ngày 20 tháng 01 năm 2026
THÔNG TƯ
Quy định thẩm quyền tuyển dụng nhà giáo

Điều 1. Phạm vi điều chỉnh
Thông tư này quy định thẩm quyền tuyển dụng nhà giáo trong các cơ sở giáo dục công lập.
"""
HCM = """ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH
SỞ GIÁO DỤC VÀ ĐÀO TẠO
Số: /KH-SGDĐT
Thành phố Hồ Chí Minh, ngày tháng năm 2024
KẾ HOẠCH
Tổ chức Cuộc thi Sáng tạo năm học 2024-2025

1. Các trường học tổ chức cho học sinh tham gia cuộc thi và tuyên truyền phòng chống đuối nước.
"""
FILES = {"nghe-an.txt": NGHE_AN, "da-nang.txt": DA_NANG, "bo.txt": BO, "hcm.txt": HCM}


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("scope-docs")
    for name, text in FILES.items():
        (out / name).write_text(text, encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def catalog(folder) -> Catalog:
    from ingest import read_document

    return Catalog.of({name: read_document(folder / name, name) for name in FILES})


@pytest.mark.parametrize(
    ("question", "docs"),
    [
        ("Nhiệm vụ của các trường trong kế hoạch 215/KH-UBND là gì?", {"nghe-an.txt"}),
        ("công văn 1820 yêu cầu các trường làm gì", {"da-nang.txt"}),
        ("KH 215 giao việc gì cho Sở Tài chính", {"nghe-an.txt"}),
        ("Thẩm quyền tuyển dụng theo Thông tư 01/2026", {"bo.txt"}),
        ("tham quyen tuyen dung theo thong tu 01/2026", {"bo.txt"}),
        ("Các trường ở Nghệ An phải làm gì?", {"nghe-an.txt"}),
        ("cac truong o nghe an phai lam gi", {"nghe-an.txt"}),
        ("Sở GD Đà Nẵng yêu cầu gì về bạo lực học đường?", {"da-nang.txt"}),
        ("Cuộc thi sáng tạo của Sở GDĐT TP.HCM", {"hcm.txt"}),
        ("Nhiệm vụ năm học 2025-2026 của các trường", {"nghe-an.txt"}),
        ("nhiệm vụ năm học 2024 - 2025", {"hcm.txt"}),
        ("Công văn của Sở về phòng chống bạo lực học đường", {"da-nang.txt"}),  # type + issuer
        ("Kế hoạch của UBND tỉnh về đuối nước", {"nghe-an.txt", "hcm.txt"}),  # both headers name a UBND
        ("Văn bản của Nghệ An và Đà Nẵng về đuối nước", {"nghe-an.txt", "da-nang.txt"}),  # one kind widens
    ],
)
def test_a_named_document_place_or_year_scopes_the_question(catalog, question, docs):
    assert read(question, catalog).docs == docs


@pytest.mark.parametrize(
    "question",
    [
        "Sở GDĐT có trách nhiệm gì khi xây dựng kế hoạch giáo dục nhà trường?",  # a type word as a topic
        "Phòng Kế hoạch - Tài chính của Sở có nhiệm vụ gì?",  # a department, not a document's type
        "Kế hoạch 2025 về tuyển sinh",  # a year, not a number
        "Giáo dục vì hòa bình trong trường học",  # "hòa bình" in lower case is a word, not the province
        "Người Việt Nam định cư ở nước ngoài",  # "Nam định" is not "Nam Định"
        "Điều 5 khoản 2 quy định gì?",
    ],
)
def test_what_is_not_a_scope(catalog, question):
    s = read(question, catalog)
    assert s.docs is None and s.parts == () and s.description == ""


def test_descriptions_say_what_was_searched(catalog):
    assert read("kế hoạch 215/KH-UBND", catalog).description == "trong Kế hoạch 215/KH-UBND"
    both = read("Văn bản của Nghệ An và Đà Nẵng", catalog)
    assert both.description == "trong 2 văn bản (Nghệ An, Đà Nẵng)"


def test_a_scope_that_matches_nothing_is_said_not_searched(catalog):
    s = read("Các trường ở Hà Giang phải làm gì?", catalog)  # a province no document comes from
    assert s.docs is None and s.applied == () and [p.label for p in s.unmet] == ["Hà Giang"]
    assert s.notes == ("không có văn bản nào của Hà Giang trong chỉ mục",)
    s = read("Công văn 999 yêu cầu gì?", catalog)
    assert s.docs is None and s.notes == ("không có Công văn số 999 trong chỉ mục",)
    s = read("Kế hoạch 77/KH-UBND", catalog)
    assert s.notes == ("không có Kế hoạch số 77/KH-UBND trong chỉ mục",)


def test_the_most_specific_part_wins_and_the_other_is_reported(catalog):
    s = read("Kế hoạch 215/KH-UBND ở Đà Nẵng giao gì cho các trường?", catalog)
    assert s.docs == {"nghe-an.txt"} and [p.kind for p in s.applied] == ["number"]
    assert s.notes == ("không có văn bản nào của Đà Nẵng khớp với phần còn lại của câu hỏi",)


def test_filters_are_what_search_and_the_sidebar_take(catalog):
    assert read("ở Nghệ An", catalog).filters == {"doc": ["nghe-an.txt"]}
    assert read("học sinh", catalog).filters == {}


# --- a scoped search on the real index --------------------------------------------------------------


@pytest.fixture(scope="module")
def index_dir(folder, tmp_path_factory) -> Path:
    import index

    out = tmp_path_factory.mktemp("scope-index") / "index"
    index.build([folder], out)  # the default model: the path that ships
    return out


QUESTION = "Các trường học tổ chức tuyên truyền phòng chống đuối nước thế nào"


@pytest.mark.model
def test_search_keeps_to_the_named_document(index_dir):
    import index

    ix = index.load(index_dir)
    unscoped = {h.chunk.doc for h in ix.search(QUESTION, k=10, scope=False)}
    assert len(unscoped) >= 3  # the three plans all speak of it
    for mode in ("hybrid", "bm25", "dense"):
        hits, s = ix.search_scoped(QUESTION + " theo kế hoạch 215/KH-UBND", k=10, mode=mode)
        assert hits and {h.chunk.doc for h in hits} == {"nghe-an.txt"}, mode
        assert s.description == "trong Kế hoạch 215/KH-UBND"
    hits = ix.search(QUESTION + " ở TP.HCM", k=5)
    assert {h.chunk.doc for h in hits} == {"hcm.txt"}


@pytest.mark.model
def test_a_sidebar_choice_and_the_question_scope_combine(index_dir):
    import index

    ix = index.load(index_dir)
    # The sidebar allows two documents, the question names one of them: that one.
    hits, s = ix.search_scoped(QUESTION + " ở Nghệ An", filters={"doc": ["nghe-an.txt", "hcm.txt"]})
    assert {h.chunk.doc for h in hits} == {"nghe-an.txt"}
    # The sidebar allows only a document the question does not name: the sidebar wins, and it is said.
    hits, s = ix.search_scoped(QUESTION + " ở Nghệ An", filters={"doc": ["hcm.txt"]})
    assert {h.chunk.doc for h in hits} == {"hcm.txt"} and s.docs is None
    assert "ngoài bộ lọc" in s.notes[-1]


@pytest.mark.model
def test_search_cli_says_what_was_searched(index_dir, capsys):
    import json

    from tracuu.cli import main

    assert main(["search", QUESTION + " ở Nghệ An", "--index", str(index_dir), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["scope"] == {"searched": "trong Kế hoạch 215/KH-UBND", "notes": []}
    assert {h["doc"] for h in out["hits"]} == {"nghe-an.txt"}
    assert main(["search", QUESTION + " ở Hà Giang", "--index", str(index_dir)]) == 0
    text = capsys.readouterr().out
    assert text.startswith("(không có văn bản nào của Hà Giang trong chỉ mục)\n")
    assert main(["search", QUESTION, "--index", str(index_dir), "--json"]) == 0
    assert "scope" not in json.loads(capsys.readouterr().out)  # the contract's shape when nothing is named


@pytest.mark.model
def test_eval_measures_with_and_without_the_scope(index_dir, tmp_path, capsys):
    import json

    from conftest import write_jsonl

    from tracuu.cli import main

    quote = "2. Sở Tài chính bố trí kinh phí thực hiện kế hoạch."
    rows = [{"id": "s1", "query": "Sở Tài chính bố trí kinh phí ở Nghệ An",
             "relevant": [{"doc": "nghe-an.txt", "quote": quote}]}]  # fmt: skip
    qfile = write_jsonl(tmp_path / "q.jsonl", rows)
    figures = {}
    for flag in ([], ["--no-scope"]):
        assert main(["eval", str(qfile), "--index", str(index_dir), "--json", *flag]) == 0
        figures[bool(flag)] = json.loads(capsys.readouterr().out)
    assert figures[False]["hybrid"]["mrr@10"] == 1.0 and set(figures[True]) == {"bm25", "dense", "hybrid"}
