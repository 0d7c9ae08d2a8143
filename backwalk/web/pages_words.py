"""The words screen (contract v3: ask, don't guess).

When the last screen is sent with free text, the text is read at once, before a missing pain
score is an error: every warning sign the words raise becomes one question that quotes them
(Yes / No / Not sure), emergency signs first, all on one screen. The first emergency sign
answered Yes (or Not sure) decides at once; a No settles that sign for this check.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from backwalk.i18n import N_
from backwalk.i18n import gettext as _
from backwalk.rules import Question, Rulebook

WORDS_PATH = "/check/words"
ANSWERS = {"yes": True, "no": False, "unsure": True}
REQUIRED = N_("Choose Yes, No or Not sure.")


@dataclass(frozen=True)
class WordsQuestion:
    """One question about the person's own words."""

    question: Question
    quote: str
    emergency: bool

    @property
    def name(self) -> str:
        return self.question.id


@dataclass
class WordsAnswers:
    """What the words screen said: answers by key, 'not sure' keys, and problems by key."""

    confirmed: dict[str, bool] = field(default_factory=dict)
    unsure: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    emergency: bool = False  # an emergency sign was answered yes or not sure


def words_questions(rb: Rulebook, asked: list[tuple[str, str]]) -> list[WordsQuestion]:
    return [WordsQuestion(rb.question_by_id[k], q, rb.is_emergency_sign(k)) for k, q in asked]


def parse_words(questions: list[WordsQuestion], form: Any) -> WordsAnswers:
    """Read the answers in the order asked; the first emergency yes ends the reading, so the
    questions after it need no answer."""
    read = WordsAnswers()
    for item in questions:
        value = form.get(item.name)
        if value not in ANSWERS:
            read.errors[item.name] = _(REQUIRED)
            continue
        read.confirmed[item.name] = ANSWERS[value]
        if value == "unsure":
            read.unsure.append(item.name)
        if ANSWERS[value] and item.emergency:
            read.emergency, read.errors = True, {}
            return read
    return read


def render_words(
    request: Request,
    questions: list[WordsQuestion],
    text: str,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> Response:
    from backwalk.web.state import get_state

    state = get_state(request)
    return state.pages.render(
        request,
        "words.html",
        status_code=422 if errors else 200,
        questions=questions,
        text=text,
        values=values or {},
        errors=errors or {},
        notes=state.rb.notes,
        words_path=WORDS_PATH,
    )
