"""Ask, don't guess (contract v3), in a real browser at phone and desktop size, with and
without JavaScript: a text's warning signs are asked about quoting the person."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.web.browser_steps import answer_emergency, answer_warning, choose
from tests.web.conftest import LiveServer, screenshot
from tests.web.helpers import RB

pytestmark = [pytest.mark.browser, pytest.mark.nlp]

EMERGENCY_TEXT = "everything went dark and I woke up on the kitchen floor"
JOKE_TEXT = "nearly passed out laughing at myself"
TEXT_BOX = "Anything else? Describe it in your own words"


@pytest.fixture(params=[True, False], ids=["js", "nojs"])
def words_page(request: Any, context_factory: Any, live_server: LiveServer, size: str) -> Any:
    live_server.reset()
    page = context_factory(size, java_script_enabled=request.param).new_page()
    page.js = request.param  # type: ignore[attr-defined]
    return page


def _to_text(page: Any, text: str, pain: str | None = None) -> None:
    page.goto("/check?new=1")
    answer_emergency(page, js=page.js)
    answer_warning(page)
    if pain is not None:
        choose(page, RB.question_by_id["pain_score"].prompt, pain)
    page.get_by_label(TEXT_BOX).fill(text)
    page.get_by_role("button", name="See my result").click()


def _answer(page: Any, qid: str, label: str) -> None:
    prompt = RB.question_by_id[qid].prompt
    choice = page.get_by_role("group", name=prompt, exact=False).get_by_label(label, exact=True)
    if page.js:  # an answer to the last question sends the form: the page is gone at once,
        choice.click()  # so a click, not check(), which would look at the old page afterwards
    else:
        choice.check()
        page.get_by_role("button", name="Continue").click()


def test_an_emergency_in_words_without_a_pain_number_takes_one_question(
    words_page: Any, size: str
) -> None:
    page = words_page
    _to_text(page, EMERGENCY_TEXT)
    expect(page.get_by_role("heading", level=1)).to_have_text(RB.notes.words_title)
    expect(page.locator("fieldset.question")).to_have_count(1)
    expect(page.locator("main")).to_contain_text(f"You wrote '{EMERGENCY_TEXT}'.")
    screenshot(page, f"words-emergency-{'js' if page.js else 'nojs'}", size)
    _answer(page, "fainted_or_collapsed", "Yes")
    expect(page.get_by_role("heading", level=1)).to_have_text("Call 999 now")
    expect(page.get_by_role("link", name="Call 999", exact=True)).to_be_visible()


def test_a_denial_is_not_asked_about(words_page: Any) -> None:
    page = words_page
    _to_text(page, "bladder and bowels behaving, no numbness anywhere", pain="4")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        RB.disposition("walk_gently").headline
    )


def test_a_joke_is_asked_once_and_no_ends_it(words_page: Any, size: str) -> None:
    page = words_page
    _to_text(page, JOKE_TEXT, pain="3")
    expect(page.locator("fieldset.question")).to_have_count(1)
    screenshot(page, f"words-joke-{'js' if page.js else 'nojs'}", size)
    _answer(page, "fainted_or_collapsed", "No")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        RB.disposition("walk_gently").headline
    )


def test_a_confirmed_not_sure_is_quoted_as_not_sure(words_page: Any) -> None:
    page = words_page
    _to_text(page, JOKE_TEXT, pain="3")
    _answer(page, "fainted_or_collapsed", "Not sure")
    expect(page.get_by_role("heading", level=1)).to_have_text("Call 999 now")
    main = page.locator("main")
    expect(main).not_to_contain_text("You reported")
    expect(main).to_contain_text("were not sure")
