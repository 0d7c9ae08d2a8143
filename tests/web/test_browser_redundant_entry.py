"""WCAG 2.2, 3.3.7 Redundant Entry, on the check in a real browser, with and without
JavaScript: nothing the person has given in a check is asked for again in the same check.

What counts as given: a box ticked, a choice made, a number or words typed. Every screen's
questions are its `q-<question id>` elements; none may be one already given. The pain score is
asked once. A screen shown again beside an error is not a new question: what was given is
still filled in. Not given, and so not repeated when asked later: a warning sign left unticked
on a checklist. When the person's own words then raise it, the words screen asks about it,
quoting them: the two disagree, and guessing could miss an emergency (contract v3, "ask,
don't guess"); that is the one question a check may put after a checklist, and it is a
different question (about their words), never the same box again.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.web.browser_steps import answer_emergency, answer_warning, choose, sign_box
from tests.web.conftest import LiveServer
from tests.web.helpers import RB

pytestmark = [pytest.mark.browser, pytest.mark.nlp]

TEXT_BOX = "Anything else? Describe it in your own words"
PAIN = RB.question_by_id["pain_score"].prompt
QUESTIONS_ON_SCREEN = "els => els.map((el) => el.id.slice(2))"
RESULT = re.compile(r"/result/\d+$")


class Check:
    """One check, screen by screen: what each screen asks, and what has been given."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.given: set[str] = set()
        self.asked: list[tuple[str, list[str]]] = []

    def screen(self) -> list[str]:
        """The questions of the screen now showing; none may be one given before."""
        title = self.page.get_by_role("heading", level=1).inner_text()
        ids = self.page.eval_on_selector_all("main form [id^='q-']", QUESTIONS_ON_SCREEN)
        again = sorted(set(ids) & self.given)
        assert not again, f"'{title}' asks again for {again} (screens so far: {self.asked})"
        self.asked.append((title, ids))
        return list(ids)

    def give(self, *ids: str) -> None:
        self.given.update(ids)

    def times_asked(self, qid: str) -> int:
        return sum(qid in ids for _, ids in self.asked)


@pytest.fixture(params=[True, False], ids=["js", "nojs"])
def check(
    request: Any, context_factory: Any, live_server: LiveServer, size: str
) -> Iterator[Check]:
    live_server.reset()
    page = context_factory(size, java_script_enabled=request.param).new_page()
    page.js = request.param  # type: ignore[attr-defined]
    yield Check(page)


def _to_pain_screen(check: Check) -> None:
    page = check.page
    page.goto("/check?new=1")
    check.screen()
    answer_emergency(page, js=page.js)
    check.screen()
    answer_warning(page)
    check.screen()


def _send_pain_screen(check: Check, text: str, ticked: tuple[str, ...] = (), **yes_no: str) -> None:
    page = check.page
    choose(page, PAIN, "4")
    check.give("pain_score")
    for qid in ticked:
        sign_box(page, qid).check()
        check.give(qid)
    for qid, answer in yes_no.items():
        choose(page, RB.question_by_id[qid].prompt + " (optional)", answer)
        check.give(qid)
    page.get_by_label(TEXT_BOX).fill(text)
    check.give("text")
    page.get_by_role("button", name="See my result").click()


def test_what_was_ticked_or_chosen_is_not_asked_again_from_the_words(check: Check) -> None:
    """The words name the very things ticked and chosen on the same screen: no words screen."""
    _to_pain_screen(check)
    text = (
        "a sharp shooting pain when I bend, I can hardly stand up straight, "
        "this is the first time ever and I am pregnant"
    )
    _send_pain_screen(
        check, text, ticked=("sharp_pain", "hard_to_stand"), first_episode="Yes", pregnant="Yes"
    )
    check.page.wait_for_load_state()
    if not RESULT.search(check.page.url):
        check.screen()  # says what is asked again
    expect(check.page).to_have_url(RESULT)
    assert check.times_asked("pain_score") == 1


def test_the_words_screen_asks_only_what_was_not_given(check: Check) -> None:
    """The words raise a warning sign left unticked: asked once, quoting them; the pain score
    and the ticked box are not asked again, and the result follows."""
    _to_pain_screen(check)
    _send_pain_screen(
        check, "sharp pain, and I nearly passed out laughing at myself", ("sharp_pain",)
    )
    page = check.page
    expect(page.get_by_role("heading", level=1)).to_have_text(RB.notes.words_title)
    assert check.screen() == ["fainted_or_collapsed"]
    choice = page.get_by_role(
        "group", name=RB.question_by_id["fainted_or_collapsed"].prompt, exact=False
    )
    if page.js:
        choice.get_by_label("No", exact=True).click()  # the last answer sends the form
    else:
        choice.get_by_label("No", exact=True).check()
        page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(RESULT)
    assert check.times_asked("pain_score") == 1


def test_a_screen_shown_again_beside_an_error_keeps_what_was_given(check: Check) -> None:
    """No pain score: the same screen again, with the age, the answer and the words still
    filled in."""
    _to_pain_screen(check)
    page = check.page
    page.get_by_label(RB.question_by_id["age"].prompt).fill("40")
    page.get_by_label(TEXT_BOX).fill("it started after lifting a box")
    choose(page, RB.question_by_id["first_episode"].prompt + " (optional)", "No")
    page.get_by_role("button", name="See my result").click()
    expect(page.get_by_text("Please check your answers")).to_be_visible()
    expect(page.get_by_label(RB.question_by_id["age"].prompt)).to_have_value("40")
    expect(page.get_by_label(TEXT_BOX)).to_have_value("it started after lifting a box")
    first = page.get_by_role("group", name=RB.question_by_id["first_episode"].prompt, exact=False)
    expect(first.get_by_label("No", exact=True)).to_be_checked()


def test_a_sign_said_to_be_gone_is_not_on_the_checklists(
    check: Check, live_server: LiveServer
) -> None:
    """A new check while a warning stands asks first whether it is still so; a No is not
    asked again on the checklists that follow."""
    live_server.api.post("/api/checks", json={"answers": {"night_pain": True}}).raise_for_status()
    page = check.page
    page.goto("/check?new=1")
    expect(page.get_by_role("heading", level=1)).to_have_text(RB.notes.still_title)
    assert check.screen() == ["night_pain"]
    page.locator("#q-night_pain").get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    check.give("night_pain")
    check.screen()  # the emergency signs
    answer_emergency(page, js=page.js)
    check.screen()  # the other warning signs: night pain is not among them
    answer_warning(page)
    check.screen()
