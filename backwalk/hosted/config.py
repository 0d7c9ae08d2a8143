"""Hosted mode's settings, read once from the environment and checked before anything starts."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from limits import parse
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from backwalk import settings as bw_settings
from backwalk.errors import HostedConfigError

MODE_ENV = "BACKWALK_MODE"
MIN_SECRET_CHARS = 32
DEFAULTS = {
    "BACKWALK_SECURE_COOKIES": "auto",
    "BACKWALK_LIMIT_SIGNUP": "10 per hour",
    "BACKWALK_LIMIT_LOGIN_IP": "30 per 15 minutes",
    "BACKWALK_LIMIT_LOGIN_ACCOUNT": "10 per 15 minutes",
    # A share code has 31^12 values, but guessing must stay slow all the same.
    "BACKWALK_LIMIT_SHARE_CODE": "10 per hour",
    # Every first write without an account makes a person row: this bounds how many one address
    # can make (a walk's heartbeats and check-ins count too, about 150 for an hour's walk).
    "BACKWALK_LIMIT_ANONYMOUS_WRITES": "300 per hour",
    "BACKWALK_LIMIT_PERSON_WRITES": "2000 per day",
    "BACKWALK_SESSION_DAYS": "30",
    # What `make run-hosted` serves on; a deployment names its own address (docs/hosting.md).
    "BACKWALK_ALLOWED_HOSTS": "localhost,127.0.0.1,::1",
}
LIMIT_SETTINGS = {
    "BACKWALK_LIMIT_SIGNUP": "limit_signup",
    "BACKWALK_LIMIT_LOGIN_IP": "limit_login_ip",
    "BACKWALK_LIMIT_LOGIN_ACCOUNT": "limit_login_account",
    "BACKWALK_LIMIT_SHARE_CODE": "limit_share_code",
    "BACKWALK_LIMIT_ANONYMOUS_WRITES": "limit_anonymous_writes",
    "BACKWALK_LIMIT_PERSON_WRITES": "limit_person_writes",
}
MAX_SESSION_DAYS = 365
# A host name, an IPv4 or IPv6 address, "*.example.org" (any subdomain) or "*" (any host).
_HOST_PATTERN = re.compile(r"\*|(\*\.)?[a-z0-9.-]+|[0-9a-f:]+")


@dataclass(frozen=True)
class HostedSettings:
    db_url: str
    secret: str
    redis_url: str | None = None
    always_secure_cookies: bool = False
    limit_signup: str = DEFAULTS["BACKWALK_LIMIT_SIGNUP"]
    limit_login_ip: str = DEFAULTS["BACKWALK_LIMIT_LOGIN_IP"]
    limit_login_account: str = DEFAULTS["BACKWALK_LIMIT_LOGIN_ACCOUNT"]
    limit_share_code: str = DEFAULTS["BACKWALK_LIMIT_SHARE_CODE"]
    limit_anonymous_writes: str = DEFAULTS["BACKWALK_LIMIT_ANONYMOUS_WRITES"]
    limit_person_writes: str = DEFAULTS["BACKWALK_LIMIT_PERSON_WRITES"]
    session_days: int = 30
    allowed_hosts: tuple[str, ...] = tuple(DEFAULTS["BACKWALK_ALLOWED_HOSTS"].split(","))

    def __post_init__(self) -> None:
        _require_postgres(self.db_url)
        if len(self.secret) < MIN_SECRET_CHARS:
            raise HostedConfigError(
                f"BACKWALK_SECRET must be at least {MIN_SECRET_CHARS} characters (the same on "
                "every worker); make one with: python3 -c 'import secrets; "
                "print(secrets.token_urlsafe(48))'"
            )
        for name, attribute in LIMIT_SETTINGS.items():
            _require_limit(name, getattr(self, attribute))
        if not self.allowed_hosts:
            raise HostedConfigError(
                "BACKWALK_ALLOWED_HOSTS is empty: name the host this site is served on"
            )
        for host in self.allowed_hosts:
            if not _HOST_PATTERN.fullmatch(host):
                raise HostedConfigError(
                    "BACKWALK_ALLOWED_HOSTS must list host names such as backwalk.example.org "
                    f"or *.example.org, separated by commas (no scheme or port), got {host!r}"
                )
        if not 1 <= self.session_days <= MAX_SESSION_DAYS:
            raise HostedConfigError(
                f"BACKWALK_SESSION_DAYS must be from 1 to {MAX_SESSION_DAYS}, "
                f"got {self.session_days}"
            )


def hosted_requested(environ: Mapping[str, str] | None = None) -> bool:
    """True when BACKWALK_MODE says hosted (backwalk.settings, where the environment is read)."""
    return bw_settings.hosted_requested(environ)


def settings_from_env(
    environ: Mapping[str, str] | None = None, *, db_url: str | None = None
) -> HostedSettings:
    """The settings from BACKWALK_* variables (see docs/hosting.md for the table)."""
    env = bw_settings.environ() if environ is None else environ

    def get(name: str) -> str:
        return env.get(name, DEFAULTS.get(name, "")).strip()

    cookies = get("BACKWALK_SECURE_COOKIES").lower()
    if cookies not in ("auto", "always"):
        raise HostedConfigError(
            f"BACKWALK_SECURE_COOKIES must be 'auto' or 'always', got {cookies!r}"
        )
    days = get("BACKWALK_SESSION_DAYS")
    if not days.isdigit() or len(days) > 4:
        raise HostedConfigError(
            f"BACKWALK_SESSION_DAYS must be a whole number of days, got {days!r}"
        )
    url = (db_url or "").strip() or get("BACKWALK_DB")
    if not url:
        raise HostedConfigError(
            "hosted mode needs a PostgreSQL database: set BACKWALK_DB (or --db) to its URL"
        )
    return HostedSettings(
        db_url=url,
        secret=get("BACKWALK_SECRET"),
        redis_url=get("BACKWALK_REDIS_URL") or None,
        always_secure_cookies=cookies == "always",
        session_days=int(days),
        allowed_hosts=tuple(
            host.strip().lower()
            for host in get("BACKWALK_ALLOWED_HOSTS").split(",")
            if host.strip()
        ),
        **{attribute: get(name) for name, attribute in LIMIT_SETTINGS.items()},
    )


def _require_postgres(url: str) -> None:
    try:
        backend = make_url(url).get_backend_name()
    except ArgumentError as err:
        raise HostedConfigError(f"BACKWALK_DB is not a database URL ({err})") from err
    if backend != "postgresql":
        raise HostedConfigError(
            "hosted mode needs PostgreSQL (its row-level security keeps each diary private); "
            f"BACKWALK_DB names a {backend} database"
        )


def _require_limit(name: str, value: str) -> None:
    try:
        parse(value)
    except ValueError as err:
        raise HostedConfigError(f"{name} must be a rate like '10 per hour', got {value!r}") from err


def deployment_key(db_url: str) -> str:
    """A short name for this deployment's database (host, port, database, options such as the
    search path; never the user or password), so that two deployments sharing one Redis keep
    their sessions and counters apart."""
    import hashlib

    url = make_url(db_url).set(username=None, password=None, drivername="postgresql")
    return hashlib.sha256(url.render_as_string(hide_password=False).encode()).hexdigest()[:12]


def redis_client(redis_url: str) -> Any:
    """A Redis client for BACKWALK_REDIS_URL that has answered a ping; HostedConfigError if the
    URL is not a Redis URL or nothing answers there."""
    import redis

    try:
        client = redis.Redis.from_url(redis_url, socket_connect_timeout=5)
        client.ping()
    except ValueError as err:
        raise HostedConfigError(f"BACKWALK_REDIS_URL is not a Redis URL ({err})") from err
    except redis.RedisError as err:
        raise HostedConfigError(f"BACKWALK_REDIS_URL: Redis does not answer ({err})") from err
    return client
