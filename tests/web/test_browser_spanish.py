"""backwalk in Spanish in Chromium, on a 390x844 phone, tapped through the way a person would,
by the Spanish words on the screen: a whole check, its result, a guided walk with a check-in and
its end, the report, and the check offline after switching language. Screenshots of each go to
test-artifacts/spanish/ for people to look at."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from backwalk import i18n
from backwalk.rules import Rulebook, default_rulebook
from tests.web.conftest import REPO, SIZES, LiveServer, PageProblems

pytestmark = pytest.mark.browser

SHOTS = REPO / "test-artifacts" / "spanish"
PHONE_ES = {**SIZES["phone"], "locale": "es-MX"}  # 390x844


def es(message: str) -> str:
    """A text of the pages in Spanish, as the catalogue has it."""
    with i18n.using("es"):
        return i18n.gettext(message)


@pytest.fixture(scope="module")
def rb() -> Rulebook:
    with i18n.using("es"):
        return default_rulebook()


@pytest.fixture
def phone(context_factory: Any, live_server: LiveServer) -> Iterator[Any]:
    live_server.reset()
    problems = PageProblems()
    page = context_factory(None, **PHONE_ES).new_page()
    problems.watch(page)
    yield page
    messages = [m for m in problems.messages if "Failed to fetch" not in m]
    if messages:
        pytest.fail("\n".join(messages))


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def heading(page: Any) -> Any:
    return page.get_by_role("heading", level=1)


def english_sentences(page: Any) -> list[str]:
    """Visible sentences of the main content that read English (a quick net, not a proof)."""
    text = page.locator("main").inner_text()
    text = re.sub(r"\([^)]*en inglés\)|backwalk [a-z]+", "", text)
    english = re.compile(r"\b(the|your|you|walk|with|when|and|minutes|check|pain)\b")
    return [line for line in text.splitlines() if english.search(line)]


def choose(page: Any, prompt: str, label: str) -> None:
    group = page.get_by_role("group", name=prompt, exact=True)
    group.get_by_role("radio", name=label, exact=True).check()


def spanish_check(page: Any, rb: Rulebook, pain: int = 4) -> None:
    page.goto("/")
    page.get_by_role("link", name=es("Start a check")).click()
    expect(heading(page)).to_have_text(rb.check_screens[0].title)
    shot(page, "check-1-emergency")
    page.get_by_role("button", name=rb.check_screens[0].none_label).click()
    expect(heading(page)).to_have_text(rb.check_screens[1].title)
    shot(page, "check-2-warning")
    page.get_by_role("button", name=rb.check_screens[1].none_label).click()
    expect(heading(page)).to_have_text(rb.check_screens[2].title)
    choose(page, rb.question_by_id["pain_score"].prompt, str(pain))
    shot(page, "check-3-pain")
    page.get_by_role("button", name=es("See my result")).click()


def test_a_whole_check_and_its_result_in_spanish(phone: Any, rb: Rulebook) -> None:
    spanish_check(phone, rb, pain=4)
    expect(heading(phone)).to_have_text(rb.disposition("walk_gently").headline)
    assert phone.get_attribute("html", "lang") == "es"
    expect(phone.get_by_role("heading", name=es("What to do now"))).to_be_visible()
    start = es("Start the %(minutes)s-minute walk") % {"minutes": 5}
    expect(phone.get_by_role("button", name=start)).to_be_visible()
    shot(phone, "result-walk-gently")
    assert english_sentences(phone) == []


def test_a_missing_pain_score_is_explained_in_spanish(phone: Any, rb: Rulebook) -> None:
    phone.goto("/check?new=1")
    phone.get_by_role("button", name=rb.check_screens[0].none_label).click()
    phone.get_by_role("button", name=rb.check_screens[1].none_label).click()
    phone.get_by_role("button", name=es("See my result")).click()
    summary = phone.locator("[data-error-summary]")
    expect(summary).to_contain_text(es("Please check your answers"))
    missing = es("Choose a number from {least} to {most}.").format(least=0, most=10)
    expect(summary).to_contain_text(missing)
    shot(phone, "check-3-error")


def test_a_guided_walk_in_spanish(phone: Any, rb: Rulebook) -> None:
    spanish_check(phone, rb, pain=4)
    start = es("Start the %(minutes)s-minute walk") % {"minutes": 5}
    phone.get_by_role("button", name=start).click()
    expect(heading(phone)).to_have_text(es("Your %(minutes)s-minute walk") % {"minutes": 5})
    expect(phone.get_by_role("timer", name=es("Time walked"))).to_be_visible()
    expect(phone.locator("[data-cue]")).to_have_text(rb.walk_cues[0].text)
    phone.get_by_role("button", name=es("Check in now")).click()
    shot(phone, "walk-checkin")
    choose(phone, es("Your pain now, from 0 to 10"), "3")
    choose(phone, rb.question_by_id["sharp_pain"].prompt, es("No"))
    phone.get_by_role("button", name=es("Send check-in")).click()
    carry_on = next(a.headline for a in rb.checkin_actions if a.id == "continue")
    expect(phone.locator("[data-outcome-title]")).to_have_text(carry_on)
    shot(phone, "walk-carry-on")
    phone.get_by_role("button", name=es("End the walk")).click()
    expect(phone.locator("[data-finish-title]")).to_have_text(es("End the walk now?"))
    phone.get_by_role("button", name=es("End the walk early")).click()
    expect(phone.locator("[data-outcome-title]")).to_have_text(es("Walk ended."))
    expect(phone.locator("[data-outcome-text]")).to_contain_text("Dolor antes: 4/10.")
    shot(phone, "walk-ended")
    phone.goto("/history")
    expect(heading(phone)).to_have_text(es("History"))
    expect(phone.get_by_role("cell", name=rb.walk_status_label("interrupted"))).to_be_visible()
    shot(phone, "history")


def test_the_report_in_spanish(phone: Any, rb: Rulebook, live_server: LiveServer) -> None:
    # A check keeps the language it was made in: these are made in Spanish, as the phone would.
    spanish = {"accept-language": "es"}
    checks = "/api/checks"
    live_server.api.post(checks, json={"answers": {"pain_score": 4}}, headers=spanish)
    walk = live_server.api.post("/api/walks", json={"pain_before": 4}).json()
    live_server.api.post(
        f"/api/walks/{walk['id']}/finish",
        json={"status": "completed", "elapsed_seconds": 300, "pain_after": 3},
    ).raise_for_status()
    live_server.api.post(checks, json={"answers": {"fever_or_chills": True}}, headers=spanish)
    phone.goto("/history")
    phone.get_by_role("link", name=es("Report for your doctor")).click()
    expect(heading(phone)).to_have_text(es("Back spasm self-care diary"))
    assert phone.get_attribute("html", "lang") == "es"
    expect(phone.get_by_role("heading", name=es("Warning signs raised"))).to_be_visible()
    fever = rb.question_by_id["fever_or_chills"].label
    expect(phone.locator(".report-signs")).to_contain_text(fever)
    expect(phone.get_by_role("link", name=es("Download PDF"))).to_be_visible()
    shot(phone, "report")
    assert english_sentences(phone) == []


READY = "async () => { const r = await navigator.serviceWorker.ready; return r.active.state; }"
SHELL_IN_SPANISH = """async () => {
  const response = await caches.match('/offline/check/pain');
  return response ? (await response.text()).includes('<html lang="es">') : false;
}"""


def test_after_switching_to_spanish_the_offline_check_speaks_spanish(
    context_factory: Any, live_server: LiveServer, rb: Rulebook
) -> None:
    """The service worker kept its shell in English; the switch has it fetched again, so the
    check's later screens, offline, are in Spanish, and the phone decides in Spanish."""
    live_server.reset()
    page = context_factory("phone").new_page()
    page.goto("/check")
    assert page.evaluate(READY) in ("activating", "activated")
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.get_by_role("link", name="Español").click()
    assert page.get_attribute("html", "lang") == "es"
    page.wait_for_function(SHELL_IN_SPANISH)
    page.context.set_offline(True)
    page.goto("/check?new=1")
    expect(heading(page)).to_have_text(rb.check_screens[0].title)
    page.get_by_role("button", name=rb.check_screens[0].none_label).click()
    page.get_by_role("button", name=rb.check_screens[1].none_label).click()
    expect(heading(page)).to_have_text(rb.check_screens[2].title)
    choose(page, rb.question_by_id["pain_score"].prompt, "8")
    page.get_by_role("button", name=es("See my result")).click()
    expect(heading(page)).to_have_text(rb.disposition("rest_first").headline)
    expect(page.locator("[data-phone-status]")).to_contain_text("decidió en este teléfono")
    shot(page, "offline-result")
