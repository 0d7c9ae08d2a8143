"""The words screen (contract v3: ask, don't guess): a text's warning signs are asked about,
quoting the person, before anything else; a denial is never asked; the first emergency yes
decides; a No settles the sign; a pain word stands for the score."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.helpers import RB, answer_words, do_check, main_section, pain_form

pytestmark = pytest.mark.nlp


def _send(client: Any, text: str, pain: int | None = None) -> Any:
    return do_check(client, pain=pain_form(pain), more={"text": text})


def test_an_emergency_in_words_with_no_pain_number_is_asked_at_once(client: Any) -> None:
    page = _send(client, "everything went dark and I woke up on the kitchen floor")
    assert page.status_code == 200
    body = main_section(page.text)
    assert "You wrote &#39;everything went dark and I woke up on the kitchen floor&#39;." in body
    assert RB.question_by_id["fainted_or_collapsed"].prompt in body
    assert "Choose a number" not in body  # the words act before the missing pain score
    result = answer_words(client, page, fainted_or_collapsed="yes")
    assert result.url.path.startswith("/result/")
    assert "Call 999 now" in result.text


def test_a_denial_is_never_asked_about(client: Any) -> None:
    result = _send(client, "bladder and bowels behaving, no numbness anywhere", pain=4)
    assert result.url.path.startswith("/result/")
    assert "About what you wrote" not in result.text
    assert "Walk gently" in result.text or "gentle walk" in result.text


def test_a_joke_is_asked_about_once_and_no_ends_it(client: Any) -> None:
    page = _send(client, "nearly passed out laughing at myself", pain=3)
    assert "About what you wrote" in page.text
    result = answer_words(client, page, fainted_or_collapsed="no")
    assert result.url.path.startswith("/result/")
    assert "gentle walk" in result.text
    assert "About what you wrote" not in result.text


def test_a_confirmed_not_sure_is_quoted_as_not_sure(client: Any) -> None:
    page = _send(client, "nearly passed out laughing at myself", pain=3)
    result = answer_words(client, page, fainted_or_collapsed="unsure")
    body = main_section(result.text)
    assert "Call 999 now" in body
    assert "You reported" not in body
    assert "not sure" in body.lower() or "weren&#39;t sure" in body


def test_a_blank_answer_is_asked_again_with_the_words_kept(client: Any) -> None:
    page = _send(client, "nearly passed out laughing at myself", pain=3)
    again = answer_words(client, page)
    assert again.status_code == 422
    assert "Choose Yes, No or Not sure." in again.text
    assert "laughing at myself" in again.text


def test_a_pain_word_in_the_text_stands_for_the_number(client: Any) -> None:
    result = _send(client, "a mild ache low down after gardening")
    assert result.url.path.startswith("/result/")


SAID_TWICE = (
    "a sharp shooting pain when I bend, I can hardly stand up straight, "
    "this is the first time ever and I am pregnant"
)
ON_THE_PAIN_SCREEN = ("sharp_pain", "hard_to_stand", "first_episode", "pregnant")


def test_the_words_raise_what_the_pain_screen_asks(client: Any) -> None:
    """Unticked and unanswered, the four are asked about from the words (the control for the
    next test)."""
    page = _send(client, SAID_TWICE, pain=4)
    body = main_section(page.text)
    assert "About what you wrote" in body
    for qid in ON_THE_PAIN_SCREEN:
        assert f'id="q-{qid}"' in body, qid


def test_what_the_check_already_has_a_yes_to_is_not_asked_again(client: Any) -> None:
    """WCAG 3.3.7: ticked, or answered Yes, on the same screen as the words: not asked twice."""
    more = {"text": SAID_TWICE, "first_episode": "yes", "pregnant": "yes"}
    result = do_check(client, pain=pain_form(4, yes=("sharp_pain", "hard_to_stand")), more=more)
    assert result.url.path.startswith("/result/")
    assert "About what you wrote" not in result.text
