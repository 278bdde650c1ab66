"""Index status for everyone: how many documents and passages, which model, when it was built."""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from page.safe import md
from page.source import Status


def built_at(created: str) -> str:
    """'2026-11-23T20:31:05+00:00' → '23/11/2026 20:31' in the server's local time."""
    try:
        moment = datetime.fromisoformat(str(created).replace("Z", "+00:00"))
    except ValueError:
        return str(created or "không rõ")
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%d/%m/%Y %H:%M")


MANAGED_BY_API = (
    "Chỉ mục do máy chủ tra cứu (TRACUU_API) quản lý; trang dùng chỉ mục mới ngay khi máy chủ nạp xong."
)


def show(status: Status) -> None:
    with st.expander("Tình trạng chỉ mục", expanded=False):
        st.markdown(
            f"- **Văn bản:** {status.documents}\n"
            f"- **Đoạn đã lập chỉ mục:** {status.chunks}\n"
            f"- **Mô hình ngữ nghĩa:** {md(status.model)}\n"
            f"- **Lập lúc:** {md(built_at(status.created))}"
        )
        if status.remote:
            st.caption(MANAGED_BY_API)
        else:
            st.caption("Quản trị viên lập lại chỉ mục ở thẻ “Quản trị”.")
