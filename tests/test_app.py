"""The page under Streamlit's AppTest, on a real index of corpus/ built once per module (default model)."""

from __future__ import annotations

import csv
import io
import re
import shutil
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import CORPUS, ROOT
from streamlit.testing.v1 import AppTest

pytestmark = pytest.mark.model  # the real embedding model (make test-fast leaves these out)

APP = ROOT / "page" / "main.py"
PASSWORD = "mat-khau-thu-nghiem"
TIMEOUT = 300  # a first run loads the model; generous because the CI machine is shared


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    import index

    root = tmp_path_factory.mktemp("app")
    corpus = root / "corpus"
    shutil.copytree(CORPUS, corpus)
    built = root / "index"
    index.build([corpus], built)
    return SimpleNamespace(corpus=corpus, index=built, loaded=index.load(built))


def page(monkeypatch, corpus: Path, index_dir: Path, password: str | None = None) -> AppTest:
    monkeypatch.setenv("TRACUU_INDEX", str(index_dir))
    monkeypatch.setenv("TRACUU_CORPUS", str(corpus))
    if password:
        monkeypatch.setenv("TRACUU_ADMIN_PASSWORD", password)
    else:
        monkeypatch.delenv("TRACUU_ADMIN_PASSWORD", raising=False)
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    return at.run()


def shown(element) -> str:
    """What a visitor reads: the element's Markdown without page.safe.md's escapes and word joiners."""
    return re.sub(r"\\(.)", r"\1", element.value).replace("\u2060", "")


def no_failures(at: AppTest) -> None:
    assert not at.exception, [shown(e) for e in at.exception]
    assert not at.error, [shown(e) for e in at.error]


def passage_titles(at: AppTest) -> list[str]:
    """Titles of the ranked passages, in order (rendered as "**n. title**")."""
    titles = [re.fullmatch(r"\*\*\d+\. (.*)\*\*", shown(m)) for m in at.markdown]
    return [t.group(1) for t in titles if t]


def search(at: AppTest, query: str) -> AppTest:
    if "q" not in [t.key for t in at.text_input]:
        at = tab(at, "Tra cứu")
    return at.text_input(key="q").set_value(query).run()


def tab(at: AppTest, label: str) -> AppTest:
    """Open a tab, as a click on it does (only the open tab is drawn)."""
    at.session_state["tab"] = label
    return at.run()


def test_empty_page_explains_itself_and_offers_examples(monkeypatch, sample):
    at = page(monkeypatch, sample.corpus, sample.index)
    no_failures(at)
    assert shown(at.title[0]) == "Tra cứu văn bản chỉ đạo ngành giáo dục"
    assert "Enter" in shown(at.markdown[0])
    at.button(key="example-0").click().run()
    assert at.text_input(key="q").value == "nhiệm vụ của Sở Y tế"
    assert passage_titles(at)


def test_search_renders_passages_with_source_and_marks(monkeypatch, sample):
    at = search(page(monkeypatch, sample.corpus, sample.index), "giáo dục thể chất")
    no_failures(at)
    titles = passage_titles(at)
    assert len(titles) == 10
    assert set(titles) <= {d.title for d in sample.loaded.documents.values()}
    bodies = [h.value for h in at.html if 'class="tracuu-passage"' in h.value]
    assert len(bodies) == 10 and "<mark>giáo dục thể chất</mark>" in " ".join(bodies).lower()
    # Each passage names its source: the plan of Củ Chi carries its type, issuer and date.
    lines = [shown(c) for c in at.caption]
    assert any(line.startswith("Kế hoạch") and "19/09/2023" in line for line in lines)


def test_accent_free_search_finds_and_marks_accented_text(monkeypatch, sample):
    at = search(page(monkeypatch, sample.corpus, sample.index), "giao duc the chat")
    no_failures(at)
    bodies = " ".join(h.value for h in at.html if 'class="tracuu-passage"' in h.value)
    assert re.search(r"<mark>giáo dục thể chất</mark>", bodies, re.IGNORECASE)


def test_question_about_a_body_puts_the_cited_answer_first(monkeypatch, sample):
    at = search(page(monkeypatch, sample.corpus, sample.index), "nhiệm vụ của Sở Y tế")
    no_failures(at)
    heads = [shown(s) for s in at.subheader]
    assert heads.index("Trả lời") < heads.index("Các đoạn văn liên quan")
    points = [h.value for h in at.html if 'class="tracuu-point"' in h.value]
    assert points and "<mark>Sở Y tế</mark>" in points[0]
    assert re.search(r'class="tracuu-cite">\[\d+\]', points[0])
    assert any(shown(m).startswith("**[1] ") for m in at.markdown)  # the sources listed under the points


