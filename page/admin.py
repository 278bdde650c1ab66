"""Administrators: upload documents into the corpus folder and update the index, or rebuild it.

Nothing here is shown without the password; with no password configured, the tab says so plainly and
offers nothing. Each uploaded file is read once before it is stored, so a file that cannot be read
never enters the corpus folder, and its reason is shown in words.
"""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

import streamlit as st

from page import config, gate, store, uploads
from page.safe import md
from tracuu.errors import TracuuError

NO_PASSWORD = (
    "Chưa cấu hình mật khẩu quản trị, nên trang này không cho tải văn bản lên hay lập lại chỉ mục. "
    "Người quản trị máy chủ hãy đặt biến môi trường `TRACUU_ADMIN_PASSWORD` (hoặc `admin_password` "
    "trong `.streamlit/secrets.toml`) rồi khởi động lại trang."
)
WRONG_PASSWORD = "Mật khẩu quản trị không đúng. Không có tệp nào được tải lên; hãy nhập lại mật khẩu."


def _say(kind: str, text: str) -> None:
    """Show a message now and keep it for the run after the index reloads (see `show`)."""
    getattr(st, kind)(text)
    st.session_state.setdefault("admin-flash", []).append((kind, text))


def _check_readable(name: str, data: bytes) -> None:
    """Parse the upload from a private temporary folder; raises UnreadableFile with the reason."""
    import ingest

    with tempfile.TemporaryDirectory(prefix="tracuu-upload-") as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        document, chunks = ingest.parse_file(path, doc=name)
    if not document.text.strip() or not chunks:
        raise TracuuError(f"“{name}” không có chữ nào đọc được (tệp ảnh quét trống hoặc hỏng?)")


def accept_uploads(files, corpus: Path, limit: int) -> list[uploads.Saved]:
    """Store every readable, well-named file; report each refusal in words. Returns what was stored."""
    saved = []
    bar = st.progress(0.0, text="Đang đọc tệp tải lên…")
    for i, f in enumerate(files):
        bar.progress(i / len(files), text=f"Đang đọc tệp {i + 1}/{len(files)}: {md(f.name)}")
        try:
            name = uploads.safe_name(f.name)
            data = f.getvalue()
            uploads.check_size(name, len(data), limit)
            _check_readable(name, data)
            result = uploads.store(corpus, name, data)
        except TracuuError as e:
            _say("error", f"Không nhận tệp “{md(f.name)}”: {md(e)}")
            continue
        if result.duplicate:
            _say(
                "info",
                f"“{md(name)}” đã có trong kho, cùng nội dung ({md(result.path.name)}); không lưu lại.",
            )
            continue
        if result.renamed:
            _say(
                "warning",
                f"Đã có một tệp khác tên “{md(name)}”; tệp mới được lưu thành “{md(result.path.name)}”.",
            )
        saved.append(result)
    bar.progress(1.0, text=f"Đã đọc {len(files)} tệp.")
    return saved


def _reindex(corpus: Path, index_dir: Path, label: str) -> None:
    report = store.build([corpus], index_dir, label)
    for path, reason in report.failed:
        _say("error", f"Không lập chỉ mục được “{md(Path(path).name)}”: {md(reason)}")
    _say(
        "success",
        f"Chỉ mục đã cập nhật: {report.documents} văn bản, {report.chunks} đoạn "
        f"(thêm {len(report.added)}, đổi {len(report.changed)}, bỏ {len(report.removed)}).",
    )


def show(corpus: Path, index_dir: Path) -> None:
    st.subheader("Quản trị")
    expected = config.admin_password()
    if not expected:
        st.info(NO_PASSWORD)
        return
    for kind, text in st.session_state.pop("admin-flash", []):
        getattr(st, kind)(text)
    given = st.text_input("Mật khẩu quản trị", type="password", key="admin-password")
    if not given:
        gate.forget()
        st.caption("Nhập mật khẩu để tải văn bản lên hoặc lập lại chỉ mục.")
        return
    if not config.password_ok(given, expected):
        gate.forget()
        st.error(WRONG_PASSWORD)
        return
    gate.admit()  # from now on this session (and only it) may send files to the server
    limit = config.max_upload_bytes()
    kinds = ", ".join(s.lstrip(".").upper() for s in config.ALLOWED_SUFFIXES)
    files = st.file_uploader(
        f"Tải văn bản lên ({kinds}; tối đa {limit // 1048576} MB mỗi tệp)",
        type=[s.lstrip(".") for s in config.ALLOWED_SUFFIXES],
        accept_multiple_files=True,
        max_upload_size=max(1, math.ceil(limit / 1048576)),
        key=f"admin-files-{st.session_state.get('admin-round', 0)}",
    )
    if st.button("Lưu và lập chỉ mục", type="primary", disabled=not files, key="admin-upload"):
        saved = accept_uploads(files, corpus, limit)
        if saved:
            names = ", ".join(md(s.path.name) for s in saved)
            _say("success", f"Đã lưu {len(saved)} tệp vào thư mục văn bản: {names}.")
            _reindex(corpus, index_dir, "Đang lập chỉ mục văn bản mới:")
            # A fresh uploader (new key) so the same files are not sent twice, and a rerun so the status
            # and search use the new index; the messages above are shown again after it.
            st.session_state["admin-round"] = st.session_state.get("admin-round", 0) + 1
            st.rerun()
        st.session_state.pop("admin-flash", None)  # nothing changed: the messages above suffice
    st.divider()
    st.caption(f"Lập lại chỉ mục từ toàn bộ thư mục “{md(corpus)}” (chỉ tính lại những tệp mới hoặc đã đổi).")
    if st.button("Lập lại chỉ mục", key="admin-rebuild"):
        _reindex(corpus, index_dir, "Đang lập lại chỉ mục:")
        st.rerun()
