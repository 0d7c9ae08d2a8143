"""Lighthouse scores 100 for accessibility and for best practices on every page of local mode,
on a phone (Lighthouse's mobile preset) and a desktop. Slow: about 5 s a page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.web.conftest import LiveServer
from tests.web.lighthouse import (
    FORM_FACTORS,
    Lighthouse,
    cookie_header,
    running_lighthouse,
    short_of_100,
)
from tests.web.page_states import PAGES, add_boom_route

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Lighthouse loads a page by its address. These states exist only after a click on the page
# (axe and the WCAG 2.2 tests cover them); by address they are pages audited here already.
NOT_BY_ADDRESS = {
    "check-errors": "the errors show beside a posted form; the address is check-pain's",
    "walk-pocket": "pocket mode is a button on the walk page; the address is walk-active's",
}


# Pages answered with an error status (Chromium logs its own console error for each).
ERROR_PAGES = ("not-found", "server-error")


@pytest.fixture(scope="module")
def lighthouse() -> Iterator[Lighthouse]:
    yield from running_lighthouse()


@pytest.mark.parametrize("form_factor", FORM_FACTORS)
@pytest.mark.parametrize("name", [n for n in PAGES if n not in NOT_BY_ADDRESS])
def test_lighthouse_scores_100(
    context_factory: Any,
    live_server: LiveServer,
    lighthouse: Lighthouse,
    name: str,
    form_factor: str,
) -> None:
    live_server.reset()
    add_boom_route(live_server)
    page = context_factory("phone" if form_factor == "mobile" else "desktop").new_page()
    PAGES[name](page, live_server)
    answer = lighthouse.audit(page.url, cookie_header(page), form_factor)
    problems = short_of_100(answer, error_status=name in ERROR_PAGES)
    assert not problems, f"{name} [{form_factor}] at {page.url}:\n" + "\n".join(problems)
