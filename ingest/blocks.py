"""The blocks of a document: one reading of its structure, shared by sections, qa and the page.

A block is a span of the canonical text (exact offsets; it may cross wrapped lines) with what it is:

    header      the issuer, number, place-date, type and title lines before the body
    heading     a line that titles what follows ("II. NHIỆM VỤ", "4. Sở Tài chính", "Điều 12. Trách nhiệm
                của Sở ..."); `names` is the span naming who the section is for, when it names someone
    item        a numbered or bulleted line with text of its own ("2.2. Công an huyện phối hợp ...", "- ...")
    paragraph   any other line of the body
    row         a table row ("| a | b |", "a | b"); `cells` are its cells' spans
    recipients  "Kính gửi" and "Nơi nhận" lists
    signature   the signature block, a news article's byline

`label` is the numbering ("II", "2.1", "a", "Điều 5"; "-" for any bullet), `depth` the nesting (1 for a
top division), `parent` the index of the heading or item block it sits under (-1: none). Everything is
computed from the canonical text alone (`read`), so a stored document gives the same blocks every time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ingest import lines as L
from ingest import tree, unwrap

CONTENT = frozenset({"heading", "item", "paragraph", "row"})


@dataclass(frozen=True)
class Block:
    kind: str
    start: int
    end: int
    label: str = ""
    depth: int = 0
    parent: int = -1
    content: int = 0  # where the text after the numbering or bullet starts
    names: tuple[int, int] | None = None  # headings: who the section is for ("Sở Tài chính")
    cells: tuple[tuple[int, int], ...] = ()  # rows: the cells
    title: str = ""  # headings: what is shown (wraps joined, markup dropped)


# "Trách nhiệm của X", "Nhiệm vụ và quyền hạn của X", "Giao X", "Đối với X": the heading names X.
_ROLE_OF = re.compile(
    r"^(?:(?:(?:Trách nhiệm|Nhiệm vụ|Quyền hạn|Quyền|Nghĩa vụ|Vai trò|Chức năng|Phân công)"
    r"(?:,?\s+(?:và\s+)?(?:trách nhiệm|nhiệm vụ|quyền hạn|quyền|nghĩa vụ|chức năng))*\s+(?:của|cho)\s+)"
    r"|(?:Giao(?:\s+cho)?|Đối với|Đề nghị|Yêu cầu)\s+)",
    re.IGNORECASE,
)
# "Ứng xử của nhà giáo với người học", "Kế hoạch giáo dục của nhà trường": a short phrase of whom.
_OF = re.compile(r"^(?:\S+\s+){1,4}?(?:của|đối với)\s+", re.IGNORECASE)
_MARKUP = re.compile(r"<[^>\n]{1,40}>|\*\*|(?<!\S)[#|](?!\S)|\[email[^\]]*\]|\[[^\]]*protected\]")


def shown(text: str) -> str:
    """`text` as a title or heading is shown: web markup dropped, lines joined, spacing collapsed."""
    return " ".join(_MARKUP.sub(" ", text).split()).strip(" |*#")


def read(text: str) -> list[Block]:
    """The blocks of a canonical text, in text order."""
    return list(_read(text))


@lru_cache(maxsize=64)
def _read(text: str) -> tuple[Block, ...]:
    lines = unwrap.read(text)
    start = L.header_end(lines)
    addressed = _addressee_lines(lines)
    found: dict[int, tuple] = {}  # first line -> (last line, kind, label, depth, parent line, extra)
    for a, b, kind in L.closing_blocks(lines):
        found[a] = (b - 1, kind, "", 0, -1, {})
    for i in tree.skipped(lines):
        if not any(a <= i <= v[0] for a, v in found.items()):
            found[i] = (i, "signature", "", 0, -1, {})
    for root in tree.build(lines):
        _walk(root, lines, start, addressed, found, -1, 0)
    order = sorted(found)
    index = {line: n for n, line in enumerate(order)}
    out = []
    for line in order:
        last, kind, label, depth, parent, extra = found[line]
        s, e = lines[line].start, lines[last].end
        out.append(
            Block(
                kind,
                s,
                e,
                label,
                depth,
                index.get(parent, -1),
                extra.get("content", s),
                extra.get("names"),
                extra.get("cells", ()),
                extra.get("title", ""),
            )
        )
    return tuple(out)


def _walk(node: tree.Node, lines, start: int, addressed: set[int], found: dict, parent: int, depth: int):
    own = parent
    if node.head:
        first, last = node.lines[0], node.lines[node.head - 1]
        found[first] = (
            last,
            *_head(node, lines[first], lines[last]),
            depth,
            parent,
            _head_extra(node, lines, first, last),
        )
        own = first
    for i in node.lines[node.head :]:
        found[i] = (
            i,
            *_body(lines[i], i < start and node.kind == "root", i in addressed),
            depth + 1,
            own,
            _body_extra(lines[i]),
        )
    for child in node.children:
        _walk(child, lines, start, addressed, found, own, depth + 1)


def _content_start(node: tree.Node, line: L.Line) -> int:
    m = L.marker(line.text)
    if m is None or node.kind in ("plain", "agency"):
        return line.start
    rest = line.text[m[2] :]
    return line.start + m[2] + len(rest) - len(rest.lstrip(" .:-–"))


def _head(node: tree.Node, first: L.Line, last: L.Line) -> tuple[str, str]:
    """(kind, label) of a node's heading line(s)."""
    if node.kind == "agency":
        return "item", ""
    content = first.text[_content_start(node, first) - first.start :]
    if node.kind == "dieu" and node.heading != first.text:
        return "item", node.label  # "Điều 2. 1. Nhà nước ..." has no title: it is text
    return ("heading" if node.head > 1 or is_title(content, bool(node.label)) else "item"), node.label


