"""create_app(index_dir): the whole API as one FastAPI app, its state made here and nowhere else.

So the same app runs under uvicorn (`tracuu serve`) and inside each Ray Serve replica
(`@serve.ingress(create_app(...))`), each instance loading the index read-only for itself.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from api import errors, limits, routes
from api.live import LiveIndex

DESCRIPTION = """Semantic search and cited answers over Vietnamese education directives.

`GET /search` and `POST /ask` return the JSON of `tracuu search --json` and `tracuu ask --json`.
Errors are `{"error": "..."}` with a 4xx status saying what to change. A new index built into the
served folder is picked up within a second or two, without dropping requests."""


def create_app(
    index_dir: str | Path | None = None, *, check_every: float = 1.0, warm: bool = True
) -> FastAPI:
    """The API over the index at `index_dir` (default: $TRACUU_INDEX, else data/index).

    Loads the index now (a TracuuError saying how to build one when it cannot); with `warm`, also
    the model, so the first request is as fast as the rest. `check_every` is how often (seconds) a
    request may look for a new manifest.
    """
    from tracuu import __version__, config

    live = LiveIndex(Path(index_dir or config.index_dir()), check_every=check_every, warm=warm)
    app = FastAPI(title="tracuu", version=__version__, description=DESCRIPTION)
    app.state.live = live
    app.add_middleware(limits.BodyLimit, max_bytes=limits.MAX_BODY_BYTES)
    errors.install(app)
    app.include_router(routes.router)
    return app
