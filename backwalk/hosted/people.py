"""Who is asking: each request's person, from the session cookie, and the cookie to send back.

A pure ASGI middleware reads the cookie once per request, looks the session up (in a worker
thread: it is a database or Redis call) and puts a WebState scoped to that person where
`get_state` finds it. A browser without a session reads an empty diary; its first write makes
an anonymous device person and a session for it (the device cookie), claimable by signing up.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection, Request
from starlette.responses import RedirectResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backwalk.errors import NotAllowed, NotSignedIn
from backwalk.hosted.accounts import Accounts, Person
from backwalk.hosted.config import HostedSettings
from backwalk.hosted.devices import DEVICE_COOKIE, DEVICE_DAYS, Devices
from backwalk.hosted.ratelimit import Limits
from backwalk.hosted.sessions import Sessions
from backwalk.hosted.shares import Shares
from backwalk.i18n import N_, gettext
from backwalk.web.security import cookie_name
from backwalk.web.state import WebState

SESSION_COOKIE = "bw_session"
HSTS = (b"strict-transport-security", b"max-age=31536000")
STATE_KEY = "web"
# Routes that serve nobody in particular skip the session lookup (a database query or a Redis
# round trip, in a worker thread): the app's files, its health, its rules and the stateless
# assessment. They get the shared state, whose diary belongs to nobody.
PASS_THROUGH_PREFIXES = ("/static/",)
PASS_THROUGH = frozenset(
    {
        "/api/health",
        "/api/ready",  # asks the database, but as nobody
        "/api/rules",
        "/api/assess",
        "/favicon.ico",
        "/manifest.webmanifest",
        "/sw.js",
    }
)


def needs_no_person(path: str) -> bool:
    """Whether a request for `path` is answered the same whoever asks."""
    return path in PASS_THROUGH or path.startswith(PASS_THROUGH_PREFIXES)


@dataclass
class Hosted:
    """Everything hosted mode adds to the app, shared by every request."""

    settings: HostedSettings
    accounts: Accounts
    sessions: Sessions
    limits: Limits
    shares: Shares
    devices: Devices
    filter_queries: bool = True

    def person_for(self, token: str | None) -> Person | None:
        return self.sessions.person(token) if token else None


@dataclass
class Visitor:
    """One request's person, and the session cookie to set or clear on the way out."""

    hosted: Hosted
    person: Person | None
    token: str | None
    secure: bool
    address: str = "unknown"
    device: str | None = None  # the device cookie the browser brought, unchecked
    cookie: str | None = None
    device_cookie: str | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def require_account(self, what: str = N_("this")) -> Person:
        if self.person is None or not self.person.has_account:
            raise NotSignedIn(what)
        return self.person

    def require_clinician(self) -> Person:
        person = self.require_account(N_("the clinician's pages"))
        if not person.is_clinician:
            raise NotAllowed(gettext("only clinicians' accounts can open this"))
        return person

    def claim_device(self) -> int:
        """Called by the diary on the first write of somebody without a person."""
        with self._lock:
            if self.person is None:
                device = self.hosted.accounts.create_device()
                self.start_session(device)
            assert self.person is not None
            return self.person.id

    def count_write(self) -> None:
        """Called by the diary before each write: TooManyAttempts past the write limits (per
        person with an account; per address without one, as cookies cost nothing to drop)."""
        if self.person is not None and self.person.has_account:
            self.hosted.limits.person_write(self.person.id)
        else:
            self.hosted.limits.anonymous_write(self.address)

    def known_device(self, username: str) -> str | None:
        """This browser's device id if it signed in as ``username`` before (devices.py)."""
        return self.hosted.devices.known(self.device, username)

    def remember_device(self, username: str) -> None:
        """After a successful sign-in: this browser is known for ``username`` from now on."""
        value = self.hosted.devices.issue(username)
        self.device_cookie = _cookie(
            cookie_name(DEVICE_COOKIE, self.secure), value, DEVICE_DAYS * 86400, self.secure
        )

    def start_session(self, person: Person) -> None:
        """Sign in as ``person`` with a brand-new token (never the one the browser brought,
        so a planted cookie cannot become a signed-in session), ending the old one."""
        if self.token:
            self.hosted.sessions.revoke(self.token)
        self.token = self.hosted.sessions.create(person)
        self.person = person
        self.cookie = session_cookie(self.token, self.hosted.settings, self.secure)

    def end_session(self, *, everywhere: bool = False) -> None:
        if self.person is not None and everywhere:
            self.hosted.sessions.revoke_all(self.person.id)
            # A new key ends any session the list above missed (a Redis that lost its set).
            self.hosted.accounts.new_session_key(self.person.id)
        elif self.token:
            self.hosted.sessions.revoke(self.token)
        self.person, self.token = None, None
        self.cookie = session_cookie("", self.hosted.settings, self.secure, max_age=0)


def session_cookie(
    value: str, settings: HostedSettings, secure: bool, max_age: int | None = None
) -> str:
    """The Set-Cookie value; ``secure`` (HTTPS, or BACKWALK_SECURE_COOKIES=always) also names it
    __Host-bw_session, a cookie no other host, not even a subdomain, can set."""
    age = settings.session_days * 86400 if max_age is None else max_age
    # Lax, not Strict: a person following a link to backwalk (from a message, a clinic's site)
    # arrives signed in; every form is CSRF-checked and JSON posts need a JSON content type.
    return _cookie(cookie_name(SESSION_COOKIE, secure), value, age, secure, samesite="Lax")


