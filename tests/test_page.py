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


@pytest.mark.parametrize(
    "name, why",
    [
        ("CON.txt", "thiết bị"),
        ("nul.PDF", "thiết bị"),
        ("COM1.docx", "thiết bị"),
        ("lpt9.html", "thiết bị"),
        ("....", "dấu chấm"),
        ("a" * 300 + ".txt", "quá dài"),
        ("ệ" * 90 + ".txt", "quá dài"),  # 94 characters, but 274 bytes: more than a file name may hold
        ("tab\there.txt", "ký tự điều khiển"),
        ("rtl\u202etxt.exe", "ký tự điều khiển"),
    ],
)
def test_names_the_file_system_or_windows_cannot_hold_are_refused_in_words(name, why):
    with pytest.raises(UsageError, match=why) as caught:
        uploads.safe_name(name)
    assert "\n" not in str(caught.value) and "\x00" not in str(caught.value)


def test_device_like_names_that_are_not_devices_are_kept():
    assert uploads.safe_name("CONSOLE.txt") == "CONSOLE.txt"
    assert uploads.safe_name("COM10.pdf") == "COM10.pdf"


def test_tasks_csv_cells_are_never_formulas():
    table = [{"Nhiệm vụ": '=HYPERLINK("http://x","y")', "Mục": "+1", "Tệp": "@a.txt", "start": 1, "end": 2}]
    rows = list(csv.DictReader(io.StringIO(tasks.to_csv(table).decode("utf-8-sig"))))
    assert rows == [{"Nhiệm vụ": '\'=HYPERLINK("http://x","y")', "Mục": "'+1", "Tệp": "'@a.txt"}]
    assert tasks.file_name("Sở Y tế") == "nhiem-vu-so-y-te.csv"
    assert tasks.file_name('../../a"\r\nb') == "nhiem-vu-a-b.csv"


def test_password_waits_grow_per_session_and_globally_and_are_bounded(monkeypatch):
    from collections import deque

    from page import password

    monkeypatch.setattr(password, "_wrong", deque(maxlen=10_000))
    assert password.delay(0) == 0
    assert [password.delay(n) for n in (1, 2, 3, 4, 9)] == [0.5, 1.0, 2.0, 4.0, 4.0]
    slept = []
    for _ in range(50):  # wrong guesses from anywhere slow every session down, up to a bound
        assert not password.check("doan-bua", "mat-khau", 0, sleep=slept.append)
    assert slept[0] == 0 and slept[1] == pytest.approx(0.1) and slept[-1] == pytest.approx(3.0)
    assert password.delay(9) == pytest.approx(7.0)
    assert password.delay(0, now=password.time.monotonic() + password.WINDOW + 1) == 0  # forgotten in time
    assert password.check("mat-khau", "mat-khau", 0, sleep=lambda s: None)
    assert not password.matches("", "mat-khau") and not password.matches("x", None)


def test_an_upload_is_read_in_a_child_with_a_deadline_and_a_memory_cap(tmp_path, monkeypatch):
    from page import reading

    good = tmp_path / "chi-thi.txt"
    good.write_text("CHỈ THỊ\nVề phòng dịch\n\n1. Sở Y tế chủ trì kiểm tra.\n", encoding="utf-8")
    waits = []
    assert reading.read(good, good.name, on_wait=waits.append) is None
    assert waits and waits == sorted(waits)  # the page heard from the wait while the child read
    bad = tmp_path / "hong.pdf"
    bad.write_bytes(b"%PDF-1.7\n" + b"\x00" * 200)
    assert reading.read(bad, bad.name).startswith("the PDF is truncated")  # the reason, without the name
    stopped = reading.read(good, good.name, deadline=0.0)
    assert stopped.startswith("reading took more than 0 seconds and was stopped")
    big = tmp_path / "dai.txt"  # 2.2 million characters: within the readers' limits, not within 40 MB
    big.write_text(("Sở Y tế chủ trì kiểm tra bếp ăn bán trú. " * 50 + "\n\n") * 1000, encoding="utf-8")
    monkeypatch.setenv("TRACUU_UPLOAD_READ_MB", "40")
    capped = reading.read(big, big.name)
    assert capped and ("needs more than 40 MB" in capped or "out of memory" in capped), capped
