"""Canonical text and the length-preserving matching keys."""

from __future__ import annotations

import unicodedata

from conftest import CORPUS
from hypothesis import given
from hypothesis import strategies as st

from ingest.normalize import canonical, fold, strip_accents

VIETNAMESE = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
)
text_nfc = st.text(alphabet=st.sampled_from(VIETNAMESE + " \n.,;:-İẞ")).map(
    lambda s: unicodedata.normalize("NFC", s)
)


@given(text_nfc)
def test_fold_keeps_length(s):
    assert len(fold(s)) == len(s)


@given(st.text())
def test_keys_keep_length_on_any_text(s):
    assert len(fold(s)) == len(s)
    assert len(strip_accents(s)) == len(s)


@given(text_nfc)
def test_fold_is_idempotent_and_ignores_case(s):
    assert fold(fold(s)) == fold(s)
    assert fold(s.upper()) == fold(s.lower()) or "İ" in s or "ẞ" in s


def test_old_and_new_tone_placement_fold_alike():
    pairs = {
        "hoà": "hòa", "hoá": "hóa", "hoả": "hỏa", "hoã": "hõa", "hoạ": "họa",
        "khoè": "khòe", "khoé": "khóe", "khoẻ": "khỏe", "khoẽ": "khõe", "khoẹ": "khọe",
        "tuỳ": "tùy", "thuý": "thúy", "uỷ": "ủy", "huỹ": "hũy", "thuỵ": "thụy",
    }  # fmt: skip
    for old, new in pairs.items():
        assert fold(old) == fold(new) == new
        assert fold(old.upper()) == new
        assert fold(old.capitalize()) == new
    assert fold("Uỷ ban nhân dân") == fold("Ủy ban nhân dân") == "ủy ban nhân dân"


def test_fold_leaves_syllables_with_a_final_consonant_and_qu_alone():
    for word in ("hoàng", "toán", "quý", "quỳnh", "khuyến", "hoan"):
        assert fold(word) == word


def test_strip_accents():
    assert strip_accents("Đường Hồ Chí Minh, đổi mới") == "Duong Ho Chi Minh, doi moi"
    assert strip_accents("THỦ TƯỚNG CHÍNH PHỦ") == "THU TUONG CHINH PHU"


def test_canonical_fixes_lookalikes_spacing_and_web_tail():
    raw = (
        "Tiêu đề  \r\n\r\n\r\n\r\nНơi nhận:\u00a0 Sở  GD\u00ad\n- **Lưu**: VT.\n\n[Admin]\nBài viết liên quan"
    )
    assert canonical(raw) == "Tiêu đề\n\nNơi nhận: Sở GD\n- Lưu: VT."


def test_canonical_keeps_real_cyrillic_words():
    assert canonical("Москва và Hà Nội") == "Москва và Hà Nội"


def test_canonical_rejoins_a_paragraph_cut_by_a_page_break():
    assert canonical("tập trung khai thác trong\n\ndạy và học ngoại ngữ.") == (
        "tập trung khai thác trong dạy và học ngoại ngữ."
    )
    # a list letter after a line that ends without punctuation is a new item, not a continuation
    assert canonical("như sau\n\na) Một") == "như sau\n\na) Một"


def test_canonical_seeds():
    for path in sorted(CORPUS.glob("*.txt")):
        text = canonical(path.read_text(encoding="utf-8"))
        assert canonical(text) == text, path.name
        assert unicodedata.is_normalized("NFC", text)
        assert "\n\n\n" not in text and "  " not in text and "**" not in text
        assert not any("CYRILLIC" in unicodedata.name(c, "") for c in text)
    tail = canonical((CORPUS / "2020-08-31-tin-hoi-nghi-tong-ket-nam-hoc-2019-2020.txt").read_text())
    assert tail.endswith("Lê Thanh Nghị") and "Thống kê truy cập" not in tail and "Đang online" not in tail
    admin = canonical(
        (CORPUS / "2020-09-08-tin-bac-giang-chi-thi-nhiem-vu-nam-hoc-2020-2021.txt").read_text()
    )
    assert "[Admin]" not in admin and "Bài viết liên quan" not in admin
