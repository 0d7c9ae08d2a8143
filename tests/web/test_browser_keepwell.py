"""Keeping well in a real browser at phone size: the first programme week, and the monthly
question (answered on the page, gone once answered)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.web.conftest import LiveServer

pytestmark = pytest.mark.browser


def phone_page(context_factory: Any, live_server: LiveServer) -> Any:
    live_server.reset()
    page = context_factory("phone").new_page()
    assert page.viewport_size == {"width": 390, "height": 844}
    return page


def test_the_first_programme_week_on_a_phone(context_factory: Any, live_server: LiveServer) -> None:
    page = phone_page(context_factory, live_server)
    page.goto("/")
    page.get_by_role("link", name="Keeping well: your walking plan").click()
    page.get_by_role("button", name="Yes, my back is back to normal").click()
    for day in ("Mon", "Wed", "Fri"):
        page.get_by_label(day, exact=True).check()
    page.get_by_label("How many minutes to start with?", exact=False).fill("10")
    page.get_by_role("button", name="Save the plan").click()
    assert page.locator("[data-phase]").first.get_attribute("data-phase") == "keeping_well"
    page.get_by_label("How many minutes did you walk?").fill("12")
    page.get_by_role("button", name="Log it").first.click()
    assert page.locator("#week-title").inner_text() == "Week 1: 12 of 30 minutes"
    assert page.locator("[data-card]").get_attribute("data-card") == "why_walking_helps_backs"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "nothing scrolls sideways on a phone"


def test_the_monthly_question_on_a_phone(context_factory: Any, live_server: LiveServer) -> None:
    page = phone_page(context_factory, live_server)
    diary = live_server.app.state.web.diary
    month_ago = datetime.now(UTC) - timedelta(days=31)
    diary.record_recovery(at=month_ago)
    diary.record_programme(at=month_ago, days=("mon", "wed", "fri"), minutes_per_walk=10)
    page.goto("/keepwell")
    question = page.locator("[data-recurrence] legend").inner_text()
    assert question.startswith("Since ") and "for at least a day?" in question
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Answer").click()
    assert page.locator("[data-recurrence]").count() == 0
    assert page.locator("[data-phase]").first.get_attribute("data-phase") == "keeping_well"
