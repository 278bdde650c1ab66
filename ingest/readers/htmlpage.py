"""HTML: the article body, without menus, pagers, counters, footers and scripts (BeautifulSoup).

Boilerplate goes in two steps: elements that are never content (nav, header, footer, aside, form, script,
...) are removed; then the element holding the most paragraph text that is not link text is taken as the
article.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from .extracted import Extracted

_DROP = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "svg", "button")
_BLOCKS = (
    "p",
    "div",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "blockquote",
    "pre",
    "section",
    "article",
)
_TEXT_BLOCKS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "td")
# Left-over widget lines: pagers ("1 2 3 4 5 ..."), and short visit-counter or log-in lines.
_PAGER = re.compile(r"[\d\s.…»«<>|-]+")
_WIDGET = re.compile(
    r"thống kê truy cập|đang online|đang truy cập|lượt truy cập|hôm nay:|trong tuần:|tất cả:|"
    r"đăng nhập|đăng ký|trang chủ|tin tức|liên hệ",
    re.I,
)
_CLASS_HINT = re.compile(
    r"menu|nav|breadcrumb|pager|paging|pagination|footer|sidebar|counter|widget|share", re.I
)


def _best_container(soup):
    """The element holding the most paragraph text that is not link text: the article."""
    scores: dict[int, int] = {}
    nodes = {}
    for el in soup.find_all(_TEXT_BLOCKS):
        if any(parent.name in _TEXT_BLOCKS for parent in el.parents):
            continue  # counted with the outer block
        text = len(el.get_text(" ", strip=True))
        links = sum(len(a.get_text(" ", strip=True)) for a in el.find_all("a"))
        value = max(0, text - 2 * links)
        for parent in el.parents:
            scores[id(parent)] = scores.get(id(parent), 0) + value
            nodes[id(parent)] = parent
    if not scores:
        return soup.body or soup
    top = max(scores.values())
    # The deepest element that still holds nearly all of it: the article, not the page wrapper.
    keep = [nodes[k] for k, v in scores.items() if v >= 0.9 * top and nodes[k].name != "[document]"]
    return max(keep, key=lambda n: len(list(n.parents))) if keep else soup


def _lines(node) -> list[str]:
    from bs4 import NavigableString

    for tag in node.find_all(_BLOCKS + ("br", "td", "th")):
        if tag.name == "br":
            tag.replace_with(NavigableString("\n"))
        elif tag.name in ("td", "th"):
            tag.append(NavigableString(" | "))
        else:
            tag.insert_before(NavigableString("\n\n"))
            tag.insert_after(NavigableString("\n\n"))
    text = node.get_text("")
    paras = []
    for chunk in re.split(r"\n\s*\n", text):
        lines = [" ".join(ln.split()).strip(" |") for ln in chunk.splitlines()]
        lines = [ln for ln in lines if ln]
        if lines:
            paras.append("\n".join(lines))
    return paras


def _is_widget(para: str) -> bool:
    flat = " ".join(para.split())
    return bool(_PAGER.fullmatch(flat)) or (len(flat) < 60 and bool(_WIDGET.search(flat)))


def read_html(path: Path, data: bytes, decode_bytes: Callable[[bytes, str], tuple[str, str]]) -> Extracted:
    from bs4 import BeautifulSoup

    declared = re.search(rb"<meta[^>]+charset=[\"']?([\w-]+)", data[:4096], re.I)
    if declared:
        encoding = declared.group(1).decode("ascii").lower()
        try:
            html, note = data.decode(encoding), f"encoding: {encoding} (declared in the page)"
        except (LookupError, UnicodeDecodeError):
            html, note = decode_bytes(data, path.name)
    else:
        html, note = decode_bytes(data, path.name)
    soup = BeautifulSoup(html, "html.parser")
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    for tag in soup.find_all(_DROP):
        tag.decompose()
    for tag in soup.find_all(True):
        if tag.attrs is None:  # already removed with a parent
            continue
        hint = " ".join(tag.get("class", [])) + " " + (tag.get("id") or "")
        if _CLASS_HINT.search(hint):
            tag.decompose()
    body = _best_container(soup)
    headline = soup.find("h1")
    heading = []
    if headline is not None and body not in headline.parents:
        # The headline often sits just above the article's container.
        heading = [" ".join(headline.get_text(" ").split())]
    paras = heading + [p for p in _lines(body) if not _is_widget(p)]
    notes = [note, f"html: article body taken from <{body.name}>, {len(paras)} paragraphs"]
    if title and paras and title not in paras[0]:
        notes.append(f"html: page title {title!r}")
    return Extracted("\n\n".join(paras), notes, "html", 1)
