"""The weekly outcome measures on the web: offered on the result page when a week has passed,
answered on one optional form, saved to the diary (the same rule and wording as the CLI)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from backwalk import coach
from backwalk.diary.measures import MAX_ACTIVITY_CHARS
from backwalk.i18n import N_
from backwalk.i18n import gettext as _
from backwalk.validation import is_utf8
from backwalk.web.pages_common import see_other, verified_form
from backwalk.web.state import WebState, get_state

router = APIRouter(include_in_schema=False)
SCORE_MIN, SCORE_MAX = 0, 10
NAME_PROBLEM = N_("Name the activity in {most} characters or fewer.")


@router.get("/weekly")
async def weekly_page(request: Request) -> Response:
    state = get_state(request)
    known = await run_in_threadpool(coach.activities_to_rate, state.diary)
    return _render(request, state, known, {}, {})


def _render(
    request: Request,
    state: WebState,
    known: tuple[str, ...],
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    slots = max(len(known), state.rb.outcomes.activities.max_activities)
    names = [*known, *[""] * (slots - len(known))][:slots]
    return state.pages.render(
        request,
        "weekly.html",
        status_code=status,
        names=names,
        known=known,
        values=values,
        errors=errors,
        check_id=request.query_params.get("check", "")[:12],
        change_options=[(str(o.value), o.label) for o in state.rb.outcomes.global_change.options],
    )


@router.post("/weekly")
async def save_weekly(request: Request) -> Response:
    state = get_state(request)
    form = await verified_form(request)
    known = await run_in_threadpool(coach.activities_to_rate, state.diary)
    activities, change, errors = read_weekly(form, state)
    if errors:
        values = {k: str(v) for k, v in form.items() if isinstance(v, str)}
        return _render(request, state, known, values, errors, status=422)
    if activities or change is not None:
        await run_in_threadpool(
            coach.record_weekly, state.diary, state.now(), activities, change, _check_id(form)
        )
    return see_other("/history#progress-title")


def read_weekly(
    form: FormData, state: WebState
) -> tuple[list[tuple[str, int]], int | None, dict[str, str]]:
    """The named activities with their scores, the overall change, and problems by field."""
    errors: dict[str, str] = {}
    activities: list[tuple[str, int]] = []
    for number in range(1, state.rb.outcomes.activities.max_activities + 1):
        name = _text(form.get(f"activity_{number}"))
        score = _text(form.get(f"score_{number}"))
        if not name and not score:
            continue
        if not name or len(name) > MAX_ACTIVITY_CHARS or not is_utf8(name) or "\x00" in name:
            errors[f"activity_{number}"] = _(NAME_PROBLEM).format(most=MAX_ACTIVITY_CHARS)
        elif not (score.isascii() and score.isdigit() and SCORE_MIN <= int(score) <= SCORE_MAX):
            message = _("Choose a number from {least} to {most}.")
            errors[f"score_{number}"] = message.format(least=SCORE_MIN, most=SCORE_MAX)
        elif name.casefold() not in {a.casefold() for a, _score in activities}:
            activities.append((name, int(score)))
    change = _change(form.get("global_change"), state, errors)
    return activities, change, errors


def _change(raw: Any, state: WebState, errors: dict[str, str]) -> int | None:
    text = _text(raw)
    if not text:
        return None
    allowed = {str(o.value): o.value for o in state.rb.outcomes.global_change.options}
    if text not in allowed:
        errors["global_change"] = _("Choose one of the answers.")
        return None
    return allowed[text]


def _text(raw: Any) -> str:
    return " ".join(raw.split()) if isinstance(raw, str) else ""


def _check_id(form: FormData) -> int | None:
    raw = _text(form.get("check_id"))
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 12 else None