def test_clicking_a_citation_opens_the_reading_view_at_that_section(monkeypatch, sample):
    at = search(page(monkeypatch, sample.corpus, sample.index), "nhiệm vụ của Sở Y tế")
    at.button(key="cite-1").click().run()
    no_failures(at)
    doc = at.query_params["doc"][0] if isinstance(at.query_params["doc"], list) else at.query_params["doc"]
    document = sample.loaded.documents[doc]
    assert document.title in [shown(h) for h in at.main.header]
    body = next(h.value for h in at.html if 'class="tracuu-doc"' in h.value)
    focus = re.search(r'<span id="tracuu-focus" class="tracuu-focus">(.*?)</span>', body, re.S).group(1)
    assert "Sở Y tế" in focus
    assert any('getElementById("tracuu-focus")' in h.value and "scrollTop" in h.value for h in at.html)
    at.button(key="reader-back").click().run()
    assert not [h for h in at.html if 'class="tracuu-doc"' in h.value]
    assert at.text_input(key="q").value == "nhiệm vụ của Sở Y tế" and passage_titles(at)


def test_tasks_by_body_grouped_by_document_and_exported(monkeypatch, sample):
    import qa

    expected = [o for o in qa.obligations(sample.loaded) if o.body == "Sở Y tế"]
    at = tab(page(monkeypatch, sample.corpus, sample.index), "Nhiệm vụ theo cơ quan")
    assert "Sở Y tế · so y te" in at.selectbox(key="body").options  # labels carry the accent-free form
    at.selectbox(key="body").set_value("Sở Y tế").run()
    no_failures(at)
    assert any(shown(m).startswith(f"**{len(expected)} nhiệm vụ**") for m in at.markdown)
    listed = [shown(m) for m in at.main.markdown if shown(m).startswith("- ")]
    assert len(listed) == len(expected) and "Chủ trì" in listed[0]
    assert at.download_button(key="tasks-csv").label == "Tải danh sách (CSV)"
    # What the button hands out (built by the same call the page makes): one row per task listed.
    from page import tasks

    table = tasks.rows(sample.loaded.documents, expected)
    rows = list(csv.DictReader(io.StringIO(tasks.to_csv(table).decode("utf-8-sig"))))
    assert [r["Nhiệm vụ"] for r in rows] == [o.text for o in expected]
    assert {r["Cơ quan"] for r in rows} == {"Sở Y tế"}


def test_type_and_document_filters_narrow_the_passages(monkeypatch, sample):
    plans = {d.title for d in sample.loaded.documents.values() if d.meta.get("type") == "Kế hoạch"}
    at = page(monkeypatch, sample.corpus, sample.index)
    at.multiselect(key="f-type").set_value(["Kế hoạch"]).run()
    at = search(at, "giáo dục thể chất")
    no_failures(at)
    assert passage_titles(at) and set(passage_titles(at)) <= plans
    one = sorted(sample.loaded.documents)[0]
    at.multiselect(key="f-type").set_value([]).run()
    at.multiselect(key="f-doc").set_value([one]).run()
    assert set(passage_titles(at)) == {sample.loaded.documents[one].title}


def test_filters_that_exclude_everything_say_so(monkeypatch, sample):
    docs = sample.loaded.documents
    other = next(d for d, v in docs.items() if v.meta.get("type") != "Kế hoạch")
    at = page(monkeypatch, sample.corpus, sample.index)
    at.multiselect(key="f-type").set_value(["Kế hoạch"]).run()
    at.multiselect(key="f-doc").set_value([other]).run()
    at = search(at, "giáo dục thể chất")
    no_failures(at)
    assert not passage_titles(at)
    assert any("Không tìm thấy đoạn văn nào" in shown(i) and "bộ lọc" in shown(i) for i in at.info)


def test_unsearchable_input_is_explained(monkeypatch, sample):
    at = search(page(monkeypatch, sample.corpus, sample.index), "!!! ??? 🙂")
    no_failures(at)
    assert any("không có chữ hay số" in shown(w) for w in at.warning)


def test_status_shows_counts_and_model(monkeypatch, sample):
    at = page(monkeypatch, sample.corpus, sample.index)
    status = next(shown(m) for m in at.sidebar.markdown if "Văn bản:" in shown(m))
    assert f"**Văn bản:** {len(sample.loaded.documents)}" in status
    assert f"**Đoạn đã lập chỉ mục:** {len(sample.loaded.chunks)}" in status
    assert sample.loaded.manifest["embedder"]["name"] in status


