"""Steps for the Playwright tests: doing the check and walking, the way a person would.

`Taps` counts what a person does (each tap on a box, radio or button, each field typed into)
and the check screens they saw, so the tests can hold the check to its promises.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from playwright.sync_api import expect

from tests.web.helpers import RB, SCREENS

PAIN_BOOLS = [q for q in RB.questions if q.group == "pain" and q.type == "bool"]
TITLES = [s.spec.title for s in SCREENS]


@dataclass
class Taps:
    taps: int = 0
    typed: int = 0  # fields typed into (a number or the free text)
    screens: int = 0

    def tap(self, locator: Any, *, check: bool = False) -> None:
        if check:
            locator.check()
        else:
            locator.click()
        self.taps += 1

    def type(self, locator: Any, value: str) -> None:
        locator.fill(value)
        self.typed += 1


def choose(page: Any, prompt: str, label: str, taps: Taps | None = None) -> None:
    """Pick an answer in the radio group whose legend is `prompt`."""
    radio = page.get_by_role("group", name=prompt, exact=True).get_by_role(
        "radio", name=label, exact=True
    )
    (taps or Taps()).tap(radio, check=True)


def sign_box(page: Any, qid: str, unsure: bool = False) -> Any:
    """The tick box of a warning sign (named by its question), or its 'Not sure' box."""
    q = RB.question_by_id[qid]
    name = f"Not sure: {q.label}" if unsure else q.prompt
    return page.get_by_role("checkbox", name=name, exact=True)


def _on_screen(page: Any, number: int, taps: Taps) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLES[number - 1])
    taps.screens += 1


def answer_emergency(
    page: Any,
    yes: str | None = None,
    unsure: str | None = None,
    taps: Taps | None = None,
    js: bool = True,
) -> None:
    """Screen 1. With JavaScript one tick sends the screen, so at most one sign is ticked."""
    taps = taps if taps is not None else Taps()
    _on_screen(page, 1, taps)
    if yes or unsure:
        # A click, not check(): with JavaScript the page is gone before check() could verify.
        taps.tap(sign_box(page, str(yes or unsure), unsure=bool(unsure)), check=not js)
        if not js:
            taps.tap(page.get_by_role("button", name="Continue"))
    else:
        taps.tap(page.get_by_role("button", name=SCREENS[0].spec.none_label))


def answer_warning(
    page: Any,
    yes: tuple[str, ...] = (),
    unsure: tuple[str, ...] = (),
    taps: Taps | None = None,
) -> None:
    """Screen 2: tick what applies, then Continue; or one tap on "None of these"."""
    taps = taps if taps is not None else Taps()
    _on_screen(page, 2, taps)
    for qid in yes:
        taps.tap(sign_box(page, qid), check=True)
    for qid in unsure:
        taps.tap(sign_box(page, qid, unsure=True), check=True)
    if yes or unsure:
        taps.tap(page.get_by_role("button", name="Continue"))
    else:
        taps.tap(page.get_by_role("button", name=SCREENS[1].spec.none_label))


def answer_pain(
    page: Any,
    score: int,
    yes: tuple[str, ...] = (),
    taps: Taps | None = None,
    **more: str,
) -> None:
    """Screen 3: the pain score, any pain character, then the optional fields in `more`
    (onset_hours, age, text: typed; first_episode, pregnant: 'yes' or 'no')."""
    taps = taps if taps is not None else Taps()
    _on_screen(page, 3, taps)
    choose(page, RB.question_by_id["pain_score"].prompt, str(score), taps)
    for qid in yes:
        taps.tap(sign_box(page, qid), check=True)
    for name, value in more.items():
        if name in ("first_episode", "pregnant"):
            prompt = RB.question_by_id[name].prompt + " (optional)"
            choose(page, prompt, value.capitalize(), taps)
        elif name == "text":
            taps.type(page.get_by_label("Anything else? Describe it in your own words"), value)
        else:
            taps.type(page.get_by_label(RB.question_by_id[name].prompt), value)
    taps.tap(page.get_by_role("button", name="See my result"))


def walk_gently_check(page: Any, pain: int = 4) -> None:
    page.goto("/")
    page.get_by_role("link", name="Start a check").click()
    answer_emergency(page)
    answer_warning(page)
    answer_pain(page, pain)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        RB.disposition("walk_gently").headline
    )


def start_walk(page: Any, minutes: int = 5) -> None:
    page.get_by_role("button", name=f"Start the {minutes}-minute walk").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Your {minutes}-minute walk")
    expect(page.get_by_role("timer")).to_be_visible()


def check_in(page: Any, pain: int, sharp: bool | None = False, flags: tuple[str, ...] = ()) -> None:
    """One check-in; `sharp` None leaves 'sharp or shooting?' unanswered."""
    panel = page.locator("[data-checkin-panel]")
    if not panel.is_visible():
        page.get_by_role("button", name="Check in now").click()
    expect(panel).to_be_visible()
    choose(page, "Your pain now, from 0 to 10", str(pain))
    if sharp is not None:
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
