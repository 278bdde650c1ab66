"""`tracuu ingest PATH... [--index DIR] [--model NAME] [--ray [ADDRESS]]`: make the index mirror these
files (with --ray, read and embedded on a Ray cluster: cluster/)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from tracuu.errors import one_line

STAGES = {
    "read": "reading files",
    "segment": "segmenting words",
    "embed": "embedding chunks",
    "write": "writing",
}


def _progress(stream=None):
    """A progress callback: one rewritten line on a terminal, a few plain lines otherwise."""
    stream = stream or sys.stderr  # looked up per call: a default bound at import outlives a replaced stderr
    tty = stream.isatty()
    last: dict[str, float] = {}

    def show(stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        finished = done >= total
        if tty:
            if finished or now - last.get(stage, 0) > 0.1:
                end = "\n" if finished else ""
                stream.write(f"\r{STAGES.get(stage, stage)}: {done}/{total}\x1b[K{end}")
                stream.flush()
                last[stage] = now
        elif finished or stage not in last or now - last[stage] > 10:
            if last.get(stage) == -1:
                return  # this stage already said it finished
            stream.write(f"{STAGES.get(stage, stage)}: {done}/{total}\n")
            stream.flush()
            last[stage] = -1 if finished else now

    return show


def ingest(args) -> int:
    from index.build import build, engine_change

    if getattr(args, "ray", None) is not None:
        from functools import partial

        from cluster.ingest import ingest as on_ray  # Ray is imported only here, only with --ray

        build = partial(on_ray, address=args.ray)

    change = engine_change(Path(args.index), args.model)
    if change:
        print(
            f"note: the index at {args.index} was built with {change[0]}; --model {change[1]} embeds every "
            "chunk again with it",
            file=sys.stderr,
        )
    report = build([Path(p) for p in args.paths], Path(args.index), model=args.model, progress=_progress())
    for path, why in report.skipped:
        print(f"warning: skipped {one_line(path)}: {why}", file=sys.stderr)
    for path, reason in report.failed:
        print(f"error: {one_line(path)}: {reason}", file=sys.stderr)
    what = (
        f"{len(report.added)} added, {len(report.changed)} changed, {len(report.removed)} removed, "
        f"{len(report.unchanged)} unchanged, {len(report.failed)} failed"
    )
    state = "updated" if report.written else "unchanged"
    print(
        f"index {state} at {report.index_dir}: {report.documents} documents, {report.chunks} chunks "
        f"({what}; {report.embedded} chunks embedded) in {report.seconds:.1f}s",
        file=sys.stderr,
    )
    return 1 if report.failed else 0