def test_no_password_configured_means_no_upload(monkeypatch, sample):
    at = tab(page(monkeypatch, sample.corpus, sample.index, password=None), "Quản trị")
    assert any("Chưa cấu hình mật khẩu quản trị" in shown(i) for i in at.info)
    assert not at.file_uploader and not [t for t in at.text_input if t.key == "admin-password"]


def test_wrong_password_is_refused(monkeypatch, sample):
    at = tab(page(monkeypatch, sample.corpus, sample.index, password=PASSWORD), "Quản trị")
    at.text_input(key="admin-password").set_value("sai-mat-khau").run()
    assert any("Mật khẩu quản trị không đúng" in shown(e) for e in at.error)
    assert not at.file_uploader


def test_path_traversal_name_and_unreadable_file_are_refused_and_nothing_is_written(monkeypatch, sample):
    before = sorted(p.name for p in sample.corpus.parent.rglob("*"))
    at = tab(page(monkeypatch, sample.corpus, sample.index, password=PASSWORD), "Quản trị")
    at.text_input(key="admin-password").set_value(PASSWORD).run()
    uploader = at.file_uploader(key="admin-files-0")
    uploader.upload("../../evil.txt", "Sở Y tế chủ trì.".encode(), "text/plain")
    uploader.upload("hong.pdf", b"this is not a PDF", "application/pdf")  # unreadable: said in words
    at.run()
    at.button(key="admin-upload").click().run()
    assert not at.exception
    errors = [shown(e) for e in at.error]
    assert any("../../evil.txt" in e and "đường dẫn thư mục" in e for e in errors), errors
    assert any(e.startswith("Không nhận tệp “hong.pdf”:") for e in errors), errors
    assert "Traceback" not in " ".join(errors)
    assert sorted(p.name for p in sample.corpus.parent.rglob("*")) == before
    assert not (sample.corpus.parent.parent / "evil.txt").exists()


def test_broken_index_is_explained_not_a_traceback(monkeypatch, sample, tmp_path):
    broken = tmp_path / "index"
    shutil.copytree(sample.index, broken)
    (broken / "manifest.json").write_text('{"format_version": 999}', encoding="utf-8")
    at = page(monkeypatch, sample.corpus, broken)
    assert not at.exception
    assert any("format version 999" in shown(e) and "rebuild" in shown(e) for e in at.error)


def test_unexpected_failure_shows_a_plain_sentence(monkeypatch, sample):
    import index.search

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    at = page(monkeypatch, sample.corpus, sample.index)
    monkeypatch.setattr(index.search.Index, "search_scoped", broken)  # a fault in a dependency, not the page
    at = search(at, "giáo dục")
    assert not at.exception
    assert any("lỗi ngoài dự kiến" in shown(e) for e in at.error)
    assert all("disk on fire" not in shown(e) for e in at.error)
    # The rest of the page still drew.
    assert any("Văn bản:" in shown(m) for m in at.sidebar.markdown)
    assert at.text_input(key="q").value == "giáo dục"


TINY = "CHỈ THỊ\nVề phòng chống dịch trong trường học\n\n1. Sở Y tế chủ trì hướng dẫn khử khuẩn trường học.\n"
UPLOAD = (
    "CÔNG VĂN\nVề bếp ăn bán trú\n\n1. Phòng Giáo dục và Đào tạo kiểm tra bếp ăn bán trú "
    "của các trường mầm non trước ngày 15/10.\n"
)