def is_title(content: str, numbered: bool) -> bool:
    """Whether the text after a marker titles what follows rather than says something itself."""
    words = content.split()
    if L.is_caps(content):
        return True
    if not words or content.rstrip()[-1] in ".;!?…" or re.search(r"[.;!?] [A-ZĐÀ-Ỹ]", content):
        return False
    return len(words) <= (16 if numbered else 14) and not content.lstrip()[0].islower()


def _head_extra(node: tree.Node, lines, first: int, last: int) -> dict:
    ln = lines[first]
    extra: dict = {"content": _content_start(node, ln), "title": shown(node.heading)}
    if node.kind == "agency":
        extra["names"] = (ln.start, ln.start + len(L.agency(ln.text)[0]))
        return extra
    if _head(node, ln, lines[last])[0] != "heading":
        return extra
    # "Chương II" / "TRÁCH NHIỆM CỦA CÁC CƠ QUAN": the title is the second line.
    named = lines[last] if last != first else ln
    cs = extra["content"] if last == first else named.start
    text = named.text[cs - named.start :]
    role = _ROLE_OF.match(text) or _OF.match(text)
    ns, ne = cs + (role.end() if role else 0), cs + len(text.rstrip(" :"))
    if ns < ne:
        extra["names"] = (ns, ne)
    return extra


_ADDRESSED = re.compile(r"^Kính gửi\b", re.IGNORECASE)


def _addressee_lines(lines: list[L.Line]) -> set[int]:
    """ "Kính gửi:" and the bulleted addressees under it ("- Hiệu trưởng các trường ...;")."""
    out: set[int] = set()
    for i, ln in enumerate(lines):
        if not _ADDRESSED.match(ln.text):
            continue
        out.add(i)
        j = i + 1
        while j < len(lines) and unwrap.BULLET.match(lines[j].text) and len(lines[j].text) <= 200:
            if lines[j].text[-1] not in ";.,":
                break
            out.add(j)
            j += 1
    return out


_MOTTO = re.compile(
    r"^(?:CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM|CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM|Độc lập\s*[-–]\s*Tự do)"
)


def _body(ln: L.Line, header: bool, addressed: bool) -> tuple[str, str]:
    if header or _MOTTO.match(ln.text):
        return "header", ""  # (the motto also heads each form appended after the signature)
    if addressed:
        return "recipients", ""
    if unwrap.is_row(ln.text):
        return "row", ""
    if unwrap.BULLET.match(ln.text):
        return "item", "-"
    return "paragraph", ""


def _body_extra(ln: L.Line) -> dict:
    if unwrap.is_row(ln.text):
        return {"cells": _cells(ln)}
    if m := unwrap.BULLET.match(ln.text):
        rest = ln.text[m.end() :]
        return {"content": ln.start + m.end() + len(rest) - len(rest.lstrip())}
    return {}


def _cells(ln: L.Line) -> tuple[tuple[int, int], ...]:
    """Each cell's span, an empty cell as an empty span, so cells line up with the header's."""
    t = ln.text
    s, e = (1 if t.startswith("|") else 0), (len(t) - 1 if t.endswith("|") and len(t) > 1 else len(t))
    out, pos = [], s
    for piece in t[s:e].split("|"):
        lead = len(piece) - len(piece.lstrip())
        a = pos + lead
        b = max(a, pos + len(piece.rstrip()))
        out.append((ln.start + a, ln.start + b))
        pos += len(piece) + 1
    return tuple(out)


_SENT_END = re.compile(r"[.!?…]+[\"”’)]*\s+")
_ABBREV_END = re.compile(r"(?:\b[A-ZĐ]{1,3}|\bTp|\bĐ/c|\bv\.v)$")


def sentences(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """The sentences of text[s:e]: cut after . ! ? … where the next word starts in upper case (not after
    "TP." or "Đ/c.")."""
    out, begin = [], s
    for m in _SENT_END.finditer(text, s, e):
        nxt = text[m.end() : m.end() + 1]
        if not nxt or not (nxt.isupper() or nxt in '"“('):
            continue
        if _ABBREV_END.search(text, max(s, m.start() - 5), m.start()):
            continue
        out.append((begin, m.start() + len(m.group().rstrip())))
        begin = m.end()
    if begin < e:
        out.append((begin, e))
    return [(a, b) for a, b in out if text[a:b].strip()]
