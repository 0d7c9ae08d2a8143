"""The JSON API: CONTRACT section 4 (`/api/assess`, `/api/checkin`) plus the diary.

Thin adapters: each route parses, calls the engine, the coach or the diary, and turns their
errors into HTTP answers. Bad input is always a 422 naming the field, never a 500.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from backwalk import __version__, coach, i18n, keepwell
from backwalk.diary import Diary
from backwalk.engine import checkin
from backwalk.errors import DiaryUnavailable
from backwalk.rules import default_rulebook
from backwalk.vocabulary import export_vocabulary
from backwalk.web import schemas, walking
from backwalk.web.errors import ApiError, parse_json_body
from backwalk.web.security import is_json_content_type
from backwalk.web.serialize import check_json, walk_json
from backwalk.web.state import get_state

router = APIRouter(prefix="/api")
log = logging.getLogger("backwalk.web")

WalkId = Annotated[int, Path(ge=1, le=2_147_483_647, description="the walk's id")]
CheckId = Annotated[int, Path(ge=1, le=2_147_483_647, description="the check's id")]
Limit = Annotated[int | None, Query(ge=0, le=100_000, description="only the most recent N")]
HEALTH_BODY = f'{{"status":"ok","version":"{__version__}"}}'.encode()

_RB = default_rulebook()


def _err(description: str, model: type = schemas.ErrorBody) -> dict[str, Any]:
    return {"model": model, "description": description}


Responses = dict[int | str, dict[str, Any]]
BAD_INPUT: Responses = {422: _err("Bad input: the field at fault and what is wrong with it")}
NOT_JSON: Responses = {415: _err("The request's Content-Type is not application/json")}
TOO_BIG: Responses = {413: _err("The body is larger than 64 KB")}
NOT_FOUND: Responses = {404: _err("No such walk or check")}
DIARY_DOWN: Responses = {503: _err("The diary could not be read or written")}
JSON_POST: Responses = {**BAD_INPUT, **NOT_JSON, **DIARY_DOWN}
TEXT_DOWN: Responses = {
    503: _err("The free text could not be read on this install (field `text`); nothing was saved")
}
_DIARY_OR_TEXT_DOWN: Responses = {
    503: _err("The diary could not be read or written, or the free text could not be read")
}


async def require_json(request: Request) -> None:
    """JSON API posts must be `application/json`, which a cross-site form cannot send, and
    strict JSON: a key repeated in any object is refused before a model reads the body (a
    model would keep the last value, and a red flag answered twice must never be dropped)."""
    if not is_json_content_type(request):
        raise ApiError(
            415, "send the body as JSON with Content-Type: application/json", field="content-type"
        )
    raw = await request.body()  # Starlette keeps it, so the route's model reads it again
    if raw.strip():
        parse_json_body(raw)


JSON_ONLY = [Depends(require_json)]


async def no_body_or_json(request: Request) -> None:
    """A DELETE needs no body (no HTML form can send one, and a cross-site script cannot
    without a CORS preflight the app never grants); one that comes with a body or a content
    type is held to the same rule as every post."""
    if request.headers.get("content-type") or (await request.body()).strip():
        await require_json(request)


BODYLESS_OR_JSON = [Depends(no_body_or_json)]


async def _json_body(request: Request) -> Any:
    return parse_json_body(await request.body())  # its size is limited for every route


def _json(data: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(data, status_code=status)


# ------------------------------------------------------------------------------------------
# Stateless: health, rules, assess, checkin
# ------------------------------------------------------------------------------------------


@router.get(
    "/health",
    tags=["service"],
    summary="Is the app up? (the cheapest endpoint)",
    response_model=None,
    responses={200: {"model": schemas.Health}},
)
async def health() -> Response:
    return Response(HEALTH_BODY, media_type="application/json")


@router.get(
    "/ready",
    tags=["service"],
    summary="Can the app serve people? (the diary answers a query)",
    description="For a load balancer or an orchestrator: 200 when the diary's database "
    "answers, 503 with the reason when it does not. `/api/health` only says the process is up.",
    response_model=None,
    responses={200: {"model": schemas.Health}, **DIARY_DOWN},
)
def ready(request: Request) -> Response:
    state = get_state(request)
    state.diary.ping()
    for check in state.readiness:
        try:
            check()
        except Exception as err:  # any failure of a store we need means "not ready"
            raise DiaryUnavailable(f"a store the app needs does not answer: {err}") from err
    return Response(HEALTH_BODY, media_type="application/json")


@router.get(
    "/rules",
    tags=["service"],
    summary="The rulebook's vocabulary as JSON",
    description="Questions, red flags, urgencies, advice and sources: "
    "the same data as `backwalk rules --json`.",
    response_model=None,
    responses={
        200: {
            "description": "The vocabulary",
            "content": {"application/json": {"schema": {"type": "object"}}},
        }
    },
)
async def rules(request: Request) -> Response:
    state = get_state(request)
    key = f"rules@{i18n.active()}"  # the words are the request's language's
    if key not in state.cache:
        state.cache[key] = export_vocabulary(state.rb)
    return _json(state.cache[key])


@router.post(
    "/assess",
    tags=["contract"],
    summary="Assess an answers object (CONTRACT section 1)",
    description="Takes the answers object, plus an optional `text` field with free text in "
    "the person's own words (CONTRACT section 3). Nothing is saved.",
    response_model=None,
    dependencies=JSON_ONLY,
    responses={200: {"model": schemas.Assessment}, **JSON_POST, **TOO_BIG, **TEXT_DOWN},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": schemas.answers_schema(_RB, with_text=True)}
            },
        }
    },
)
async def api_assess(request: Request) -> Response:
    body = await _json_body(request)
    if isinstance(body, dict) and isinstance(body.get("text"), str) and body["text"].strip():
        result = await run_in_threadpool(coach.assess_answers, body)  # the NLP stack is slow
    else:
        result = coach.assess_answers(body)
    return _json(result)


@router.post(
    "/checkin",
    tags=["contract"],
    summary="Continue or stop a walk (CONTRACT section 2)",
    description="A stateless in-walk check-in. Nothing is saved; see "
    "`POST /api/walks/{walk_id}/checkins` for a walk in the diary.",
    response_model=None,
    dependencies=JSON_ONLY,
    responses={200: {"model": schemas.CheckinResult}, **JSON_POST, **TOO_BIG},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": schemas.checkin_schema(_RB, in_walk=False)}},
        }
    },
)
async def api_checkin(request: Request) -> Response:
    return _json(checkin(await _json_body(request)))


# ------------------------------------------------------------------------------------------
# Checks in the diary
# ------------------------------------------------------------------------------------------


@router.post(
    "/checks",
    tags=["diary"],
    status_code=201,
    response_model=None,
    dependencies=JSON_ONLY,
    summary="Assess answers and save the check in the diary",
    description="Like the check screens: the walk length comes from the progression, and "
    "`unsure` lists yes/no questions answered 'not sure', which count as yes.",
    responses={201: {"model": schemas.CheckSaved}, **JSON_POST, **_DIARY_OR_TEXT_DOWN},
)
def create_check(request: Request, body: schemas.CheckIn) -> Response:
    state = get_state(request)
    text = body.text if body.text and body.text.strip() else None
    assessment, record, duplicate = coach.save_check(
        state.diary, body.answers, state.now(), text, body.unsure, body.client_id
    )
    body_json = {"check": check_json(record), "assessment": assessment}
    return _json(body_json, 200 if duplicate else 201)


@router.get(
    "/checks",
    tags=["diary"],
    summary="Checks, oldest first",
    response_model=None,
    responses={200: {"model": list[schemas.Check]}, **BAD_INPUT, **DIARY_DOWN},
)
def list_checks(request: Request, limit: Limit = None) -> Response:
    return _json([check_json(c) for c in get_state(request).diary.checks(limit=limit)])


@router.get(
    "/checks/{check_id}",
    tags=["diary"],
    summary="One check",
    response_model=None,
    responses={200: {"model": schemas.Check}, **NOT_FOUND, **BAD_INPUT, **DIARY_DOWN},
)
def get_check(request: Request, check_id: CheckId) -> Response:
    return _json(check_json(get_state(request).diary.get_check(check_id)))


@router.get(
    "/plan",
    tags=["diary"],
    summary="Where you stand: the latest decision, whether a walk may start, the next walk",
    description="`standing` is what every page leads with. `minutes` and `why` are the "
    "progression's proposal; `gate` says whether a walk may start now.",
    response_model=None,
    responses={200: {"model": schemas.Plan}, **DIARY_DOWN},
)
def plan(request: Request) -> Response:
    state = get_state(request)
    with state.reading():
        where = state.standing()
        proposal = where.proposal or coach.plan_next_walk(state.diary, state.now(), state.rb)
        well = state.keep_well()
    gate = where.gate
    return _json(
        {
            "standing": where.as_dict(),
            **keepwell.plan_fields(well, state.rb),
            "minutes": proposal.minutes,
            "why": proposal.why,
            "gate": {
                "allowed": gate.allowed,
                "why": gate.why,
                "reason": gate.refusal,
                "check_id": gate.check.id if gate.check else None,
                "planned_minutes": gate.planned_minutes,
            },
        }
    )


@router.post(
    "/seen",
    tags=["diary"],
    status_code=201,
    response_model=None,
    dependencies=JSON_ONLY,
    summary="Record that a clinician has seen the person",
    description="A warning sign keeps its advice for a day whatever later checks say, and no "
    'walk may start, until this is recorded ("I have been seen"). Send `{}`.',
    responses={201: {"model": schemas.SeenRecorded}, **JSON_POST},
)
def record_seen(request: Request, body: schemas.Seen) -> Response:
    state = get_state(request)
    visit = coach.record_seen(state.diary, state.now())
    standing = state.standing()
    return _json(
        {"visit": {"id": visit.id, "at": visit.at.isoformat()}, "standing": standing.as_dict()},
        201,
    )


# ------------------------------------------------------------------------------------------
# Walks
# ------------------------------------------------------------------------------------------


@router.get(
    "/walks",
    tags=["walks"],
    summary="Walks with their check-ins, oldest first",
    response_model=None,
    responses={200: {"model": list[schemas.Walk]}, **BAD_INPUT, **DIARY_DOWN},
)
def list_walks(request: Request, limit: Limit = None) -> Response:
    return _json([walk_json(w) for w in get_state(request).diary.walks(limit=limit)])


@router.post(
    "/walks",
    tags=["walks"],
    status_code=201,
    response_model=None,
    dependencies=JSON_ONLY,
    summary="Start a walk",
    description="Allowed when the latest check (from the last few hours) said walk gently and "
    "the pain now does not change that, and no other walk is in progress (one at a time, "
    "enforced by the database). Otherwise 409 with `why` and `reason` (`check_needed`, "
    "`walk_stopped`, `seek_care`, `seen`, `rest_first` or `walk_in_progress`).",
    responses={
        201: {"model": schemas.Walk},
        409: _err("The walk may not start; `why` says why", schemas.Refusal),
        **JSON_POST,
    },
)
def start_walk(request: Request, body: schemas.StartWalk) -> Response:
    state = get_state(request)
    walk = coach.start_walk(state.diary, state.now(), body.pain_before)
    return _json(walk_json(walk), 201)


@router.get(
    "/walks/active",
    tags=["walks"],
    summary="The walk in progress, if any",
    description=f"Walks not heard from for {coach.STALE_WALK_SECONDS // 60} minutes are closed "
    "as interrupted first.",
    response_model=None,
    responses={200: {"model": schemas.ActiveWalk}, **DIARY_DOWN},
)
def active_walk(request: Request) -> Response:
    walk = get_state(request).standing().active_walk
    return _json({"walk": walk_json(walk) if walk else None})


@router.get(
    "/walks/{walk_id}",
    tags=["walks"],
    summary="One walk with its check-ins",
    response_model=None,
    responses={200: {"model": schemas.Walk}, **NOT_FOUND, **BAD_INPUT, **DIARY_DOWN},
)
def get_walk(request: Request, walk_id: WalkId) -> Response:
    return _json(walk_json(get_state(request).diary.get_walk(walk_id)))


ENDED: Responses = {409: _err("The walk already ended; `walk` shows how", schemas.WalkEndedBody)}


@router.post(
    "/walks/{walk_id}/checkins",
    tags=["walks"],
    status_code=201,
    response_model=None,
    dependencies=JSON_ONLY,
    summary="Check in during a walk",
    description="Records the check-in and, when a stop rule fires, ends the walk. Send a "
    "`client_id` to make retries safe: a repeat is stored once and answers 200.",
    responses={
        201: {"model": schemas.WalkCheckinAnswer, "description": "Stored"},
        200: {
            "model": schemas.WalkCheckinAnswer,
            "description": "Already stored under this client_id",
        },
        **NOT_FOUND,
        **ENDED,
        **JSON_POST,
        **TOO_BIG,
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": schemas.checkin_schema(_RB, in_walk=True)}},
        }
    },
)
async def walk_checkin(request: Request, walk_id: WalkId) -> Response:
    state = get_state(request)
    report, elapsed, client_id = walking.split_checkin_body(await _json_body(request))
    outcome = await run_in_threadpool(
        coach.record_checkin, state.diary, walk_id, state.now(), elapsed, report, client_id
    )
    return _json(
        {"result": outcome.result, "walk": walk_json(outcome.walk), "duplicate": outcome.duplicate},
        200 if outcome.duplicate else 201,
    )


@router.post(
    "/walks/{walk_id}/heartbeat",
    tags=["walks"],
    response_model=None,
    dependencies=JSON_ONLY,
    summary="The walk is still going",
    description="Sent now and then by the walk page, so a walk whose page was closed can be "
    "told apart from one still going.",
    responses={200: {"model": schemas.Walk}, **NOT_FOUND, **ENDED, **JSON_POST},
)
def walk_heartbeat(request: Request, walk_id: WalkId, body: schemas.Heartbeat) -> Response:
    walk = coach.heartbeat(get_state(request).diary, walk_id, body.elapsed_seconds)
    return _json(walk_json(walk))


@router.post(
    "/walks/{walk_id}/finish",
    tags=["walks"],
    response_model=None,
    dependencies=JSON_ONLY,
    summary="End a walk: completed (time is up) or interrupted (ended early)",
    responses={200: {"model": schemas.Walk}, **NOT_FOUND, **ENDED, **JSON_POST},
)
def finish_walk(request: Request, walk_id: WalkId, body: schemas.FinishWalk) -> Response:
    state = get_state(request)
    walk = coach.finish_walk(
        state.diary, walk_id, state.now(), body.status, body.elapsed_seconds, body.pain_after
    )
    return _json(walk_json(walk))


# ------------------------------------------------------------------------------------------
# The whole diary
# ------------------------------------------------------------------------------------------

EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "fhir": "application/fhir+json",
}
EXPORT_SUFFIXES = {"csv": "csv", "json": "json", "fhir": "fhir.json"}


@router.get(
    "/export",
    tags=["diary"],
    summary="Download the whole diary as CSV (for people), JSON (everything) or FHIR R4",
    description="`format=fhir` gives a FHIR R4 Bundle (type collection): see docs/fhir.md.",
    response_model=None,
    responses={
        200: {
            "description": "The diary as a file download",
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                "application/json": {"schema": {"type": "object"}},
                "application/fhir+json": {"schema": {"type": "object"}},
            },
        },
        **BAD_INPUT,
        **DIARY_DOWN,
    },
)
def export(
    request: Request,
    fmt: Annotated[Literal["csv", "json", "fhir"], Query(alias="format")] = "csv",
) -> Response:
    state = get_state(request)
    return export_response(state.diary, state.now(), fmt)


def export_response(
    diary: Diary, now: datetime, fmt: str, name: str = "backwalk-diary"
) -> Response:
    """The diary as a download: the one export for the person's own and a clinician's view."""
    if fmt == "fhir":
        from backwalk.fhir import export_bundle  # loads the FHIR models: only when asked

        body = export_bundle(diary, now)
    else:
        body = coach.export(diary, fmt, now)
    filename = f"{name}-{now.astimezone():%Y-%m-%d}.{EXPORT_SUFFIXES[fmt]}"
    return Response(
        body,
        media_type=EXPORT_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.delete(
    "/diary",
    tags=["diary"],
    summary="Delete everything in the diary",
    response_model=None,
    dependencies=BODYLESS_OR_JSON,
    responses={200: {"model": schemas.Forgotten}, **DIARY_DOWN},
)
def forget(request: Request) -> Response:
    return _json({"deleted": coach.forget(get_state(request).diary)})
