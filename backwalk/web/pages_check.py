"""Home, the check (at most three screens of plain forms, post-redirect-get) and the result page.

Answers travel between screens in a signed, short-lived cookie, so the check works without
JavaScript and nothing about the person's health sits in a URL. Every decision is the engine's,
and when the check may stop early is checkflow's: a warning sign on a checklist screen goes
straight to the saved result, so an emergency sign costs one screen.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter
from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from backwalk import coach, keepwell
from backwalk.checkflow import stops_after
from backwalk.diary import CheckRecord
from backwalk.errors import InputError, NotFound, TextUnreadable
from backwalk.i18n import N_
from backwalk.i18n import gettext as _
from backwalk.web.forms import (
    NONE_BUTTON,
    TEXT_FIELD,
    ParsedStep,
    Step,
    missing_message,
    parse_step,
    selected,
)
from backwalk.web.pages_common import error_page, see_other, verified_form
from backwalk.web.pages_still import (
    STILL_PATH,
    STILL_STEP,
    read_still,
    render_still,
    still_questions,
)
from backwalk.web.pages_words import (
    WORDS_PATH,
    parse_words,
    render_words,
    words_questions,
)
from backwalk.web.state import WebState, get_state
from backwalk.web.views import result_view

router = APIRouter(include_in_schema=False)
log = logging.getLogger("backwalk.web")

DRAFT_COOKIE = "bw_check"
DRAFT_MAX_AGE = 60 * 60  # an abandoned check is forgotten after an hour
NLP_UNAVAILABLE = N_(
    "backwalk cannot read free text on this computer right now. Clear the box to carry on; "
    "if you wrote about a new symptom, answer the questions above or talk to a clinician."
)


@dataclass
class Draft:
    """The answers so far, kept between the screens."""

    answers: dict[str, Any]
    unsure: list[str]
    done: list[str]
    confirmed: dict[str, bool] = field(default_factory=dict)  # answers about their own words
    settled: list[str] = field(default_factory=list)  # answered No on the still-so screen
    # One id per check, from its first screen's form: a screen sent twice (a double tap, a
    # tick while the first send is on its way) saves one check, not two.
    client_id: str = ""


def _serializer(state: WebState) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(state.secret, salt="backwalk.check-draft")


def read_draft(request: Request) -> Draft:
    raw = request.cookies.get(DRAFT_COOKIE)
    if raw:
        try:
            data = _serializer(get_state(request)).loads(raw, max_age=DRAFT_MAX_AGE)
            confirmed = {str(k): v is True for k, v in dict(data.get("confirmed", {})).items()}
            settled = [str(k) for k in list(data.get("settled", []))]
            answers, unsure, done = dict(data["answers"]), list(data["unsure"]), list(data["done"])
            client_id = _client_id(data.get("client_id"))
            return Draft(answers, unsure, done, confirmed, settled, client_id)
        except (BadSignature, KeyError, TypeError, ValueError):
            pass
    return Draft({}, [], [])


CLIENT_ID = re.compile(r"[0-9a-f]{32}")


def _client_id(raw: object) -> str:
    """A check's id from its form or draft: the 32 hex digits the page made, else none."""
    return raw if isinstance(raw, str) and CLIENT_ID.fullmatch(raw) else ""


def _save_draft(request: Request, response: Response, draft: Draft) -> Response:
    value = _serializer(get_state(request)).dumps(
        {
            "answers": draft.answers,
            "unsure": draft.unsure,
            "done": draft.done,
            "confirmed": draft.confirmed,
            "settled": draft.settled,
            "client_id": draft.client_id,
        }
    )
    response.set_cookie(
        DRAFT_COOKIE, value, max_age=DRAFT_MAX_AGE, path="/check", httponly=True, samesite="lax"
    )
    return response


def _clear_draft(response: Response) -> Response:
    response.delete_cookie(DRAFT_COOKIE, path="/check", httponly=True, samesite="lax")
    return response


