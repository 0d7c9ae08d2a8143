"""Errors at the edge: every problem a person or a client can cause gets a clear answer.

API errors are JSON, ``{"error": {"field": ..., "message": ...}}`` (CONTRACT section 4), including
FastAPI's own validation errors and bodies that are not JSON. Pages get a calm HTML page instead.
"""

from __future__ import annotations

from typing import Any, cast

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from backwalk.diary import DiaryError
from backwalk.errors import InputError
from backwalk.validation import parse_json

API_PREFIX = "/api/"


class ApiError(Exception):
    """An API answer other than 2xx, with the JSON error body to send."""

    def __init__(self, status: int, message: str, field: str | None = None, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.body: dict[str, Any] = {"error": {"field": field, "message": message}, **extra}


def error_body(field: str | None, message: str) -> dict[str, Any]:
    return {"error": {"field": field, "message": message}}


def parse_json_body(raw: bytes) -> Any:
    """The request body as JSON, or InputError('body', ...) saying why it is not."""
    return parse_json(raw, "body", "no body: expected a JSON object")


def install(app: FastAPI) -> None:
    """Register the handlers that turn exceptions into answers."""
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(InputError, _input_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(DiaryError, _diary_error)


async def _api_error(request: Request, exc: Exception) -> Response:
    api_error = cast(ApiError, exc)
    return JSONResponse(api_error.body, status_code=api_error.status)


async def _input_error(request: Request, exc: Exception) -> Response:
    return JSONResponse({"error": cast(InputError, exc).to_dict()}, status_code=422)


async def _validation_error(request: Request, exc: Exception) -> Response:
    field, message = describe_validation_error(cast(RequestValidationError, exc).errors())
    return JSONResponse(error_body(field, message), status_code=422)


def describe_validation_error(errors: Any) -> tuple[str, str]:
    """FastAPI's first validation error as (field, message) in the contract's words."""
    first = list(errors)[0] if errors else {}
    loc = [str(part) for part in first.get("loc", ()) if part not in ("body", "query", "path")]
    kind = first.get("type", "")
    if kind == "json_invalid":
        detail = first.get("ctx", {}).get("error", "")
        return "body", f"not valid JSON ({detail})" if detail else "not valid JSON"
    field = ".".join(loc) if loc else "body"
    if kind == "missing":
        return field, "is required"
    if kind == "extra_forbidden":
        return field, "unknown field"
    message = str(first.get("msg", "is not valid"))
    return field, message[:1].lower() + message[1:]


async def _http_error(request: Request, exc: Exception) -> Response:
    http = cast(HTTPException, exc)
    if request.url.path.startswith(API_PREFIX) or request.url.path == "/openapi.json":
        message = {404: "not found", 405: "method not allowed"}.get(http.status_code, http.detail)
        return JSONResponse(
            error_body(None, str(message)), status_code=http.status_code, headers=http.headers
        )
    from backwalk.web.pages_common import error_page

    return error_page(request, http.status_code, headers=http.headers)


async def _diary_error(request: Request, exc: Exception) -> Response:
    """The diary could not be read or written: say so plainly, never a traceback."""
    message = f"the diary is not available: {exc}"
    if request.url.path.startswith(API_PREFIX):
        return JSONResponse(error_body(None, message), status_code=503)
    from backwalk.web.pages_common import error_page

    return error_page(request, 503)
