"""The hosted API's schema says what hosted mode adds to every operation.

In hosted mode any /api/ operation may also answer: 400 (a Host this deployment does not
serve), 401 (not signed in, or a session that ended), 403 (signed in, but not allowed: a
clinician's route for a person, or the reverse), 404 (no such share or person), 409 (the
request conflicts with the account's state), 413/415 (body too large or not JSON) and 429 (a
rate limit). Each is the usual error body; they are added to the generated schema once, here,
so clients and the schema fuzz test read what the service really does.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

HOSTED_ERRORS = {
    "400": "This address is not one the deployment serves (Host header refused)",
    "401": "Not signed in, or the session has ended",
    "403": "Signed in, but this account may not do this",
    "404": "No such share, person, walk or check for this account",
    "409": "The request conflicts with the account's state",
    "413": "The body is larger than 64 KB",
    "415": "The request's Content-Type is not application/json",
    "429": "Too many requests: a rate limit (the Retry-After header says when to try again)",
}
ERROR_REF = "#/components/schemas/ErrorBody"


def hosted_openapi(app: FastAPI) -> dict[str, Any]:
    """The app's OpenAPI document with the hosted errors on every /api/ operation (cached)."""
    if app.openapi_schema is None:
        schema = get_openapi(
            title=app.title,
            version=app.version,
            description=app.description,
            routes=app.routes,
            tags=app.openapi_tags,
        )
        for path, operations in schema.get("paths", {}).items():
            if path.startswith("/api/"):
                for operation in operations.values():
                    _add_errors(operation.setdefault("responses", {}))
        app.openapi_schema = schema
    return app.openapi_schema


def _add_errors(responses: dict[str, Any]) -> None:
    body = {"application/json": {"schema": {"$ref": ERROR_REF}}}
    for status, description in HOSTED_ERRORS.items():
        responses.setdefault(status, {"description": description, "content": body})
