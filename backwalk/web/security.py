"""Security for a local app that may end up reachable on a network.

- Headers on every response: a strict Content-Security-Policy (no inline script or style), no
  framing, no sniffing, no referrer, and pages and API answers never cached (they hold health data).
- CSRF on form posts: a signed double-submit token. A random token lives in a SameSite=Strict,
  HttpOnly cookie; each form carries the same token signed with the app's secret. A post is
  accepted only when the signature is good and the token matches the cookie.
- JSON API posts must say ``Content-Type: application/json``, which a cross-site HTML form cannot
  send, and a cross-site script cannot send without a CORS preflight the app never grants.
"""

from __future__ import annotations

import hmac
import logging
import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backwalk import i18n
from backwalk.i18n import N_

log = logging.getLogger("backwalk.web")

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'self'",
    ]
)

SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = tuple(
    (name.encode("latin-1"), value.encode("latin-1"))
    for name, value in (
        ("content-security-policy", CSP),
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "no-referrer"),
        ("x-frame-options", "DENY"),
        (
            "permissions-policy",
            "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
            "microphone=(), payment=(), usb=(), screen-wake-lock=(self)",
        ),
        ("cross-origin-opener-policy", "same-origin"),
        ("cross-origin-resource-policy", "same-origin"),
    )
)
NO_STORE = (b"cache-control", b"no-store")
REVALIDATE = (b"cache-control", b"no-cache")

CSRF_COOKIE = "bw_csrf"
CSRF_FIELD = "csrf_token"
SECRET_FILENAME = "backwalk-web-secret"


TITLE_500 = N_("Something went wrong")
MESSAGE_500 = N_(
    "Please go back and try again. If you feel unwell, do not wait for the app: contact a "
    "clinician."
)
# The 500 page when the app has not made its own (see backwalk.web.app).
BARE_500 = (
    f"<!doctype html><html lang=en><title>{TITLE_500} - backwalk</title>"
    f"<main><h1>{TITLE_500}</h1><p>{MESSAGE_500}</p></main></html>"
).encode()


