"""Every failure answers `{"error": "..."}` with a 4xx saying what to do, or a 500 with no traceback.

Expected errors (tracuu.errors) keep their own message; FastAPI's validation errors are turned into one
sentence naming the parameter; anything else is logged with its traceback and answered with a plain 500.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from api.schemas import ErrorBody
from tracuu.errors import TracuuError, UsageError

log = logging.getLogger("tracuu.api")
ASK_BODY = 'send JSON like {"question": "nhiệm vụ của Sở Y tế", "filters": {"type": ["Chỉ thị"]}}'
QUERY_FIELDS = ("q", "question")
UNEXPECTED = "unexpected failure (logged on the server); try again, and tell the administrator if it persists"
# Documented on every operation, so clients and schemathesis know the error shape.
RESPONSES = {
    400: {"model": ErrorBody, "description": "bad input: the message says what to change"},
    413: {"model": ErrorBody, "description": "the request body is over the size cap"},
    500: {"model": ErrorBody, "description": "unexpected failure; details are in the server log"},
}


def error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def _where(loc) -> str:
    return ".".join(str(x) for x in loc if x not in ("query", "body", "path")) or "body"


def _query_problem(e: dict) -> str | None:
    """check_query's message for a query or question the schema refused (too short or too long), so the
    CLI, the page and the API word it the same."""
    from index.search import check_query

    if not e.get("loc") or e["loc"][-1] not in QUERY_FIELDS or not isinstance(e.get("input"), str):
        return None
    try:
        check_query(e["input"])
    except UsageError as problem:
        return str(problem)
    return None


def validation_message(errors: list[dict]) -> str:
    """One sentence for FastAPI's list of validation errors."""
    parts = []
    for e in errors[:3]:
        query = _query_problem(e)
        if query:
            return query
        if e.get("type") == "json_invalid":
            return f"the body is not valid JSON ({e.get('ctx', {}).get('error', e['msg'])}); {ASK_BODY}"
        if e.get("type") == "missing" and tuple(e.get("loc", ())) == ("body",):
            return f"the body is missing; {ASK_BODY}"
        parts.append(f"{_where(e.get('loc', ()))}: {e['msg']}")
    more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
    return "; ".join(parts) + more + "; see /docs for the parameters"


def install(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        return error(400, validation_message(list(exc.errors())))

    @app.exception_handler(HTTPException)
    async def http(request: Request, exc: HTTPException):
        message = exc.detail
        if exc.status_code == 404 and message == "Not Found":
            message = f"no endpoint at {request.url.path}; the endpoints are listed at /docs"
        elif exc.status_code == 405:
            message = f"{request.method} is not allowed on {request.url.path}; see /docs"
        return JSONResponse({"error": str(message)}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(TracuuError)
    async def expected(request: Request, exc: TracuuError):
        return error(400 if isinstance(exc, UsageError) else 500, str(exc))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception):
        log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
        return error(500, UNEXPECTED)
