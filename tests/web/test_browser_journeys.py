"""Whole journeys in a real browser (Debian Chromium via Playwright), on a phone and a desktop.

The walk runs on the browser's clock, so `page.clock` makes a five-minute walk take no time.
Every page also fails the test on a JavaScript error or a Content-Security-Policy violation.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.web.browser_steps import (
    answer_emergency,
    answer_pain,
    answer_warning,
    check_in,
    outcome,
    outcome_title,
    sign_box,
    start_walk,
    sync_status,
    walk_gently_check,
)
from tests.web.conftest import LiveServer, screenshot
from tests.web.helpers import EMERGENCY_SIGNS, RB, SCREENS

pytestmark = pytest.mark.browser

SAVED = "All saved in your diary."


def _walks(live: LiveServer) -> list[dict[str, Any]]:
    return list(live.api.get("/api/walks").json())


def test_an_emergency_sign_ends_the_check_at_once(page: Any, size: str) -> None:
    page.goto("/")
    screenshot(page, "journey-home", size)
    page.get_by_role("link", name="Start a check").click()
    screenshot(page, "journey-check-emergency", size)
    answer_emergency(page, yes="saddle_numbness")  # one tap: no button needed
    expect(page.get_by_role("heading", level=1)).to_have_text("Call 999 now")
    urgent = page.locator(".urgent")
    expect(urgent.get_by_role("heading", level=2)).to_contain_text(RB.urgency("emergency").label)
    expect(urgent.get_by_role("link", name="Call 999")).to_have_attribute("href", "tel:999")
    expect(urgent).to_contain_text(RB.urgency("emergency").action)
    expect(urgent).to_contain_text(RB.red_flag("saddle_numbness").tell_clinician)
    expect(page.get_by_role("button", name=re.compile("Start the"))).to_have_count(0)
    screenshot(page, "journey-result-emergency", size)


def test_not_sure_stays_not_sure(page: Any, size: str) -> None:
    page.goto("/check?new=1")
    answer_emergency(page)
    yes = sign_box(page, "fever_or_chills")
    unsure = sign_box(page, "fever_or_chills", unsure=True)
    none = page.get_by_role("button", name=SCREENS[1].spec.none_label)
    yes.check()
    expect(none).to_be_hidden()  # something applies: only Continue makes sense
    unsure.check()
    expect(yes).not_to_be_checked()  # one answer per sign
    screenshot(page, "journey-check-warning-unsure", size)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Get seen today")
    label = RB.question_by_id["fever_or_chills"].label
    expect(page.locator(".tell")).to_contain_text(
        RB.notes.tell_clinician_unsure.format(label=label)
    )
    screenshot(page, "journey-result-same-day", size)


def test_missing_pain_score_is_pointed_out(page: Any, size: str) -> None:
    page.goto("/check?new=1")
    answer_emergency(page)
    answer_warning(page)
    page.get_by_role("button", name="See my result").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_count(1)
    screenshot(page, "journey-check-errors", size)


def test_rest_first_check(page: Any, size: str) -> None:
    page.goto("/check?new=1")
    answer_emergency(page)
    screenshot(page, "journey-check-warning", size)
    answer_warning(page)
    screenshot(page, "journey-check-pain", size)
    answer_pain(page, 8, onset_hours="20")
    expect(page.get_by_role("heading", level=1)).to_have_text(RB.disposition("rest_first").headline)
    for measure in ("rest_knees_bent", "fetal_position", "ice_after_onset"):
        title = RB.supportive_measure(measure).title
        expect(page.get_by_role("heading", name=title)).to_be_visible()
    expect(page.locator("svg.illustration")).to_have_count(2)
    expect(page.locator(".safety-net")).to_contain_text(RB.safety_net.text)
    screenshot(page, "journey-result-rest-first", size)
    page.goto("/walk")
    expect(page.get_by_role("heading", level=1)).to_have_text("No walk now")
    standing = page.locator("[data-standing]")
    expect(standing).to_have_attribute("data-standing", "rest_first")
    expect(standing.get_by_role("heading")).to_have_text(RB.standing("rest_first").headline)
    expect(page.locator("form[action='/walk/start']")).to_have_count(0)


def test_walk_gently_then_rising_pain_stops_the_walk(
    page: Any, size: str, live_server: LiveServer
) -> None:
    walk_gently_check(page, pain=4)
    screenshot(page, "journey-result-walk-gently", size)
    start_walk(page)
    screenshot(page, "journey-walk", size)
    page.get_by_role("button", name="Check in now").click()
    expect(page.locator("#checkin-title")).to_be_focused()
    screenshot(page, "journey-walk-checkin", size)
    check_in(page, pain=6, sharp=None)  # a risen pain stops the walk: sharp need not be asked
    expect(outcome_title(page)).to_have_text(RB.checkin_action("stop").headline)
    expect(outcome(page)).to_contain_text("Your pain is 6/10, up from 4/10")
    expect(
        outcome(page).get_by_role("link", name=RB.supportive_measure("rest_knees_bent").title)
    ).to_be_visible()
    expect(sync_status(page)).to_have_text(SAVED)
    screenshot(page, "journey-walk-stopped", size)
    [walk] = _walks(live_server)
    assert walk["status"] == "stopped" and walk["pain_after"] == 6
    assert len(walk["checkins"]) == 1


def test_a_warning_sign_during_the_walk(page: Any, size: str, live_server: LiveServer) -> None:
    walk_gently_check(page)
    start_walk(page)
    check_in(page, pain=3, flags=("both_legs",))
    box = outcome(page)
    expect(outcome_title(page)).to_have_text(RB.checkin_action("stop_seek_care").headline)
    expect(box).to_contain_text(RB.urgency("emergency").action)
    expect(box).to_contain_text(RB.red_flag("both_legs").tell_clinician)
    expect(box.get_by_role("link", name="Call 999")).to_have_attribute("href", "tel:999")
    expect(sync_status(page)).to_have_text(SAVED)
    screenshot(page, "journey-walk-seek-care", size)
    assert _walks(live_server)[0]["status"] == "stopped_seek_care"


def test_a_completed_walk_on_a_fast_clock(page: Any, size: str, live_server: LiveServer) -> None:
    page.clock.install()
    walk_gently_check(page)
    start_walk(page)
    expect(page.locator("[data-elapsed]")).to_have_text("0:00")
    page.clock.run_for("02:01")
    panel = page.locator("[data-checkin-panel]")
    expect(panel).to_be_visible()  # the two-minute check-in prompt
    expect(page.locator("[data-announce]")).to_contain_text("check in")
    check_in(page, pain=4)
    expect(outcome_title(page)).to_have_text(RB.checkin_action("continue").headline)
    page.clock.run_for("03:00")
    finish = page.locator("[data-finish-panel]")
    expect(finish).to_be_visible()
    expect(page.locator("[data-elapsed]")).to_have_text("5:00")
    expect(finish.get_by_role("heading")).to_have_text("Time is up. Well done.")
    # "Check in now" after the time is up keeps the finish card (it asks how the back is now);
    # a check-in would say "carry on" at 5:00 of 5:00 (issue 17).
    page.locator("[data-checkin-now]").click()
    expect(finish).to_be_visible()
    expect(panel).to_be_hidden()
    # the whole card comes into view on a phone, not just the edge of its title
    expect(finish.get_by_role("button", name="I finished the walk")).to_be_in_viewport()
    screenshot(page, "journey-walk-time-up", size)
    finish.get_by_role("group", name="Your pain now, after the walk").get_by_role(
        "radio", name="3", exact=True
    ).check()
    page.get_by_role("button", name="I finished the walk").click()
    expect(outcome_title(page)).to_have_text("Walk complete. Well done.")
    expect(sync_status(page)).to_have_text(SAVED)
    screenshot(page, "journey-walk-complete", size)
    [walk] = _walks(live_server)
    assert walk["status"] == "completed" and walk["pain_after"] == 3
    assert walk["elapsed_seconds"] >= 300 and len(walk["checkins"]) == 1
    assert live_server.api.get("/api/plan").json()["minutes"] == 5  # one step a day: tomorrow


def test_a_reload_mid_walk_resumes_it(page: Any, size: str, live_server: LiveServer) -> None:
    page.clock.install()
    walk_gently_check(page)
    start_walk(page)
    page.clock.run_for("01:30")
    expect(page.locator("[data-elapsed]")).to_have_text("1:30")
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your 5-minute walk")
    expect(page.locator("[data-elapsed]")).to_have_text(re.compile(r"^1:[3-5]\d$"))
    page.clock.run_for("00:45")
    expect(page.locator("[data-checkin-panel]")).to_be_visible()
    assert len(_walks(live_server)) == 1
    assert live_server.api.get("/api/walks/active").json()["walk"] is not None


def test_offline_checkins_reach_the_diary_exactly_once(
    page: Any, size: str, live_server: LiveServer
) -> None:
    walk_gently_check(page, pain=4)
    start_walk(page)
    expect(sync_status(page)).to_have_text(SAVED)
    page.context.set_offline(True)
    check_in(page, pain=4)
    expect(outcome_title(page)).to_have_text(RB.checkin_action("continue").headline)
    expect(sync_status(page)).to_contain_text("Offline: 1 update saved on this device")
    check_in(page, pain=5)  # the stop decision is made on the phone, by the same rule
    expect(outcome_title(page)).to_have_text(RB.checkin_action("stop").headline)
    expect(sync_status(page)).to_contain_text("Offline: 2 updates")
    expect(page.locator("[data-outcome-offline]")).to_be_visible()
    screenshot(page, "journey-walk-offline", size)
    [walk] = _walks(live_server)
    assert walk["checkins"] == [] and walk["status"] == "in_progress"
    page.context.set_offline(False)
    expect(sync_status(page)).to_have_text(SAVED)
    [walk] = _walks(live_server)
    assert [c["current_pain"] for c in walk["checkins"]] == [4, 5]
    assert len({c["client_id"] for c in walk["checkins"]}) == 2
    assert walk["status"] == "stopped"
    page.reload()  # nothing is sent twice
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert len(_walks(live_server)[0]["checkins"]) == 2


def test_ending_a_walk_early(page: Any, size: str, live_server: LiveServer) -> None:
    walk_gently_check(page)
    start_walk(page)
    page.get_by_role("button", name="End the walk").click()
    expect(page.get_by_role("heading", name="End the walk now?")).to_be_focused()
    page.get_by_role("button", name="End the walk early").click()
    expect(outcome_title(page)).to_have_text("Walk ended.")
    expect(sync_status(page)).to_have_text(SAVED)
    assert _walks(live_server)[0]["status"] == "interrupted"


def test_history_shows_the_walks_and_exports_csv(
    page: Any, size: str, live_server: LiveServer
) -> None:
    api = live_server.api
    for pain, after in ((4, 3), (3, 2)):
        assert api.post("/api/checks", json={"answers": {"pain_score": pain}}).status_code == 201
        walk = api.post("/api/walks", json={"pain_before": pain}).json()
        api.post(
            f"/api/walks/{walk['id']}/finish",
            json={"status": "completed", "elapsed_seconds": 300, "pain_after": after},
        )
    page.goto("/history")
    for chart in ("Pain before and after each walk", "Minutes walked per day"):
        expect(page.get_by_role("img", name=re.compile(chart))).to_be_visible()
    walks = page.get_by_role("region", name="Walks").get_by_role("row")
    expect(walks).to_have_count(3)
    expect(walks.nth(1)).to_contain_text("before 3 → after 2")
    screenshot(page, "journey-history", size)
    with page.expect_download() as info:
        page.get_by_role("link", name="Download CSV").click()
    download = info.value
    assert download.suggested_filename.startswith("backwalk-diary-")
    assert download.suggested_filename.endswith(".csv")
    with open(download.path(), encoding="utf-8") as handle:
        rows = list(csv.DictReader(io.StringIO(handle.read())))
    assert [r["record"] for r in rows].count("walk") == 2


def test_delete_everything_asks_first(page: Any, size: str, live_server: LiveServer) -> None:
    live_server.api.post("/api/checks", json={"answers": {"pain_score": 3}})
    page.goto("/history")
    page.get_by_role("link", name="Delete everything").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete everything?")
    screenshot(page, "journey-forget", size)
    page.evaluate("localStorage.setItem('backwalk.offline.result', '{}')")
    page.get_by_role("button", name="Yes, delete everything").click()
    expect(page.get_by_role("status")).to_contain_text("Everything was deleted")
    assert live_server.api.get("/api/checks").json() == []
    # the copies kept on the device for working offline are gone too
    page.wait_for_function("localStorage.getItem('backwalk.offline.result') === null")
    assert page.evaluate("caches.has('backwalk-pages')") is False


def test_learn_page(page: Any, size: str) -> None:
    page.goto("/learn")
    expect(page.get_by_role("heading", level=1)).to_have_text("Learn")
    expect(page.locator("svg.illustration")).to_have_count(5)
    screenshot(page, "journey-learn", size)


def test_keyboard_only_check(page: Any, size: str) -> None:
    """Skip link, then the check by keyboard: Tab to a sign, Space ticks it and that is all."""
    page.goto("/check?new=1")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(sign_box(page, EMERGENCY_SIGNS[0])).to_be_focused()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"  # a visible focus ring
    page.keyboard.press("Space")  # ticks the sign, which sends the emergency screen at once
    expect(page.get_by_role("heading", level=1)).to_have_text("Call 999 now")


def test_a_walk_ended_elsewhere_stops_here_too(
    page: Any, size: str, live_server: LiveServer
) -> None:
    walk_gently_check(page)
    start_walk(page)
    expect(sync_status(page)).to_have_text(SAVED)
    [walk] = _walks(live_server)
    live_server.api.post(
        f"/api/walks/{walk['id']}/finish", json={"status": "interrupted", "elapsed_seconds": 30}
    )
    page.context.set_offline(True)
    page.context.set_offline(False)  # back online: the page asks the server how things stand
    expect(outcome_title(page)).to_have_text("This walk has already ended.")
    expect(page.get_by_role("button", name="Check in now")).to_be_hidden()