def _cookie(name: str, value: str, max_age: int, secure: bool, samesite: str = "Strict") -> str:
    cookie: SimpleCookie = SimpleCookie()
    cookie[name] = value
    morsel = cookie[name]
    morsel["path"] = "/"
    morsel["httponly"] = True
    morsel["samesite"] = samesite
    morsel["max-age"] = max_age
    if secure:
        morsel["secure"] = True
    return morsel.OutputString()


def csrf_binding(request: Request) -> str:
    """What ties a form's CSRF token to the request's session: a one-way digest of the session
    token (never the token, nor the hash the server keeps), "" without a session."""
    found = request.scope.get("state", {}).get("visitor")
    token = found.token if isinstance(found, Visitor) else None
    return (
        hashlib.sha256(b"backwalk.csrf-session:" + token.encode()).hexdigest()[:32] if token else ""
    )


def client_address(request: Request) -> str:
    """The address rate limits count against (the proxy's X-Forwarded-For, as uvicorn trusts it)."""
    return request.client.host if request.client else "unknown"


# A clinician's menu: their people first, never a diary of their own.
CLINICIAN_NAV = (
    ("/clinician", N_("Your people")),
    ("/learn", N_("Learn")),
    ("/account", N_("Account")),
)


def owner_tagger(secret: str) -> Callable[[Request], str]:
    """The page's outbox owner (queue.js) for hosted mode: a keyed hash of the signed-in
    person's id (the id itself never reaches the page), or "none" before anything is saved."""

    def tag(request: Request) -> str:
        found = request.scope.get("state", {}).get("visitor")
        person = found.person if isinstance(found, Visitor) else None
        if person is None:
            return NO_OWNER
        message = f"outbox-owner:{person.id}".encode()
        return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()[:24]

    return tag


NO_OWNER = "none"


def clinician_nav(request: Request) -> tuple[tuple[str, str], ...] | None:
    """The menu for a signed-in clinician; None (the usual menu) for everyone else."""
    found = request.scope.get("state", {}).get("visitor")
    person = found.person if isinstance(found, Visitor) else None
    return CLINICIAN_NAV if person is not None and person.is_clinician else None


def visitor(request: Request) -> Visitor:
    found = request.scope.get("state", {}).get("visitor")
    if found is None:  # a route of hosted mode reached without the middleware: a wiring bug
        raise NotSignedIn()
    return found  # type: ignore[no-any-return]


class HostedMiddleware:
    def __init__(self, app: ASGIApp, *, hosted: Hosted, base: WebState) -> None:
        self.app = app
        self.hosted = hosted
        self.base = base

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        secure = scope.get("scheme") == "https" or self.hosted.settings.always_secure_cookies
        if needs_no_person(scope["path"]):
            await self.app(scope, receive, _with_hsts(send) if secure else send)
            return
        connection = HTTPConnection(scope)
        cookies = connection.cookies
        token = cookies.get(cookie_name(SESSION_COOKIE, secure)) or None
        person = await run_in_threadpool(self.hosted.person_for, token)
        guest = Visitor(
            hosted=self.hosted,
            person=person,
            token=token if person else None,
            secure=secure,
            address=connection.client.host if connection.client else "unknown",
            device=cookies.get(cookie_name(DEVICE_COOKIE, secure)),
        )
        if token and person is None:  # an ended or unknown session: stop the browser sending it
            guest.cookie = session_cookie("", self.hosted.settings, guest.secure, max_age=0)
        state = scope.setdefault("state", {})
        state["visitor"] = guest
        state[STATE_KEY] = self._state_for(guest)

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                for cookie in (guest.cookie, guest.device_cookie):
                    if cookie is not None:
                        MutableHeaders(scope=message).append("set-cookie", cookie)
            await send(message)

        sending = _with_hsts(send_with_cookie) if secure else send_with_cookie
        if _clinician_home(scope, person):  # a clinician's home is their people
            await RedirectResponse("/clinician", status_code=303)(scope, receive, sending)
            return
        await self.app(scope, receive, sending)

    def _state_for(self, guest: Visitor) -> WebState:
        diary = self.base.diary.scoped(
            guest.person.id if guest.person else None,
            claim=guest.claim_device,
            filter_queries=self.hosted.filter_queries,
            on_write=guest.count_write,
        )
        return dataclasses.replace(self.base, diary=diary, cache={}, per_request=True)


def _clinician_home(scope: Scope, person: Person | None) -> bool:
    return (
        person is not None
        and person.is_clinician
        and scope["path"] == "/"
        and scope.get("method") in ("GET", "HEAD")
    )


def _with_hsts(send: Send) -> Send:
    """Over HTTPS, browsers are told to use nothing else for this site for a year (HSTS), so a
    later plain-HTTP link cannot expose the session cookie's requests to a network attacker."""

    async def send_with_hsts(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = MutableHeaders(scope=message)
            if HSTS[0].decode() not in headers:
                headers.raw.append(HSTS)
        await send(message)

    return send_with_hsts