# ------------------------------------------------------------------------------------------
# Home
# ------------------------------------------------------------------------------------------


@router.get("/")
async def home(request: Request) -> Response:
    state = get_state(request)
    html = state.peek("home") or await run_in_threadpool(state.reuse, "home", _home_page(state))
    return state.pages.send(request, html)


def _home_page(state: WebState) -> Callable[[], str]:
    def page() -> str:
        well = state.keep_well()
        paused = keepwell.paused_text(well, state.rb)
        return state.pages.page(
            "/", "home.html", standing=state.standing(), well=well, paused=paused
        )

    return page


# ------------------------------------------------------------------------------------------
# The check
# ------------------------------------------------------------------------------------------


@router.get("/check")
async def check_first(request: Request) -> Response:
    draft = Draft({}, [], []) if request.query_params.get("new") else read_draft(request)
    if STILL_STEP not in draft.done:
        warning, questions = await run_in_threadpool(still_questions, request)
        if warning is not None and questions:
            return _clear_draft(render_still(request, warning, questions))
    return _show_step(request, get_state(request).steps[0].slug)


@router.get(STILL_PATH)
async def still_page(request: Request) -> Response:
    return see_other("/check")  # the screen lives at /check while a warning stands


@router.post(STILL_PATH)
async def post_still(request: Request) -> Response:
    """Is each sign of the standing warning still so? A yes (or not sure) decides at once, as
    on the checklists; all no and the check goes on. The advice stands either way."""
    form = await verified_form(request)  # first: a body too big or a bad token ends it here
    warning, questions = await run_in_threadpool(still_questions, request)
    if warning is None or not questions:
        return see_other("/check")
    read, values = read_still(form, questions)
    if read.errors:
        return render_still(request, warning, questions, values, read.errors)
    draft = read_draft(request)
    draft.answers.update(read.confirmed)
    draft.unsure = [u for u in draft.unsure if u not in read.confirmed] + read.unsure
    draft.done = [d for d in draft.done if d != STILL_STEP] + [STILL_STEP]
    if any(read.confirmed.values()):
        return await _finish(request, get_state(request).steps[0], draft, ParsedStep())
    draft.settled = list(read.confirmed)  # all No: not asked again on the checklists
    return _save_draft(request, see_other("/check"), draft)


@router.get("/seen")
async def seen_page(request: Request) -> Response:
    """Asks before a standing warning ends, so a mis-tap cannot lift it; none: back home."""
    state = get_state(request)
    where = await run_in_threadpool(state.standing)
    if where.warning is None:
        return see_other("/")
    signs = where.warning.signs(state.rb)
    return state.pages.render(request, "seen.html", signs=signs)


@router.post("/seen")
async def post_seen(request: Request) -> Response:
    """ "I have been seen by a clinician": a standing warning ends here."""
    state = get_state(request)
    await verified_form(request)
    await run_in_threadpool(coach.record_seen, state.diary, state.now())
    return see_other("/")


@router.get(WORDS_PATH)
async def words_page(request: Request) -> Response:
    return see_other("/check")  # the words screen only follows a sent text


@router.post(WORDS_PATH)
async def post_words(request: Request) -> Response:
    state = get_state(request)
    form = await verified_form(request)
    draft = read_draft(request)
    text = form.get(TEXT_FIELD)
    if not isinstance(text, str) or not text.strip():
        return see_other("/check")
    try:
        asked = await run_in_threadpool(
            coach.words_to_confirm, text, draft.confirmed, said_yes(draft.answers)
        )
    except TextUnreadable:
        return see_other("/check")
    questions = words_questions(state.rb, asked)
    read = parse_words(questions, form)
    if read.errors:
        values = {q.name: str(form.get(q.name) or "") for q in questions}
        return render_words(request, questions, text, values, read.errors)
    draft.confirmed.update(read.confirmed)
    draft.unsure = [u for u in draft.unsure if u not in read.confirmed] + read.unsure
    last = state.steps[-1]
    if not read.emergency and _first_missing_step(state, last, draft) is not None:
        return _save_draft(request, see_other("/check"), draft)
    return await _finish(request, last, draft, ParsedStep(text=text))


