"""Without JavaScript: the check and its result, and even a walk, work as plain forms."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.web.browser_steps import (
    Taps,
    answer_emergency,
    answer_pain,
    answer_warning,
    choose,
    sign_box,
)
from tests.web.conftest import LiveServer, screenshot
from tests.web.helpers import RB

pytestmark = pytest.mark.browser


@pytest.fixture
def nojs_page(context_factory: Any, live_server: LiveServer, size: str) -> Iterator[Any]:
    live_server.reset()
    yield context_factory(size, java_script_enabled=False).new_page()


def test_emergency_stop_without_javascript(nojs_page: Any, size: str) -> None:
    """Screen 1 with a tick goes straight to the saved result: one screen, two taps."""
    page = nojs_page
    page.goto("/check?new=1")
    screenshot(page, "nojs-check-emergency", size)
    taps = Taps()
    answer_emergency(page, yes="major_trauma", taps=taps, js=False)
    expect(page.get_by_role("heading", level=1)).to_have_text("Call 999 now")
    assert (taps.screens, taps.taps) == (1, 2)
    expect(page.get_by_role("link", name="Call 999", exact=True)).to_have_attribute(
        "href", "tel:999"
    )
    expect(page.locator(".urgent")).to_contain_text(RB.red_flag("major_trauma").tell_clinician)


def test_not_sure_without_javascript(nojs_page: Any, size: str) -> None:
    page = nojs_page
    page.goto("/check?new=1")
    sign_box(page, "chest_pain", unsure=True).check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Call 999 now")
    label = RB.question_by_id["chest_pain"].label
    expect(page.locator(".tell")).to_contain_text(
        RB.notes.tell_clinician_unsure.format(label=label)
    )


def test_walk_gently_and_a_walk_without_javascript(
    nojs_page: Any, size: str, live_server: LiveServer
) -> None:
    page = nojs_page
    page.goto("/check?new=1")
    answer_emergency(page, js=False)
    answer_warning(page)
    answer_pain(page, 3, onset_hours="72")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        RB.disposition("walk_gently").headline
    )
    screenshot(page, "nojs-result-walk-gently", size)
    page.get_by_role("button", name="Start the 5-minute walk").click()
    expect(page.get_by_text("The timer needs JavaScript")).to_be_visible()
    screenshot(page, "nojs-walk", size)
    choose(page, "Your pain now, from 0 to 10", "3")
    choose(page, RB.question_by_id["sharp_pain"].prompt, "No")
    page.get_by_role("button", name="Send check-in").click()
    expect(page.get_by_role("status")).to_contain_text(RB.checkin_action("continue").headline)
    choose(page, "Your pain now, from 0 to 10", "5")
    choose(page, RB.question_by_id["sharp_pain"].prompt, "No")
    page.get_by_role("button", name="Send check-in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(RB.checkin_action("stop").headline)
    screenshot(page, "nojs-walk-stopped", size)
    [walk] = live_server.api.get("/api/walks").json()
    assert walk["status"] == "stopped" and len(walk["checkins"]) == 2
