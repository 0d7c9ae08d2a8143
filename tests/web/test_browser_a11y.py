"""Accessibility: axe-core finds no WCAG 2.1 A/AA violation on any page, at phone and desktop
size and in dark mode; at 200% zoom on a 390 px phone nothing scrolls sideways (checked on the
phone run, by narrowing the viewport to 195 CSS pixels). Every page is
also saved as a screenshot under test-artifacts/screenshots/ for a person to look at."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.web.browser_steps import answer_emergency, answer_warning, check_in
from tests.web.conftest import AXE_JS, SIZES, LiveServer, screenshot
from tests.web.helpers import RB, axe_violations_on

pytestmark = pytest.mark.browser

VARIANTS: dict[str, dict[str, Any]] = {
    "phone": SIZES["phone"],
    "desktop": SIZES["desktop"],
    "phone-dark": {**SIZES["phone"], "color_scheme": "dark"},
}
# 200% zoom on a 390 px wide phone: the layout gets 195 CSS pixels.
ZOOM = {"viewport": {"width": 195, "height": 422}}


def _check(live: LiveServer, answers: dict[str, Any]) -> int:
    response = live.api.post("/api/checks", json={"answers": answers})
    response.raise_for_status()
    return int(response.json()["check"]["id"])


def _start_walk(live: LiveServer, pain: int = 4) -> int:
    _check(live, {"pain_score": pain})
    response = live.api.post("/api/walks", json={"pain_before": pain})
    response.raise_for_status()
    return int(response.json()["id"])


def _full_answers(pain: int) -> dict[str, Any]:
    from tests.web.helpers import PAIN_BOOLS, RED_FLAGS

    return {
        **dict.fromkeys(RED_FLAGS, False),
        **dict.fromkeys(PAIN_BOOLS, False),
        "pain_score": pain,
        "onset_hours": 24,
    }


def home(page: Any, live: LiveServer) -> None:
    _check(live, _full_answers(3))
    page.goto("/")


def check_emergency(page: Any, live: LiveServer) -> None:
    page.goto("/check?new=1")


def check_warning(page: Any, live: LiveServer) -> None:
    page.goto("/check?new=1")
    answer_emergency(page)
    page.get_by_label(f"Not sure: {RB.question_by_id['night_pain'].label}").check()


def check_pain(page: Any, live: LiveServer) -> None:
    page.goto("/check?new=1")
    answer_emergency(page)
    answer_warning(page)


def check_errors(page: Any, live: LiveServer) -> None:
    check_pain(page, live)
    page.get_by_role("button", name="See my result").click()
    expect(page.locator("[data-error-summary]")).to_be_visible()


def result_seek_care(page: Any, live: LiveServer) -> None:
    page.goto(f"/result/{_check(live, {'saddle_numbness': True, 'fever_or_chills': True})}")


def result_same_day(page: Any, live: LiveServer) -> None:
    response = live.api.post(
        "/api/checks", json={"answers": {"history_of_cancer": True}, "unsure": ["night_pain"]}
    )
    page.goto(f"/result/{response.json()['check']['id']}")


def result_gp_soon(page: Any, live: LiveServer) -> None:
    answers = {**_full_answers(4), "age": 55, "first_episode": True, "pregnant": False}
    page.goto(f"/result/{_check(live, answers)}")


def result_rest_first(page: Any, live: LiveServer) -> None:
    page.goto(f"/result/{_check(live, _full_answers(8))}")


def result_walk_gently(page: Any, live: LiveServer) -> None:
    page.goto(f"/result/{_check(live, _full_answers(4))}")


def walk_ready(page: Any, live: LiveServer) -> None:
    _check(live, _full_answers(4))
    page.goto("/walk")


def walk_refused(page: Any, live: LiveServer) -> None:
    page.goto("/walk")


def walk_active(page: Any, live: LiveServer) -> None:
    _start_walk(live)
    page.goto("/walk")
    page.get_by_role("button", name="Check in now").click()
    expect(page.locator("[data-checkin-panel]")).to_be_visible()
    page.locator("details.flags summary").click()


def walk_stopped(page: Any, live: LiveServer) -> None:
    _start_walk(live)
    page.goto("/walk")
    check_in(page, pain=3, flags=("leg_pain_below_knee",))
    expect(page.locator("[data-outcome]")).to_be_visible()


def walk_summary(page: Any, live: LiveServer) -> None:
    walk_id = _start_walk(live)
    live.api.post(
        f"/api/walks/{walk_id}/checkins",
        json={"current_pain": 6, "elapsed_seconds": 100, "client_id": "x"},
    )
    page.goto(f"/walks/{walk_id}")


def history(page: Any, live: LiveServer) -> None:
    for pain, after in ((5, 4), (4, 4)):
        walk_id = _start_walk(live, pain)
        live.api.post(
            f"/api/walks/{walk_id}/finish",
            json={"status": "completed", "elapsed_seconds": 290, "pain_after": after},
        )
    _check(live, {"major_trauma": True})
    page.goto("/history")


def history_empty(page: Any, live: LiveServer) -> None:
    page.goto("/history")


def forget(page: Any, live: LiveServer) -> None:
    _check(live, {"pain_score": 2})
    page.goto("/history/forget")


def learn(page: Any, live: LiveServer) -> None:
    page.goto("/learn")


def not_found(page: Any, live: LiveServer) -> None:
    page.goto("/no-such-page")


def keepwell(page: Any, live: LiveServer) -> None:
    # back to normal, a plan set up and a walk logged: the programme page with its forms
    assert live.api.post("/api/recovered", json={}).status_code in (200, 201)
    body = {"days": ["mon", "wed", "fri"], "minutes_per_walk": 10}
    assert live.api.post("/api/programme", json=body).status_code in (200, 201)
    page.goto("/keepwell")


def seen(page: Any, live: LiveServer) -> None:
    _check(live, {"fever_or_chills": True})
    page.goto("/seen")


PAGES: dict[str, Callable[[Any, LiveServer], None]] = {
    f.__name__.replace("_", "-"): f
    for f in (
        home,
        check_emergency,
        check_warning,
        check_pain,
        check_errors,
        result_seek_care,
        result_same_day,
        result_gp_soon,
        result_rest_first,
        result_walk_gently,
        walk_ready,
        walk_refused,
        walk_active,
        walk_stopped,
        walk_summary,
        history,
        history_empty,
        forget,
        learn,
        not_found,
        keepwell,
        seen,
    )
}


def _open(context_factory: Any, live: LiveServer, name: str, options: dict[str, Any]) -> Any:
    live.reset()
    page = context_factory(None, **{**options, "bypass_csp": True}).new_page()
    PAGES[name](page, live)
    expect(page.locator("main")).to_be_visible()
    return page


def _violations(page: Any) -> list[str]:
    page.add_script_tag(path=str(AXE_JS))
    return axe_violations_on(page)


@pytest.mark.parametrize("variant", list(VARIANTS))
@pytest.mark.parametrize("name", list(PAGES))
def test_no_axe_violations(
    context_factory: Any, live_server: LiveServer, name: str, variant: str
) -> None:
    page = _open(context_factory, live_server, name, VARIANTS[variant])
    screenshot(page, name, variant)
    problems = _violations(page)
    assert not problems, f"{name} [{variant}]:\n" + "\n".join(problems)
    if variant == "phone":
        _nothing_overflows_at_200_percent(page, name)


# Reaching these screens takes taps named in English; in Spanish they are reached by what the
# buttons and boxes are (their data attributes and ids), as the same person would.
def check_warning_es(page: Any, live: LiveServer) -> None:
    page.goto("/check?new=1")
    page.locator("[data-none]").click()
    expect(page.locator("#q-night_pain")).to_be_visible()
    page.locator("#q-night_pain .sign-unsure input").check()


def check_pain_es(page: Any, live: LiveServer) -> None:
    page.goto("/check?new=1")
    page.locator("[data-none]").click()
    expect(page.locator("#q-night_pain")).to_be_visible()
    page.locator("[data-none]").click()
    expect(page.locator("#q-pain_score")).to_be_visible()


def check_errors_es(page: Any, live: LiveServer) -> None:
    check_pain_es(page, live)
    page.locator(".check-form button[type=submit]").last.click()
    expect(page.locator("[data-error-summary]")).to_be_visible()


def walk_active_es(page: Any, live: LiveServer) -> None:
    _start_walk(live)
    page.goto("/walk")
    page.locator("[data-checkin-now]").click()
    expect(page.locator("[data-checkin-panel]")).to_be_visible()
    page.locator("details.flags summary").click()


SPANISH_STEPS = {"check-warning": check_warning_es, "check-pain": check_pain_es}
SPANISH_STEPS |= {"check-errors": check_errors_es, "walk-active": walk_active_es}
# Every page in Spanish; walk-stopped needs a check-in's taps in English (its Spanish one is in
# test_browser_spanish.py).
SPANISH_PAGES = [name for name in PAGES if name != "walk-stopped"]


@pytest.mark.parametrize("name", SPANISH_PAGES)
def test_no_axe_violations_in_spanish(
    context_factory: Any, live_server: LiveServer, name: str
) -> None:
    """Every page in Spanish (the browser asks for it): longer words must not break the
    layout, and the page must say its language."""
    options = {**SIZES["phone"], "locale": "es-ES"}
    if name in SPANISH_STEPS:
        live_server.reset()
        page = context_factory(None, **{**options, "bypass_csp": True}).new_page()
        SPANISH_STEPS[name](page, live_server)
        expect(page.locator("main")).to_be_visible()
    else:
        page = _open(context_factory, live_server, name, options)
    screenshot(page, name, "phone-es")
    assert page.get_attribute("html", "lang") == "es"
    problems = _violations(page)
    assert not problems, f"{name} [phone-es]:\n" + "\n".join(problems)
    _nothing_overflows_at_200_percent(page, name)


def _nothing_overflows_at_200_percent(page: Any, name: str) -> None:
    """The same page at 200% zoom on the 390 px phone: the layout gets 195 CSS pixels."""
    page.set_viewport_size(ZOOM["viewport"])
    screenshot(page, name, "zoom200")
    width = page.evaluate(
        "[document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"
    )
    assert width[0] <= width[1], f"{name} is {width[0]} px wide in a {width[1]} px window"
