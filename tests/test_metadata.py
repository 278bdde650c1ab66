"""Metadata read from the seeds' own text (and corpus/catalog.csv where the text is silent)."""

from __future__ import annotations

from conftest import CORPUS
from test_sections import SEEDS

from ingest import read_document
from ingest.metadata import extract


def meta(seed: str) -> dict[str, str]:
    return read_document(CORPUS / SEEDS[seed]).meta


def test_seed_003_plan():
    m = meta("003")
    assert m["type"] == "Kế hoạch"
    assert m["issuer"] == "Ủy ban nhân dân huyện Củ Chi"
    assert (m["place"], m["date"], m["school_year"]) == ("Củ Chi", "2023-09-19", "2023-2024")
    assert m["signer"] == "Nguyễn Thị Hằng"
    assert m["title"].startswith("Kế hoạch triển khai nhiệm vụ, giải pháp trọng tâm năm học 2023-2024")
    assert m["recipients"].startswith("Sở GD-ĐT Thành phố; TT. Huyện ủy (để b/c)")
    assert "Lưu: VT, P.GDĐT.2. TTDiem" in m["recipients"]


def test_seed_000_directive():
    m = meta("000")
    assert (m["type"], m["signer"], m["school_year"]) == ("Chỉ thị", "Trần Văn Quyết", "2021-2022")
    assert m["title"].startswith("Chỉ thị về nhiệm vụ trọng tâm năm học 2021- 2022")
    assert "Lãnh đạo UBND huyện" in m["recipients"]  # the Cyrillic "Нơi nhận" was still found


def test_seed_001_news_reports_on_4088():
    m = meta("001")
    assert m["type"] == "Tin tức"
    assert m["reports_on"] == "Văn bản số 4088/UBND-KGVX"
    assert m["reports_on_date"] == "2021-09-13"
    assert m["reports_on_issuer"] == "Chủ tịch Ủy ban nhân dân tỉnh Phú Thọ"  # text + catalog
    assert m["author"] == "Huyền Trang"


def test_seed_002_news_reports_on_bac_giang_directive():
    m = meta("002")
    assert m["type"] == "Tin tức"
    assert m["reports_on"] == "Chỉ thị"
    assert m["reports_on_issuer"] == "Chủ tịch UBND tỉnh Bắc Giang"
    assert m["reports_on_date"] == "2020-09-08"
    assert m["school_year"] == "2020-2021"


def test_seed_004_news_article():
    m = meta("004")
    assert m["type"] == "Tin tức" and m["date"] == "2020-08-31"
    assert m["school_year"] == "2020-2021"  # the year being planned, not the one reviewed
    assert m["author"] == "Lê Thanh Nghị"


def test_official_header_with_number():
    text = (
        "ỦY BAN NHÂN DÂN\nTỈNH PHÚ THỌ\n\nSố: 4088/UBND-KGVX\n\nPhú Thọ, ngày 13 tháng 9 năm 2021\n\n"
        "V/v đẩy mạnh triển khai các nhiệm vụ, giải pháp tổ chức dạy học an toàn\n\n"
        "Kính gửi: Các sở, ban, ngành.\n\nThực hiện Chỉ thị số 24/CT-TTg, Chủ tịch UBND tỉnh yêu cầu như sau:"
    )
    title, m = extract(text, "cv.txt")
    assert m["number"] == "4088/UBND-KGVX" and m["type"] == "Công văn"
    assert (m["place"], m["date"]) == ("Phú Thọ", "2021-09-13")
    assert m["issuer"] == "Ủy ban nhân dân tỉnh Phú Thọ"
    assert title.startswith("Công văn số 4088/UBND-KGVX V/v đẩy mạnh triển khai các nhiệm vụ")


def test_law_title_comes_from_the_file_name():
    title, m = extract("LUẬT GIÁO DỤC\n\nĐiều 1. Phạm vi điều chỉnh\nLuật này quy định.", "Luật Giáo dục.txt")
    assert title == "Luật Giáo dục" and m["type"] == "Luật"