def test_first_start_builds_the_index_then_an_upload_is_indexed(monkeypatch, tmp_path):
    corpus, built = tmp_path / "corpus", tmp_path / "data" / "index"
    corpus.mkdir()
    (corpus / "chi-thi.txt").write_text(TINY, encoding="utf-8")
    at = page(monkeypatch, corpus, built, password=PASSWORD)
    no_failures(at)
    # Built (the progress bar is seen in the browser test), then the page starts afresh on the new index.
    assert any(shown(s).startswith("Đã lập chỉ mục lần đầu: 1 văn bản") for s in at.success), at.success
    assert (built / "manifest.json").is_file()
    assert at.text_input(key="q").value == ""

    at = tab(at, "Quản trị")
    at.text_input(key="admin-password").set_value(PASSWORD).run()
    at.file_uploader(key="admin-files-0").upload("bep-an.txt", UPLOAD.encode(), "text/plain")
    at.run()
    at.button(key="admin-upload").click().run()
    no_failures(at)
    assert any("Đã lưu 1 tệp" in shown(s) for s in at.success)
    assert (corpus / "bep-an.txt").read_text(encoding="utf-8") == UPLOAD
    status = next(shown(m) for m in at.sidebar.markdown if "Văn bản:" in shown(m))
    assert "**Văn bản:** 2" in status
    at = search(at, "bep an ban tru")
    first = next(h.value for h in at.html if 'class="tracuu-passage"' in h.value)
    assert "<mark>bếp ăn bán trú</mark>" in first

    # The same name with other content is kept beside it, never over it, and the page says so.
    at = tab(at, "Quản trị")  # the password typed before is still there
    at.file_uploader(key="admin-files-1").upload("bep-an.txt", b"Noi dung khac han.\n", "text/plain")
    at.run()
    at.button(key="admin-upload").click().run()
    assert any("bep-an-1.txt" in shown(w) for w in at.warning)
    assert (corpus / "bep-an.txt").read_text(encoding="utf-8") == UPLOAD

    # A file added by hand is picked up by the rebuild button.
    by_hand = "CÔNG VĂN\nVề sân chơi\n\n1. Nhà trường sửa sân chơi.\n"
    (corpus / "them.txt").write_text(by_hand, encoding="utf-8")
    at.button(key="admin-rebuild").click().run()
    assert any("Chỉ mục đã cập nhật: 4 văn bản" in shown(s) for s in at.success)


def test_index_and_model_load_once_per_server_not_per_visitor(monkeypatch, sample, tmp_path):
    import index

    copy = tmp_path / "index"
    shutil.copytree(sample.index, copy)  # a folder no earlier test has loaded
    loads = []
    real = index.load
    monkeypatch.setattr(index, "load", lambda *a, **k: loads.append(a) or real(*a, **k))
    for _ in range(2):  # two visitors, each with a session of their own
        search(page(monkeypatch, sample.corpus, copy), "giáo dục thể chất")
    assert len(loads) == 1


