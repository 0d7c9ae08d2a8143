"""The guided walk page, its plain-form fallbacks, and the summary of a finished walk.

With JavaScript the page runs the timer, cues and check-ins itself (static/js/walk.js) over the
JSON API. Without it, the same forms post here: start, check in, finish.
"""

from __future__ import annotations

import contextlib
import uuid
from typing import Any

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from backwalk import coach
from backwalk.diary import WalkRecord, WalkStatus
from backwalk.engine import sharp_can_change_checkin
from backwalk.errors import InputError, NotFound, WalkAlreadyEnded, WalkInProgress, WalkRefused
from backwalk.i18n import N_
from backwalk.i18n import gettext as _
from backwalk.validation import PAIN_MAX, PAIN_MIN
from backwalk.web import walking
from backwalk.web.pages_common import error_page, see_other, verified_form
from backwalk.web.state import WebState, get_state
from backwalk.web.templating import FRESH_ID_MARKER
from backwalk.web.views import walk_outcome, walk_page_view

router = APIRouter(include_in_schema=False)

MAX_ID = 2_147_483_647


def _walk_id(raw: str) -> int | None:
    return int(raw) if raw.isascii() and raw.isdigit() and 0 < int(raw) <= MAX_ID else None


async def _walk_form(
    request: Request, walk_id: str
) -> tuple[WebState, FormData, WalkRecord | None]:
    """A form post about one walk: the CSRF-checked form and the walk (None answers 404)."""
    state = get_state(request)
    form = await verified_form(request)
    return state, form, await _find_walk(state, walk_id)


async def _find_walk(state: WebState, raw_id: str) -> WalkRecord | None:
    """The walk a URL names, or None when the id is malformed or unknown (the page answers 404).

    Only "not found" becomes None: a diary outage still answers 503."""
    wid = _walk_id(raw_id)
    if wid is None:
        return None
    try:
        return await run_in_threadpool(state.diary.get_walk, wid)
    except NotFound:
        return None


@router.get("/walk")
async def walk_page(request: Request) -> Response:
    state = get_state(request)
    checked = request.query_params.get("checked") == "continue"
    name = f"walk checked={checked}"
    html = state.peek(name) or await run_in_threadpool(
        state.reuse, name, lambda: _walk_html(state, checked)
    )
    return state.pages.send(request, html)


def _walk_html(state: WebState, checked: bool) -> str:
    view = walk_page_view(state)
    walk = view["walk"]
    return state.pages.page(
        "/walk",
        "walk.html",
        errors={},
        notice=state.rb.checkin_action("continue") if checked else None,
        walk_data=walk_client_data(state, walk),
        client_id=FRESH_ID_MARKER,
        **view,
    )


def _render_walk(
    request: Request, view: dict[str, Any], status: int = 200, **extra: Any
) -> Response:
    state = get_state(request)
    view.setdefault("notice", _notice(request, state))
    context = {"errors": {}, **view, **extra}
    return state.pages.render(
        request,
        "walk.html",
        status_code=status,
        walk_data=walk_client_data(state, view["walk"]),
        client_id=uuid.uuid4().hex,
        **context,
    )


def _notice(request: Request, state: WebState) -> Any:
    """After a plain-form check-in that said carry on, show that answer once."""
    if request.query_params.get("checked") == "continue":
        return state.rb.checkin_action("continue")
    return None


def walk_client_data(state: WebState, walk: WalkRecord | None) -> dict[str, Any]:
    """What walk.js needs, embedded in the page as JSON (no inline script runs); the rules it
    decides by come from engine.js."""
    data: dict[str, Any] = {
        "checkin_every_seconds": state.rb.progression.checkin_every_minutes * 60,
        "walk": None,
    }
    if walk is not None:
        data["walk"] = {
            "id": walk.id,
            "planned_minutes": walk.planned_minutes,
            "pain_before": walk.pain_before,
            "elapsed_seconds": walk.elapsed_seconds,
            "status": str(walk.status),
            "checkins": len(walk.checkins),
        }
    return data


@router.post("/walk/start")
async def start_walk(request: Request) -> Response:
    state = get_state(request)
    form = await verified_form(request)
    pain = _pain(form, "pain_before")
    if pain is None:
        return await _walk_error(request, {"pain_before": _pain_message()})
    try:
        await run_in_threadpool(coach.start_walk, state.diary, state.now(), pain)
    except WalkInProgress:
        return see_other("/walk")  # a second tap, or another tab: show the walk that is going
    except WalkRefused as refused:
        return await _walk_error(request, {"gate": refused.why}, status=409)
    return see_other("/walk")


