"""The language of each request, and the switch on every page that changes it.

Every request (pages and the JSON API alike) is answered in one language: the one the person chose
with the switch (a cookie, remembered for a year), else the first the browser's Accept-Language
asks for that backwalk speaks, else English. The switch is a plain link, so it works without
JavaScript, and it returns to the page it was clicked on.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import APIRouter
from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backwalk import i18n
from backwalk.i18n.negotiate import COOKIE, COOKIE_MAX_AGE, choose
from backwalk.web.pages_common import error_page, see_other

router = APIRouter(include_in_schema=False)
SWITCH_PATH = "/language/{lang}"


def language_of(headers: Headers) -> str:
    """The language to answer in, from a request's headers (the cookie, then Accept-Language)."""
    cookies = headers.get("cookie", "")
    chosen = next(
        (
            value.strip()
            for name, _, value in (part.partition("=") for part in cookies.split(";"))
            if name.strip() == COOKIE
        ),
        None,
    )
    return choose(chosen, headers.get("accept-language"))


class LanguageMiddleware:
    """Pure ASGI middleware: the request's language is active while the app answers it, and
    each answer says its language (Content-Language) and that it depends on the request's
    (Vary), so no cache hands a Spanish page to someone who reads English."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        lang = language_of(Headers(scope=scope))
        static = scope["path"].startswith("/static/")

        async def send_with_language(message: Message) -> None:
            if message["type"] == "http.response.start" and not static:
                headers = MutableHeaders(scope=message)
                headers.append("content-language", lang)
                headers.add_vary_header("Accept-Language")
                headers.add_vary_header("Cookie")
            await send(message)

        with i18n.using(lang):
            await self.app(scope, receive, send_with_language)


@router.get(SWITCH_PATH)
async def switch_language(request: Request, lang: str) -> Response:
    """Remember the chosen language and go back to the page the switch was on."""
    if lang not in i18n.LANGUAGES:
        return error_page(request, 404)
    response = see_other(_local_path(request.query_params.get("next")))
    response.set_cookie(
        COOKIE,
        lang,
        max_age=COOKIE_MAX_AGE,
        path="/",
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )
    return response


def _local_path(target: str | None) -> str:
    """Only a path on this site (never another site's address): the home page otherwise."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or "\\" in target:
        return "/"
    return parts.path + (f"?{parts.query}" if parts.query else "")
