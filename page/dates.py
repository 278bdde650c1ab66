"""Dates as the page shows them (its own module: the result list, the reading view, the filters and the
task lists all show dates, and the reading view must not import the result list that opens it)."""

from __future__ import annotations


def format_date(iso: str) -> str:
    """ "2023-09-19" -> "19/09/2023"; anything else as it is."""
    parts = (iso or "").split("-")
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        return f"{parts[2]}/{parts[1]}/{parts[0]}"
    return iso or ""
