"""Warning signs remembered, and the person's word that a clinician has seen them.

A warning sign keeps its advice after a calmer check: "a sign that went away still needs a
doctor". These queries find the latest warning since a moment (a check whose urgency is an
emergency or same-day one, or a walk check-in that stopped the walk to seek care) that no
"I have been seen" came after. Each is one indexed query, whatever the diary's size.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, String, bindparam, cast, literal, null, select, union_all
from sqlalchemy.orm import Session

from backwalk.diary.models import CheckinRow, CheckRow, ClinicianVisitRow, UTCDateTime
from backwalk.diary.records import VisitRecord, WarningRecord
from backwalk.diary.scope import owners_rows

# The urgencies of a check that keep their advice; gp_soon is advice for the weeks ahead, not a
# warning that stops a walk.
WARNING_URGENCIES = ("emergency", "same_day")
STOP_SEEK_CARE = "stop_seek_care"


_VISITS = select(ClinicianVisitRow.id, ClinicianVisitRow.at).order_by(
    ClinicianVisitRow.at.desc(), ClinicianVisitRow.id.desc()
)
_LATEST_VISITS = owners_rows(_VISITS.limit(bindparam("limit", type_=Integer)))
_ALL_VISITS = owners_rows(_VISITS)


def visits(session: Session, limit: int | None) -> list[VisitRecord]:
    """The most recent visits (all with no limit), oldest first."""
    query = _ALL_VISITS if limit is None else _LATEST_VISITS
    rows = session.execute(query, {"limit": limit}).all()
    return [VisitRecord(r[0], r[1]) for r in reversed(rows)]


def _newest(model: Any, *columns: Any, where: tuple[Any, ...] = ()) -> Any:
    """The newest row (by time, then id) of `model`'s table, as a subquery of its `columns`."""
    newest = (model.at.desc(), model.id.desc())
    return select(*columns).where(*where).order_by(*newest).limit(1).subquery()


_SINCE = bindparam("since", type_=UTCDateTime())
# `warning_state`'s three indexed lookups in one statement, built once (every page asks it):
# the latest warning at a check since `since`, the latest at a walk check-in since then, and
# the latest visit; a row for each that there is, NULL where a kind has no such column.
_WARNING_STATE = owners_rows(
    union_all(
        select(
            _newest(
                CheckRow,
                literal("check").label("kind"),
                CheckRow.id,
                CheckRow.at,
                CheckRow.red_flags.label("red_flags"),
                CheckRow.urgency.label("urgency"),
                cast(null(), Integer).label("walk_id"),
                where=(CheckRow.at >= _SINCE, CheckRow.urgency.in_(WARNING_URGENCIES)),
            )
        ),
        select(
            _newest(
                CheckinRow,
                literal("checkin").label("kind"),
                CheckinRow.id,
                CheckinRow.at,
                CheckinRow.red_flags.label("red_flags"),
                cast(null(), String).label("urgency"),
                CheckinRow.walk_id.label("walk_id"),
                where=(CheckinRow.at >= _SINCE, CheckinRow.action == STOP_SEEK_CARE),
            )
        ),
        select(
            _newest(
                ClinicianVisitRow,
                literal("visit").label("kind"),
                ClinicianVisitRow.id,
                ClinicianVisitRow.at,
                cast(null(), JSON).label("red_flags"),
                cast(null(), String).label("urgency"),
                cast(null(), Integer).label("walk_id"),
            )
        ),
    )
)


def warning_state(
    session: Session, since: datetime
) -> tuple[WarningRecord | None, VisitRecord | None]:
    """The most recent warning at or after `since` with no visit recorded after it, and the
    latest visit (a walk then needs a check made after it)."""
    rows = {r[0]: r for r in session.execute(_WARNING_STATE, {"since": since})}
    seen = rows.get("visit")
    visit = VisitRecord(seen[1], seen[2]) if seen is not None else None
    found = [
        WarningRecord(r[2], list(r[3]), r[4], r[1] if kind == "check" else None, r[5])
        for kind in ("check", "checkin")
        if (r := rows.get(kind)) is not None
    ]
    warning = max(found, key=lambda w: w.at) if found else None  # a check's, if both at once
    # A visit at the very moment of the warning counts as after it (an injected clock in tests).
    if warning is not None and visit is not None and visit.at >= warning.at:
        warning = None
    return warning, visit
