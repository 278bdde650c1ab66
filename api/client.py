"""A client for a running tracuu API: what the page (TRACUU_API) and other programs call.

Standard library only (urllib), so a page server that asks the API needs neither FastAPI nor the
model. Every call returns the API's JSON as plain dicts, or raises tracuu.errors.ApiError carrying the
API's own `error` message (what to change) and the HTTP status.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

from tracuu.errors import ApiError


class Client:
    def __init__(self, base_url: str, timeout: float = 60.0):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def search(self, q: str, k: int = 10, mode: str = "hybrid", filters: dict | None = None) -> dict:
        """{"query", "hits": [...]}, as `tracuu search --json`; filters as Index.search's."""
        params: list[tuple[str, str]] = [("q", q), ("k", str(k)), ("mode", mode)]
        for name, values in (filters or {}).items():
            for v in [values] if isinstance(values, str | int) else values:
                params.append((name, str(v)))
        return self._call("GET", "/search", params)

    def ask(self, question: str, filters: dict | None = None) -> dict:
        """{"question", "answer", "points", "citations"}, as `tracuu ask --json`."""
        body: dict = {"question": question}
        if filters:
            body["filters"] = {k: [v] if isinstance(v, str | int) else list(v) for k, v in filters.items()}
        return self._call("POST", "/ask", body=body)

    def documents(self) -> list[dict]:
        return self._call("GET", "/documents")["documents"]

    def document(self, doc: str) -> dict:
        """Metadata, outline and text of one document (its id may hold slashes)."""
        return self._call("GET", "/documents/" + urllib.parse.quote(doc, safe="/"))

    def obligations(self, body: str | None = None) -> dict:
        return self._call("GET", "/obligations", [("body", body)] if body else [])

    def health(self) -> dict:
        return self._call("GET", "/health")

    def _call(self, method: str, path: str, params=(), body: dict | None = None) -> dict:
        url = self.base_url + path + ("?" + urllib.parse.urlencode(list(params)) if params else "")
        data = None if body is None else json.dumps(body, ensure_ascii=False).encode()
        headers = {"Accept": "application/json"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as r:
                return json.loads(r.read())
        except urllib.error.HTTPError as e:
            raise ApiError(_message(e), e.code) from None
        except (OSError, ValueError) as e:  # refused, reset, timed out, or not JSON
            reason = getattr(e, "reason", None) or e
            raise ApiError(
                f"the tracuu API at {self.base_url} did not answer ({reason}); "
                "check that `tracuu serve` runs there (and TRACUU_API, for the page)"
            ) from None


def _message(e: urllib.error.HTTPError) -> str:
    try:
        payload = json.loads(e.read())
        return str(payload["error"])
    except (OSError, ValueError, KeyError, TypeError):
        return f"the API answered HTTP {e.code} {e.reason}"
