"""The page in a real browser: `streamlit run app.py` on a loopback port, driven by Debian's Chromium.

The server starts with no index, so the first visit also checks that the index is built with a progress
bar. Screenshots go to tests/artifacts/ (git-ignored). In CI (CI=true) a missing chromium is a failure.
"""

from __future__ import annotations

import os
import shutil

import pytest
from conftest import CORPUS, ROOT, chromium_browser, chromium_path

from eval.bench import serve

pytestmark = [
    pytest.mark.browser,
    pytest.mark.model,
]  # Chromium and the real model (make test-fast leaves these out)

ARTIFACTS = ROOT / "tests" / "artifacts"
PASSWORD = "mat-khau-e2e"
# Two directives are enough for the flow and keep the first build short on a shared machine.
DOCS = [
    "2021-09-13-tin-phu-tho-van-ban-4088-day-hoc-an-toan-covid.txt",
    "2021-chi-thi-ubnd-huyen-nhiem-vu-trong-tam-nam-hoc-2021-2022.txt",
]
UPLOAD = (
    "CÔNG VĂN\nVề bảo đảm an toàn bếp ăn bán trú\n\n"
    "1. Phòng Giáo dục và Đào tạo kiểm tra bếp ăn bán trú của các trường mầm non trước ngày 15/10.\n"
)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    chromium = chromium_path()
    work = tmp_path_factory.mktemp("e2e")
    corpus = work / "corpus"
    corpus.mkdir()
    for name in DOCS:
        shutil.copy(CORPUS / name, corpus / name)
    env = {
        **os.environ,
        "TRACUU_INDEX": str(work / "index"),
        "TRACUU_CORPUS": str(corpus),
        "TRACUU_ADMIN_PASSWORD": PASSWORD,
        "PYTHONPATH": str(ROOT),
    }
    with serve.running(work, env, poll=0.5) as proc:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        yield {"url": proc.url, "corpus": corpus, "work": work, "chromium": chromium}


@pytest.fixture(scope="module")
def browser(server):
    with chromium_browser(server["chromium"]) as b:
        yield b


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def test_question_answer_reading_view_and_admin_upload(server, browser):
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1400, "height": 900}, locale="vi-VN")
    page.set_default_timeout(120_000)
    expect.set_options(timeout=120_000)  # a shared 2-core machine: generous waits, no timed assertions
    page.goto(server["url"])

    # First visit: no index yet, so it is built from the corpus folder while a progress bar moves.
    expect(page.get_by_text("Chưa có chỉ mục", exact=False)).to_be_visible()
    expect(page.locator("[data-testid='stProgress']")).to_be_visible()
    shot(page, "00-first-build.png")
    box = page.get_by_role("textbox", name="Tìm kiếm hoặc đặt câu hỏi")
    expect(box).to_be_visible(timeout=600_000)
    expect(page.get_by_text("Đã lập chỉ mục lần đầu: 2 văn bản", exact=False)).to_be_visible()
    shot(page, "01-start.png")

    box.fill("nhiệm vụ của Sở Y tế")
    box.press("Enter")
    answer = page.locator(".tracuu-point").first
    expect(answer).to_be_visible()
    expect(answer.locator("mark").first).to_have_text("Sở Y tế")
    expect(answer.locator(".tracuu-cite")).to_contain_text("[1]")
    expect(page.locator(".tracuu-passage").first).to_be_visible()
    # The answer is above the ranked passages.
    assert answer.bounding_box()["y"] < page.locator(".tracuu-passage").first.bounding_box()["y"]
    shot(page, "02-answer.png")

    page.get_by_role("button", name="Xem trích dẫn [1] trong văn bản").click()
    focus = page.locator("#tracuu-focus")
    expect(focus).to_contain_text("Sở Y tế")
    expect(focus).to_be_in_viewport()
    assert "doc=" in page.url and "start=" in page.url
    expect(page.get_by_text("Mục lục")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "03-reading-view.png"))  # the viewport: shows where it scrolled

    page.get_by_role("button", name="← Quay lại trang tìm kiếm").click()
    page.get_by_role("tab", name="Quản trị").click()
    pw = page.locator('input[aria-label="Mật khẩu quản trị"]')
    pw.fill("sai-mat-khau")
    pw.press("Enter")
    expect(page.get_by_text("Mật khẩu quản trị không đúng")).to_be_visible()
    expect(page.locator('input[type="file"]')).to_have_count(0)
    shot(page, "04-wrong-password.png")

    pw.fill(PASSWORD)
    pw.press("Enter")
    upload = server["work"] / "cong-van-bep-an.txt"
    upload.write_text(UPLOAD, encoding="utf-8")
    page.locator('input[type="file"]').set_input_files(str(upload))
    expect(page.get_by_text("cong-van-bep-an.txt")).to_be_visible()
    page.get_by_role("button", name="Lưu và lập chỉ mục").click()
    expect(page.get_by_text("Đã lưu 1 tệp", exact=False)).to_be_visible(timeout=300_000)
    expect(page.get_by_text("Chỉ mục đã cập nhật", exact=False)).to_be_visible()
    assert (server["corpus"] / "cong-van-bep-an.txt").read_text(encoding="utf-8") == UPLOAD
    shot(page, "05-uploaded.png")

    # Indexed: a search now finds the uploaded directive.
    page.get_by_role("tab", name="Tra cứu").click()
    box.fill("bep an ban tru")
    box.press("Enter")
    expect(page.locator(".tracuu-passage").first.locator("mark").first).to_have_text("bếp ăn bán trú")
    shot(page, "06-search-uploaded.png")
    page.close()


def test_tasks_by_body_in_the_browser(server, browser):
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1400, "height": 900}, locale="vi-VN")
    page.set_default_timeout(120_000)
    expect.set_options(timeout=120_000)  # a shared 2-core machine: generous waits, no timed assertions
    page.goto(server["url"])
    page.get_by_role("tab", name="Nhiệm vụ theo cơ quan").click()
    choose = page.get_by_role("combobox", name="Chọn cơ quan (gõ để tìm, không dấu cũng được)")
    choose.click()
    page.keyboard.type("so y te")  # accent-free typing narrows the searchable list
    page.get_by_role("option", name="Sở Y tế · so y te").click()
    expect(page.get_by_text("nhóm theo văn bản", exact=False)).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="Sở Y tế: Chủ trì").first).to_be_visible()
    expect(page.get_by_role("button", name="Tải danh sách (CSV)")).to_be_visible()
    shot(page, "07-tasks-by-body.png")
    page.close()


def test_the_server_logged_no_traceback(server, browser):
    # Runs after the two flows above (same module server): whatever they did, nothing crashed.
    assert "Traceback" not in (server["work"] / "server.log").read_text(errors="replace")
