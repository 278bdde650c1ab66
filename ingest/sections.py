"""Split a Document into chunks that follow its own numbering.

The section tree (ingest.tree, over ingest.unwrap's logical lines: wraps joined, markup trimmed) gives the
divisions. Each leaf section is a chunk; a section with children gives its own introduction as a chunk
when it has one, or its numbered line when that says more than its heading keeps. An Điều is one chunk
with its khoản and điểm inside. A section longer than MAX_CHARS is cut at item, paragraph, then sentence
boundaries into pieces labelled "II.3 (2/3)"; every piece keeps the section's heading path.

The header before the first body line and the text before the first numbered section form the
"mở đầu" chunk, a letter's closing paragraphs ("Trên đây là ...") the "phần kết" chunk; "Nơi nhận",
signature blocks and a news article's byline are left out of every chunk (they are metadata). Chunks
are spans of `document.text`, in order, never overlapping.
"""

from __future__ import annotations

from ingest import lines as L
from ingest import tree, unwrap
from ingest.blocks import shown
from tracuu.types import Chunk, Document

MAX_CHARS = 1500
PREAMBLE = "mở đầu"
CLOSING = "phần kết"
SEP = " › "


def split(document: Document, max_chars: int = MAX_CHARS) -> list[Chunk]:
    """The chunks of `document`, each exactly `document.text[start:end]`."""
    text = document.text
    lines = unwrap.read(text)
    roots = tree.build(lines)
    chunks: list[Chunk] = []
    for root in roots:
        for node, idx in _units(root, lines):
            spans = _pieces(lines, idx, node, max_chars)
            section = _section(node)
            heading = SEP.join(shown(n.heading) for n in node.path()) or (
                "Mở đầu" if node.kind == "root" else ""
            )
            for i, (s, e) in enumerate(spans, 1):
                label = section if len(spans) == 1 else f"{section} ({i}/{len(spans)})".strip()
                chunks.append(Chunk(document.doc, s, e, heading, label, text[s:e]))
    return chunks


def _units(root: tree.Node, lines: list[L.Line]):
    """(node, line indices) for each chunk-worthy span, in document order."""
    if root.body:
        yield root, root.lines
    for child in root.children:
        yield from _node_units(child, lines)


def _node_units(node: tree.Node, lines: list[L.Line]):
    if node.kind == "dieu" or not node.children:
        # An unnumbered heading with nothing under it ("QUYẾT ĐỊNH:") is not a passage.
        if node.body or node.children or node.kind not in ("plain", "phuluc"):
            yield node, tree.subtree_lines(node)
        return
    # Its own text: an introduction, or a numbered line that says more than its heading keeps
    # ("1. Về thẩm quyền Theo hướng dẫn tại ..."), which would otherwise be in no chunk.
    cut = node.kind not in L.LEGAL_RANK and lines[node.lines[0]].text != node.heading
    if node.body or cut:
        yield node, node.lines
    for child in node.children:
        yield from _node_units(child, lines)


def _section(node: tree.Node) -> str:
    if node.kind == "root":
        return PREAMBLE
    if node.kind == "closing":
        return CLOSING
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


def _blocks(node: tree.Node, idx: list[int]) -> list[list[int]]:
    """Groups of lines that should stay together: each child subtree of an Điều (a khoản with its
    điểm), otherwise single lines."""
    if node.kind != "dieu":
        return [[i] for i in idx]
    out = [[i] for i in node.lines]
    out += [tree.subtree_lines(c) for c in node.children]
    return out


def _pieces(lines: list[L.Line], idx: list[int], node: tree.Node, max_chars: int) -> list[tuple[int, int]]:
    """Spans covering lines `idx`, each at most `max_chars` where the text allows."""
    from ingest.pieces import pack

    return pack(lines, _blocks(node, idx), max_chars)
