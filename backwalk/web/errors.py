"""Errors at the edge: every problem a person or a client can cause gets a clear answer.

API errors are JSON, ``{"error": {"field": ..., "message": ...}}`` (CONTRACT section 4), including
FastAPI's own validation errors and bodies that are not JSON. Pages get a calm HTML page instead.
"""

from __future__ import annotations

import logging
from typing import Any, cast
from urllib.parse import quote

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from backwalk.errors import (
    BackwalkError,
    BadCredentials,
    DiaryError,
    DiaryUnavailable,
    InputError,
    NotAllowed,
    NotFound,
    NotSignedIn,
    ReadOnlyDiary,
    TextUnreadable,
    TooManyAttempts,
    UsernameTaken,
    WalkAlreadyEnded,
    WalkInProgress,
    WalkRefused,
)
from backwalk.i18n import N_
from backwalk.i18n import gettext as _
from backwalk.validation import parse_json

API_PREFIX = "/api/"
# What a client hears of an outage. The error itself names the database (its URL, the driver's
# words), which is for the operator's log, never for an answer.
UNAVAILABLE = N_("the diary could not be read or written just now; please try again in a moment")
log = logging.getLogger("backwalk.web")


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
    return parse_json(raw, "body", _("no body: expected a JSON object"))


# The one table from what went wrong to the HTTP status. Most specific first: the first class
# the error is an instance of decides. A bare DiaryError is a value the diary refused.
HTTP_STATUSES: tuple[tuple[type[BackwalkError], int], ...] = (
    (InputError, 422),
    (NotSignedIn, 401),
    (BadCredentials, 401),
    (NotAllowed, 403),
    (ReadOnlyDiary, 403),
    (UsernameTaken, 409),
    (TooManyAttempts, 429),
    (NotFound, 404),
    (WalkRefused, 409),
    (WalkInProgress, 409),
    (WalkAlreadyEnded, 409),
    (TextUnreadable, 503),
    (DiaryUnavailable, 503),
    (DiaryError, 422),
)


def http_status(err: BackwalkError) -> int:
    return next((code for kind, code in HTTP_STATUSES if isinstance(err, kind)), 500)


def error_fields(err: BackwalkError) -> tuple[str | None, dict[str, Any]]:
    """The field at fault and any extra detail a client can act on, for the JSON body."""
    if isinstance(err, InputError):
        return err.field, {}
    if isinstance(err, NotFound):
        return f"{err.kind}_id", {}
    if isinstance(err, WalkRefused):
        return None, {"why": err.why, "reason": err.reason}
    if isinstance(err, WalkInProgress):
        return None, {"why": str(err), "reason": "walk_in_progress", "walk_id": err.walk_id}
    if isinstance(err, WalkAlreadyEnded):
        return "walk_id", {"walk_id": err.walk_id, "status": err.status}
    if isinstance(err, TextUnreadable):
        return "text", {}
    if isinstance(err, UsernameTaken):
        return "username", {}
    if isinstance(err, TooManyAttempts):
        return None, {"retry_after": err.retry_after}
    return None, {}


def error_headers(err: BackwalkError) -> dict[str, str]:
    if isinstance(err, TooManyAttempts):
        return {"Retry-After": str(err.retry_after)}
    return {}


def _ended_walk(request: Request, walk_id: int) -> dict[str, Any] | None:
    """How the walk ended, for a client that retried after it did; None if it cannot be read."""
    from backwalk.web.serialize import walk_json
    from backwalk.web.state import get_state

    try:
        return walk_json(get_state(request).diary.get_walk(walk_id))
    except DiaryError:
        return None


def install(app: FastAPI) -> None:
    """Register the handlers that turn exceptions into answers."""
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(BackwalkError, _backwalk_error)


async def _api_error(request: Request, exc: Exception) -> Response:
    api_error = cast(ApiError, exc)
    return JSONResponse(api_error.body, status_code=api_error.status)


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
        if detail:
            return "body", _("not valid JSON ({why})").format(why=detail)
        return "body", _("not valid JSON")
    field = ".".join(loc) if loc else "body"
    if kind == "missing":
        return field, _("is required")
    if kind == "extra_forbidden":
        return field, _("unknown field")
    message = str(first.get("msg", "is not valid"))
    return field, message[:1].lower() + message[1:]


async def _http_error(request: Request, exc: Exception) -> Response:
    http = cast(HTTPException, exc)
    if request.url.path.startswith(API_PREFIX) or request.url.path == "/openapi.json":
        message = {404: _("not found"), 405: _("method not allowed")}.get(
            http.status_code, http.detail
        )
        field = "body" if http.status_code == 413 else None
        return JSONResponse(
            error_body(field, str(message)), status_code=http.status_code, headers=http.headers
        )
    from backwalk.web.pages_common import error_page

    return error_page(request, http.status_code, headers=http.headers)


def public_message(err: BackwalkError) -> str:
    """The error's words for an answer: its own, except an outage's (logged instead)."""
    if isinstance(err, DiaryUnavailable):
        log.warning("the diary is unavailable: %s", err)
        return _(UNAVAILABLE)
    return err.message if isinstance(err, InputError) else str(err)


async def _backwalk_error(request: Request, exc: Exception) -> Response:
    """Every typed error of the core, answered with its status from the one table."""
    err = cast(BackwalkError, exc)
    status = http_status(err)
    if request.url.path.startswith(API_PREFIX):
        field, extra = error_fields(err)
        if isinstance(err, WalkAlreadyEnded):
            extra["walk"] = _ended_walk(request, err.walk_id)
        message = public_message(err)
        return JSONResponse(
            {**error_body(field, message), **extra},
            status_code=status,
            headers=error_headers(err),
        )
    from backwalk.web.pages_common import error_page, see_other

    if isinstance(err, NotSignedIn):
        return see_other(f"/login?next={quote(request.url.path)}")
    # The hosted-mode answers a person can act on say what happened; the rest stay generic.
    said = str(err) if isinstance(err, (NotAllowed, ReadOnlyDiary, TooManyAttempts)) else None
    return error_page(request, status, headers=error_headers(err), message=said)
