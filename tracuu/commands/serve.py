"""`tracuu serve`: the API on uvicorn, on loopback unless told otherwise."""

from __future__ import annotations

import sys

from tracuu.errors import MissingDependency, UsageError

LOOPBACK = "127.0.0.1"


def serve(args) -> int:
    try:
        import fastapi  # noqa: F401
        import uvicorn
    except ImportError as e:
        raise MissingDependency(
            f"the HTTP API needs FastAPI and uvicorn ({e.name} is missing); install them with: "
            "pip install '.[api]'"
        ) from e
    if not 0 < args.port < 65536:
        raise UsageError(f"--port must be between 1 and 65535 (got {args.port})")
    from api.app import create_app

    app = create_app(args.index)  # loads (and warms) before the port opens: no request waits on a load
    if args.host != LOOPBACK:
        print(f"warning: serving on {args.host}, not only this machine (loopback)", file=sys.stderr)
    where = f"http://{args.host}:{args.port}"
    print(f"tracuu API on {where} (docs at {where}/docs), index {args.index}", file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", server_header=False)
    return 0
