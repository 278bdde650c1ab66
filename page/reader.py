"""The reading view: a whole document with one section highlighted and scrolled to, its outline and
metadata beside it. Its address is `?doc=...&start=...&end=...`, so a passage can be linked to."""

from __future__ import annotations

import hashlib
import html

import streamlit as st

from page import per_index
from page.dates import format_date
from page.safe import md
from tracuu.errors import one_line

FOCUS_ID = "tracuu-focus"
READER_CSS = """<style>
.tracuu-doc { position: relative; white-space: pre-wrap; line-height: 1.6; max-height: 62vh; overflow-y: auto;
  padding: 0.5rem 1rem; border: 1px solid #e5e7eb; border-radius: 6px; background: #fff; }
.tracuu-doc .tracuu-focus { background: #fff3bf; border-left: 4px solid #f59f00; display: inline; }
.tracuu-outline { font-size: 0.9rem; line-height: 1.45; max-height: 45vh; overflow-y: auto; }
.tracuu-outline a { text-decoration: none; }
.tracuu-outline .on { font-weight: 700; }
</style>"""


def open_at(doc: str, start: int, end: int) -> None:
    """Button callback: show this span of this document (and put it in the address bar)."""
    st.query_params.from_dict({"doc": doc, "start": str(start), "end": str(end)})


def keep(key: str) -> None:
    """Give widget `key` back the value it had before the reading view replaced the page.

    Streamlit forgets a widget's value on a run that does not draw it; this copy survives that run."""
    copy = f"kept-{key}"
    if key not in st.session_state and copy in st.session_state:
        st.session_state[key] = st.session_state[copy]


def remember(key: str) -> None:
    st.session_state[f"kept-{key}"] = st.session_state.get(key)


def close() -> None:
    for key in ("doc", "start", "end"):
        st.query_params.pop(key, None)


def requested() -> tuple[str, int, int] | None:
    """The (doc, start, end) the address asks for, or None for the normal page."""
    doc = st.query_params.get("doc")
    if not doc:
        return None
    try:
        start, end = int(st.query_params.get("start", 0)), int(st.query_params.get("end", 0))
    except ValueError:
        start = end = 0
    return doc, start, end


def document_html(text: str, anchors: list[int], start: int, end: int) -> str:
    """Escaped text with an anchor at each section start and the chosen span wrapped for highlighting."""
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    cuts = sorted({0, len(text), start, end, *(a for a in anchors if 0 <= a <= len(text))})
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        if a in anchors:
            out.append(f'<span id="tracuu-at-{a}"></span>')
        if a == start and end > start:
            out.append(f'<span id="{FOCUS_ID}" class="tracuu-focus">')
        out.append(html.escape(text[a:b]))
        if b == end and end > start:
            out.append("</span>")
    return "".join(out)


def outline(chunks, start: int) -> str:
    """One line per section heading, indented by depth, linking to where the section begins."""
    lines, seen = [], set()
    for c in chunks:
        label = c.heading or c.section
        if not label or label in seen:
            continue
        seen.add(label)
        parts = label.split(" › ")
        depth = len(parts) - 1
        on = ' class="on"' if c.start <= start < c.end else ""
        lines.append(
            f'<div style="margin-left:{depth * 0.9}rem"><a href="#tracuu-at-{c.start}"{on}>'
            f"{html.escape(parts[-1])}</a></div>"
        )
    return '<div class="tracuu-outline">' + "".join(lines) + "</div>"


def _scroll_script(nonce: str) -> str:
    """`nonce` only makes each view's script differ (so Streamlit runs it again); it must be a plain token
    (see `_nonce`), never text from a document or the address bar."""
    # Runs in the page itself (st.html is not in an iframe); retried because the document's HTML may
    # arrive a moment after this script. Only the document's own box scrolls, so the title and the way
    # back stay on screen.
    return f"""<script>/*{nonce}*/
(function() {{
  let tries = 0;
  function go() {{
    const el = document.getElementById("{FOCUS_ID}");
    const box = el && el.closest(".tracuu-doc");
    if (box) {{ box.scrollTop = Math.max(0, el.offsetTop - 80); return; }}
    if (tries++ < 50) setTimeout(go, 100);
  }}
  go();
  // Outline links scroll the document's box only; the browser's own jump would move the whole page
  // and hide the target under the top bar.
  if (!window.tracuuOutline) {{
    window.tracuuOutline = true;
    document.addEventListener("click", function(ev) {{
      const a = ev.target.closest && ev.target.closest(".tracuu-outline a");
      const to = a && document.getElementById(a.getAttribute("href").slice(1));
      const box = to && to.closest(".tracuu-doc");
      if (!box) return;
      ev.preventDefault();
      box.scrollTop = Math.max(0, to.offsetTop - 16);
    }});
  }}
}})();
</script>"""


def _nonce(doc: str, start: int, end: int) -> str:
    """A hex digest of the view: differs per view, and can close no comment or string in a script."""
    return hashlib.sha256(f"{doc}\0{start}\0{end}".encode("utf-8", "surrogatepass")).hexdigest()[:16]


def show(source, doc: str, start: int, end: int) -> None:
    st.button("← Quay lại trang tìm kiếm", on_click=close, key="reader-back")
    found = per_index.reading(source, doc)
    if found is None:
        st.warning(
            f"Không tìm thấy văn bản “{md(one_line(doc, 200))}” trong chỉ mục; có thể nó đã bị gỡ khỏi kho. "
            "Hãy quay lại và tìm lại."
        )
        return
    document, chunks = found.document, found.outline
    st.html(READER_CSS)
    st.header(md(document.title or doc))
    side, main = st.columns([1, 3], gap="medium")
    with side:
        meta = document.meta
        rows = [
            ("Loại văn bản", meta.get("type")),
            ("Số hiệu", meta.get("number")),
            ("Cơ quan ban hành", meta.get("issuer")),
            ("Nơi ban hành", meta.get("place")),
            ("Ngày", format_date(meta.get("date", ""))),
            ("Năm học", meta.get("school_year")),
            ("Người ký", meta.get("signer")),
            ("Tệp", doc),
        ]
        st.markdown("\n".join(f"- **{k}:** {md(v)}" for k, v in rows if v))
        st.markdown("**Mục lục**")
        st.html(outline(chunks, start))
    with main:
        if end > start:
            section = next((c for c in chunks if c.start <= start < c.end), None)
            where = section.heading or section.section if section else ""
            st.caption(f"Đoạn được tô sáng: {md(where)}" if where else "Đoạn được tô sáng bên dưới.")
        body = document_html(document.text, [c.start for c in chunks], start, end)
        st.html(f'<div class="tracuu-doc">{body}</div>')
        st.html(_scroll_script(_nonce(doc, start, end)), unsafe_allow_javascript=True)