def _docx_with_cut_xml() -> bytes:
    """A DOCX whose document.xml stops half-way (lxml: XMLSyntaxError)."""
    import docx

    buf = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("Sở Y tế chủ trì kiểm tra bếp ăn.")
    document.save(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as z, zipfile.ZipFile(out, "w") as w:
        for name in z.namelist():
            data = z.read(name)
            w.writestr(name, data[: len(data) // 2] if name == "word/document.xml" else data)
    return out.getvalue()


def test_each_file_of_a_batch_succeeds_or_fails_on_its_own(monkeypatch, sample, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(sample.corpus, corpus)
    built = tmp_path / "index"
    shutil.copytree(sample.index, built)
    at = tab(page(monkeypatch, corpus, built, password=PASSWORD), "Quản trị")
    at.text_input(key="admin-password").set_value(PASSWORD).run()
    uploader = at.file_uploader(key="admin-files-0")
    uploader.upload("hong.docx", _docx_with_cut_xml(), "application/octet-stream")
    uploader.upload("CON.txt", UPLOAD.encode(), "text/plain")
    uploader.upload("a" * 300 + ".txt", UPLOAD.encode(), "text/plain")
    uploader.upload("....txt", UPLOAD.encode(), "text/plain")
    uploader.upload("bep-an.txt", UPLOAD.encode(), "text/plain")
    at.run()
    at.button(key="admin-upload").click().run()
    no_exception = not at.exception
    assert no_exception, [shown(e) for e in at.exception]
    errors = [shown(e) for e in at.error]
    assert any(e.startswith("Không nhận tệp “hong.docx”: damaged .docx") for e in errors), errors
    assert any("CON.txt" in e and "thiết bị" in e for e in errors), errors
    assert any("quá dài (304 ký tự" in e for e in errors), errors
    assert any("....txt" in e and "dấu chấm" in e for e in errors), errors
    assert any("Đã lưu 1 tệp" in shown(s) for s in at.success)
    assert sorted(p.name for p in corpus.iterdir()) == sorted(
        [*(p.name for p in sample.corpus.iterdir()), "bep-an.txt"]
    )
    at = search(at, "bep an ban tru")
    assert "<mark>bếp ăn bán trú</mark>" in next(
        h.value for h in at.html if 'class="tracuu-passage"' in h.value
    )


@pytest.mark.parametrize("name", ["virus.exe", "van-ban\x00.txt"])
def test_a_name_streamlit_would_refuse_is_refused_in_words(monkeypatch, sample, name):
    # A client can send these directly; Streamlit's own check once raised an exception box for them.
    before = sorted(p.name for p in sample.corpus.iterdir())
    at = tab(page(monkeypatch, sample.corpus, sample.index, password=PASSWORD), "Quản trị")
    at.text_input(key="admin-password").set_value(PASSWORD).run()
    at.file_uploader(key="admin-files-0").upload(name, b"MZ\x90\x00", "application/octet-stream")
    at.run()
    at.button(key="admin-upload").click().run()
    assert not at.exception, [shown(e) for e in at.exception]
    errors = [shown(e) for e in at.error]
    quoted = name.replace("\x00", "\\x00")  # a NUL is quoted as its escape
    assert len(errors) == 1 and errors[0].startswith(f"Không nhận tệp “{quoted}”:"), errors
    assert sorted(p.name for p in sample.corpus.iterdir()) == before


def test_a_wrong_password_is_checked_once_per_value(monkeypatch, sample):
    from page import password

    waits = []
    real = password.check
    monkeypatch.setattr(
        password, "check", lambda *a, **k: waits.append(a[2]) or real(*a, sleep=lambda s: None)
    )
    at = tab(page(monkeypatch, sample.corpus, sample.index, password=PASSWORD), "Quản trị")
    at.text_input(key="admin-password").set_value("sai-1").run()
    at.text_input(key="admin-password").set_value("sai-2").run()
    # Other interactions, and coming back: the same wrong value is not checked (or waited on) again.
    at = tab(search(at, "giáo dục"), "Quản trị")
    assert at.text_input(key="admin-password").value == "sai-2"
    at.text_input(key="admin-password").set_value(PASSWORD).run()
    assert waits == [0, 1, 2]  # each check knew how many wrong attempts this session had made before it
    assert at.file_uploader


def test_an_answer_is_worked_out_once_per_question_and_filters(monkeypatch, sample, tmp_path):
    import qa

    copy = tmp_path / "index"
    shutil.copytree(sample.index, copy)  # a folder no earlier test has loaded: nothing remembered yet
    asked, listed = [], []
    real_ask, real_list = qa.ask, qa.obligations
    monkeypatch.setattr(qa, "ask", lambda ix, q, *a, **k: asked.append(q) or real_ask(ix, q, *a, **k))
    monkeypatch.setattr(qa, "obligations", lambda ix: listed.append(1) or real_list(ix))
    question = "nhiệm vụ của Sở Y tế"
    at = search(page(monkeypatch, sample.corpus, copy), question)
    at = tab(tab(at, "Nhiệm vụ theo cơ quan"), "Tra cứu")  # away and back: drawn again, not worked out
    assert shown(at.subheader[0]) == "Trả lời"
    other = tab(search(page(monkeypatch, sample.corpus, copy), question), "Nhiệm vụ theo cơ quan")
    no_failures(other)  # a second visitor, same question: the first one's answer, the same task table
    assert asked == [question] and listed == [1]
    at.multiselect(key="f-type").set_value(["Kế hoạch"]).run()  # new filters: a new answer
    assert asked == [question, question]


def test_an_answer_within_the_filters_says_when_they_hold_no_task_of_the_body(monkeypatch, sample):
    # Sở Y tế's tasks are not in the corpus's plan: filtered to plans, the answer is made from the plans
    # only (qa.ask takes the filters) and says that they give Sở Y tế no task, above what they do say.
    at = page(monkeypatch, sample.corpus, sample.index)
    at.multiselect(key="f-type").set_value(["Kế hoạch"]).run()
    at = search(at, "nhiệm vụ của Sở Y tế")
    no_failures(at)
    assert shown(at.subheader[0]) == "Trả lời"
    said = [shown(m) for m in [*at.info, *at.markdown]]
    assert any("Sở Y tế trong các văn bản đã lọc" in s for s in said), said
    points = [h.value for h in at.html if 'class="tracuu-point"' in h.value]
    assert not any("Chủ trì, phối hợp" in p for p in points)  # the directive's task of Sở Y tế: filtered out
    plans = {d.title for d in sample.loaded.documents.values() if d.meta.get("type") == "Kế hoạch"}
    cites = [shown(m) for m in at.markdown if shown(m).startswith("**[")]
    assert cites and all(any(t in c for t in plans) for c in cites), cites


def test_an_answer_to_a_scoped_question_says_what_was_searched(monkeypatch, sample):
    at = search(page(monkeypatch, sample.corpus, sample.index), "nhiệm vụ của Công an huyện ở Củ Chi")
    no_failures(at)
    said = [shown(c) for c in at.caption]
    assert any(s.startswith("Đã tìm trong Kế hoạch") and "Củ Chi" in s for s in said), said
