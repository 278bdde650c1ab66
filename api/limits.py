"""What one request may ask for. Every cap refuses with a 4xx that names it, never a slow answer."""

from __future__ import annotations

import json

from index.search import MAX_QUERY_CHARS  # one rule for the CLI, the page and the API

MAX_BODY_BYTES = 64 * 1024  # a question of 1,000 characters and its filters fit many times over
MAX_K = 100
MAX_FILTER_VALUES = 200  # values per filter field (the page's sidebar picks a handful)
MAX_FILTER_CHARS = 500  # one value: a document path, an issuer's name
MAX_BODY_NAME_CHARS = 200  # /obligations?body=
BODY_METHODS = {"POST", "PUT", "PATCH"}

__all__ = ["MAX_QUERY_CHARS", "BodyLimit"]


class BodyLimit:
    """ASGI middleware: a request body over `max_bytes` gets 413 before the app reads any of it.

    Content-Length is checked first; a chunked body is read here up to the cap and then handed on, so
    the cap holds whatever the client claims.
    """

    def __init__(self, app, max_bytes: int = MAX_BODY_BYTES):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] not in BODY_METHODS:
            return await self.app(scope, receive, send)
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            return await self._refuse(send)
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > self.max_bytes:
                return await self._refuse(send)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        sent = False

        async def replay():
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        return await self.app(scope, replay, send)

    async def _refuse(self, send) -> None:
        message = (
            f"the request body is over {self.max_bytes // 1024} KiB; "
            "send one question (at most 1,000 characters) and its filters"
        )
        payload = json.dumps({"error": message}).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": payload})