@router.get("/check/{slug}")
async def check_later(request: Request, slug: str) -> Response:
    if _later_step(request, slug) is None:
        return error_page(request, 404)
    return _show_step(request, slug)


@router.post("/check")
async def post_first(request: Request) -> Response:
    return await _post_step(request, get_state(request).steps[0].slug)


@router.post("/check/{slug}")
async def post_later(request: Request, slug: str) -> Response:
    if _later_step(request, slug) is None:
        return error_page(request, 404)
    return await _post_step(request, slug)


def _later_step(request: Request, slug: str) -> Step | None:
    """A screen after the first, by its rulebook id (the first one lives at /check)."""
    return next((s for s in get_state(request).steps[1:] if s.slug == slug), None)


def _show_step(request: Request, slug: str) -> Response:
    state = get_state(request)
    step = state.step(slug)
    draft = read_draft(request)
    if request.query_params.get("new"):
        draft = Draft({}, [], [])
    missing = _first_missing_step(state, step, draft)
    if missing is not None:
        return see_other(missing.path)
    response = _render_step(request, step.without(draft.settled), draft, ParsedStep())
    return _clear_draft(response) if request.query_params.get("new") else response


def _first_missing_step(state: WebState, step: Step, draft: Draft) -> Step | None:
    """Screens must be done in order; jumping ahead leads back to the first one not done."""
    for earlier in state.steps[: step.number - 1]:
        if earlier.slug not in draft.done:
            return earlier
    return None


def _render_step(
    request: Request,
    step: Step,
    draft: Draft,
    parsed: ParsedStep,
    status: int = 200,
    text: str = "",
) -> Response:
    state = get_state(request)
    values = {f.name: selected(draft.answers, draft.unsure, f.name) for f in step.fields}
    for name in parsed.errors:  # show what was posted, not the older draft, next to an error
        values[name] = ""
    values.update({k: selected(parsed.answers, parsed.unsure, k) for k in parsed.answers})
    values.update({k: "unsure" for k in parsed.unsure})
    previous = state.steps[step.number - 2] if step.number > 1 else None
    return state.pages.render(
        request,
        "check.html",
        status_code=status,
        step=step,
        steps=state.steps,
        values=values,
        errors=parsed.errors,
        previous=previous,
        text=text,
        text_field=TEXT_FIELD,
        none_button=NONE_BUTTON,
        client_id=draft.client_id or uuid.uuid4().hex,  # rendered per request
    )


async def _post_step(request: Request, slug: str) -> Response:
    state = get_state(request)
    step = state.step(slug)
    form = await verified_form(request)
    draft = read_draft(request)
    missing = _first_missing_step(state, step, draft)
    if missing is not None:
        return see_other(missing.path)
    step = step.without(draft.settled)
    if not draft.client_id:
        draft.client_id = _client_id(form.get("client_id"))
    parsed = parse_step(step, form)
    if parsed.text and TEXT_FIELD not in parsed.errors:
        words = await _words_first(request, step, draft, parsed)
        if words is not None:
            return words
    if parsed.errors:
        return _render_step(request, step, draft, parsed, 422, parsed.text or "")
    draft = _merge(draft, step, parsed)
    if step.number == len(state.steps) or stops_after(state.rb, step.screen, parsed.yes):
        return await _finish(request, step, draft, parsed)
    following = state.steps[step.number]
    return _save_draft(request, see_other(following.path), draft)


