"""File readers on files the tests write: every encoding, PDF (text and scanned), DOCX, HTML."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from eval.bench.readers import cer
from ingest.readers import extract, legacy
from tracuu.errors import UnreadableFile

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
SEEDS = sorted(CORPUS.glob("*.txt"))


def seed(word: str) -> Path:
    return next(p for p in SEEDS if word in p.name)


FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
]


def _font() -> str:
    for path in FONT_CANDIDATES:
        if Path(path).exists():
            return path
    if os.environ.get("CI") == "true":
        pytest.fail("no TrueType font with Vietnamese glyphs; install fonts-dejavu-core")
    pytest.skip("no TrueType font with Vietnamese glyphs (install fonts-dejavu-core)")


def _encodable(text: str, encoding: str) -> str:
    """The text with characters the legacy encoding cannot hold (Cyrillic, emoji...) replaced by '?'."""
    out = []
    for ch in text:
        try:
            legacy.encode(ch, encoding)
            out.append(ch)
        except (UnicodeEncodeError, KeyError):
            out.append("?")
    return "".join(out)


def test_seeds_exist():
    assert len(SEEDS) == 5


# --- plain text and encodings -------------------------------------------------------------------------


@pytest.mark.parametrize("seed_path", SEEDS, ids=lambda p: p.name[:20])
@pytest.mark.parametrize(
    "encoding,label",
    [
        ("utf-8", "UTF-8"),
        ("utf-8-sig", "UTF-8 (BOM)"),
        ("utf-16", "UTF-16 (BOM)"),
        ("cp1258", "windows-1258"),
        ("vni", "VNI-Windows"),
        ("tcvn3", "TCVN3"),
    ],
)
def test_seed_round_trips_through_every_encoding(tmp_path, seed_path, encoding, label):
    original = unicodedata.normalize("NFC", seed_path.read_text(encoding="utf-8"))
    if encoding in ("cp1258", "vni", "tcvn3"):
        original = _encodable(original, encoding)
        data = legacy.encode(original, encoding)
    else:
        data = original.encode(encoding)
    path = tmp_path / "seed.txt"
    path.write_bytes(data)
    result = extract(path)
    assert result.kind == "txt"
    assert any(label in note for note in result.notes), result.notes
    if encoding == "tcvn3":
        # ABC has no toned capitals: they come back lower case, everything else exactly.
        assert result.text.lower() == original.lower()
    else:
        assert result.text == original.replace("\r\n", "\n")


def test_legacy_detection_is_reported_not_silent(tmp_path):
    path = tmp_path / "old.txt"
    path.write_bytes(
        legacy.encode("Kế hoạch thực hiện nhiệm vụ năm học 2023-2024 của Ủy ban nhân dân", "cp1258")
    )
    note = extract(path).notes[0]
    assert note.startswith("encoding: windows-1258 (detected:")


def test_known_vni_and_tcvn3_bytes(tmp_path):
    # The familiar garbles of "Cộng hòa xã hội chủ nghĩa Việt Nam" in each font encoding, as published
    # byte strings (independent of our tables).
    (tmp_path / "vni.txt").write_bytes("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam".encode("cp1252"))
    (tmp_path / "abc.txt").write_bytes("Céng hoµ x· héi chñ nghÜa ViÖt Nam".encode("cp1252"))
    assert extract(tmp_path / "vni.txt").text == "Cộng hòa xã hội chủ nghĩa Việt Nam"
    assert extract(tmp_path / "abc.txt").text == "Cộng hoà xã hội chủ nghĩa Việt Nam"


@pytest.mark.skipif(shutil.which("iconv") is None, reason="iconv not installed")
def test_tcvn3_table_matches_glibc():
    data = bytes(range(0xA1, 0x100))
    proc = subprocess.run(["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"], input=data, capture_output=True)
    if proc.returncode != 0:
        pytest.skip("this iconv has no TCVN5712-1")
    assert legacy.decode(data, "tcvn3") == unicodedata.normalize("NFC", proc.stdout.decode())


def test_undecodable_bytes_are_refused(tmp_path):
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes(range(0x80, 0x100)) * 40)
    with pytest.raises(UnreadableFile, match="re-save it as UTF-8"):
        extract(path)


def test_utf16_without_bom(tmp_path):
    path = tmp_path / "u16.txt"
    path.write_bytes("Điều 1. Phạm vi điều chỉnh\nNghị định này quy định".encode("utf-16-le"))
    result = extract(path)
    assert result.text.startswith("Điều 1.")
    assert "utf-16-le" in result.notes[0]


# --- PDF with a text layer --------------------------------------------------------------------------


def _paragraphs(seed: Path) -> list[str]:
    return [p.strip() for p in seed.read_text(encoding="utf-8").split("\n\n") if p.strip()]


def make_pdf(path: Path, paragraphs: list[str], header: str | None = None, fontsize: float = 11) -> int:
    """A multi-page A4 PDF with a running header and centred page numbers; returns the page count."""
    import pymupdf

    font = _font()
    doc = pymupdf.open()
    body = pymupdf.Rect(72, 80, 523, 770)
    queue = list(paragraphs)
    while queue:
        page = doc.new_page(width=595, height=842)
        page.insert_font(fontname="vn", fontfile=font)
        if header:
            page.insert_text((72, 40), header, fontname="vn", fontsize=9)
        page.insert_text((290, 815), str(doc.page_count), fontname="vn", fontsize=9)
        y = body.y0
        while queue and y < body.y1 - 3 * fontsize:
            para = queue[0]
            rect = pymupdf.Rect(body.x0, y, body.x1, body.y1)
            left = page.insert_textbox(rect, para, fontname="vn", fontsize=fontsize)
            if left >= 0:
                y = body.y1 - left + fontsize * 0.8
                queue.pop(0)
                continue
            # Paragraph does not fit: put as many words as fit, carry the rest to the next page.
            words = para.split()
            lo, hi = 0, len(words)
            while lo < hi:
                mid = (lo + hi + 1) // 2
                probe = pymupdf.open()
                p2 = probe.new_page(width=595, height=842)
                p2.insert_font(fontname="vn", fontfile=font)
                fits = p2.insert_textbox(rect, " ".join(words[:mid]), fontname="vn", fontsize=fontsize) >= 0
                lo, hi = (mid, hi) if fits else (lo, mid - 1)
            if lo:
                page.insert_textbox(rect, " ".join(words[:lo]), fontname="vn", fontsize=fontsize)
                queue[0] = " ".join(words[lo:])
            break
    doc.save(path)
    return doc.page_count


def test_pdf_text_layer_drops_running_header_and_page_numbers(tmp_path):
    paras = _paragraphs(seed("ke-hoach-ubnd-cu-chi"))
    path = tmp_path / "ke-hoach.pdf"
    pages = make_pdf(path, paras, header="UBND huyện Củ Chi - Kế hoạch năm học 2023-2024")
    assert pages >= 4
    result = extract(path)
    assert result.kind == "pdf" and result.pages == pages
    assert "UBND huyện Củ Chi - Kế hoạch năm học" not in result.text
    assert any("running header" in n for n in result.notes)
    lines = result.text.split("\n\n")
    assert not [ln for ln in lines if ln.strip().isdigit()], "page numbers left in the text"
    assert cer(result.text, "\n\n".join(paras)) < 0.01


def test_pdf_paragraph_split_by_page_break_is_rejoined(tmp_path):
    long_para = " ".join(["các trường học tổ chức dạy học an toàn, linh hoạt, phù hợp với tình hình"] * 90)
    paras = ["Điều 1. Phạm vi", "x " * 10 + "mở đầu.", long_para + " kết thúc.", "Điều 2. Hiệu lực"]
    path = tmp_path / "split.pdf"
    assert make_pdf(path, paras, header="Dự thảo") >= 2
    text = extract(path).text
    joined = [p for p in text.split("\n\n") if "kết thúc." in p]
    assert len(joined) == 1 and joined[0].startswith("các trường học"), "paragraph left cut at the page break"


# --- scanned PDF ------------------------------------------------------------------------------------


def make_scan(path: Path, paragraphs: list[str], stamp: str) -> None:
    """A scan: each page is only an image of text, plus a small signature-stamp text layer."""
    import pymupdf

    text_pdf = path.with_suffix(".text.pdf")
    make_pdf(text_pdf, paragraphs, fontsize=13)
    src = pymupdf.open(text_pdf)
    out = pymupdf.open()
    for page in src:
        pix = page.get_pixmap(dpi=200, colorspace=pymupdf.csGRAY)
        new = out.new_page(width=page.rect.width, height=page.rect.height)
        new.insert_image(new.rect, pixmap=pix)
        if new.number == 0:
            new.insert_font(fontname="vn", fontfile=_font())
            new.insert_textbox(pymupdf.Rect(300, 5, 590, 60), stamp, fontname="vn", fontsize=7)
    out.save(path)


STAMP = (
    "Người ký: Cổng Thông tin điện tử Chính phủ Email: thongtinchinhphu@chinhphu.vn Thời gian ký: 01.01.2024"
)


@pytest.fixture(scope="module")
def scanned_pdf(tmp_path_factory):
    path = tmp_path_factory.mktemp("scan") / "scan.pdf"
    make_scan(path, _paragraphs(seed("chi-thi-ubnd-huyen"))[:6], STAMP)
    return path


def test_scanned_pdf_is_ocred_not_the_stamp(scanned_pdf):
    from ingest.readers import ocr

    if ocr.unavailable_reason():
        if os.environ.get("CI") == "true":
            pytest.fail(f"OCR must run in CI: {ocr.unavailable_reason()}")
        pytest.skip(ocr.unavailable_reason())
    result = extract(scanned_pdf)
    assert result.kind == "pdf-ocr"
    assert any(n.startswith("ocr: tesseract vie") for n in result.notes)
    assert "thongtinchinhphu" not in result.text  # the stamp is blanked, not read
    expected = "\n\n".join(_paragraphs(seed("chi-thi-ubnd-huyen"))[:6])
    assert cer(result.text, expected) < 0.05


def test_scanned_pdf_without_ocr_is_refused(scanned_pdf, monkeypatch):
    monkeypatch.setenv("TRACUU_OCR", "0")
    with pytest.raises(UnreadableFile, match="scanned PDF.*tesseract-ocr-vie"):
        extract(scanned_pdf)


# --- DOCX ---------------------------------------------------------------------------------------------

_ANCHOR = (
    '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing">'
    '<w:drawing><wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="2" '
    'behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
    '<wp:positionH relativeFrom="column"><wp:posOffset>612775</wp:posOffset></wp:positionH>'
    '<wp:positionV relativeFrom="paragraph"><wp:posOffset>252730</wp:posOffset></wp:positionV>'
    '<wp:extent cx="10" cy="10"/><wp:docPr id="1" name="Line 1"/></wp:anchor></w:drawing></w:r>'
)


def test_docx_paragraphs_tables_in_order_without_positions(tmp_path):
    import docx
    from docx.oxml import parse_xml

    paras = _paragraphs(seed("chi-thi-ubnd-huyen"))
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "ỦY BAN NHÂN DÂN HUYỆN"
    table.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    merged = table.cell(1, 0).merge(table.cell(1, 1))
    merged.text = "Số: 12/CT-UBND"
    first = document.add_paragraph(paras[0])
    first._p.append(parse_xml(_ANCHOR))
    for para in paras[1:]:
        document.add_paragraph(para)
    path = tmp_path / "chi-thi.docx"
    document.save(path)
    result = extract(path)
    assert result.kind == "docx"
    blocks = result.text.split("\n\n")
    assert blocks[0] == "ỦY BAN NHÂN DÂN HUYỆN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 12/CT-UBND"
    assert blocks[1:] == [" ".join(p.split()) for p in paras]
    assert "612775" not in result.text and "252730" not in result.text


# --- HTML ---------------------------------------------------------------------------------------------


def _seed4_article() -> tuple[str, list[str]]:
    text = seed("hoi-nghi-tong-ket").read_text(encoding="utf-8")
    body = re.split(r"\n1\s2\s3\s4\s5", text)[0]
    paras = [p.strip() for p in body.split("\n\n") if p.strip()]
    return paras[0], paras[1:]


def test_html_article_without_menu_pager_counter(tmp_path):
    title, paras = _seed4_article()
    article = "".join(f"<p>{p}</p>" for p in paras)
    html = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>
    <script>var x = 1;</script><style>p {{color: red}}</style></head><body>
    <div class="top-menu"><ul><li><a href="/">Trang chủ</a></li><li><a href="/gt">Giới thiệu</a></li>
    <li><a href="/tt">Tin tức</a></li><li><a href="/vb">Văn bản chỉ đạo điều hành</a></li></ul></div>
    <div class="wrapper"><div class="main"><h1>{title}</h1><div class="content">{article}</div>
    <div class="paging"><a href="?p=1">1</a> <a href="?p=2">2</a> <a href="?p=3">3</a>
    <a>4</a> <a>5</a> ...</div>
    </div><div class="right"><h3>Thống kê truy cập</h3><ul><li>Đang online: 1</li><li>Hôm nay: 1</li>
    <li>Trong tuần: 1</li><li>Tất cả: 1</li></ul><a href="/login">Đăng nhập</a></div></div>
    <footer>Bản quyền thuộc về Phòng GD&amp;ĐT huyện</footer></body></html>"""
    path = tmp_path / "tin.html"
    path.write_text(html, encoding="utf-8")
    result = extract(path)
    assert result.kind == "html"
    for word in ("Thống kê truy cập", "Đang online", "Giới thiệu", "Bản quyền", "var x", "1 2 3"):
        assert word not in result.text
    assert result.text.split("\n\n")[0] == title
    assert result.text.split("\n\n")[1:] == [" ".join(p.split()) for p in paras]
