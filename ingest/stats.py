"""`python -m ingest.stats [FILE_OR_FOLDER...]`: how files were split (chunks, median chunk length)."""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

from ingest import parse_file


def main(argv: list[str]) -> int:
    roots = [Path(a) for a in argv] or [Path(__file__).resolve().parents[1] / "corpus"]
    files = [f for r in roots for f in (sorted(r.glob("*.txt")) if r.is_dir() else [r])]
    print("| file | chunks | median chars | max chars |\n|---|---:|---:|---:|")
    for f in files:
        _, chunks = parse_file(f)
        sizes = [c.end - c.start for c in chunks]
        print(f"| {f.name} | {len(chunks)} | {statistics.median(sizes):.0f} | {max(sizes)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
