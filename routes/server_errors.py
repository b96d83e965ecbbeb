"""The server's answers when a request fails: one JSON shape, ``{"error": {"message", "parameter"}}``.

A request the server refuses raises :class:`ApiError`; the handlers added by :func:`add_handlers`
turn it, the framework's own errors (an unknown path, a wrong method) and any bug into that
shape, never a traceback.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("corridors.server")


class ApiError(Exception):
    """A request the server refuses: an HTTP status, a one-line message, the parameter at fault."""

    def __init__(self, status: int, message: str, parameter: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.parameter = parameter


def json_bytes(doc: Any) -> bytes:
    """Compact UTF-8 JSON; a non-finite number is refused as the command line refuses it."""
    try:
        return json.dumps(doc, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode(
            "utf-8", "backslashreplace"
        )
    except ValueError:
        msg = "the result holds a number too large to write as JSON (check speeds and lengths in the data)"
        raise ApiError(500, msg) from None


def json_response(doc: Any, status: int = 200, media_type: str = "application/json") -> Response:
    return Response(json_bytes(doc), status_code=status, media_type=media_type)


def error_response(status: int, message: str, parameter: str | None = None) -> Response:
    return json_response({"error": {"message": message, "parameter": parameter}}, status)


def add_handlers(app: FastAPI) -> None:
    """Answer every failure with the JSON error shape."""

    @app.exception_handler(ApiError)
    async def api_error(request: Request, err: ApiError) -> Response:
        return error_response(err.status, err.message, err.parameter)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, err: RequestValidationError) -> Response:
        return error_response(400, *validation_message(err.errors()))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, err: StarletteHTTPException) -> Response:
        if err.status_code == 404:
            return error_response(404, f"no such path: {request.url.path}")
        if err.status_code == 405:
            return error_response(405, f"method {request.method} not allowed on {request.url.path}")
        return error_response(err.status_code, str(err.detail))

    @app.exception_handler(Exception)
    async def bug(request: Request, err: Exception) -> Response:
        log.exception("internal error on %s", request.url)
        return error_response(500, "internal error (logged on the server)")


def validation_message(errors: list[dict]) -> tuple[str, str | None]:
    """One line for the first problem pydantic found in the query string."""
    first = errors[0] if errors else {}
    loc = [str(part) for part in first.get("loc", ()) if part not in ("query", "body")]
    parameter = loc[0] if loc else None
    kind = first.get("type", "")
    if kind == "missing":
        return f"{parameter}: missing (a required parameter)", parameter
    if kind == "extra_forbidden":
        return f"unknown parameter {parameter!r}", parameter
    expected = {
        "int_parsing": "an integer",
        "int_from_float": "an integer",
        "float_parsing": "a number",
        "bool_parsing": "true or false",
        "string_type": "one value",
    }.get(kind)
    value = first.get("input")
    if expected:
        return f"{parameter}: expected {expected}, got {value!r}", parameter
    return f"{parameter}: {first.get('msg', 'invalid value')}", parameter