async def _walk_error(request: Request, errors: dict[str, str], status: int = 422) -> Response:
    state = get_state(request)
    view = await run_in_threadpool(walk_page_view, state)
    return _render_walk(request, view, status, errors=errors)


def _pain(form: FormData, name: str) -> int | None:
    raw = form.get(name)
    text = raw.strip() if isinstance(raw, str) else ""
    if text.isascii() and text.isdigit() and len(text) <= 2 and PAIN_MIN <= int(text) <= PAIN_MAX:
        return int(text)
    return None


SHARP_REQUIRED = N_("Choose Yes or No: is the pain sharp or shooting?")


def _pain_message() -> str:
    return _("Choose a number from {least} to {most}.").format(least=PAIN_MIN, most=PAIN_MAX)


@router.post("/walk/{walk_id}/checkin")
async def checkin_form(request: Request, walk_id: str) -> Response:
    state, form, walk = await _walk_form(request, walk_id)
    if walk is None:
        return error_page(request, 404)
    pain = _pain(form, "current_pain")
    if pain is None:
        return await _walk_error(request, {"current_pain": _pain_message()})
    sharp_matters = sharp_can_change_checkin(walk.pain_before, pain)
    if sharp_matters and form.get("sharp") not in ("yes", "no"):  # never chosen for them
        return await _walk_error(request, {"sharp": _(SHARP_REQUIRED)})
    report: dict[str, Any] = {"current_pain": pain, "sharp_or_shooting": form.get("sharp") == "yes"}
    for key in _sign_keys(state):  # the engine decides what each sign means
        if form.get(key) == "yes":
            report[key] = True
    client_id = str(form.get("client_id") or "")[:100] or None
    try:
        outcome = await run_in_threadpool(
            coach.record_checkin,
            state.diary,
            walk.id,
            state.now(),
            walking.elapsed_by_server_clock(state, walk),
            report,
            client_id,
        )
    except WalkAlreadyEnded:
        return see_other(f"/walks/{walk.id}")
    except InputError as err:
        return await _walk_error(request, {err.field: err.message})
    if outcome.result["action"] == "continue":
        return see_other("/walk?checked=continue")
    urgency = outcome.result.get("urgency")
    return see_other(f"/walks/{walk.id}" + (f"?urgency={urgency}" if urgency else ""))


def _sign_keys(state: WebState) -> list[str]:
    """Every warning-sign key a check-in accepts: the walk signs the form asks about, the other
    red flags and the older names (aliases) a form from before an update may still send."""
    flags = [f.id for f in state.rb.red_flags]
    return flags + [alias for alias, target in state.rb.aliases.items() if target in flags]


@router.post("/walk/{walk_id}/finish")
async def finish_form(request: Request, walk_id: str) -> Response:
    state, form, walk = await _walk_form(request, walk_id)
    if walk is None:
        return error_page(request, 404)
    status = WalkStatus.COMPLETED if form.get("status") == "completed" else WalkStatus.INTERRUPTED
    with contextlib.suppress(WalkAlreadyEnded):  # a second tap on the button: already done
        await run_in_threadpool(
            coach.finish_walk,
            state.diary,
            walk.id,
            state.now(),
            status,
            walking.elapsed_by_server_clock(state, walk),
            _pain(form, "pain_after"),
        )
    return see_other(f"/walks/{walk.id}")


@router.get("/walks/{walk_id}")
async def walk_summary(request: Request, walk_id: str) -> Response:
    state = get_state(request)
    walk = await _find_walk(state, walk_id)
    if walk is None:
        return error_page(request, 404)
    if not walk.status.is_final:
        return see_other("/walk")
    view = await run_in_threadpool(walk_outcome, state, walk)
    flashed = request.query_params.get("urgency")
    ranks = {u.id: i for i, u in enumerate(state.rb.urgencies)}
    if flashed in ranks and (view["urgency"] is None or ranks[flashed] < ranks[view["urgency"].id]):
        view["urgency"] = state.rb.urgency(flashed)
    return state.pages.render(request, "walk_summary.html", **view)
