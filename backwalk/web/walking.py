"""The walk use cases as the web needs them: the coach's functions, made safe to retry.

A phone on a bad connection sends the same check-in twice, or sends it after the walk has been
finished by an earlier one. Everything here is idempotent per `client_id` and reports plainly
when a walk is missing or already over; the decisions themselves are the coach's and engine's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from backwalk import validation
from backwalk.coach import begin_walk, complete_walk, interrupt_walk, walk_checkin, walk_gate
from backwalk.diary import DiaryError, WalkRecord
from backwalk.engine import checkin
from backwalk.errors import InputError
from backwalk.web.state import WebState

MAX_ELAPSED_SECONDS = 24 * 60 * 60
CHECKIN_EXTRA_FIELDS = ("client_id", "elapsed_seconds")
FINISH_STATUSES = ("completed", "interrupted")


class WalkMissing(Exception):
    """There is no walk with that id."""


class WalkEnded(Exception):
    """The walk is already over, so it cannot take more check-ins or be finished again."""

    def __init__(self, walk: WalkRecord) -> None:
        super().__init__(f"walk {walk.id} already ended ({walk.status})")
        self.walk = walk


class WalkRefused(Exception):
    """The gate said no (or another walk is in progress); `why` says so in plain words."""

    def __init__(self, why: str, active: WalkRecord | None = None) -> None:
        super().__init__(why)
        self.why = why
        self.active = active


@dataclass(frozen=True)
class CheckinOutcome:
    result: dict[str, Any]
    walk: WalkRecord
    duplicate: bool


def check_elapsed(value: Any, name: str = "elapsed_seconds") -> float:
    number = validation.check_number(name, value, 0, MAX_ELAPSED_SECONDS)
    return float(number)


def check_client_id(value: Any) -> str | None:
    if value is None:
        return None
    text = validation.check_text("client_id", value)
    if not 1 <= len(text) <= 100:
        raise InputError("client_id", "must be 1 to 100 characters")
    return text


def split_checkin_body(body: Any) -> tuple[dict[str, Any], float, str | None]:
    """A check-in request as (report for the engine, elapsed seconds, client id)."""
    body = dict(validation.require_object(body))
    if "baseline_pain" in body:
        raise InputError("baseline_pain", "is taken from the walk's pain before it started")
    if "elapsed_seconds" not in body:
        raise InputError("elapsed_seconds", "is required (seconds since the walk started)")
    elapsed = check_elapsed(body.pop("elapsed_seconds"))
    client_id = check_client_id(body.pop("client_id", None))
    if "current_pain" not in body:
        raise InputError("current_pain", "is required (a whole number from 0 to 10)")
    return body, elapsed, client_id


def _walk(state: WebState, walk_id: int) -> WalkRecord:
    walk = state.get_walk(walk_id)
    if walk is None:
        raise WalkMissing(f"there is no walk {walk_id}")
    return walk


def _stored_once(walk: WalkRecord, client_id: str | None) -> bool:
    return client_id is not None and any(c.client_id == client_id for c in walk.checkins)


def record_checkin(
    state: WebState,
    walk_id: int,
    report: Mapping[str, Any],
    elapsed: float,
    client_id: str | None,
) -> CheckinOutcome:
    """One in-walk check-in through the coach; a repeat of a client_id changes nothing."""
    walk = _walk(state, walk_id)
    if _stored_once(walk, client_id):
        return CheckinOutcome(_decision(report, walk), walk, duplicate=True)
    if walk.status.is_final:
        raise WalkEnded(walk)
    try:
        result = walk_checkin(state.diary, walk, state.now(), elapsed, report, client_id)
    except DiaryError:
        # Two deliveries of one check-in raced and the other one ended the walk first.
        again = _walk(state, walk_id)
        if _stored_once(again, client_id):
            return CheckinOutcome(_decision(report, again), again, duplicate=True)
        raise
    return CheckinOutcome(result, _walk(state, walk_id), duplicate=False)


def _decision(report: Mapping[str, Any], walk: WalkRecord) -> dict[str, Any]:
    """The engine's answer for a check-in already stored (nothing is written again)."""
    return checkin({**report, "baseline_pain": walk.pain_before})


def start(state: WebState, pain_before: int) -> WalkRecord:
    """Start a walk if the gate allows it and no other walk is in progress."""
    active = state.active_walk()
    if active is not None:
        raise WalkRefused(
            "A walk is already in progress: finish it before starting another.", active
        )
    now = state.now()
    gate = walk_gate(state.diary, now, pain_before)
    if not gate.allowed:
        raise WalkRefused(gate.why)
    return begin_walk(state.diary, now, pain_before, gate)


def finish(
    state: WebState, walk_id: int, status: str, elapsed: float, pain_after: int | None
) -> WalkRecord:
    """End a walk: completed (time is up) or interrupted (ended early)."""
    if status not in FINISH_STATUSES:
        raise InputError("status", 'must be "completed" or "interrupted"')
    walk = _walk(state, walk_id)
    if walk.status.is_final:
        raise WalkEnded(walk)
    try:
        if status == "completed":
            return complete_walk(state.diary, walk, state.now(), elapsed, pain_after)
        return interrupt_walk(state.diary, walk, state.now(), elapsed)
    except DiaryError:
        again = _walk(state, walk_id)
        if again.status.is_final:
            raise WalkEnded(again) from None
        raise


def heartbeat(state: WebState, walk_id: int, elapsed: float) -> WalkRecord:
    walk = _walk(state, walk_id)
    if walk.status.is_final:
        raise WalkEnded(walk)
    state.diary.heartbeat(walk_id, elapsed_seconds=elapsed)
    return _walk(state, walk_id)


def elapsed_by_server_clock(state: WebState, walk: WalkRecord) -> float:
    """Seconds since the walk started by the app's clock (for forms sent without JavaScript)."""
    seconds = (state.now() - walk.started_at).total_seconds()
    return min(max(seconds, walk.elapsed_seconds, 0.0), MAX_ELAPSED_SECONDS)
