"""Hosted mode in a real browser: the hosted app served by uvicorn in a background thread on a
fresh PostgreSQL schema, and phone-sized Chromium contexts (Playwright's sync API) on it.

Import the fixtures into a test module (pytest finds fixtures by name in the module):

    from tests.hosted.browser_helpers import hosted_server, phone  # noqa: F401

Over http://127.0.0.1 the session cookie is not Secure, so the browser keeps it.
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from backwalk.cli.env import Environment
from backwalk.cli.main import main as backwalk_main
from backwalk.hosted.app import create_hosted_app
from backwalk.hosted.config import HostedSettings
from tests.hosted.conftest import PASSWORD, owner_url
from tests.web.conftest import AXE_JS, SIZES, PageProblems
from tests.web.helpers import axe_violations_on, served

REPO = Path(__file__).resolve().parents[2]
SCREENS = REPO / "test-artifacts" / "screens"
PHONE = SIZES["phone"]  # 390 x 844, is_mobile, has_touch
ZOOM_200 = {"width": 195, "height": 422}  # 200% zoom on the 390 px phone
Open = Callable[..., Any]
CLINICIAN, CLINICIAN_PASSWORD = "drlee", "a long clinic password"


@dataclass
class HostedServer:
    url: str
    app: Any
    app_url: str  # the database URL the app uses (the app role)


@pytest.fixture
def hosted_server(settings: HostedSettings, app_url: str) -> Iterator[HostedServer]:
    """The hosted app on its own schema, served by a real uvicorn on a free port, on the
    system clock (the walk runs on the browser's clock, as on a phone)."""
    app = create_hosted_app(dataclasses.replace(settings, allowed_hosts=("127.0.0.1",)))
    with served(app) as url:
        yield HostedServer(url, app, app_url)


@pytest.fixture
def phone(browser: Any, hosted_server: HostedServer) -> Iterator[Callable[..., Any]]:
    """``phone()`` opens a page in a new browser context (its own cookies: another person's
    phone) at phone size on the hosted server. The test fails on any JavaScript error or
    Content-Security-Policy violation seen by any of them."""
    problems = PageProblems()
    contexts: list[Any] = []

    def open_page(**options: Any) -> Any:
        context = browser.new_context(base_url=hosted_server.url, **{**PHONE, **options})
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        problems.watch(page)
        return page

    yield open_page
    for context in contexts:
        context.close()
    if problems.messages:
        pytest.fail("\n".join(problems.messages))


@pytest.fixture
def device(browser: Any, hosted_server: HostedServer) -> Iterator[Open]:
    """``device(size, lang)`` opens a page in a new browser context (its own cookies) on the
    hosted server; the test fails on any JavaScript error or CSP violation."""
    problems = PageProblems()
    contexts: list[Any] = []

    def open_page(size: str = "phone", lang: str = "en", **options: Any) -> Any:
        context = browser.new_context(
            base_url=hosted_server.url,
            locale=lang,
            extra_http_headers={"Accept-Language": lang},
            **{**SIZES[size], **options},
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        problems.watch(page)
        return page

    yield open_page
    for context in contexts:
        context.close()
    if problems.messages:
        pytest.fail("\n".join(problems.messages))


def sign_up(page: Any, username: str, password: str = PASSWORD) -> None:
    """Make an account in the browser; it ends on the account page."""
    page.goto("/signup")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("The same password again").fill(password)
    page.get_by_role("button", name="Make my account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")


def sign_in(page: Any, username: str, password: str) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def share_code_of_new_person(server: HostedServer, username: str) -> str:
    """Somebody else, through the JSON API: signs up, reports a warning sign, makes a code."""
    with httpx.Client(base_url=server.url, timeout=10) as api:
        made = api.post("/api/accounts", json={"username": username, "password": PASSWORD})
        assert made.status_code == 201, made.text
        api.post("/api/checks", json={"answers": {"night_pain": True}}).raise_for_status()
        return str(api.post("/api/shares", json={}).json()["code"])


def create_clinician(app_url: str, name: str, password: str) -> None:
    """The way an operator does it: `backwalk admin create-clinician NAME --password-stdin`."""
    out, err = io.StringIO(), io.StringIO()
    owner = owner_url(app_url)  # only the tables' owner may make a clinician
    env = Environment(stdin=io.StringIO(password + "\n"), stdout=out, stderr=err, db_url=owner)
    code = backwalk_main(["admin", "create-clinician", name, "--password-stdin"], env=env)
    assert code == 0, err.getvalue()
    assert f"Clinician {name} can now sign in" in out.getvalue()


# ------------------------------------------------------------------------------------------
# Looking at a page: a screenshot for people, axe-core, dark mode and 200% zoom
# ------------------------------------------------------------------------------------------


def axe_violations(page: Any) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations. axe is evaluated through the DevTools protocol,
    which the page's Content-Security-Policy does not govern, so the real CSP stays on."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS.read_text("utf-8") + "\n;undefined")
    return axe_violations_on(page)


def look(page: Any, name: str, *, axe: bool = True, zoom: bool = True) -> None:
    """Save test-artifacts/screens/hosted-NAME.png (the whole page, at phone size), then hold
    the page to axe-core in light and dark mode, and (unless ``zoom`` is off) to no sideways
    scrolling at 200% zoom."""
    expect(page.locator("main, body").first).to_be_visible()
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"hosted-{name}.png"), full_page=True)
    if not axe:
        return
    problems: list[str] = []
    try:
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            problems += [f"[{scheme}] {p}" for p in axe_violations(page)]
        page.emulate_media(color_scheme="dark")
        page.screenshot(path=str(SCREENS / f"hosted-{name}-dark.png"), full_page=True)
        page.set_viewport_size(ZOOM_200)
        page.screenshot(path=str(SCREENS / f"hosted-{name}-zoom200.png"), full_page=True)
        wide, window = page.evaluate(
            "[document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"
        )
        if zoom and wide > window:
            problems.append(f"[200% zoom] the page is {wide} px wide in a {window} px window")
    finally:
        page.emulate_media(color_scheme="light")
        page.set_viewport_size(PHONE["viewport"])
    assert not problems, f"hosted-{name}:\n" + "\n".join(problems)
