"""Keeping well on the web: the programme page and its forms, and the plan as a calendar file.

Each form posts to the same use case as the JSON API and the terminal (`backwalk.keepwell`);
a bad value shows the page again with the problem in the rulebook's plain words beside it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from backwalk import keepwell
from backwalk.errors import InputError
from backwalk.i18n import gettext as _
from backwalk.rules import WEEKDAYS
from backwalk.web.pages_common import see_other, verified_form, weeks_view
from backwalk.web.state import WebState, get_state

router = APIRouter(include_in_schema=False)
PAGE = "/keepwell"
WEEKS_SHOWN = 12  # a quarter: the weeks the plan builds up over (history has six months)


@router.get("/plan.ics")
async def plan_ics(request: Request) -> Response:
    """The walking days for the person's calendar (empty until there is a plan)."""
    from backwalk.planics import plan_calendar  # loads icalendar: only when asked

    state = get_state(request)
    well = await run_in_threadpool(state.keep_well)
    body = plan_calendar(well, state.now(), state.rb)
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="backwalk-walking-plan.ics"'},
    )


@router.get(PAGE)
async def keepwell_page(request: Request) -> Response:
    state = get_state(request)
    return await _render(request, state)


async def _render(
    request: Request,
    state: WebState,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    status: int = 200,
) -> Response:
    well, standing, weeks = await run_in_threadpool(_read, state)
    return state.pages.render(
        request,
        "keepwell.html",
        status_code=status,
        standing=standing,
        well=well,
        weekdays=WEEKDAYS,
        errors=errors or {},
        values=values or {},
        recurrence_question=well.question(state.rb),
        change=keepwell.plan_change(well.programme, state.rb) if well.programme else None,
        paused=keepwell.paused_text(well, state.rb),
        recovered_line=keepwell.recovery_text(well, state.rb),
        plan_line=keepwell.plan_line(well, state.rb),
        **weeks_view(weeks, state),
    )


def _read(state: WebState) -> tuple[keepwell.KeepWell, Any, Any]:
    with state.reading():
        well = state.keep_well()
        weeks = keepwell.weekly_minutes(state.diary, state.now(), WEEKS_SHOWN, state.rb, well)
        return well, state.standing(), weeks


async def _post(request: Request, act: Callable[[WebState, Any], object], anchor: str) -> Response:
    state = get_state(request)
    form = await verified_form(request)
    try:
        await run_in_threadpool(act, state, form)
    except InputError as err:
        values = {k: v for k, v in form.multi_items() if isinstance(v, str)}
        return await _render(request, state, {err.field: err.message}, values, status=422)
    return see_other(f"{PAGE}#{anchor}")


def _whole(field: str, text: object) -> int:
    if not isinstance(text, str) or not text.strip().lstrip("-").isdigit():
        raise InputError(field, _("write a whole number of minutes, such as 20"))
    return int(text.strip())


@router.post(f"{PAGE}/recovered")
async def recovered(request: Request) -> Response:
    return await _post(
        request, lambda s, form: keepwell.confirm_recovery(s.diary, s.now(), s.rb), "plan-title"
    )


@router.post(f"{PAGE}/programme")
async def programme(request: Request) -> Response:
    def act(s: WebState, form: Any) -> object:
        days = [d for d in form.getlist("days") if isinstance(d, str)]
        minutes = _whole("minutes_per_walk", form.get("minutes_per_walk"))
        return keepwell.set_programme(s.diary, s.now(), days, minutes, s.rb)

    return await _post(request, act, "week-title")


@router.post(f"{PAGE}/walk")
async def log_walk(request: Request) -> Response:
    def act(s: WebState, form: Any) -> object:
        minutes = _whole("minutes", form.get("minutes"))
        day = form.get("date")
        on = keepwell.parse_day("date", day) if isinstance(day, str) and day else None
        return keepwell.log_walk(s.diary, s.now(), minutes, on)

    return await _post(request, act, "week-title")


@router.post(f"{PAGE}/recurrence")
async def recurrence(request: Request) -> Response:
    def act(s: WebState, form: Any) -> object:
        answer = form.get("limited_activity")
        if answer not in ("yes", "no"):
            raise InputError("limited_activity", _("choose yes or no"))
        return keepwell.answer_recurrence(s.diary, s.now(), answer == "yes", s.rb)

    state = get_state(request)
    response = await _post(request, act, "phase-title")
    if response.status_code == 303 and state.keep_well().phase == "acute":
        return see_other("/")  # a new episode: home leads to a check
    return response


@router.post(f"{PAGE}/medicine")
async def medicine(request: Request) -> Response:
    def act(s: WebState, form: Any) -> object:
        taken = form.get("taken_at")
        when = None
        if isinstance(taken, str) and taken:
            when = keepwell.parse_moment("taken_at", _with_zone(taken, s))
        return keepwell.log_medicine(
            s.diary, s.now(), form.get("name", ""), form.get("dose", ""), when
        )

    return await _post(request, act, "medicine-title")


def _with_zone(text: str, state: WebState) -> str:
    """A browser's datetime-local field has no zone: it is the person's local time."""
    if "+" in text[10:] or text.endswith("Z") or "-" in text[10:]:
        return text
    offset = state.now().astimezone().strftime("%z")
    return f"{text}{offset[:3]}:{offset[3:]}"
