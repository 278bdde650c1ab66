"""`tracuu` console script: argument parsing and error reporting only.

Each subcommand is a module of `tracuu.commands` (`tracuu.commands.search`, ...), named here as a
"module:function" string and imported only when it runs; it returns an exit code. Expected failures
raise TracuuError and are printed here as one `error:` line. Anything else that escapes a command (a bug,
a library's surprise) is one `error:` line too, never a traceback; TRACUU_DEBUG=1 shows the traceback
instead.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from tracuu import config
from tracuu.errors import TracuuError, one_line


def _model_help() -> str:
    from index.embedders import model_help  # the table of engines (it imports `index`, not the models)

    return model_help()


def _parser(full_help: bool = True) -> argparse.ArgumentParser:
    """The parser; without `full_help` (no -h/--help asked), help texts that cost imports are left out."""
    p = argparse.ArgumentParser(prog="tracuu", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("parse", help="show how one file is read and split, without indexing it")
    s.add_argument("file")
    s.add_argument("--json", action="store_true")
    s.set_defaults(run="tracuu.commands.parse:parse")

    s = sub.add_parser("ingest", help="make the index mirror the given files and folders")
    s.add_argument("paths", nargs="+")
    s.add_argument("--index", default=None)
    s.add_argument("--model", default=None, help=_model_help() if full_help else None)
    s.add_argument(
        "--ray",
        nargs="?",
        const="local",
        default=None,
        metavar="ADDRESS",
        help="read, OCR and embed on a Ray cluster: its head's HOST:PORT, or none to start one on this "
        "machine (needs the cluster extra: make install-cluster)",
    )
    s.set_defaults(run="tracuu.commands.ingest:ingest")

    s = sub.add_parser("search", help="ranked passages for a query")
    s.add_argument("query", nargs="?")
    s.add_argument("--queries", help="JSON Lines file of {id, query}; prints JSON Lines")
    s.add_argument("--index", default=None)
    s.add_argument("-k", type=int, default=10)
    s.add_argument("--mode", choices=["hybrid", "dense", "bm25"], default="hybrid")
    s.add_argument("--json", action="store_true")
    s.set_defaults(run="tracuu.commands.search:search")

    s = sub.add_parser("ask", help="an answer quoted from the directives, with citations")
    s.add_argument("question", nargs="?")
    s.add_argument("--questions", help="JSON Lines file of {id, query}; prints one JSON answer a line")
    s.add_argument("--index", default=None)
    s.add_argument("--json", action="store_true")
    s.set_defaults(run="tracuu.commands.ask:ask")

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
    s.set_defaults(run="tracuu.commands.eval:evaluate")

    s = sub.add_parser("serve", help="the HTTP API (needs the api extra: pip install '.[api]')")
    s.add_argument("--index", default=None)
    s.add_argument("--host", default="127.0.0.1", help="address to bind (default: loopback only)")
    s.add_argument("--port", type=int, default=8000)
    s.add_argument("--ray", nargs="?", const="local", metavar="ADDRESS",
                   help="serve as Ray Serve replicas: on the cluster at ADDRESS (HOST:6379), else on a "
                   "new one on this machine (needs the cluster extra)")  # fmt: skip
    s.add_argument("--replicas", type=int, default=1, help="with --ray: how many replicas (default 1)")
    s.set_defaults(run="tracuu.commands.serve:serve")
    return p


def _not_utf8(argv: list[str]) -> str | None:
    """The error line for the first argument that is not valid UTF-8, or None.

    Python hands such bytes over as lone surrogates; passed on, they end deep inside pyvi's tagger
    (SystemError) or in a print. Refused here, before anything runs."""
    for n, arg in enumerate(argv, start=1):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            raw = arg.encode("utf-8", "surrogateescape")
            return (
                f"error: argument {n} is not valid UTF-8 ({one_line(repr(raw), 80)}); type it in UTF-8, "
                "or for a file rename it to a UTF-8 name"
            )
    return None


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    bad = _not_utf8(argv)
    if bad:
        print(bad, file=sys.stderr)
        return 2
    args = _parser(full_help=bool({"-h", "--help"} & set(argv))).parse_args(argv)
    if getattr(args, "index", "unset") is None:
        args.index = config.index_dir()
    module, func = args.run.split(":")
    try:
        code = importlib.import_module(module).__dict__[func](args)
        sys.stdout.flush()  # inside the try: a reader that has gone away is handled below
        return code
    except TracuuError as e:
        print(f"error: {one_line(e, 2000)}", file=sys.stderr)
        return e.exit_code
    except BrokenPipeError:
        # `tracuu search ... | head` closed the pipe: not an error. Point stdout at devnull so the
        # interpreter's final flush does not raise again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("error: interrupted; the index on disk is unchanged", file=sys.stderr)
        return 130
    except MemoryError:
        print("error: out of memory; close other programs or give fewer or smaller files", file=sys.stderr)
        return 1
    except Exception as e:  # noqa: BLE001 - the promise is one line, whatever happened
        if config.debug():
            raise
        print(
            f"error: unexpected {type(e).__name__}: {one_line(e)}; this is a fault in tracuu, please report "
            "it with the command you ran (TRACUU_DEBUG=1 shows the details)",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
