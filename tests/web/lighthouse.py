"""Lighthouse (the npm package, run by Node) from the browser tests: one Node process and one
Chromium answer every audit of a test module (tests/web/lighthouse_pages.mjs).

Lighthouse loads each page by its address, as a fresh visit: the tests make the diary's state
first (through the API, or clicking in Playwright) and hand Lighthouse the page's address and
the browser's cookies (as a Cookie header), so it sees the same page.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import CHROMIUM, REPO

SCRIPT = Path(__file__).with_name("lighthouse_pages.mjs")
PACKAGE = REPO / "node_modules" / "lighthouse"
LOG = REPO / "test-artifacts" / "lighthouse.log"
# backwalk is phone-first, so every run audits the phone; the desktop preset doubles the time
# (about 5 s a page, 50 s a hosted run) for audits that do not depend on the screen's width, so
# it runs when asked: BACKWALK_LIGHTHOUSE_DESKTOP=1 make test.
DESKTOP_TOO = bool(os.environ.get("BACKWALK_LIGHTHOUSE_DESKTOP"))
FORM_FACTORS = ("mobile", "desktop") if DESKTOP_TOO else ("mobile",)
CATEGORIES = ("accessibility", "best-practices")


class Lighthouse:
    """A running lighthouse_pages.mjs: `audit` sends one page and waits for its answer."""

    def __init__(self) -> None:
        node = shutil.which("node")
        if node is None or not PACKAGE.exists():
            pytest.fail("Lighthouse needs Node and node_modules: run `npm ci`")
        LOG.parent.mkdir(parents=True, exist_ok=True)
        self._log = LOG.open("a", encoding="utf-8")
        self._process = subprocess.Popen(  # noqa: S603 - our own script, no shell
            [node, str(SCRIPT)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
            text=True,
            env={**os.environ, "CHROME_PATH": str(CHROMIUM)},
        )

    def audit(self, url: str, cookies: str = "", form_factor: str = "mobile") -> dict[str, Any]:
        assert self._process.stdin is not None and self._process.stdout is not None
        headers = {"Cookie": cookies} if cookies else {}
        request = {"url": url, "headers": headers, "formFactor": form_factor}
        self._process.stdin.write(json.dumps(request) + "\n")
        self._process.stdin.flush()
        line = self._process.stdout.readline()
        if not line:
            pytest.fail(f"Lighthouse stopped (its log: {LOG})")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def close(self) -> None:
        if self._process.stdin is not None:
            self._process.stdin.close()
        try:
            self._process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._process.kill()
        self._log.close()


def running_lighthouse() -> Iterator[Lighthouse]:
    """For a module-scoped fixture: one Lighthouse for the module's tests."""
    lighthouse = Lighthouse()
    try:
        yield lighthouse
    finally:
        lighthouse.close()


def cookie_header(page: Any) -> str:
    """The cookies the page's browser would send to its own address."""
    return "; ".join(f"{c['name']}={c['value']}" for c in page.context.cookies(page.url))


def short_of_100(answer: dict[str, Any], error_status: bool = False) -> list[str]:
    """What keeps a page from 100 in each category, readably (empty when it scores 100).

    A page answered with an error status (404, 500) always has one console error, Chromium's
    own "failed to load resource" for that answer: with `error_status`, that one is excused.
    """
    if "error" in answer:
        return [f"Lighthouse could not audit the page: {answer['error']}"]
    failed = [f for f in answer["failed"] if not (error_status and _own_status(f, answer))]
    problems = [
        f"  {f['category']} / {f['id']}: {f['title']} {[w for w in f['where'] if any(w.values())]}"
        for f in failed
    ]
    if failed:  # the scores, which failed audits excused above bring down too
        problems[:0] = [f"{c}: {answer['scores'].get(c)}" for c in CATEGORIES]
    elif not error_status:
        problems += [
            f"{c}: {answer['scores'].get(c)}" for c in CATEGORIES if answer["scores"].get(c) != 1
        ]
    return problems


def _own_status(failed: dict[str, Any], answer: dict[str, Any]) -> bool:
    return failed["id"] == "errors-in-console" and all(
        w["source"] == "network" and w["url"] == answer["final_url"] for w in failed["where"]
    )
