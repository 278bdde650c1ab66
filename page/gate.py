"""Who may send files to the server: only a session that has given the admin password.

Streamlit accepts `PUT /_stcore/upload_file/<session>/<file>` from any open session and keeps the bytes in
memory until that session ends, before the page's code sees them; seven large uploads from a visitor who
never opened the admin tab held 1.2 GB. This ASGI middleware (installed by `app.py`) answers 403 to an
upload from a session the page has not admitted, before a byte of the body is read. The page admits a
session when its password is right (`admit`) and forgets it on a wrong one (`forget`); Streamlit's own
`server.maxUploadSize` (20 MB in `.streamlit/config.toml`) still caps each admitted upload as it streams.
"""

from __future__ import annotations

import json
import threading

UPLOAD_PATH = "/_stcore/upload_file/"
REFUSED = "uploads need the admin password: open the Quản trị tab and enter it first"

_admitted: set[str] = set()
_lock = threading.Lock()


def _session_id() -> str | None:
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else None


def admit() -> None:
    """Let the current session upload files (its admin password was right)."""
    sid = _session_id()
    if sid is None:
        return
    with _lock:
        _prune()
        _admitted.add(sid)


def forget() -> None:
    """The current session may no longer upload (a wrong or empty password)."""
    sid = _session_id()
    with _lock:
        _admitted.discard(sid)


def admitted(session_id: str) -> bool:
    with _lock:
        return session_id in _admitted


def _prune() -> None:
    # Sessions that have ended leave the set, so it stays as small as the number of open admin tabs.
    try:
        from streamlit.runtime import Runtime

        runtime = Runtime.instance()
    except Exception:  # no server (AppTest, a bare import): nothing to prune against
        return
    for sid in list(_admitted):
        if not runtime.is_active_session(sid):
            _admitted.discard(sid)


def _upload_session(scope) -> str | None:
    """The session id of an upload request, or None when the request is not an upload."""
    if scope.get("type") != "http" or not scope.get("path", "").startswith(UPLOAD_PATH):
        return None
    if scope.get("method") not in ("PUT", "POST"):
        return None
    return scope["path"][len(UPLOAD_PATH) :].split("/", 1)[0]


class UploadGate:
    """ASGI middleware: uploads from sessions that are not admitted get 403 with nothing read."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        sid = _upload_session(scope)
        if sid is None or admitted(sid):
            await self.app(scope, receive, send)
            return
        body = json.dumps({"error": REFUSED}).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 403, "headers": headers})
        await send({"type": "http.response.body", "body": body})
