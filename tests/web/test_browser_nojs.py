"""Without JavaScript: the check and its result, and even a walk, work as plain forms."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.web.browser_steps import answer_more, answer_pain, answer_signs, choose
from tests.web.conftest import LiveServer, screenshot
from tests.web.helpers import RB

pytestmark = pytest.mark.browser


@pytest.fixture
def nojs_page(context_factory: Any, live_server: LiveServer, size: str) -> Iterator[Any]:
    live_server.reset()
    yield context_factory(size, java_script_enabled=False).new_page()


def test_seek_care_without_javascript(nojs_page: Any, size: str) -> None:
    page = nojs_page
    page.goto("/check?new=1")
    follow_up = page.get_by_role("group", name=RB.question_by_id["numbness_both_legs"].prompt)
    expect(follow_up).to_be_visible()  # no script to hide it, so it says when it applies
    expect(page.get_by_text("Only if you answered yes or not sure just above")).to_be_visible()
    screenshot(page, "nojs-check-signs", size)
    answer_signs(page, yes=("major_trauma",))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        RB.disposition("seek_care_now").headline
    )
    expect(page.locator(".urgent")).to_contain_text(RB.red_flag("major_trauma").tell_clinician)


def test_walk_gently_and_a_walk_without_javascript(
    nojs_page: Any, size: str, live_server: LiveServer
) -> None:
    page = nojs_page
    page.goto("/check?new=1")
    answer_signs(page)
    answer_pain(page, 3)
    answer_more(page, onset="72")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        RB.disposition("walk_gently").headline
    )
    screenshot(page, "nojs-result-walk-gently", size)
    page.get_by_role("button", name="Start the 5-minute walk").click()
    expect(page.get_by_text("The timer needs JavaScript")).to_be_visible()
    screenshot(page, "nojs-walk", size)
    choose(page, "Your pain now, from 0 to 10", "3")
    page.get_by_role("button", name="Send check-in").click()
    expect(page.get_by_role("status")).to_contain_text(RB.checkin_action("continue").headline)
    choose(page, "Your pain now, from 0 to 10", "5")
    page.get_by_role("button", name="Send check-in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(RB.checkin_action("stop").headline)
    screenshot(page, "nojs-walk-stopped", size)
    [walk] = live_server.api.get("/api/walks").json()
    assert walk["status"] == "stopped" and len(walk["checkins"]) == 2
