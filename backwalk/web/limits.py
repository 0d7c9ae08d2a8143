"""Limits at the door, for every route alike: the body size and the Host header.

Both are pure ASGI middleware so that no route can forget them. A body over the limit is refused
as soon as it is known to be too big (a declared Content-Length, or the bytes counted as they
arrive), through the app's own error handlers: JSON under /api, a calm page elsewhere.
"""

from __future__ import annotations

import json

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY_BYTES = 64 * 1024  # a check with its free text is a few kB
TOO_LARGE = f"the body is too large (at most {MAX_BODY_BYTES // 1024} KB)"
API_PREFIX = "/api/"


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "")
        too_big = declared.isdigit() and int(declared) > self.max_bytes
        received = 0

        async def limited() -> Message:
            nonlocal received
            if too_big:
                raise HTTPException(413, TOO_LARGE)
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                raise HTTPException(413, TOO_LARGE)
            return message

        await self.app(scope, limited, send)


class HostCheckMiddleware:
    """Only the named Host headers are served (against DNS rebinding); a refusal under /api is
    the API's JSON error shape, elsewhere a short page."""

    def __init__(self, app: ASGIApp, allowed_hosts: list[str]) -> None:
        self.app = app
        self.allowed = allowed_hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self._allowed(scope):
            await self.app(scope, receive, send)
            return
        api = scope["path"].startswith(API_PREFIX)
        message = "this address is not one backwalk serves (Host header refused)"
        body = (
            json.dumps({"error": {"field": "host", "message": message}}).encode()
            if api
            else f"<!doctype html><title>Not served here</title><p>{message}</p>".encode()
        )
        media = b"application/json" if api else b"text/html; charset=utf-8"
        headers = [(b"content-type", media), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 400, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    def _allowed(self, scope: Scope) -> bool:
        host = Headers(scope=scope).get("host", "").rsplit(":", 1)[0].strip("[]")
        return any(
            host == pattern or (pattern.startswith("*") and host.endswith(pattern[1:]))
            for pattern in self.allowed
        )
