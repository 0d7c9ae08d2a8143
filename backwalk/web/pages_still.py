"""What a person told backwalk stays told: a standing warning in the web check.

While a warning sign from the last day stands (remembered.py), a new check first asks, on one
screen, whether each of its signs is still so (Yes / No / Not sure; nothing chosen to begin
with). A yes or a not sure decides at once, as on the checklists; a no lets the check go on. The
advice stands whatever the answers, until the person presses "I have been seen" (`POST /seen`).
"""

from __future__ import annotations

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from backwalk import coach
from backwalk.remembered import Remembered
from backwalk.web.pages_words import WordsAnswers, WordsQuestion, parse_words
from backwalk.web.state import get_state

STILL_PATH = "/check/still"
STILL_STEP = "still"  # marks the draft once the screen is answered


def still_questions(request: Request) -> tuple[Remembered | None, list[WordsQuestion]]:
    state = get_state(request)
    warning, keys = coach.still_to_ask(state.diary, state.now())
    rb = state.rb
    return warning, [WordsQuestion(rb.question_by_id[k], "", rb.is_emergency_sign(k)) for k in keys]


def render_still(
    request: Request,
    warning: Remembered,
    questions: list[WordsQuestion],
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> Response:
    state = get_state(request)
    when = coach.when_text(warning.at)
    prompts = {
        q.name: state.rb.notes.still_question.format(when=when, label=q.question.label)
        for q in questions
    }
    return state.pages.render(
        request,
        "still.html",
        status_code=422 if errors else 200,
        questions=questions,
        prompts=prompts,
        intro=state.rb.notes.still_intro.format(when=when),
        values=values or {},
        errors=errors or {},
        still_path=STILL_PATH,
    )


def read_still(
    form: FormData, questions: list[WordsQuestion]
) -> tuple[WordsAnswers, dict[str, str]]:
    """The answers, and what was posted (to show again beside an error)."""
    read = parse_words(questions, form)
    return read, {q.name: str(form.get(q.name) or "") for q in questions}
