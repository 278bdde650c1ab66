"""Untrusted documents and visitors in a real browser: nothing from a document runs or loads, and
nobody without the admin password can make the server hold uploaded bytes.

The corpus holds a directive whose title and tasks carry Markdown images, links and an HTML image
pointing at 10.255.255.1, and a file whose path `a*/alert(document.domain)/*b.txt` once closed the
reading view's script comment. The browser aborts (and records) every request to an address other than
127.0.0.1, so no traffic leaves the loopback; the test fails if there was any, or any dialog.
"""

from __future__ import annotations

import json
import os
import shutil
import urllib.parse
import zipfile
from pathlib import Path

import pytest
from conftest import CORPUS, chromium_browser, chromium_path

from eval.bench import serve

pytestmark = [
    pytest.mark.browser,
    pytest.mark.model,
]  # Chromium and the real model (make test-fast leaves these out)

PASSWORD = "mat-khau-e2e-hostile"
OUTSIDE = "10.255.255.1"  # never contacted: the browser aborts requests to it before they are sent
TRAP_PATH = "a*/alert(document.domain)/*b.txt"
DIRECTIVE = f"""ỦY BAN NHÂN DÂN HUYỆN AN LẠC
Số: 12/KH-UBND
An Lạc, ngày 05 tháng 9 năm 2025

KẾ HOẠCH
Về phòng chống dịch ![x](http://{OUTSIDE}/title.png) trong trường học [bấm vào](http://{OUTSIDE}/title-link)

I. NHIỆM VỤ

1. Sở Y tế: Chủ trì kiểm tra ![y](http://{OUTSIDE}/task.png) bếp ăn bán trú \
[xem](http://{OUTSIDE}/task-link) của các trường trước ngày 15/10.

2. Phòng Giáo dục và Đào tạo: Phối hợp với Sở Y tế tuyên truyền \
<img src=http://{OUTSIDE}/raw.png> cho học sinh.
"""


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _expanding_docx(path: Path, paragraphs: int = 400_000) -> Path:
    """A small DOCX (~80 KB) whose body expands to `paragraphs` paragraphs."""
    import docx

    base = path.with_suffix(".base.docx")
    document = docx.Document()
    document.add_paragraph("x")
    document.save(base)
    with zipfile.ZipFile(base) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    body = "<w:p><w:r><w:t>ab</w:t></w:r></w:p>" * paragraphs
    xml = parts["word/document.xml"].decode().replace("<w:body>", "<w:body>" + body, 1)
    parts["word/document.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    base.unlink()
    return path


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    import index

    chromium = chromium_path()
    work = tmp_path_factory.mktemp("hostile")
    corpus = work / "corpus"
    (corpus / Path(TRAP_PATH).parent).mkdir(parents=True)
    (corpus / "ke-hoach-an-lac.txt").write_text(DIRECTIVE, encoding="utf-8")
    shutil.copy(CORPUS / "2021-09-13-tin-phu-tho-van-ban-4088-day-hoc-an-toan-covid.txt", corpus / TRAP_PATH)
    index.build([corpus], work / "index")
    env = {
        **os.environ,
        "TRACUU_INDEX": str(work / "index"),
        "TRACUU_CORPUS": str(corpus),
        "TRACUU_ADMIN_PASSWORD": PASSWORD,
    }
    with serve.running(work, env, poll=0.5) as proc:
        yield {"url": proc.url, "work": work, "proc": proc, "chromium": chromium}


@pytest.fixture(scope="module")
def browser(server):
    with chromium_browser(server["chromium"]) as b:
        yield b


class Visit:
    """A browser page that records dialogs, requests that would leave 127.0.0.1 (aborted, never sent), and
    its Streamlit session id."""

    def __init__(self, browser) -> None:
        from playwright.sync_api import expect

        self.context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="vi-VN")
        self.page = self.context.new_page()
        self.page.set_default_timeout(120_000)
        expect.set_options(timeout=120_000)
        self.dialogs: list[str] = []
        self.outside: list[str] = []
        self.session: str | None = None
        self.page.on("dialog", self._dialog)
        self.context.route("**/*", self._route)
        self.page.on("websocket", lambda ws: ws.on("framereceived", self._frame))

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _route(self, route) -> None:
        host = urllib.parse.urlsplit(route.request.url).hostname
        if host in ("127.0.0.1", None) or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def _frame(self, payload) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        if self.session or not isinstance(payload, bytes):
            return
        msg = ForwardMsg()
        try:
            msg.ParseFromString(payload)
        except Exception:  # noqa: BLE001 - not every frame is a ForwardMsg we can read
            return
        if msg.WhichOneof("type") == "new_session":
            self.session = msg.new_session.initialize.session_id

    def upload(self, url: str, name: str, data: bytes):
        """PUT a file to Streamlit's upload endpoint as this session, with its XSRF token, as the page's
        own uploader would."""
        token = next((c["value"] for c in self.context.cookies() if c["name"] == "_streamlit_xsrf"), "")
        target = f"{url}/_stcore/upload_file/{self.session}/{os.urandom(8).hex()}"
        return self.page.request.put(
            target,
            multipart={"file": {"name": name, "mimeType": "text/plain", "buffer": data}},
            headers={"X-Xsrftoken": token},
            fail_on_status_code=False,
            timeout=120_000,
        )

    def close(self) -> None:
        self.context.close()


def _no_markup_from_documents(page) -> None:
    assert page.locator(f"img[src*='{OUTSIDE}']").count() == 0
    assert page.locator(f"a[href*='{OUTSIDE}']").count() == 0


