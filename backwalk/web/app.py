"""The web app: `create_app()` builds it over the same core and diary as the CLI.

The diary is opened once per app and closed when the app shuts down. The clock is injectable so
tests can drive time; the secret (for CSRF tokens and the check's draft cookie) is kept next to
a SQLite diary, or made at start-up.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI

from backwalk import __version__, i18n
from backwalk import settings as bw_settings
from backwalk.clock import Clock, SystemClock
from backwalk.diary import Diary, open_diary
from backwalk.i18n import gettext as _
from backwalk.rules import packaged_rulebook
from backwalk.web import (
    api,
    api_keepwell,
    errors,
    language,
    pages_check,
    pages_history,
    pages_keepwell,
    pages_learn,
    pages_pwa,
    pages_report,
    pages_walk,
    pages_weekly,
)
from backwalk.web.limits import BodyLimitMiddleware, HostCheckMiddleware
from backwalk.web.security import (
    MESSAGE_500,
    TITLE_500,
    Csrf,
    SecurityHeadersMiddleware,
    load_or_create_secret,
)
from backwalk.web.state import WebState
from backwalk.web.state import emergency_number as state_emergency_number
from backwalk.web.templating import STATIC_DIR, Pages

DESCRIPTION = """The JSON API of backwalk, a self-care coach for back spasms.

`POST /api/assess` and `POST /api/checkin` speak the assessment contract (CONTRACT.md); the other
endpoints read and write the diary. Errors are `{"error": {"field": ..., "message": ...}}`.
POST bodies must be sent with `Content-Type: application/json`.

backwalk is a self-care guide, not a diagnosis, and does not replace a clinician."""

TAGS = [
    {"name": "contract", "description": "Stateless decisions (CONTRACT sections 1 to 4)."},
    {"name": "diary", "description": "Checks saved in the diary, the plan, export and delete."},
    {"name": "walks", "description": "Guided walks and their check-ins."},
    {"name": "service", "description": "Health and the rulebook."},
]


def create_app(
    *,
    db_url: str | None = None,
    clock: Clock | None = None,
    secret: str | None = None,
    allowed_hosts: Sequence[str] | None = None,
    emergency_number: str | None = None,
) -> FastAPI:
    """Build the web app. `allowed_hosts` (Host header names) guards against DNS rebinding;
    `emergency_number` defaults to $BACKWALK_EMERGENCY_NUMBER, then the rulebook's."""
    bw_settings.reload()  # this app's environment, read once for everything it serves
    diary = open_diary(db_url)
    state = web_state(diary, clock, secret or load_or_create_secret(diary.url), emergency_number)
    return build_app(state, allowed_hosts=allowed_hosts)


def web_state(
    diary: Diary, clock: Clock | None, secret: str, emergency_number: str | None
) -> WebState:
    """What every request shares, over an opened diary."""
    rb = packaged_rulebook()
    number = state_emergency_number(rb, emergency_number)
    csrf = Csrf(secret)
    return WebState(
        diary=diary,
        clock=clock or SystemClock(),
        base_rb=rb,
        csrf=csrf,
        pages=Pages(rb, csrf, number),
        secret=secret,
        emergency_number=number,
    )


def build_app(
    state: WebState,
    *,
    allowed_hosts: Sequence[str] | None = None,
    extra_routers: Sequence[APIRouter] = (),
    middleware: Sequence[tuple[Any, dict[str, Any]]] = (),
) -> FastAPI:
    """The app over ``state``; hosted mode adds its routers and its per-person middleware."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # What exists at start (modules, the rulebook, the templates' environment) lives as
        # long as the server: kept out of the cycle collector's sight, a full collection takes
        # a few milliseconds instead of 140 ms that stalled every request in flight (the
        # pages' p99 under load).
        gc.freeze()
        try:
            yield
        finally:
            gc.unfreeze()
            state.diary.close()

    app = FastAPI(
        title="backwalk",
        version=__version__,
        description=DESCRIPTION,
        openapi_tags=TAGS,
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    app.state.web = state
    app.mount("/static", pages_pwa.GzipStaticFiles(directory=STATIC_DIR), name="static")
    routers = (
        language,
        api,
        api_keepwell,
        pages_check,
        pages_walk,
        pages_history,
        pages_learn,
        pages_report,
        pages_weekly,
        pages_keepwell,
    )
    app.include_router(pages_pwa.router)
    for module in routers:
        app.include_router(module.router)
    for router in extra_routers:
        app.include_router(router)
    errors.install(app)
    for kind, options in middleware:
        app.add_middleware(kind, **options)
    app.add_middleware(BodyLimitMiddleware)
    if allowed_hosts:
        app.add_middleware(HostCheckMiddleware, allowed_hosts=list(allowed_hosts))
    app.add_middleware(SecurityHeadersMiddleware, pages_500=_pages_500(state))
    app.add_middleware(language.LanguageMiddleware)  # outermost: even an error page is in it
    return app


def _pages_500(state: WebState) -> dict[str, bytes]:
    """The 500 page in every language: the site's own error page, with the way to urgent help
    where every page has it (WCAG 3.2.6), made now rather than while the app is failing."""
    pages = {}
    for lang in i18n.LANGUAGES:
        with i18n.using(lang):
            pages[lang] = state.pages.fixed_page(
                "error.html",
                title=_(TITLE_500),
                message=_(MESSAGE_500),
                back=("/", _("Go to the home page")),
            )
    return pages
