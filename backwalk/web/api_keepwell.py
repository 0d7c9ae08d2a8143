"""The JSON API for keeping well: back to normal, the programme, walks logged by hand, the
monthly recurrence question and medicines. Thin adapters over `backwalk.keepwell`: JSON bodies
only (415 otherwise), 422 naming the field for bad input, and nothing changes on an error.
In hosted mode `get_state` is the signed-in person's, so each route reads and writes only
their own diary (and row-level security stands behind it)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from backwalk import keepwell
from backwalk.web import schemas
from backwalk.web.api import JSON_ONLY, JSON_POST
from backwalk.web.state import WebState, get_state

router = APIRouter(prefix="/api")
CREATED = {201: {"model": schemas.KeepWellBody}, **JSON_POST}


def _answer(state: WebState, record: dict[str, Any], name: str) -> Response:
    well = keepwell.keep_well(state.diary, state.now(), state.rb)
    return JSONResponse(
        {
            name: record,
            "phase": well.phase,
            "standing": state.standing().as_dict(),
            "programme": well.programme_dict(state.rb),
            "paused_programme": well.paused_dict(state.rb),
        },
        status_code=201,
    )


@router.post(
    "/recovered",
    tags=["keeping well"],
    status_code=201,
    response_model=None,
    dependencies=JSON_ONLY,
    summary="Say the back is back to normal: keeping well starts",
    description="Send `{}`. 422 when a warning sign still stands or the person is already "
    "past the spasm.",
    responses=CREATED,
)
def recovered(request: Request, body: schemas.Recovered) -> Response:
    state = get_state(request)
    record = keepwell.confirm_recovery(state.diary, state.now(), state.rb)
    return _answer(state, {"id": record.id, "at": record.at.isoformat()}, "recovery")


@router.post(
    "/programme",
    tags=["keeping well"],
    status_code=201,
    response_model=None,
    dependencies=JSON_ONLY,
    summary="Start or change the walking programme",
    description='`{"days": ["mon", "wed", "fri"], "minutes_per_walk": 10}`: 3 to 5 days; a '
    "first plan starts at 5 to 20 minutes, a change adds at most one week's increase.",
    responses=CREATED,
)
def programme(request: Request, body: schemas.ProgrammeIn) -> Response:
    state = get_state(request)
    saved = keepwell.set_programme(
        state.diary, state.now(), body.days, body.minutes_per_walk, state.rb
    )
    record = {"id": saved.id, "at": saved.at.isoformat(), "days": list(saved.days)}
    return _answer(state, {**record, "minutes_per_walk": saved.minutes_per_walk}, "settings")


@router.post(
    "/activity",
    tags=["keeping well"],
    status_code=201,
    response_model=None,
    dependencies=JSON_ONLY,
    summary="Log a walk done without backwalk",
    description='`{"date": "2027-01-20", "minutes": 25}`; no date means today. Not in the '
    "future, not more than a year back, 1 to 600 minutes.",
    responses=CREATED,
)
def activity(request: Request, body: schemas.ActivityIn) -> Response:
    state = get_state(request)
    day = keepwell.parse_day("date", body.date) if body.date is not None else None
    log = keepwell.log_walk(state.diary, state.now(), body.minutes, day)
    record = {"id": log.id, "date": log.walked_on.isoformat(), "minutes": log.minutes}
    return _answer(state, record, "walk")


@router.post(
    "/recurrence",
    tags=["keeping well"],
    status_code=201,
    response_model=None,
    dependencies=JSON_ONLY,
    summary="Answer the monthly question (only when it is due)",
    description='`{"limited_activity": true}` opens a new episode (the phase is acute again). '
    "422 when no question is due.",
    responses=CREATED,
)
def recurrence(request: Request, body: schemas.RecurrenceIn) -> Response:
    state = get_state(request)
    answer = keepwell.answer_recurrence(state.diary, state.now(), body.limited_activity, state.rb)
    record = {
        "id": answer.id,
        "at": answer.at.isoformat(),
        "since": answer.since.isoformat(),
        "limited_activity": answer.limited_activity,
    }
    return _answer(state, record, "answer")


@router.post(
    "/medicines",
    tags=["keeping well"],
    status_code=201,
    response_model=None,
    dependencies=JSON_ONLY,
    summary="Log a medicine taken for the pain",
    description='`{"name": "ibuprofen", "dose": "400 mg", "taken_at": "2027-01-20T08:30:00Z"}`'
    "; no taken_at means now. Not in the future.",
    responses=CREATED,
)
def medicines(request: Request, body: schemas.MedicineIn) -> Response:
    state = get_state(request)
    taken = keepwell.parse_moment("taken_at", body.taken_at) if body.taken_at else None
    med = keepwell.log_medicine(state.diary, state.now(), body.name, body.dose, taken)
    record = {
        "id": med.id,
        "name": med.name,
        "dose": med.dose,
        "taken_at": med.taken_at.isoformat(),
    }
    return _answer(state, record, "medicine")
