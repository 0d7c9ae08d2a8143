"""Accessibility: axe-core finds no WCAG 2.1 A/AA violation on any page, at phone and desktop
size and in dark mode; at 200% zoom on a 390 px phone nothing scrolls sideways (checked on the
phone run, by narrowing the viewport to 195 CSS pixels). Every page is
also saved as a screenshot under test-artifacts/screenshots/ for a person to look at."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from backwalk.i18n import translate_in
from tests.web.conftest import AXE_JS, SIZES, LiveServer, screenshot
from tests.web.helpers import RB, axe_violations_on
from tests.web.page_states import BOOM, PAGES, _check, _start_walk, add_boom_route

pytestmark = pytest.mark.browser

VARIANTS: dict[str, dict[str, Any]] = {
    "phone": SIZES["phone"],
    "desktop": SIZES["desktop"],
    "phone-dark": {**SIZES["phone"], "color_scheme": "dark"},
}
# 200% zoom on a 390 px wide phone: the layout gets 195 CSS pixels.
ZOOM = {"viewport": {"width": 195, "height": 422}}


def _open(context_factory: Any, live: LiveServer, name: str, options: dict[str, Any]) -> Any:
    live.reset()
    add_boom_route(live)
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


def check_still_es(page: Any, live: LiveServer) -> None:
    _check(live, {"night_pain": True})
    page.goto("/check?new=1")
    expect(page.locator("h1")).to_have_text(translate_in("es", RB.notes.still_title))


def walk_pocket_es(page: Any, live: LiveServer) -> None:
    _start_walk(live)
    page.goto("/walk")
    page.locator("[data-pocket]").click()
    expect(page.locator("body.pocket")).to_have_count(1)


def walk_stopped_es(page: Any, live: LiveServer) -> None:
    """A check-in that raises a warning sign stops the walk, reached by what the boxes are."""
    _start_walk(live)
    page.goto("/walk")
    page.locator("[data-checkin-now]").click()
    panel = page.locator("[data-checkin-panel]")
    expect(panel).to_be_visible()
    panel.locator("label:has(input[name=current_pain][value='3'])").click()
    panel.locator("label:has(input[name=sharp][value=no])").click()
    panel.locator("details.flags summary").click()
    panel.locator("input[name=leg_pain_below_knee]").check()
    panel.locator("button[type=submit]").click()
    expect(page.locator("[data-outcome]")).to_be_visible()


SPANISH_STEPS = {"check-warning": check_warning_es, "check-pain": check_pain_es}
SPANISH_STEPS |= {"check-errors": check_errors_es, "walk-active": walk_active_es}
SPANISH_STEPS |= {"check-still": check_still_es, "walk-pocket": walk_pocket_es}


def server_error_es(page: Any, live: LiveServer) -> None:
    add_boom_route(live)
    page.goto(BOOM)
    expect(page.locator("h1")).to_have_text(translate_in("es", "Something went wrong"))


SPANISH_STEPS |= {"walk-stopped": walk_stopped_es, "server-error": server_error_es}
# Every page in Spanish: the states reached by taps are reached by what the buttons and boxes
# are, and the 500 page is made at start-up in every language.
ENGLISH_STEPS_ONLY: set[str] = set()
SPANISH_PAGES = [name for name in PAGES if name not in ENGLISH_STEPS_ONLY]


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
