"""Warning signs remembered, and the person's word that a clinician has seen them.

A warning sign keeps its advice after a calmer check: "a sign that went away still needs a
doctor". These queries find the latest warning since a moment (a check whose urgency is an
emergency or same-day one, or a walk check-in that stopped the walk to seek care) that no
"I have been seen" came after. Each is one indexed query, whatever the diary's size.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from backwalk.diary.models import CheckinRow, CheckRow, ClinicianVisitRow
from backwalk.diary.records import VisitRecord, WarningRecord

# The urgencies of a check that keep their advice; gp_soon is advice for the weeks ahead, not a
# warning that stops a walk.
WARNING_URGENCIES = ("emergency", "same_day")
STOP_SEEK_CARE = "stop_seek_care"


def latest_visit(session: Session) -> VisitRecord | None:
    row = session.scalars(
        select(ClinicianVisitRow)
        .order_by(ClinicianVisitRow.at.desc(), ClinicianVisitRow.id.desc())
        .limit(1)
    ).one_or_none()
    return VisitRecord(row.id, row.at) if row else None


def visits(session: Session, limit: int | None) -> list[VisitRecord]:
    """The most recent visits, oldest first."""
    rows = session.scalars(
        select(ClinicianVisitRow)
        .order_by(ClinicianVisitRow.at.desc(), ClinicianVisitRow.id.desc())
        .limit(limit)
    )
    return [VisitRecord(row.id, row.at) for row in reversed(list(rows))]


def warning_state(
    session: Session, since: datetime
) -> tuple[WarningRecord | None, VisitRecord | None]:
    """The most recent warning at or after `since` with no visit recorded after it, and the
    latest visit (a walk then needs a check made after it)."""
    visit = latest_visit(session)
    found = [w for w in (_check_warning(session, since), _walk_warning(session, since)) if w]
    warning = max(found, key=lambda w: w.at) if found else None
    # A visit at the very moment of the warning counts as after it (an injected clock in tests).
    if warning is not None and visit is not None and visit.at >= warning.at:
        warning = None
    return warning, visit


def _check_warning(session: Session, since: datetime) -> WarningRecord | None:
    row = session.scalars(
        select(CheckRow)
        .where(CheckRow.at >= since, CheckRow.urgency.in_(WARNING_URGENCIES))
        .order_by(CheckRow.at.desc(), CheckRow.id.desc())
        .limit(1)
    ).one_or_none()
    if row is None:
        return None
    return WarningRecord(row.at, list(row.red_flags), row.urgency, row.id, None)


def _walk_warning(session: Session, since: datetime) -> WarningRecord | None:
    row = session.scalars(
        select(CheckinRow)
        .where(CheckinRow.at >= since, CheckinRow.action == STOP_SEEK_CARE)
        .order_by(CheckinRow.at.desc(), CheckinRow.id.desc())
        .limit(1)
    ).one_or_none()
    if row is None:
        return None
    return WarningRecord(row.at, list(row.red_flags), None, None, row.walk_id)
