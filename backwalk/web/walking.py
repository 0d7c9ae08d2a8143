"""What the web adds to the walk use cases: reading a check-in request, and the walk's elapsed
time by the app's clock for forms sent without JavaScript. The use cases are the coach's.
"""

from __future__ import annotations

from typing import Any

from backwalk import validation
from backwalk.diary import WalkRecord
from backwalk.errors import InputError
from backwalk.i18n import gettext as _
from backwalk.web.state import WebState

MAX_ELAPSED_SECONDS = 24 * 60 * 60
MAX_CLIENT_ID_CHARS = 100


def check_elapsed(value: Any, name: str = "elapsed_seconds") -> float:
    number = validation.check_number(name, value, 0, MAX_ELAPSED_SECONDS)
    return float(number)


def check_client_id(value: Any) -> str | None:
    if value is None:
        return None
    text = validation.check_text("client_id", value)
    if not 1 <= len(text) <= MAX_CLIENT_ID_CHARS:
        message = _("must be 1 to {most} characters")
        raise InputError("client_id", message.format(most=MAX_CLIENT_ID_CHARS))
    return text


def split_checkin_body(body: Any) -> tuple[dict[str, Any], float, str | None]:
    """A check-in request as (report for the engine, elapsed seconds, client id)."""
    body = dict(validation.require_object(body))
    if "elapsed_seconds" not in body:
        raise InputError("elapsed_seconds", _("is required (seconds since the walk started)"))
    elapsed = check_elapsed(body.pop("elapsed_seconds"))
    client_id = check_client_id(body.pop("client_id", None))
    if "current_pain" not in body:
        raise InputError("current_pain", _("is required (a whole number from 0 to 10)"))
    return body, elapsed, client_id


def elapsed_by_server_clock(state: WebState, walk: WalkRecord) -> float:
    """Seconds since the walk started by the app's clock (for forms sent without JavaScript)."""
    seconds = (state.now() - walk.started_at).total_seconds()
    return min(max(seconds, walk.elapsed_seconds, 0.0), MAX_ELAPSED_SECONDS)
