"""tracuu's page, the script `app.py` serves (`streamlit run app.py`, or `make run`).

Search and cited answers over the directives, a reading view, tasks by body, index status and uploads
for administrators. Settings come from the environment: TRACUU_INDEX (default data/index),
TRACUU_CORPUS (default corpus), TRACUU_ADMIN_PASSWORD (or admin_password in Streamlit secrets).
No traceback reaches the page: expected errors show their message, anything else a plain sentence,
with the details in the server log.
"""

from __future__ import annotations

import logging

import streamlit as st

from page import admin, config, filters, reader, search_tab, status, store, tasks
from page.safe import md
from tracuu.errors import TracuuError

log = logging.getLogger("tracuu.app")

TITLE = "Tra cứu văn bản chỉ đạo ngành giáo dục"
UNEXPECTED = (
    "Đã xảy ra lỗi ngoài dự kiến nên trang không hoàn thành được việc này. Hãy thử lại; nếu vẫn lỗi, "
    "báo cho quản trị viên (chi tiết đã được ghi vào nhật ký máy chủ)."
)


def main() -> None:
    st.set_page_config(page_title="Tra cứu văn bản", page_icon="📚", layout="wide")
    st.title(TITLE)
    index_dir, corpus = config.index_dir(), config.corpus_dir()
    index = store.ensure_index(index_dir, corpus)
    if index is None:
        st.warning(
            f"Chưa có văn bản nào để tra cứu: thư mục “{md(corpus)}” trống hoặc không có tệp đọc được "
            "(PDF, DOCX, TXT, HTML). Quản trị viên hãy tải văn bản lên bên dưới."
        )
        admin.show(corpus, index_dir)
        return
    with st.sidebar:
        chosen = filters.sidebar(index)
        status.show(index)
    wanted = reader.requested()
    if wanted:
        reader.show(index, *wanted)
        return
    labels = ["Tra cứu", tasks.TAB, "Quản trị"]
    back_to = st.session_state.get("reader-origin")  # after the reading view, the tab it was opened from
    search, by_body, manage = st.tabs(labels, default=back_to if back_to in labels else None)
    with search:
        _guarded(search_tab.show, index, chosen)
    with by_body:
        _guarded(tasks.show, index)
    with manage:
        _guarded(admin.show, corpus, index_dir)


def _guarded(view, *args) -> None:
    """Run one part of the page; a failure there is shown in words and the other parts still draw."""
    try:
        view(*args)
    except TracuuError as e:
        st.error(f"Không thực hiện được: {md(e)}")
    except Exception:
        log.exception("page view %s failed", getattr(view, "__module__", view))
        st.error(UNEXPECTED)


_guarded(main)
