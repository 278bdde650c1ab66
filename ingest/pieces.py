"""Cut a long section into pieces at item, line, then sentence boundaries, never mid-sentence when a
sentence fits."""

from __future__ import annotations

import re

from ingest.lines import Line

# Where a span may be cut, strongest first: sentence end, clause end (; :), comma, any space.
_CUTS = [
    re.compile(r"(?<=[.!?…])[\"”')]*\s+(?=[^\s a-zđà-ỹ])"),
    re.compile(r"(?<=[;:])\s+"),
    re.compile(r"(?<=,)\s+"),
    re.compile(r"\s+"),
]


def pack(lines: list[Line], blocks: list[list[int]], max_chars: int) -> list[tuple[int, int]]:
    """Spans that cover `blocks` (groups of line indices, in order), each at most `max_chars` long
    where the text allows, cut only between atoms."""
    atoms: list[tuple[int, int]] = []
    for block in blocks:
        atoms.extend(_atoms(lines, block, max_chars))
    pieces: list[list[int]] = []  # [start, end]
    for s, e in atoms:
        if pieces and e - pieces[-1][0] <= max_chars:
            pieces[-1][1] = e
        else:
            pieces.append([s, e])
    # A small last piece reads better joined to the one before it, when that stays near the limit.
    if len(pieces) > 1 and pieces[-1][1] - pieces[-1][0] < max_chars // 4:
        if pieces[-1][1] - pieces[-2][0] <= max_chars * 5 // 4:
            last = pieces.pop()
            pieces[-1][1] = last[1]
    return [(s, e) for s, e in pieces]


def _atoms(lines: list[Line], block: list[int], max_chars: int) -> list[tuple[int, int]]:
    s, e = lines[block[0]].start, lines[block[-1]].end
    if e - s <= max_chars:
        return [(s, e)]
    if len(block) > 1:
        out: list[tuple[int, int]] = []
        for i in block:
            out.extend(_atoms(lines, [i], max_chars))
        return out
    ln = lines[block[0]]
    return [(ln.start + a, ln.start + b) for a, b in _sentences(ln.text, 0, len(ln.text), max_chars, 0)]


def _sentences(text: str, s: int, e: int, max_chars: int, level: int) -> list[tuple[int, int]]:
    """Spans of text[s:e] cut at the strongest boundaries that bring each under `max_chars`."""
    if e - s <= max_chars or level >= len(_CUTS):
        return [(s, e)]
    spans: list[tuple[int, int]] = []
    pos = s
    for m in _CUTS[level].finditer(text, s, e):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, e))
    out: list[tuple[int, int]] = []
    for a, b in spans:
        out.extend(_sentences(text, a, b, max_chars, level + 1))
    # Re-pack the small pieces up to the limit so a cut happens only where needed.
    packed: list[list[int]] = []
    for a, b in out:
        if packed and b - packed[-1][0] <= max_chars:
            packed[-1][1] = b
        else:
            packed.append([a, b])
    return [(a, b) for a, b in packed]
