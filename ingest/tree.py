"""The section tree of a document: which logical lines open a division, and what each division holds.

Lines (ingest.unwrap's logical lines) are read into a tree: Phần/Chương/Mục/Điều by fixed rank; I./A./1./
1.1./a) and unnumbered headings by the order they first appear. The header before the first body line and
the text before the first numbered section belong to the root; "Nơi nhận", signature blocks and a news
article's byline belong to no node (they are metadata), and what follows a closing block starts a new root.
Sections (ingest.sections) and blocks (ingest.blocks) both read this tree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest import lines as L


@dataclass
class Node:
    kind: str
    label: str
    heading: str
    parent: Node | None = None
    lines: list[int] = field(default_factory=list)  # own lines: the heading line(s), then its body
    body: int = 0  # how many of `lines` are body, not heading
    head: int = 1  # how many of `lines` are the heading ("Chương I" / its title line: 2; the root: 0)
    children: list[Node] = field(default_factory=list)

    def path(self) -> list[Node]:
        out, n = [], self
        while n is not None and n.kind != "root":
            out.append(n)
            n = n.parent
        return out[::-1]


def skipped(lines: list[L.Line]) -> set[int]:
    """Lines that belong to no chunk: recipients, signatures, a closing byline."""
    out: set[int] = set()
    for a, b, _ in L.closing_blocks(lines):
        out.update(range(a, b))
    # A news article ends with its author's name ("Huyền Trang") or "[Admin]".
    if (
        lines
        and len(lines) > 3
        and (L.is_name(lines[-1].text) or re.fullmatch(r"\[[^\]]+\]", lines[-1].text))
    ):
        out.add(len(lines) - 1)
    return out


def build(lines: list[L.Line]) -> list[Node]:
    """One tree per run of lines between closing blocks (an appendix after the signature starts anew)."""
    skipped_lines = skipped(lines)
    start = L.header_end(lines)
    agency_ok = _agency_contexts(lines, start)
    roots: list[Node] = []
    root: Node | None = None
    stack: list[Node] = []
    law = sum(1 for ln in lines if (m := L.marker(ln.text)) and m[0] == "dieu") >= 2
    # A law's last article holds its own closing sentences; a letter's or a plan's stand apart.
    closing = set() if law else _closing_paragraphs(lines, start, skipped_lines)
    i = 0
    while i < len(lines):
        if i in skipped_lines:
            root = None  # what follows a closing block is not part of the last section
            i += 1
            continue
        if root is None:
            root = Node("root", "", "", head=0)
            roots.append(root)
            stack = [root]
        if i in closing:
            # "Trên đây là ...", "Trong quá trình thực hiện, ... đề nghị ...": the letter's closing
            # paragraphs belong to the whole letter, not to its last numbered item.
            del stack[1:]
            node = Node("closing", "", CLOSING_HEADING, head=0)
            _attach(stack, node)
            while i < len(lines) and i not in skipped_lines and i in closing:
                node.lines.append(i)
                node.body += 1
                i += 1
            continue
        opened = _opens(lines, i, start, stack, law, agency_ok)
        if opened is None:
            stack[-1].lines.append(i)
            # Header lines (type, title, place-date) alone do not make a "mở đầu" chunk.
            stack[-1].body += i >= start
            i += 1
            continue
        kind, label, heading = opened
        node = Node(kind, label, heading)
        node.lines.append(i)
        # "Chương I" alone on its line: the next line is its title.
        nxt = lines[i + 1].text if i + 1 < len(lines) and i + 1 not in skipped_lines else ""
        if kind in L.LEGAL_RANK and heading == label and nxt and not L.marker(nxt) and len(nxt) <= 200:
            if L.is_caps(nxt) or nxt[-1] not in ".;":
                node.heading = f"{label}. {nxt}"
                node.lines.append(i + 1)
                node.head = 2
                i += 1
        _attach(stack, node)
        i += 1
    return roots


_CLOSING = re.compile(
    r"^(?:Trên đây là|Trong quá trình (?:tổ chức )?(?:triển khai|thực hiện)|Nhận được (?:công văn|văn bản"
    r"|kế hoạch|hướng dẫn|thông báo|quyết định)\b|[^.;:]{0,60}\bkính (?:mong|đề nghị)\s)",
    re.IGNORECASE,
)
CLOSING_HEADING = "Phần kết"


def _closing_paragraphs(lines: list[L.Line], start: int, skipped_lines: set[int]) -> set[int]:
    """Lines of the closing paragraphs: from a closing formula after a numbered body to the closing block
    (or the end), when only a few ordinary paragraphs come in between (no numbering, heading or form)."""
    numbered = False
    for i in range(start, len(lines)):
        if i in skipped_lines:
            continue
        t = lines[i].text
        if L.marker(t):
            numbered = True
            continue
        if not (numbered and _CLOSING.match(t)):
            continue
        j = i
        while j < len(lines) and j not in skipped_lines and j - i < 8:
            u = lines[j].text
            if L.marker(u) or L.is_caps(u) or L.is_short_heading(u) or u in L.ATTACHED:
                break
            j += 1
        if j == len(lines) or j in skipped_lines:
            return set(range(i, j))
    return set()


def _opens(lines: list[L.Line], i: int, start: int, stack: list[Node], law: bool, agency_ok: set[int]):
    """(kind, label, heading) when line i opens a section, else None."""
    t = lines[i].text
    m = L.marker(t)
    if m and (i >= start or m[0] in L.LEGAL_RANK):
        kind, label, _ = m
        if kind == "dieu":
            # "Điều 2. 1. Nhà nước ..." (Hiến pháp) has no title: its heading is its first words.
            rest = t[m[2] :].strip()
            untitled = L.marker(rest) or rest.endswith(".") or len(rest) > 160
            return kind, label, L.short_title(t, 120) if untitled else t
        if kind in L.LEGAL_RANK:
            return kind, label, t if len(t) > len(label) + 1 else label
        return kind, label, L.short_title(t)
    if i < start:
        return None
    if t in L.ATTACHED:
        return "phuluc", t.capitalize(), t
    if any(n.kind == "dieu" for n in stack):
        return None
    if law and not L.is_caps(t):
        return None
    # An unnumbered heading is followed by something longer than itself (not a caption or a list).
    nxt = lines[i + 1].text if i + 1 < len(lines) else ""
    if L.is_short_heading(t) and (L.marker(nxt) or len(nxt) > len(t) + 20):
        # A short line right before the next sibling of an open division would head nothing: it is text.
        m = L.marker(nxt)
        if not (m and (m[0] in L.LEGAL_RANK or any(n.kind == m[0] for n in stack[1:]))):
            return "plain", "", t
    if i in agency_ok:
        return "agency", "", L.agency(t)[0]
    return None


def _agency_contexts(lines: list[L.Line], start: int) -> set[int]:
    """Agency-led lines that open their own section: written "Name: ...", or two or more in a row of
    paragraphs between the same headings (a list of assignments, not one agency in passing)."""
    ok: set[int] = set()
    group: list[int] = []

    def flush() -> None:
        if len(group) >= 2:
            ok.update(group)
        group.clear()

    for i in range(start, len(lines)):
        t = lines[i].text
        if L.marker(t) or L.is_short_heading(t):
            flush()
            continue
        ag = L.agency(t)
        if ag:
            if ag[1] and not t.startswith("Đối với"):
                ok.add(i)
            group.append(i)
    flush()
    return ok


def _attach(stack: list[Node], node: Node) -> None:
    rank = L.LEGAL_RANK.get(node.kind)
    if rank is not None:
        # A legal division closes everything at or below its rank, and every non-legal section.
        while len(stack) > 1 and (stack[-1].kind not in L.LEGAL_RANK or L.LEGAL_RANK[stack[-1].kind] >= rank):
            stack.pop()
    elif any(n.kind == node.kind for n in stack[1:]):
        while stack[-1].kind != node.kind:
            stack.pop()
        stack.pop()
    node.parent = stack[-1]
    stack[-1].children.append(node)
    stack.append(node)


def subtree_lines(node: Node) -> list[int]:
    out = list(node.lines)
    for c in node.children:
        out.extend(subtree_lines(c))
    return sorted(out)
