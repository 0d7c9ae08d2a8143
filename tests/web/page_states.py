"""Every page of local mode in a typical state, for the browser tests that look at each page
(axe-core in test_browser_a11y.py, WCAG 2.2 in test_browser_wcag22.py).

Each function gets a fresh page on an empty diary, makes what the page needs through the JSON
API, and opens the page. `PAGES` names them all; `NLP_PAGES` need the text reader (medspaCy).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import expect

from tests.web.browser_steps import answer_emergency, answer_warning, check_in, choose
from tests.web.conftest import LiveServer
from tests.web.helpers import PAIN_BOOLS, RB, RED_FLAGS

PageState = Callable[[Any, LiveServer], None]
BOOM = "/tests-only/boom"  # a route the live server gets only for these tests: the 500 page


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
    return {
        **dict.fromkeys(RED_FLAGS, False),
        **dict.fromkeys(PAIN_BOOLS, False),
        "pain_score": pain,
        "onset_hours": 24,
    }


def _two_walks_and_a_warning(live: LiveServer) -> None:
    for pain, after in ((5, 4), (4, 4)):
        walk_id = _start_walk(live, pain)
        live.api.post(
            f"/api/walks/{walk_id}/finish",
            json={"status": "completed", "elapsed_seconds": 290, "pain_after": after},
        )
    _check(live, {"major_trauma": True})


def _keeping_well(live: LiveServer) -> None:
    """Back to normal, a plan set up: the programme's forms and weekly minutes."""
    assert live.api.post("/api/recovered", json={}).status_code in (200, 201)
    body = {"days": ["mon", "wed", "fri"], "minutes_per_walk": 10}
    assert live.api.post("/api/programme", json=body).status_code in (200, 201)


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


def check_still(page: Any, live: LiveServer) -> None:
    """A new check while a warning sign stands: first, is it still so?"""
    _check(live, {"night_pain": True})
    page.goto("/check?new=1")
    expect(page.get_by_role("heading", level=1)).to_have_text(RB.notes.still_title)


def check_words(page: Any, live: LiveServer) -> None:
    """The words screen: the person's own text raised a warning sign (needs medspaCy)."""
    check_pain(page, live)
    choose(page, RB.question_by_id["pain_score"].prompt, "3")
    page.get_by_label("Anything else? Describe it in your own words").fill(
        "nearly passed out laughing at myself"
    )
    page.get_by_role("button", name="See my result").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(RB.notes.words_title)


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


def walk_pocket(page: Any, live: LiveServer) -> None:
    """Pocket mode: one big button and big numbers; the way to urgent help stays."""
    _start_walk(live)
    page.goto("/walk")
    page.get_by_role("button", name="Pocket mode").click()
    expect(page.locator("body.pocket")).to_have_count(1)


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
    _two_walks_and_a_warning(live)
    page.goto("/history")


def history_empty(page: Any, live: LiveServer) -> None:
    page.goto("/history")


def forget(page: Any, live: LiveServer) -> None:
    _check(live, {"pain_score": 2})
    page.goto("/history/forget")


def learn(page: Any, live: LiveServer) -> None:
    page.goto("/learn")


def api_docs(page: Any, live: LiveServer) -> None:
    page.goto("/docs")


def not_found(page: Any, live: LiveServer) -> None:
    page.goto("/no-such-page")


def server_error(page: Any, live: LiveServer) -> None:
    """The 500 page: made at start-up from the site's error page."""
    page.goto(BOOM)
    expect(page.get_by_role("heading", level=1)).to_have_text("Something went wrong")


def keepwell(page: Any, live: LiveServer) -> None:
    _keeping_well(live)
    page.goto("/keepwell")


def weekly(page: Any, live: LiveServer) -> None:
    _check(live, _full_answers(3))
    page.goto("/weekly")


def seen(page: Any, live: LiveServer) -> None:
    _check(live, {"fever_or_chills": True})
    page.goto("/seen")


def report(page: Any, live: LiveServer) -> None:
    """The report's own page, with every table it can have: warning signs, weekly minutes,
    progress."""
    _keeping_well(live)
    _two_walks_and_a_warning(live)
    page.goto("/report?days=14")


def offline_check(page: Any, live: LiveServer) -> None:
    page.goto("/offline/check/pain")


def offline_result(page: Any, live: LiveServer) -> None:
    page.goto("/offline/result")


def _named(*states: PageState) -> dict[str, PageState]:
    return {f.__name__.replace("_", "-"): f for f in states}


PAGES: dict[str, PageState] = _named(
    home,
    check_emergency,
    check_warning,
    check_pain,
    check_errors,
    check_still,
    result_seek_care,
    result_same_day,
    result_gp_soon,
    result_rest_first,
    result_walk_gently,
    walk_ready,
    walk_refused,
    walk_active,
    walk_pocket,
    walk_stopped,
    walk_summary,
    history,
    history_empty,
    forget,
    learn,
    api_docs,
    not_found,
    server_error,
    keepwell,
    weekly,
    seen,
    report,
    offline_check,
    offline_result,
)
NLP_PAGES: dict[str, PageState] = _named(check_words)


def add_boom_route(live: LiveServer) -> None:
    """The live server's test-only route that fails, for the 500 page (added once)."""
    if any(getattr(r, "path", None) == BOOM for r in live.app.router.routes):
        return

    def boom() -> None:
        raise RuntimeError("a failure for the tests (the 500 page)")

    live.app.add_api_route(BOOM, boom, include_in_schema=False)
