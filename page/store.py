"""The local index, loaded once per server process and shared by every visitor; built here when missing.

`st.cache_resource` keeps one Index (and with it the embedding model) per index folder, as the page's
source (page/local.py). A build (first
start, an upload, the rebuild button) holds a process-wide lock so two visitors never build at once,
and clears the cache afterwards so the next run loads the new index.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import streamlit as st

from page import config
from page.safe import md


@st.cache_resource(show_spinner=False)
def _build_lock() -> threading.Lock:
    return threading.Lock()


@st.cache_resource(show_spinner="Đang nạp chỉ mục và mô hình…")
def _load(index_dir: str):
    import index
    from page.local import LocalSource

    return LocalSource(index.load(Path(index_dir)))


def has_index(index_dir: Path) -> bool:
    return (index_dir / "manifest.json").is_file()


def get_source(index_dir: Path):
    """The page's source over the index at `index_dir` (page.local.LocalSource)."""
    return _load(str(index_dir.resolve()))


_STAGES = {
    "read": "Đọc văn bản",
    "segment": "Tách từ",
    "embed": "Tính vector ngữ nghĩa",
    "write": "Ghi chỉ mục",
}


def progress_callback(bar, label: str) -> Callable[[str, int, int], None]:
    """Adapt index.build's progress reports (stage, done, total) to a Streamlit progress bar."""
    order = list(_STAGES)

    def report(stage: str, done: int, total: int) -> None:
        # Each stage gets an equal share of the bar so it only ever moves forward.
        step = order.index(stage) if stage in order else 0
        part = done / total if total else 1.0
        fraction = min(1.0, (step + part) / len(order))
        bar.progress(fraction, text=f"{label} {_STAGES.get(stage, stage)} {done}/{total}")

    return report


def build(paths: list[Path], index_dir: Path, label: str):
    """Build or update the index from `paths` with a progress bar; returns index.build's report."""
    import index

    lock = _build_lock()
    bar = st.progress(0.0, text=label)
    if not lock.acquire(blocking=False):
        bar.progress(0.0, text="Một người khác đang lập chỉ mục; đang chờ xong…")
        lock.acquire()
    try:
        # An update keeps the engine the index was built with (index.build's rule); a first build uses the
        # configured one.
        model = None if has_index(index_dir) else config.model_name()
        report = index.build(paths, index_dir, model=model, progress=progress_callback(bar, label))
    finally:
        lock.release()
        _load.clear()
    bar.progress(1.0, text="Đã lập chỉ mục xong.")
    return report


def corpus_files(corpus: Path) -> list[Path]:
    if not corpus.is_dir():
        return []
    return sorted(p for p in corpus.rglob("*") if p.is_file() and p.suffix.lower() in config.ALLOWED_SUFFIXES)


def ensure_index(index_dir: Path, corpus: Path):
    """The loaded index as the page's source, or None when there is nothing to index yet. On a first
    start the index is built from the corpus folder while the visitor watches a progress bar."""
    if not has_index(index_dir):
        lock = _build_lock()
        if not lock.acquire(blocking=False):
            with st.spinner("Đang lập chỉ mục lần đầu cho một người dùng khác; vui lòng đợi…"):
                lock.acquire()
        lock.release()
    if not has_index(index_dir):
        if not corpus_files(corpus):
            return None
        st.info(
            f"Chưa có chỉ mục. Đang đọc và lập chỉ mục các văn bản trong thư mục “{md(corpus)}” "
            "(chỉ lần đầu; có thể mất vài phút)…"
        )
        report = build([corpus], index_dir, "Lập chỉ mục lần đầu:")
        notes = [("warning", f"Không đọc được “{md(Path(p).name)}”: {md(why)}") for p, why in report.failed]
        if not has_index(index_dir):
            for _, text in notes:
                st.warning(text)
            return None
        done = f"Đã lập chỉ mục lần đầu: {report.documents} văn bản, {report.chunks} đoạn."
        # Start the page afresh on the new index; the notes are shown once on that run.
        st.session_state["store-notes"] = [("success", done), *notes]
        st.rerun()
    for kind, text in st.session_state.pop("store-notes", []):
        getattr(st, kind)(text)
    return get_source(index_dir)
