"""The page's logic that is not drawing: highlighting, upload names and storage, the reading view's HTML."""

from __future__ import annotations

import csv
import io

import pytest

from page import highlight, reader, tasks, uploads
from tracuu.errors import UsageError
from tracuu.types import Chunk

TEXT = "Sở Y tế: Chủ trì, phối hợp với Sở GD&ĐT <b>hướng dẫn</b> y tế trường học; đạo đức, giáo dục."


def _marked(html_text: str) -> list[str]:
    return [part.split("</mark>")[0] for part in html_text.split("<mark>")[1:]]


def test_accent_free_query_marks_accented_words_as_one_phrase():
    out = highlight.mark(TEXT + " Các cơ sở giáo dục.", "nhiem vu cua so y te")
    # "sở" found inside the phrase is not marked again alone ("Sở GD&ĐT", "cơ sở").
    assert _marked(out) == ["Sở Y tế", "y tế"]


def test_accented_query_keeps_its_accents_apart():
    # "dục" typed with its accent must not light up "đức"; typed bare, both are candidates.
    assert _marked(highlight.mark(TEXT, "giáo dục")) == ["giáo dục"]
    assert _marked(highlight.mark(TEXT, "dao duc")) == ["đạo đức"]
    assert _marked(highlight.mark(TEXT, "giao duc")) == ["giáo dục"]


def test_short_bare_words_are_not_marked_alone():
    text = "Chủ tịch ký ban hành văn bản về an toàn bếp ăn bán trú."
    assert _marked(highlight.mark(text, "bep an ban tru")) == ["bếp ăn bán trú"]
    assert _marked(highlight.mark("Văn bản về an toàn.", "bep an ban tru")) == []
    assert _marked(highlight.mark("Văn bản về an toàn.", "an toàn")) == ["an toàn"]


def test_document_html_is_escaped_before_marking():
    out = highlight.mark(TEXT, "hướng dẫn")
    assert "<b>" not in out and "&lt;b&gt;<mark>hướng dẫn</mark>&lt;/b&gt;" in out
    assert "GD&amp;ĐT" in out


def test_offsets_survive_characters_that_change_length_when_lowered():
    text = "İstanbul và Sở Y tế"  # "İ".lower() is two characters; the match must still land on "Sở Y tế"
    (start, end), *_ = highlight.spans(text, "so y te")
    assert text[start:end] == "Sở Y tế"


def test_long_passage_is_cut_around_the_first_match():
    text = "mở đầu " * 300 + "nhiệm vụ của Sở Y tế" + " kết thúc" * 300
    out = highlight.mark(text, "Sở Y tế", window=200)
    assert out.startswith("…") and out.endswith("…") and "<mark>Sở Y tế</mark>" in out
    assert len(out) < 300


@pytest.mark.parametrize(
    "name",
    [
        "../../evil.txt",
        "/etc/passwd.txt",
        "..\\..\\evil.txt",
        "a/b.txt",
        "..",
        ".hidden.txt",
        "x\x00.txt",
        "",
    ],
)
def test_names_with_directories_or_tricks_are_refused(name):
    with pytest.raises(UsageError):
        uploads.safe_name(name)


def test_name_is_nfc_and_type_is_checked():
    decomposed = "Ke\u0302\u0301 hoa\u0323ch.PDF"  # "Kế hoạch" typed with combining marks
    assert uploads.safe_name(decomposed) == "Kế hoạch.PDF"
    with pytest.raises(UsageError, match="không phải loại tệp"):
        uploads.safe_name("virus.exe")


def test_size_limits():
    with pytest.raises(UsageError, match="rỗng"):
        uploads.check_size("a.txt", 0, 100)
    with pytest.raises(UsageError, match="quá giới hạn"):
        uploads.check_size("a.txt", 101, 100)
    uploads.check_size("a.txt", 100, 100)


def test_store_never_replaces_a_file(tmp_path):
    first = uploads.store(tmp_path, "van-ban.txt", b"mot")
    second = uploads.store(tmp_path, "van-ban.txt", b"hai")
    again = uploads.store(tmp_path, "van-ban.txt", b"hai")
    assert (first.path.name, first.renamed) == ("van-ban.txt", False)
    assert (second.path.name, second.renamed) == ("van-ban-1.txt", True)
    assert again.duplicate and again.path == second.path
    assert (tmp_path / "van-ban.txt").read_bytes() == b"mot"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["van-ban-1.txt", "van-ban.txt"]


def test_reading_view_html_marks_the_span_and_anchors_sections():
    text = "I. Mục đích\n<script>x</script>\nII. Nhiệm vụ\nSở Y tế chủ trì."
    start = text.index("II.")
    out = reader.document_html(text, [0, start], start, len(text))
    assert f'<span id="tracuu-at-{start}"></span><span id="{reader.FOCUS_ID}"' in out
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert out.endswith("Sở Y tế chủ trì.</span>")


def test_outline_indents_by_heading_depth_and_marks_the_open_section():
    chunks = [
        Chunk("d", 0, 10, "I. Mục đích", "I", "x" * 10),
        Chunk("d", 10, 20, "II. Nhiệm vụ › 1. Y tế", "II.1", "x" * 10),
    ]
    out = reader.outline(chunks, 12)
    assert 'href="#tracuu-at-10" class="on">1. Y tế</a>' in out
    assert "margin-left:0.9rem" in out


def test_tasks_csv_opens_in_spreadsheets_with_vietnamese():
    table = [{"Cơ quan": "Sở Y tế", "Nhiệm vụ": "Chủ trì, phối hợp", "Tệp": "a.txt", "start": 1, "end": 2}]
    data = tasks.to_csv(table)
    assert data.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [{"Cơ quan": "Sở Y tế", "Nhiệm vụ": "Chủ trì, phối hợp", "Tệp": "a.txt"}]


def test_option_labels_can_be_found_typed_without_accents():
    assert highlight.searchable("Sở Y tế") == "Sở Y tế · so y te"
    assert highlight.searchable("Tin tức") == "Tin tức · tin tuc"
    assert highlight.searchable("2021") == "2021"
