"""Steps for the Playwright tests: doing the check and walking, the way a person would."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.web.helpers import RB, RED_FLAGS

PAIN_BOOLS = [q for q in RB.questions if q.group == "pain" and q.type == "bool"]
LABELS = {"yes": "Yes", "no": "No", "unsure": "Not sure"}


def choose(page: Any, prompt: str, label: str) -> None:
    """Pick an answer in the yes/no group whose legend is `prompt`."""
    page.get_by_role("group", name=prompt, exact=True).get_by_role(
        "radio", name=label, exact=True
    ).check()


def answer_signs(page: Any, yes: tuple[str, ...] = (), unsure: tuple[str, ...] = ()) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text("Warning signs")
    for qid in RED_FLAGS:
        answer = "yes" if qid in yes else "unsure" if qid in unsure else "no"
        choose(page, RB.question_by_id[qid].prompt, LABELS[answer])
    page.get_by_role("button", name="Next").click()


def answer_pain(page: Any, score: int, yes: tuple[str, ...] = ()) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text("Your pain")
    choose(page, RB.question_by_id["pain_score"].prompt, str(score))
    for q in PAIN_BOOLS:
        choose(page, q.prompt, "Yes" if q.id in yes else "No")
    page.get_by_role("button", name="Next").click()


def answer_more(page: Any, onset: str = "", text: str = "") -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text("Anything else?")
    if onset:
        page.get_by_label(RB.question_by_id["onset_hours"].prompt).fill(onset)
    if text:
        page.get_by_label("Anything else? Describe it in your own words").fill(text)
    page.get_by_role("button", name="See my result").click()


def walk_gently_check(page: Any, pain: int = 4) -> None:
    page.goto("/")
    page.get_by_role("link", name="Start a check").click()
    answer_signs(page)
    answer_pain(page, pain)
    answer_more(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        RB.disposition("walk_gently").headline
    )


def start_walk(page: Any, minutes: int = 5) -> None:
    page.get_by_role("button", name=f"Start the {minutes}-minute walk").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Your {minutes}-minute walk")
    expect(page.get_by_role("timer")).to_be_visible()


def check_in(page: Any, pain: int, sharp: bool = False, flags: tuple[str, ...] = ()) -> None:
    panel = page.locator("[data-checkin-panel]")
    if not panel.is_visible():
        page.get_by_role("button", name="Check in now").click()
    expect(panel).to_be_visible()
    choose(page, "Your pain now, from 0 to 10", str(pain))
    choose(page, RB.question_by_id["sharp_pain"].prompt, "Yes" if sharp else "No")
    if flags:
        panel.get_by_text("Any new warning sign?").click()
        for flag in flags:
            panel.get_by_label(RB.question_by_id[flag].label, exact=False).check()
    page.get_by_role("button", name="Send check-in").click()


def outcome(page: Any) -> Any:
    return page.locator("[data-outcome]")


def sync_status(page: Any) -> Any:
    return page.locator("[data-sync]")


def outcome_title(page: Any) -> Any:
    return page.locator("[data-outcome-title]")
