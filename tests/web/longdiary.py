"""A long diary written straight into the tables (one transaction, no HTTP): checks every few
hours for months, walks with check-ins between them, weekly answers, "I have been seen",
walks logged by hand and medicines. Its shape does not depend on its length, so a page that
reads what it shows makes the same queries on 10 checks as on 1,000."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from backwalk.diary import WalkStatus
from backwalk.diary.checks import build_check_row
from backwalk.diary.measures import build_outcome_row
from backwalk.diary.models import (
    LOCAL_PERSON_ID,
    CheckinRow,
    ClinicianVisitRow,
    MedicineRow,
    ProgrammeRow,
    RecoveryRow,
    WalkLogRow,
    WalkRow,
)
from backwalk.engine import assess

CHECK_EVERY = timedelta(hours=4.8)
WARNING_EVERY = 50  # one check in 50 raised a same-day warning sign (and a visit followed)


def fill(
    engine: Engine,
    checks: int,
    now: datetime,
    *,
    owner: int = LOCAL_PERSON_ID,
    recovered: bool = False,
) -> None:
    """`checks` checks of `owner` ending an hour before `now`, a walk after every third, and the
    rest. With `recovered`, the person said "back to normal" 20 days ago (keeping well, with a
    programme set up the same day). `engine` must be one row-level security does not bind."""
    first = now - timedelta(hours=1) - CHECK_EVERY * (checks - 1)
    with Session(engine) as session, session.begin():
        for n in range(checks):
            _add(session, owner, _day(checks - 1 - n, first + CHECK_EVERY * n))
        if recovered:
            back = now - timedelta(days=20)
            plan = ProgrammeRow(at=back, days="mon,wed,fri", minutes_per_walk=10)
            _add(session, owner, [RecoveryRow(at=back), plan])


def _add(session: Session, owner: int, rows: list[Any]) -> None:
    """The rows, the first a check the others may name (its id is known once flushed)."""
    for row in rows:
        row.owner_id = owner
    session.add(rows[0])
    session.flush()
    for row in rows[1:]:
        if isinstance(row, WalkRow):
            row.check_id = rows[0].id
            for checkin in row.checkins:
                checkin.owner_id = owner
        session.add(row)


def _day(n: int, at: datetime) -> list[Any]:
    """The check `n` places before the latest, and what followed it (counted from the latest
    check, so the recent weeks look alike in a short diary and a long one)."""
    warning = n % WARNING_EVERY == 7
    check = build_check_row(at=at, text=None, **_assessed(2 + n % 6, warning))
    rows: list[Any] = [check]
    if warning:
        rows.append(ClinicianVisitRow(at=at + timedelta(hours=2)))
    elif n % 3 == 0:
        rows.append(_walk(at, n))
    if n % 35 == 2:
        outcome = build_outcome_row(
            at=at, activities=[("bending", n % 10)], global_change=1, check_id=None
        )
        rows.append(outcome)
    if n % 5 == 1:
        rows.append(WalkLogRow(at=at, walked_on=at.date(), minutes=10 + n % 20))
        rows.append(MedicineRow(at=at, taken_at=at, name="ibuprofen", dose="400 mg"))
    return rows


def _walk(at: datetime, n: int) -> WalkRow:
    stopped = n % 7 == 4
    walk = WalkRow(
        started_at=at + timedelta(minutes=5),
        ended_at=at + timedelta(minutes=15),
        planned_minutes=10,
        pain_before=3,
        pain_after=None if stopped else 2,
        status=(WalkStatus.STOPPED if stopped else WalkStatus.COMPLETED).value,
        stop_reason="The pain rose." if stopped else None,
        elapsed_seconds=600.0,
        last_seen_at=at + timedelta(minutes=15),
    )
    checkin = CheckinRow(
        at=at + timedelta(minutes=10),
        elapsed_seconds=300.0,
        current_pain=5 if stopped else 3,
        sharp_or_shooting=False,
        red_flags=[],
        action="stop" if stopped else "continue",
        client_id=None,
    )
    walk.checkins.append(checkin)
    return walk


_ASSESSED: dict[tuple[int, bool], dict[str, Any]] = {}


def _assessed(pain: int, warning: bool) -> dict[str, Any]:
    """The answers and the engine's own assessment of them (made once per kind of check)."""
    key = (pain, warning)
    if key not in _ASSESSED:
        answers: dict[str, Any] = {"pain_score": pain, "sharp_pain": False, "onset_hours": 24}
        if warning:
            answers["fever_or_chills"] = True
        _ASSESSED[key] = {"answers": answers, "assessment": assess(answers)}
    return _ASSESSED[key]
