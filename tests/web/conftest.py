"""Fixtures for the web tests: an in-process app with a manual clock, and for the browser tests
a real uvicorn server in a background thread with Debian's Chromium driven by Playwright."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from backwalk.clock import ManualClock
from backwalk.web.app import create_app
from tests.web.helpers import served

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
AXE_JS = REPO / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SECRET = "tests-only-secret-0123456789abcdef"
SIZES: dict[str, dict[str, Any]] = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1280, "height": 800}},
}


# ------------------------------------------------------------------------------------------
# In-process
# ------------------------------------------------------------------------------------------


@pytest.fixture
def app(tmp_path: Path, clock: ManualClock) -> Iterator[FastAPI]:
    app = create_app(db_url=f"sqlite:///{tmp_path / 'diary.db'}", clock=clock, secret=SECRET)
    yield app
    app.state.web.diary.close()


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


@pytest.fixture
def diary(app: FastAPI) -> Any:
    return app.state.web.diary


# ------------------------------------------------------------------------------------------
# Real server and browser
# ------------------------------------------------------------------------------------------


@dataclass
class LiveServer:
    url: str
    app: FastAPI
    api: httpx.Client = field(repr=False)

    def reset(self) -> None:
        """An empty diary for the next test."""
        self.app.state.web.diary.forget()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    db = tmp_path_factory.mktemp("live") / "diary.db"
    app = create_app(db_url=f"sqlite:///{db}", secret=SECRET)
    with served(app) as url, httpx.Client(base_url=url, timeout=10) as api:
        yield LiveServer(url, app, api)
    app.state.web.diary.close()


@pytest.fixture(params=list(SIZES))
def size(request: pytest.FixtureRequest) -> str:
    return str(request.param)


class PageProblems:
    """JavaScript errors and CSP violations seen by a page; a test fails if there are any."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def watch(self, page: Any) -> None:
        page.on("pageerror", lambda err: self.messages.append(f"page error: {err}"))
        page.on("console", self._console)

    def _console(self, message: Any) -> None:
        text = message.text
        if message.type == "error" and ("Content Security Policy" in text or "Refused" in text):
            self.messages.append(f"CSP: {text}")


@pytest.fixture
def context_factory(browser: Any, live_server: LiveServer) -> Iterator[Any]:
    """Make browser contexts on the live server; all are closed after the test."""
    made: list[Any] = []

    def make(size: str | None = "phone", **options: Any) -> Any:
        preset = SIZES[size] if size else {}
        context = browser.new_context(base_url=live_server.url, **{**preset, **options})
        context.set_default_timeout(10_000)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()


@pytest.fixture
def page(context_factory: Any, live_server: LiveServer, size: str) -> Iterator[Any]:
    """A fresh page (JavaScript on, the real CSP) on an empty diary, at each size."""
    live_server.reset()
    problems = PageProblems()
    context = context_factory(size)
    page = context.new_page()
    problems.watch(page)
    yield page
    if problems.messages:
        pytest.fail("\n".join(problems.messages))


def screenshot(page: Any, name: str, size: str) -> None:
    """Save a full-page screenshot for people to look at (test-artifacts/, git-ignored)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{size}.png"), full_page=True)