class SecurityHeadersMiddleware:
    """Pure ASGI middleware (cheap: no request object) that adds the headers to every response.

    It also turns an unhandled exception into a plain 500 that still carries the headers, since
    Starlette's own error page is produced outside every added middleware.
    """

    def __init__(self, app: ASGIApp, pages_500: Mapping[str, bytes] | None = None) -> None:
        self.app = app
        # made once at start-up, one per language: a broken app may not render a page
        self.pages_500 = dict(pages_500 or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cache = REVALIDATE if scope["path"].startswith("/static/") else NO_STORE
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                for name, value in (*SECURITY_HEADERS, cache):
                    if name.decode() not in headers:
                        headers.raw.append((name, value))
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            log.exception("unhandled error on %s %s", scope.get("method"), scope["path"])
            if started:
                raise
            page = self.pages_500.get(i18n.active(), BARE_500)
            await _send_500(scope["path"], send_with_headers, page)


async def _send_500(path: str, send: Send, page: bytes) -> None:
    if path.startswith("/api/"):
        body = b'{"error":{"field":null,"message":"something went wrong on our side"}}'
        media = b"application/json"
    else:
        body, media = page, b"text/html; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": 500,
            "headers": [(b"content-type", media), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


@dataclass(frozen=True)
class CsrfToken:
    """The token for one response: the value for the form and, if new, the cookie to set."""

    form_value: str
    cookie_value: str
    is_new: bool
    cookie_name: str = CSRF_COOKIE
    secure: bool = False


# A cookie named __Host-... must be Secure, have Path=/ and no Domain: a browser then takes it
# only from this very host over HTTPS, so a sibling subdomain cannot plant one.
HOST_PREFIX = "__Host-"


def cookie_name(name: str, secure: bool) -> str:
    """The cookie's name: with the __Host- prefix whenever it is sent only over HTTPS."""
    return HOST_PREFIX + name if secure else name


class Csrf:
    """Signed double-submit CSRF tokens (itsdangerous, keyed by the app's secret).

    Each signed token also names the session it was made for (hosted mode's ``binding``: a
    one-way digest of the session token; "" without one), so a token taken from one session,
    even with its cookie, is refused in another. ``always_secure``: every cookie is Secure
    (hosted mode's BACKWALK_SECURE_COOKIES=always), so the cookie's name has __Host- too.
    """

    def __init__(self, secret: str) -> None:
        self._serializer = URLSafeSerializer(secret, salt="backwalk.csrf")
        self.always_secure = False
        self.binding: Callable[[Request], str] = lambda _request: ""

    def secure(self, request: Request) -> bool:
        return self.always_secure or request.url.scheme == "https"

    def cookie_name(self, request: Request) -> str:
        return cookie_name(CSRF_COOKIE, self.secure(request))

    def token_for(self, request: Request) -> CsrfToken:
        """The token for a page about to render a form, reusing the browser's cookie if any."""
        name = self.cookie_name(request)
        cookie = request.cookies.get(name)
        is_new = not _looks_like_token(cookie)
        value = secrets.token_urlsafe(32) if is_new or cookie is None else cookie
        signed = self._serializer.dumps([value, self.binding(request)])
        return CsrfToken(signed, value, is_new, name, self.secure(request))

    def is_valid(self, request: Request, form_value: object) -> bool:
        """True when the form's signed token is genuine, matches the cookie and was made for
        this request's session."""
        cookie = request.cookies.get(self.cookie_name(request))
        if not isinstance(form_value, str) or not _looks_like_token(cookie):
            return False
        try:
            signed = self._serializer.loads(form_value)
        except BadSignature:
            return False
        if not (isinstance(signed, list) and len(signed) == 2):
            return False
        value, bound = signed
        if not (isinstance(value, str) and isinstance(bound, str)):
            return False
        same_cookie = hmac.compare_digest(value, str(cookie))
        return same_cookie and hmac.compare_digest(bound, self.binding(request))


def _looks_like_token(value: str | None) -> bool:
    return bool(value) and 20 <= len(str(value)) <= 100


def set_csrf_cookie(response: object, token: CsrfToken) -> None:
    """Set the cookie half of the double submit (only when the browser has none yet); Secure,
    and named __Host-, when the page came over HTTPS."""
    if token.is_new:
        response.set_cookie(  # type: ignore[attr-defined]
            token.cookie_name,
            token.cookie_value,
            httponly=True,
            samesite="strict",
            path="/",
            secure=token.secure,
        )


def is_json_content_type(request: Request) -> bool:
    """True for ``application/json`` (any parameters, such as charset, allowed)."""
    media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    return media == "application/json"


def load_or_create_secret(diary_url: str) -> str:
    """The per-install secret: kept in a file next to a SQLite diary, else made at start-up.

    A stored secret keeps open forms valid across restarts; an in-memory one (PostgreSQL or an
    in-memory diary, or a folder we cannot write) only means an old form must be reloaded.
    """
    folder = _sqlite_folder(diary_url)
    if folder is None:
        return secrets.token_urlsafe(32)
    path = folder / SECRET_FILENAME
    try:
        return _read_or_write_secret(path)
    except OSError as err:
        log.warning("cannot keep the web secret in %s (%s); using a temporary one", path, err)
        return secrets.token_urlsafe(32)


def _sqlite_folder(diary_url: str) -> Path | None:
    try:
        url = make_url(diary_url)
    except ArgumentError:
        return None
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(str(url.database)).expanduser().resolve().parent


def _read_or_write_secret(path: Path) -> str:
    if path.exists():
        value = path.read_text("utf-8").strip()
        if len(value) >= 32:
            return value
    value = secrets.token_urlsafe(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(value + "\n")
    return value
