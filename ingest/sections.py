"""Split a Document into chunks that follow its own numbering.

Lines are read into a tree (Phần/Chương/Mục/Điều by fixed rank; I./A./1./1.1./a) and unnumbered
headings by the order they first appear). Each leaf section is a chunk; a section with children gives
its own introduction as a chunk when it has one. An Điều is one chunk with its khoản and điểm inside.
A section longer than MAX_CHARS is cut at item, paragraph, then sentence boundaries into pieces
labelled "II.3 (2/3)"; every piece keeps the section's heading path.

The header before the first body line and the text before the first numbered section form the
"mở đầu" chunk; "Nơi nhận", signature blocks and a news article's byline are left out of every chunk
(they are metadata). Chunks are spans of `document.text`, in order, never overlapping.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest import lines as L
from tracuu.types import Chunk, Document

MAX_CHARS = 1500
PREAMBLE = "mở đầu"
SEP = " › "


@dataclass
class Node:
    kind: str
    label: str
    heading: str
    parent: Node | None = None
    lines: list[int] = field(default_factory=list)  # own lines: the heading line(s), then its body
    body: int = 0  # how many of `lines` are body, not heading
    children: list[Node] = field(default_factory=list)

    def path(self) -> list[Node]:
        out, n = [], self
        while n is not None and n.kind != "root":
            out.append(n)
            n = n.parent
        return out[::-1]


def split(document: Document, max_chars: int = MAX_CHARS) -> list[Chunk]:
    """The chunks of `document`, each exactly `document.text[start:end]`."""
    text = document.text
    lines = L.split_lines(text)
    roots = _tree(lines)
    meta = dict(document.meta)
    meta.setdefault("title", document.title)
    chunks: list[Chunk] = []
    for root in roots:
        for node, idx in _units(root):
            spans = _pieces(lines, idx, node, max_chars)
            section = _section(node)
            heading = SEP.join(n.heading for n in node.path()) or ("Mở đầu" if node.kind == "root" else "")
            for i, (s, e) in enumerate(spans, 1):
                label = section if len(spans) == 1 else f"{section} ({i}/{len(spans)})".strip()
                chunks.append(Chunk(document.doc, s, e, heading, label, text[s:e], dict(meta)))
    return chunks


def _skipped(lines: list[L.Line]) -> set[int]:
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


def _tree(lines: list[L.Line]) -> list[Node]:
    """One tree per run of lines between closing blocks (an appendix after the signature starts anew)."""
    skipped = _skipped(lines)
    start = L.header_end(lines)
    agency_ok = _agency_contexts(lines, start)
    roots: list[Node] = []
    root: Node | None = None
    stack: list[Node] = []
    law = sum(1 for ln in lines if (m := L.marker(ln.text)) and m[0] == "dieu") >= 2
    i = 0
    while i < len(lines):
        if i in skipped:
            root = None  # what follows a closing block is not part of the last section
            i += 1
            continue
        if root is None:
            root = Node("root", "", "")
            roots.append(root)
            stack = [root]
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
        nxt = lines[i + 1].text if i + 1 < len(lines) and i + 1 not in skipped else ""
        if kind in L.LEGAL_RANK and heading == label and nxt and not L.marker(nxt) and len(nxt) <= 200:
            if L.is_caps(nxt) or nxt[-1] not in ".;":
                node.heading = f"{label}. {nxt}"
                node.lines.append(i + 1)
                i += 1
        _attach(stack, node)
        i += 1
    return roots


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


def _units(root: Node):
    """(node, line indices) for each chunk-worthy span, in document order."""
    if root.body:
        yield root, root.lines
    for child in root.children:
        yield from _node_units(child)


def _node_units(node: Node):
    if node.kind == "dieu" or not node.children:
        # An unnumbered heading with nothing under it ("QUYẾT ĐỊNH:") is not a passage.
        if node.body or node.children or node.kind not in ("plain", "phuluc"):
            yield node, _subtree_lines(node)
        return
    if node.body:
        yield node, node.lines
    for child in node.children:
        yield from _node_units(child)


def _subtree_lines(node: Node) -> list[int]:
    out = list(node.lines)
    for c in node.children:
        out.extend(_subtree_lines(c))
    return sorted(out)


def _section(node: Node) -> str:
    if node.kind == "root":
        return PREAMBLE
    legal = ""
    parts: list[str] = []
    named = ""
    prev = ""
    for n in node.path():
        if n.kind in L.LEGAL_RANK:
            legal, parts = n.label, []
        elif n.kind.startswith("multi") and prev and n.label.startswith(prev + "."):
            parts.append(n.label[len(prev) + 1 :])
        elif n.label:
            parts.append(n.label)
        else:
            named = n.heading
        prev = n.label
    numbered = ".".join(parts)
    if legal:
        appendix = node.path()[0].kind == "phuluc" or any(n.kind == "phuluc" for n in node.path())
        return f"{legal} {numbered}".strip() if numbered and appendix else legal
    if numbered:
        return numbered
    return named[:60]


def _blocks(node: Node, idx: list[int]) -> list[list[int]]:
    """Groups of lines that should stay together: each child subtree of an Điều (a khoản with its
    điểm), otherwise single lines."""
    if node.kind != "dieu":
        return [[i] for i in idx]
    out = [[i] for i in node.lines]
    out += [_subtree_lines(c) for c in node.children]
    return out


def _pieces(lines: list[L.Line], idx: list[int], node: Node, max_chars: int) -> list[tuple[int, int]]:
    """Spans covering lines `idx`, each at most `max_chars` where the text allows."""
    from ingest.pieces import pack

    return pack(lines, _blocks(node, idx), max_chars)
