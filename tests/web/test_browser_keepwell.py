"""Keeping well in a real browser at phone size: the first programme week, the monthly
question (answered on the page, gone once answered), a new episode pausing the plan, and the
weekly-minutes chart at phone width."""

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
    assert page.locator("[data-change]").count() == 0  # nothing to explain in week 1
    chart = page.locator("[data-weekly-minutes] svg").bounding_box()
    assert chart is not None and chart["x"] + chart["width"] <= 390
    days = page.locator(".choices-days .choice span")
    for i in range(days.count()):  # a ticked day's name fits its button
        assert days.nth(i).evaluate("e => e.scrollWidth <= e.clientWidth")
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
    assert "Since " in question and "for a day or more?" in question
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Answer").click()
    assert page.locator("[data-recurrence]").count() == 0
    assert page.locator("[data-phase]").first.get_attribute("data-phase") == "keeping_well"


def test_a_new_episode_pauses_the_plan_on_a_phone(
    context_factory: Any, live_server: LiveServer
) -> None:
    """Yes to the monthly question: home leads to a check, and /keepwell says the plan is
    paused and where it will pick up, instead of the plan vanishing; the calendar says so too."""
    page = phone_page(context_factory, live_server)
    diary = live_server.app.state.web.diary
    month_ago = datetime.now(UTC) - timedelta(days=31)
    diary.record_recovery(at=month_ago)
    diary.record_programme(at=month_ago, days=("mon", "wed", "fri"), minutes_per_walk=15)
    page.goto("/keepwell")
    page.get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Answer").click()
    page.wait_for_url("**/")
    assert "paused while your back settles" in page.locator("[data-home-paused]").inner_text()
    page.goto("/keepwell")
    paused = page.locator("[data-paused]")
    assert paused.get_by_role("heading").inner_text() == "Your walking plan"
    text = paused.inner_text()
    assert "paused while your back settles" in text and "10 minutes on Mon, Wed and Fri" in text
    assert page.locator("#week-title").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    ics = page.request.get("/plan.ics").text()
    assert "SUMMARY:Walking plan paused" in ics


def test_the_weekly_chart_fits_a_phone(context_factory: Any, live_server: LiveServer) -> None:
    """Six months of weeks on /history: the SVG chart within the screen, its numbers one tap
    away in a table."""
    page = phone_page(context_factory, live_server)
    diary = live_server.app.state.web.diary
    today = datetime.now(UTC).date()
    for week in range(26):
        diary.log_walk(
            at=datetime.now(UTC), walked_on=today - timedelta(weeks=week), minutes=20 + week
        )
    page.goto("/history")
    chart = page.locator("[data-weekly-minutes] svg")
    box = chart.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert chart.get_attribute("role") == "img"
    assert page.locator(".weekly-minutes tbody tr").count() == 26
    assert not page.locator(".weekly-minutes").is_visible()  # behind its <details>
    page.get_by_text("The numbers, week by week").click()
    assert page.locator(".weekly-minutes").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