async def _words_first(
    request: Request, step: Step, draft: Draft, parsed: ParsedStep
) -> Response | None:
    """Read the text as soon as it is sent (contract v3): its warning signs are asked about
    before anything else, and an emergency sign even before a missing pain score is an error.
    A pain word in the text can stand for the score, so a missing score waits for the engine."""
    state = get_state(request)
    try:
        told = said_yes({**draft.answers, **parsed.answers})
        asked = await run_in_threadpool(
            coach.words_to_confirm, parsed.text or "", draft.confirmed, told
        )
    except TextUnreadable:
        return None  # _finish says so and saves nothing
    questions = words_questions(state.rb, asked)
    if _only_pain_missing(parsed):
        parsed.errors.clear()
    if not questions or (parsed.errors and not any(q.emergency for q in questions)):
        return None
    merged = _merge(draft, step, parsed)
    return _save_draft(request, render_words(request, questions, parsed.text or ""), merged)


def said_yes(answers: dict[str, Any]) -> list[str]:
    """The questions this check already has a yes to: the words screen does not ask them."""
    return [name for name, value in answers.items() if value is True]


def _only_pain_missing(parsed: ParsedStep) -> bool:
    return set(parsed.errors) == {"pain_score"} and "pain_score" not in parsed.answers


def _merge(draft: Draft, step: Step, parsed: ParsedStep) -> Draft:
    names = {f.name for f in step.fields}
    answers = {k: v for k, v in draft.answers.items() if k not in names}
    unsure = [u for u in draft.unsure if u not in names]
    done = [d for d in draft.done if d != step.slug]
    merged = {**answers, **parsed.answers}
    done = [*done, step.slug]
    return Draft(
        merged,
        unsure + parsed.unsure,
        done,
        dict(draft.confirmed),
        list(draft.settled),
        draft.client_id,
    )


async def _finish(request: Request, step: Step, draft: Draft, parsed: ParsedStep) -> Response:
    state = get_state(request)
    try:
        _assessment, record = await run_in_threadpool(
            coach.run_check,
            state.diary,
            draft.answers,
            state.now(),
            parsed.text,
            draft.unsure,
            draft.confirmed,
            draft.client_id or None,
        )
    except InputError as err:
        field_ = err.field if err.field in _fields(step) else "form"
        parsed.errors[field_] = _missing_pain(step) if field_ == "pain_score" else err.message
        response = _render_step(request, step, draft, parsed, 422, parsed.text or "")
        return _save_draft(request, response, draft)  # keeps what the words were settled as
    except TextUnreadable:
        # Saving the check without reading the text could miss a warning sign in it, so say
        # so and save nothing.
        log.warning("the free text could not be read", exc_info=True)
        parsed.errors[TEXT_FIELD] = _(NLP_UNAVAILABLE)
        return _render_step(request, step, draft, parsed, 422, parsed.text or "")
    return _clear_draft(see_other(f"/result/{record.id}"))


def _missing_pain(step: Step) -> str:
    """The form's own words for a missing pain score: the text gave no number or pain word."""
    pain = next(f for f in step.fields if f.name == "pain_score")
    return missing_message(pain)


def _fields(step: Step) -> set[str]:
    return {f.name for f in step.fields} | ({TEXT_FIELD} if step.has_text else set())


# ------------------------------------------------------------------------------------------
# Result
# ------------------------------------------------------------------------------------------


@router.get("/result")
async def latest_result(request: Request) -> Response:
    state = get_state(request)
    latest = await run_in_threadpool(state.diary.latest_check)
    return see_other(f"/result/{latest.id}" if latest else "/check")


@router.get("/result/{check_id}")
async def result(request: Request, check_id: str) -> Response:
    state = get_state(request)
    check = await run_in_threadpool(_find_check, state, check_id)
    if check is None:
        return error_page(request, 404)
    view = await run_in_threadpool(result_view, state, check)
    return state.pages.render(request, "result.html", **view)


def _find_check(state: WebState, check_id: str) -> CheckRecord | None:
    """The check a URL names; None only when there is none (an outage still answers 503)."""
    if not (check_id.isascii() and check_id.isdigit()) or len(check_id) > 12:
        return None
    try:
        return state.diary.get_check(int(check_id))
    except NotFound:
        return None
