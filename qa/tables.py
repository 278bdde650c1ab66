"""Tables of tasks read as items: a row's body cell names the actor of its task cell; a deadline column is
its deadline.

Columns are found from the table's first row ("Nội dung công việc | Đơn vị chủ trì | Thời gian"), or,
without such a header, from the row itself: the cell that is a list of bodies, the longest cell of words,
the cell that is a date.
"""

from __future__ import annotations

import re

from ingest import blocks as B
from qa.bodies import Body, Mention

_BODY_COL = re.compile(r"(?<!\w)(?:don vi|co quan|chu tri|thuc hien|trach nhiem|phu trach|bo phan)(?!\w)")
_HELP_COL = re.compile(r"(?<!\w)(?:phoi hop|tham gia)(?!\w)")
_TASK_COL = re.compile(r"(?<!\w)(?:noi dung|nhiem vu|cong viec|hoat dong)(?!\w)")
_TIME_COL = re.compile(r"(?<!\w)(?:thoi gian|thoi han|han|tien do|thoi diem|ngay)(?!\w)")
_DATE = re.compile(r"\d{1,2}/\d{1,2}|(?<!\w)(?:ngay|thang|tuan|quy)\s+\d|hang (?:tuan|thang|quy|nam)")


def row_items(text: str, k: str, blocks: list[B.Block], i: int, by_start: dict[int, Mention], body_list):
    """(start, end, actors, timed) for row i of a table when it assigns a task, else nothing."""
    row = blocks[i]
    first = i
    while first > 0 and blocks[first - 1].kind == "row" and blocks[first - 1].parent == row.parent:
        first -= 1
    cells = row.cells
    if first == i or len(cells) < 2:
        return []  # the header row, or not a table
    header = [k[s:e] for s, e in blocks[first].cells]
    body, task, time = _columns(header, len(cells))
    if body is None:
        body, task, time = _guess(text, k, cells, by_start, body_list)
    if body is None or task is None or body >= len(cells) or task >= len(cells):
        return []
    bs, be = cells[body]
    actors: list[Body] = []
    for m in by_start.values():
        if bs <= m.start < be and m.body not in actors:
            actors.append(m.body)
    ts, te = cells[task]
    if not actors or len(text[ts:te].split()) < 3:
        return []
    timed = False
    if time is not None and time < len(cells) and cells[time][1] > cells[time][0]:
        timed = True
        if time > task:
            te = cells[time][1]
    return [(ts, te, actors, timed)]


def _columns(header: list[str], n: int) -> tuple[int | None, int | None, int | None]:
    if len(header) != n:
        return None, None, None
    body = next((j for j, h in enumerate(header) if _BODY_COL.search(h) and not _HELP_COL.search(h)), None)
    if body is None:
        return None, None, None
    task = next((j for j, h in enumerate(header) if _TASK_COL.search(h) and j != body), None)
    time = next((j for j, h in enumerate(header) if _TIME_COL.search(h) and j not in (body, task)), None)
    return body, task, time


def _guess(text, k, cells, by_start, body_list):
    """Columns from the row itself: a cell that is nothing but bodies, the longest cell, a date cell."""
    body = None
    for j, (s, e) in enumerate(cells):
        if e > s:
            found, end = body_list(k, s, e, by_start)
            if found and end >= e - 2:
                body = j
                break
    if body is None:
        return None, None, None
    rest = [j for j in range(len(cells)) if j != body]
    task = max(rest, key=lambda j: len(text[cells[j][0] : cells[j][1]].split()))
    time = next(
        (
            j
            for j in rest
            if j != task and _DATE.search(k, *cells[j]) and len(text[slice(*cells[j])].split()) <= 12
        ),
        None,
    )
    return body, task, time
