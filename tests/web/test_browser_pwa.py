"""The installable app in Chromium: the service worker installs, the shell then loads from its
cache with no network request, and with the network gone the check still loads and decides on the
phone; the check waits on the phone and is stored exactly once when the connection returns. The
walk speaks through a stand-in speechSynthesis (headless Chromium has no voices), and every line
it speaks is on the screen."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.web.browser_steps import check_in, outcome_title, start_walk, walk_gently_check
from tests.web.conftest import LiveServer, PageProblems, screenshot
from tests.web.helpers import RB

pytestmark = pytest.mark.browser

READY = "async () => { const r = await navigator.serviceWorker.ready; return r.active.state; }"


def _installed(page: Any) -> None:
    assert page.evaluate(READY) in ("activating", "activated")
    page.wait_for_function(
        "navigator.serviceWorker.controller !== null"
        " && navigator.serviceWorker.controller.state === 'activated'"
    )


@pytest.fixture
def phone(context_factory: Any, live_server: LiveServer) -> Any:
    live_server.reset()
    problems = PageProblems()
    context = context_factory("phone")
    page = context.new_page()
    problems.watch(page)
    yield page
    messages = [m for m in problems.messages if "Failed to fetch" not in m]
    if messages:
        pytest.fail("\n".join(messages))


def test_the_service_worker_installs_and_serves_the_shell_from_its_cache(phone: Any) -> None:
    phone.goto("/check")
    _installed(phone)
    manifest = phone.evaluate(
        "async () => (await fetch(document.querySelector('link[rel=manifest]').href)).json()"
    )
    assert manifest["display"] == "standalone"
    seen: list[Any] = []
    phone.context.on("request", lambda r: seen.append(r))
    responses: list[Any] = []
    phone.on("response", lambda r: responses.append(r))
    phone.reload()
    expect(phone.get_by_role("heading", level=1)).to_be_visible()
    phone.wait_for_load_state("networkidle")
    static = [r for r in responses if "/static/" in r.url]
    assert static and all(r.from_service_worker for r in static), [r.url for r in static]
    from_worker_to_network = [
        r.url for r in seen if "/static/" in r.url and r.service_worker is not None
    ]
    assert from_worker_to_network == []


def test_offline_the_check_loads_decides_and_is_stored_once_back_online(
    phone: Any, live_server: LiveServer
) -> None:
    phone.goto("/check")
    _installed(phone)
    phone.context.set_offline(True)
    phone.goto("/check?new=1")
    expect(phone.get_by_role("heading", level=1)).to_have_text(RB.check_screens[0].title)
    expect(phone.locator("[data-offline-note]")).to_be_visible()
    screenshot(phone, "pwa-check-offline", "phone")
    phone.get_by_role("button", name="None of these").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(RB.check_screens[1].title)
    phone.get_by_role("button", name="None of these").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(RB.check_screens[2].title)
    phone.locator("#q-pain_score").get_by_role("radio", name="4", exact=True).check()
    phone.get_by_role("button", name="See my result").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(
        RB.disposition("walk_gently").headline
    )
    expect(phone.locator("[data-phone-status]")).to_contain_text("Decided on this phone")
    expect(phone.locator("[data-phone-status]")).to_contain_text("when the connection returns")
    screenshot(phone, "pwa-result-offline", "phone")
    assert live_server.api.get("/api/checks").json() == []
    phone.context.set_offline(False)
    expect(phone.locator("[data-phone-status]")).to_contain_text("now saved in your diary")
    checks = live_server.api.get("/api/checks").json()
    assert len(checks) == 1 and checks[0]["disposition"] == "walk_gently"
    phone.reload()
    expect(phone.get_by_role("link", name="See it in your diary")).to_be_visible()
    assert len(live_server.api.get("/api/checks").json()) == 1


def test_offline_an_emergency_sign_ends_the_check_at_once(phone: Any) -> None:
    phone.goto("/check")
    _installed(phone)
    phone.context.set_offline(True)
    phone.goto("/check?new=1")
    phone.locator("#q-chest_pain").get_by_role("checkbox").first.check()
    expect(phone.get_by_role("heading", level=1)).to_have_text(RB.urgency_headline("emergency"))
    expect(phone.get_by_role("link", name="Call 999", exact=True)).to_be_visible()


def test_offline_a_pregnancy_warning_says_call_the_maternity_unit(phone: Any) -> None:
    phone.goto("/check")
    _installed(phone)
    phone.context.set_offline(True)
    phone.goto("/check?new=1")
    phone.get_by_role("button", name="None of these").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(RB.check_screens[1].title)
    phone.locator("#q-pregnancy_warning").get_by_role("checkbox").first.check()
    phone.get_by_role("button", name="Continue").click()
    headline = "Call your midwife or maternity unit now"
    expect(phone.get_by_role("heading", level=1)).to_have_text(headline)
    expect(phone.locator("[data-urgency-action]")).to_contain_text("maternity unit now")
    expect(phone.locator("[data-urgency-action]")).not_to_contain_text("{number}")


def test_a_walk_started_online_continues_offline(phone: Any, live_server: LiveServer) -> None:
    walk_gently_check(phone, pain=4)
    start_walk(phone)
    _installed(phone)
    phone.context.set_offline(True)
    phone.reload()  # the walk page comes from the worker's cache
    expect(phone.get_by_role("heading", level=1)).to_have_text("Your 5-minute walk")
    check_in(phone, pain=3)
    expect(outcome_title(phone)).to_have_text(RB.checkin_action("continue").headline)
    phone.context.set_offline(False)
    phone.wait_for_function("async () => true", timeout=2000)  # let the online event reach the page
    expect(phone.locator("[data-sync]")).to_have_text("All saved in your diary.")
    [walk] = live_server.api.get("/api/walks").json()
    assert [c["current_pain"] for c in walk["checkins"]] == [3]


SPEECH_STUB = """
window.__spoken = [];
class StubUtterance { constructor(text) { this.text = text; this.rate = 1; } }
window.SpeechSynthesisUtterance = StubUtterance;
Object.defineProperty(window, 'speechSynthesis', { configurable: true, value: {
  speak(u) { window.__spoken.push({ text: u.text, rate: u.rate, voice: u.voice && u.voice.name,
    screen: document.body.innerText }); },
  cancel() {}, getVoices() { return [
    { name: 'net', lang: 'en-GB', localService: false, default: true },
    { name: 'phone', lang: 'en-GB', localService: true, default: false } ]; },
} });
"""


def test_spoken_lines_are_the_lines_on_screen(phone: Any) -> None:
    phone.context.add_init_script(SPEECH_STUB)
    phone.clock.install()
    walk_gently_check(phone, pain=4)
    start_walk(phone)
    phone.get_by_label("Speak the cues and check-in prompts aloud").check()
    phone.get_by_label("Speaking speed").select_option("0.8")
    phone.get_by_role("button", name="Pocket mode").click()
    phone.clock.run_for("02:01")
    expect(phone.locator("[data-checkin-panel]")).to_be_visible()
    screenshot(phone, "pwa-walk-pocket-checkin", "phone")
    check_in(phone, pain=4)
    expect(outcome_title(phone)).to_have_text(RB.checkin_action("continue").headline)
    screenshot(phone, "pwa-walk-pocket", "phone")
    spoken = phone.evaluate("window.__spoken")
    texts = [s["text"] for s in spoken]
    assert any("check in" in t for t in texts)
    assert RB.walk_cues[0].text in texts
    assert spoken[-1]["rate"] == 0.8  # the speed chosen
    assert {s["voice"] for s in spoken} == {"phone"}  # the on-device voice is preferred
    for said in spoken:  # on the screen at the moment it was spoken
        for sentence in filter(None, (p.strip() for p in said["text"].split(". "))):
            assert sentence.rstrip(".") in said["screen"], sentence
