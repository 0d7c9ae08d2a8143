"""Turn ORM rows into the frozen records the diary hands out."""

from __future__ import annotations

from backwalk.diary.models import CheckinRow, CheckRow, WalkRow
from backwalk.diary.records import CheckinRecord, CheckRecord, WalkRecord, WalkStatus


def check_record(row: CheckRow) -> CheckRecord:
    """The stored check as plain data."""
    return CheckRecord(
        id=row.id,
        at=row.at,
        answers=row.answers,
        assessment=row.assessment,
        disposition=row.disposition,
        urgency=row.urgency,
        pain_score=row.pain_score,
        red_flags=list(row.red_flags),
        text=row.text,
    )


def checkin_record(row: CheckinRow) -> CheckinRecord:
    """The stored check-in as plain data."""
    return CheckinRecord(
        id=row.id,
        walk_id=row.walk_id,
        at=row.at,
        elapsed_seconds=row.elapsed_seconds,
        current_pain=row.current_pain,
        sharp_or_shooting=row.sharp_or_shooting,
        red_flags=list(row.red_flags),
        action=row.action,
        client_id=row.client_id,
    )


def walk_record(row: WalkRow) -> WalkRecord:
    """The stored walk, with its check-ins, as plain data (call while the session is open)."""
    return WalkRecord(
        id=row.id,
        check_id=row.check_id,
        started_at=row.started_at,
        ended_at=row.ended_at,
        planned_minutes=row.planned_minutes,
        pain_before=row.pain_before,
        pain_after=row.pain_after,
        status=WalkStatus(row.status),
        stop_reason=row.stop_reason,
        elapsed_seconds=row.elapsed_seconds,
        last_seen_at=row.last_seen_at,
        checkins=tuple(checkin_record(checkin) for checkin in row.checkins),
    )
