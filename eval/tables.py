"""Plain tables for a terminal and for Markdown (report.md, README)."""

from __future__ import annotations

from collections.abc import Sequence


def cell(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        # Metrics (0..1) and small timings keep three decimals; larger figures need fewer.
        if abs(value) < 10:
            return f"{value:.3f}"
        return f"{value:.1f}" if abs(value) < 100 else f"{value:,.0f}"
    return str(value)


def text(headers: Sequence[str], rows: Sequence[Sequence]) -> str:
    cells = [[cell(v) for v in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(headers)]
    return "\n".join(_line(r, widths) for r in [list(headers), *cells])


def _line(values: Sequence[str], widths: list[int]) -> str:
    # First column (a name) to the left, numbers to the right.
    return "  ".join(
        v.ljust(w) if i == 0 else v.rjust(w) for i, (v, w) in enumerate(zip(values, widths, strict=True))
    )


def markdown(headers: Sequence[str], rows: Sequence[Sequence]) -> str:
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    out += ["| " + " | ".join(cell(v).replace("|", "\\|") for v in row) + " |" for row in rows]
    return "\n".join(out)