def test_documents_cannot_run_script_or_fetch_anything(server, browser):
    from playwright.sync_api import expect

    visit = Visit(browser)
    page = visit.page
    address = urllib.parse.urlencode({"doc": TRAP_PATH, "start": 0, "end": 80})
    page.goto(f"{server['url']}/?{address}")
    expect(page.locator("#tracuu-focus")).to_be_visible()
    page.wait_for_timeout(1500)  # the scroll script has run by now (it retries for up to 5 s)
    assert page.evaluate("document.getElementById('tracuu-focus').closest('.tracuu-doc').scrollTop >= 0")

    page.get_by_role("button", name="← Quay lại trang tìm kiếm").click()
    # The documents list in the sidebar shows the title's markup as text too.
    page.locator("[data-testid='stSidebar']").get_by_role("combobox").last.click()
    expect(page.get_by_role("option").filter(has_text="![x](http:").first).to_be_visible()
    _no_markup_from_documents(page)
    page.keyboard.press("Escape")
    box = page.get_by_role("textbox", name="Tìm kiếm hoặc đặt câu hỏi")
    box.fill("nhiệm vụ của Sở Y tế")
    box.press("Enter")
    expect(page.locator(".tracuu-point").first).to_be_visible()
    # The title and the task are shown as the text they are, brackets and all (the page puts an invisible
    # word joiner after "http:" so that no bare address becomes a link).
    expect(page.get_by_text("về phòng chống dịch ![x](http:", exact=False).first).to_be_visible()
    expect(page.locator(".tracuu-point").first).to_contain_text(f"![y](http://{OUTSIDE}/task.png)")
    _no_markup_from_documents(page)

    page.get_by_role("button", name="Xem trích dẫn [1] trong văn bản").click()
    expect(page.locator("#tracuu-focus")).to_contain_text("Sở Y tế")
    _no_markup_from_documents(page)
    page.get_by_role("button", name="← Quay lại trang tìm kiếm").click()

    page.get_by_role("tab", name="Nhiệm vụ theo cơ quan").click()
    page.get_by_role("combobox", name="Chọn cơ quan (gõ để tìm, không dấu cũng được)").click()
    page.keyboard.type("so y te")
    page.get_by_role("option", name="Sở Y tế · so y te").click()
    expect(page.get_by_role("listitem").filter(has_text="Chủ trì kiểm tra ![y](http:").first).to_be_visible()
    _no_markup_from_documents(page)
    # The address bar is untrusted too: a document name made of markup is named as text.
    trap = f"![q](http://{OUTSIDE}/q.png)<img src=http://{OUTSIDE}/q2.png onerror=alert(1)>"
    page.goto(f"{server['url']}/?{urllib.parse.urlencode({'doc': trap, 'start': 0, 'end': 5})}")
    expect(page.get_by_text("Không tìm thấy văn bản", exact=False)).to_be_visible()
    expect(page.get_by_text("<img src=http:", exact=False)).to_be_visible()
    _no_markup_from_documents(page)
    page.wait_for_timeout(500)
    assert visit.dialogs == [], visit.dialogs
    assert visit.outside == [], visit.outside
    visit.close()


def test_uploads_need_the_password_and_stay_within_the_limit(server, browser, tmp_path):
    from playwright.sync_api import expect

    url, pid = server["url"], server["proc"].pid
    stranger = Visit(browser)
    stranger.page.goto(url)
    expect(stranger.page.get_by_role("textbox", name="Tìm kiếm hoặc đặt câu hỏi")).to_be_visible()
    assert stranger.session, "the page's websocket never announced its session"
    before = _rss_mb(pid)
    # A visitor who never opened the admin tab: refused before the body is read, so nothing is held.
    for i in range(7):
        answer = stranger.upload(url, f"big-{i}.txt", b"a" * (19 * 2**20))
        assert answer.status == 403, answer.status
        assert "admin password" in json.loads(answer.body())["error"]
    grown = _rss_mb(pid) - before
    assert grown < 60, f"the server grew by {grown:.0f} MB on refused uploads"
    stranger.close()

    admin = Visit(browser)
    page = admin.page
    page.goto(url)
    page.get_by_role("tab", name="Quản trị").click()
    password = page.locator('input[aria-label="Mật khẩu quản trị"]')
    password.fill(PASSWORD)
    password.press("Enter")
    expect(page.locator('input[type="file"]')).to_have_count(1)
    # Over the one limit (server.maxUploadSize = 20 MB): Streamlit refuses it while it streams.
    assert admin.upload(url, "over.txt", b"a" * (25 * 2**20)).status == 413
    assert admin.upload(url, "small.txt", b"ok").status == 204

    # A DOCX of ~80 KB that expands to 400,000 paragraphs is refused with the bound it broke.
    bomb = _expanding_docx(tmp_path / "mo-rong.docx")
    assert bomb.stat().st_size < 200_000
    page.locator('input[type="file"]').set_input_files(str(bomb))
    expect(page.get_by_text("mo-rong.docx").first).to_be_visible()
    page.get_by_role("button", name="Lưu và lập chỉ mục").click()
    expect(page.get_by_text("50,000 paragraphs", exact=False)).to_be_visible()
    assert not (server["work"] / "corpus" / "mo-rong.docx").exists()
    assert admin.dialogs == [] and admin.outside == []
    admin.close()


def test_the_server_logged_no_traceback(server, browser):
    assert "Traceback" not in (server["work"] / "server.log").read_text(errors="replace")
