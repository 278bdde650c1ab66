"""Administrators: upload documents into the corpus folder and update the index, or rebuild it.

With TRACUU_API set the index belongs to the API's server: the tab says where to add documents and
offers nothing to upload.

Nothing here is shown without the password; with no password configured, the tab says so plainly and
offers nothing. Wrong passwords are slowed (page/password.py). Each uploaded file is read once before it
is stored, in a child process with a deadline (page/reading.py), so a file that cannot be read never
enters the corpus folder, its reason is shown in words, and the other files of the batch go on alone.
"""

from __future__ import annotations

import hashlib
import logging
import math
import tempfile
from pathlib import Path

import streamlit as st

from page import config, gate, password, reader, reading, store, uploads
from page.safe import md
from tracuu.errors import TracuuError

log = logging.getLogger("tracuu.app")

NO_PASSWORD = (
    "Chưa cấu hình mật khẩu quản trị, nên trang này không cho tải văn bản lên hay lập lại chỉ mục. "
    "Người quản trị máy chủ hãy đặt biến môi trường `TRACUU_ADMIN_PASSWORD` (hoặc `admin_password` "
    "trong `.streamlit/secrets.toml`) rồi khởi động lại trang."
)
MANAGED_BY_API = (
    "Trang này hỏi máy chủ tra cứu (biến `TRACUU_API`) thay vì tự nạp chỉ mục, nên không tải văn bản lên "
    "hay lập lại chỉ mục ở đây. Quản trị viên thêm văn bản trên máy chủ đó: `tracuu ingest THƯ_MỤC "
    "--index` thư mục chỉ mục mà `tracuu serve` phục vụ; máy chủ tự nạp chỉ mục mới mà không ngắt việc "
    "tra cứu, và trang dùng nó ngay."
)
WRONG_PASSWORD = "Mật khẩu quản trị không đúng. Không có tệp nào được tải lên; hãy nhập lại mật khẩu."
UNEXPECTED_FILE = "lỗi ngoài dự kiến khi nhận tệp (chi tiết đã được ghi vào nhật ký máy chủ)"


def _say(kind: str, text: str) -> None:
    """Show a message now and keep it for the run after the index reloads (see `show`)."""
    getattr(st, kind)(text)
    st.session_state.setdefault("admin-flash", []).append((kind, text))


def _verdict(given: str, expected: str) -> bool:
    """Whether `given` is the password, checked once per typed value (reruns reuse the answer)."""
    key = hashlib.sha256(f"{given}\0{expected}".encode("utf-8", "surrogatepass")).hexdigest()
    known = st.session_state.get("admin-verdict")
    if known and known[0] == key:
        return known[1]
    wrong = st.session_state.get("admin-wrong", 0)
    ok = password.check(given, expected, wrong)
    st.session_state["admin-wrong"] = 0 if ok else wrong + 1
    st.session_state["admin-verdict"] = (key, ok)
    return ok


def _read_one(f, corpus: Path, limit: int, waiting) -> uploads.Saved:
    """Check, read (in a child process) and store one uploaded file; TracuuError says why not."""
    name = uploads.safe_name(f.name)
    data = f.getvalue()
    uploads.check_size(name, len(data), limit)
    with tempfile.TemporaryDirectory(prefix="tracuu-upload-") as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        why = reading.read(path, name, on_wait=waiting)
    if why:
        raise TracuuError(why)
    return uploads.store(corpus, name, data)


def accept_uploads(files, corpus: Path, limit: int) -> list[uploads.Saved]:
    """Store every readable, well-named file; report each refusal in words. Returns what was stored.

    Each file succeeds or fails on its own: whatever goes wrong with one is said, and the next is read."""
    saved = []
    bar = st.progress(0.0, text="Đang đọc tệp tải lên…")
    for i, f in enumerate(files):
        label = f"Đang đọc tệp {i + 1}/{len(files)}: {md(uploads.shown(f.name))}"
        bar.progress(i / len(files), text=label)

        def waiting(seconds: float, at: float = i / len(files), label: str = label) -> None:
            bar.progress(at, text=f"{label} · {seconds:.0f} s")

        try:
            result = _read_one(f, corpus, limit, waiting)
        except TracuuError as e:
            _say("error", f"Không nhận tệp “{md(uploads.shown(f.name))}”: {md(e)}")
            continue
        except Exception:
            log.exception("upload of %r failed", uploads.shown(f.name))
            _say("error", f"Không nhận tệp “{md(uploads.shown(f.name))}”: {UNEXPECTED_FILE}")
            continue
        if result.duplicate:
            _say(
                "info",
                f"“{md(result.asked)}” đã có trong kho, cùng nội dung ({md(result.path.name)}); "
                "không lưu lại.",
            )
            continue
        if result.renamed:
            _say(
                "warning",
                f"Đã có một tệp khác tên “{md(result.asked)}”; tệp mới được lưu thành "
                f"“{md(result.path.name)}”.",
            )
        saved.append(result)
    bar.progress(1.0, text=f"Đã đọc {len(files)} tệp.")
    return saved


def _reindex(corpus: Path, index_dir: Path, label: str) -> None:
    report = store.build([corpus], index_dir, label)
    for path, reason in report.failed:
        _say("error", f"Không lập chỉ mục được “{md(uploads.shown(Path(path).name))}”: {md(reason)}")
    _say(
        "success",
        f"Chỉ mục đã cập nhật: {report.documents} văn bản, {report.chunks} đoạn "
        f"(thêm {len(report.added)}, đổi {len(report.changed)}, bỏ {len(report.removed)}).",
    )


def _uploader(limit: int):
    # No `type=`: with one, Streamlit checks every name itself before the page runs and answers a blocked
    # type or a NUL byte, which a client can send directly, with an exception box in place of the page.
    # uploads.safe_name refuses those names in words instead, file by file; the label says what is taken.
    kinds = ", ".join(s.lstrip(".").upper() for s in config.ALLOWED_SUFFIXES)
    return st.file_uploader(
        f"Tải văn bản lên ({kinds}; tối đa {limit // 1048576} MB mỗi tệp)",
        accept_multiple_files=True,
        max_upload_size=max(1, math.ceil(limit / 1048576)),
        key=f"admin-files-{st.session_state.get('admin-round', 0)}",
    )


def show(corpus: Path, index_dir: Path, remote: bool = False) -> None:
    """The admin tab; with `remote` (TRACUU_API) the API's server owns the index: it only says so, and no
    session is ever admitted to upload (page/gate.py)."""
    st.subheader("Quản trị")
    if remote:
        st.info(MANAGED_BY_API)
        return
    expected = config.admin_password()
    if not expected:
        st.info(NO_PASSWORD)
        return
    for kind, text in st.session_state.pop("admin-flash", []):
        getattr(st, kind)(text)
    reader.keep("admin-password")  # kept while another tab is open (only the open tab is drawn)
    given = st.text_input("Mật khẩu quản trị", type="password", key="admin-password")
    reader.remember("admin-password")
    if not given:
        gate.forget()
        st.caption("Nhập mật khẩu để tải văn bản lên hoặc lập lại chỉ mục.")
        return
    if not _verdict(given, expected):
        gate.forget()
        st.error(WRONG_PASSWORD)
        return
    gate.admit()  # from now on this session (and only it) may send files to the server
    limit = config.max_upload_bytes()
    files = _uploader(limit)
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
