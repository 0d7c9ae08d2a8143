"""The hosted app: the same pages and API as local mode, for many people on one PostgreSQL.

`create_hosted_app(settings)` for code and tests; `app_from_env()` for uvicorn's and gunicorn's
workers, which each build their own app from the same environment.
"""

from __future__ import annotations

from datetime import timedelta

from fastapi import FastAPI
from sqlalchemy import Engine

from backwalk import settings as bw_settings
from backwalk.clock import Clock, SystemClock
from backwalk.hosted import api as hosted_api
from backwalk.hosted import pages as hosted_pages
from backwalk.hosted.accounts import Accounts
from backwalk.hosted.config import (
    HostedSettings,
    deployment_key,
    redis_client,
    settings_from_env,
)
from backwalk.hosted.database import open_hosted_diary
from backwalk.hosted.devices import Devices
from backwalk.hosted.openapi import hosted_openapi
from backwalk.hosted.people import (
    Hosted,
    HostedMiddleware,
    clinician_nav,
    csrf_binding,
    owner_tagger,
)
from backwalk.hosted.ratelimit import Limits, storage_for
from backwalk.hosted.sessions import DatabaseSessions, RedisSessions, Sessions
from backwalk.hosted.shares import Shares
from backwalk.i18n import N_
from backwalk.web.app import build_app, web_state
from backwalk.web.templating import NAV


def create_hosted_app(
    settings: HostedSettings,
    *,
    clock: Clock | None = None,
    filter_queries: bool = True,
    emergency_number: str | None = None,
) -> FastAPI:
    """``filter_queries=False`` exists for the isolation tests only: it leaves row-level
    security alone to keep the diaries apart."""
    bw_settings.reload()  # this app's environment, read once for everything it serves
    clock = clock or SystemClock()
    diary = open_hosted_diary(settings.db_url)
    state = web_state(diary, clock, settings.secret, emergency_number)
    state.pages.set_globals(nav=(*NAV, ("/account", N_("Account"))))
    state.pages.nav_for = clinician_nav
    state.pages.owner_for = owner_tagger(settings.secret)
    state.pages.set_globals(diary_place=N_("in your private diary on this service"))
    state.csrf.always_secure = settings.always_secure_cookies
    state.csrf.binding = csrf_binding
    engine = diary.engine
    namespace = deployment_key(settings.db_url)
    sessions = _sessions(settings, engine, clock, namespace)
    if isinstance(sessions, RedisSessions):
        state.readiness = (*state.readiness, sessions.ping)
    hosted = Hosted(
        settings=settings,
        accounts=Accounts(engine, clock),
        sessions=sessions,
        limits=Limits(
            storage_for(engine, settings.redis_url),
            signup=settings.limit_signup,
            login_ip=settings.limit_login_ip,
            login_account=settings.limit_login_account,
            share_code=settings.limit_share_code,
            anonymous_writes=settings.limit_anonymous_writes,
            person_writes=settings.limit_person_writes,
            namespace=namespace,
        ),
        shares=Shares(engine, clock),
        devices=Devices(settings.secret),
        filter_queries=filter_queries,
    )
    app = build_app(
        state,
        allowed_hosts=None if "*" in settings.allowed_hosts else settings.allowed_hosts,
        extra_routers=(hosted_api.router, hosted_pages.router),
        middleware=((HostedMiddleware, {"hosted": hosted, "base": state}),),
    )
    app.openapi = lambda: hosted_openapi(app)  # type: ignore[method-assign]
    return app


def app_from_env() -> FastAPI:
    """The app from BACKWALK_* variables (docs/hosting.md): what each worker process runs."""
    return create_hosted_app(settings_from_env())


def _sessions(settings: HostedSettings, engine: Engine, clock: Clock, namespace: str) -> Sessions:
    lifetime = timedelta(days=settings.session_days)
    if settings.redis_url:
        return RedisSessions(redis_client(settings.redis_url), lifetime, namespace, engine)
    return DatabaseSessions(engine, clock, lifetime)
