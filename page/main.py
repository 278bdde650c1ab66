"""tracuu's page, the script `app.py` serves (`streamlit run app.py`, or `make run`).

Search and cited answers over the directives, a reading view, tasks by body, index status and uploads
for administrators. Settings come from the environment: TRACUU_INDEX (default data/index),
TRACUU_CORPUS (default corpus), TRACUU_ADMIN_PASSWORD (or admin_password in Streamlit secrets), and
TRACUU_API: the address of a `tracuu serve` to ask instead of loading the index here (page/source.py).
No traceback reaches the page: expected errors show their message, anything else a plain sentence,
with the details in the server log.
"""

from __future__ import annotations

import logging

import streamlit as st

from page import admin, config, filters, reader, search_tab, status, tasks
from page.safe import md
from tracuu.errors import ApiError, TracuuError

log = logging.getLogger("tracuu.app")

TITLE = "Tra cứu văn bản chỉ đạo ngành giáo dục"
UNEXPECTED = (
    "Đã xảy ra lỗi ngoài dự kiến nên trang không hoàn thành được việc này. Hãy thử lại; nếu vẫn lỗi, "
    "báo cho quản trị viên (chi tiết đã được ghi vào nhật ký máy chủ)."
)


TABS = ["Tra cứu", tasks.TAB, "Quản trị"]


def _source(index_dir, corpus):
    """The source this server answers from (page/source.py): the API when TRACUU_API is set, else the
    local index, built from the corpus folder on a first start; None when there is nothing to index yet."""
    url = config.api_url()
    if url:
        from page import remote

        return remote.connect(url)
    from page import store

    return store.ensure_index(index_dir, corpus)


def main() -> None:
    st.set_page_config(page_title="Tra cứu văn bản", page_icon="📚", layout="wide")
    st.title(TITLE)
    index_dir, corpus = config.index_dir(), config.corpus_dir()
    src = _source(index_dir, corpus)
    if src is None:
        st.warning(
            f"Chưa có văn bản nào để tra cứu: thư mục “{md(corpus)}” trống hoặc không có tệp đọc được "
            "(PDF, DOCX, TXT, HTML). Quản trị viên hãy tải văn bản lên bên dưới."
        )
        admin.show(corpus, index_dir)
        return
    state = src.status()  # from an API that is down: ApiError, shown with a way to try again
    with st.sidebar:
        chosen = filters.sidebar(src)
        status.show(state)
    wanted = reader.requested()
    if wanted:
        reader.show(src, *wanted)
        return
    # Only the open tab runs (on_change="rerun"): an inactive tab costs nothing. The open tab is kept
    # across the reading view, which does not draw the tabs.
    reader.keep("tab")
    search, by_body, manage = st.tabs(TABS, key="tab", on_change="rerun")
    reader.remember("tab")
    if search.open:
        with search:
            _search(src, chosen)
    if by_body.open:
        with by_body:
            _tasks(src)
    if manage.open:
        with manage:
            _admin(corpus, index_dir, state.remote)


# Each tab is a fragment: typing a question, picking a body or entering the password reruns that tab
# alone, not the sidebar or the title. A button that opens the reading view (its callback puts the
# document in the address bar) needs the whole page, hence the check at the top of each.
@st.fragment
def _search(src, chosen: dict) -> None:
    if reader.requested():
        st.rerun()
    _guarded(search_tab.show, src, chosen)


@st.fragment
def _tasks(src) -> None:
    if reader.requested():
        st.rerun()
    _guarded(tasks.show, src)


@st.fragment
def _admin(corpus, index_dir, remote: bool) -> None:
    _guarded(admin.show, corpus, index_dir, remote)


def _guarded(view, *args) -> None:
    """Run one part of the page; a failure there is shown in words and the other parts still draw."""
    try:
        view(*args)
    except ApiError as e:  # the API (TRACUU_API) is down or refused: said in words, with a retry
        st.error(md(e))
        where = f"{getattr(view, '__module__', '')}.{getattr(view, '__name__', '')}"
        st.button("Thử lại", key=f"retry-{where}")  # a rerun of this part asks the API again
    except TracuuError as e:
        st.error(f"Không thực hiện được: {md(e)}")
    except Exception:
        log.exception("page view %s failed", getattr(view, "__module__", view))
        st.error(UNEXPECTED)


_guarded(main)
