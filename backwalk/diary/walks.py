"""Walk rows: starting, keeping track of the last sign of life, and ending."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Float, Integer, bindparam, func, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql.elements import Grouping

from backwalk.diary import localdays, validate
from backwalk.diary.errors import NotFound, WalkAlreadyEnded
from backwalk.diary.models import CheckinRow, CheckRow, UTCDateTime, WalkRow
from backwalk.diary.records import (
    CheckinRecord,
    CheckRecord,
    WalkedDay,
    WalkRecord,
    WalkStatus,
    WalkSummary,
)
from backwalk.diary.scope import owners_rows
from backwalk.diary.warnings import STOP_SEEK_CARE
from backwalk.i18n import N_

DAY_SECONDS = 24 * 3600
RECOVERED_STOP_REASON = N_("no sign of life from the walk; it was probably closed or killed")


def new_walk_row(
    *, at: datetime, planned_minutes: int, pain_before: int, check_id: int | None
) -> WalkRow:
    """A walk that starts now and has not been heard from since."""
    return WalkRow(
        check_id=check_id,
        started_at=at,
        ended_at=None,
        planned_minutes=planned_minutes,
        pain_before=pain_before,
        pain_after=None,
        status=WalkStatus.IN_PROGRESS.value,
        stop_reason=None,
        elapsed_seconds=0.0,
        last_seen_at=at,
    )


def locked_walk(session: Session, walk_id: int, *, checkins: bool = True) -> WalkRow:
    """The walk, locked for update (PostgreSQL; SQLite holds the write lock already), with its
    check-ins loaded unless the caller needs none (each is one more round trip)."""
    query = (
        select(WalkRow)
        .where(WalkRow.id == validate.record_id("walk", walk_id))
        .with_for_update(of=WalkRow)
    )
    if checkins:
        query = query.options(selectinload(WalkRow.checkins))
    walk = session.scalars(query).one_or_none()
    if walk is None:
        raise NotFound("walk", walk_id)
    return walk


def require_in_progress(walk: WalkRow) -> None:
    """Refuse to change a walk that has already ended, saying how it ended."""
    if walk.status != WalkStatus.IN_PROGRESS:
        ended = walk.ended_at.isoformat() if walk.ended_at else "earlier"
        raise WalkAlreadyEnded(walk.id, walk.status, ended)


def mark_alive(walk: WalkRow, *, seen_at: datetime, elapsed_seconds: float) -> None:
    """Record a sign of life; out-of-order reports never move progress backwards."""
    walk.last_seen_at = max(walk.last_seen_at, seen_at)
    walk.elapsed_seconds = max(walk.elapsed_seconds, elapsed_seconds)


def heartbeat_time(walk: WalkRow, elapsed_seconds: float) -> datetime:
    """When a heartbeat reporting ``elapsed_seconds`` was sent, on the walk's own clock."""
    return walk.started_at + timedelta(seconds=elapsed_seconds)


def end_walk(
    walk: WalkRow,
    *,
    at: datetime,
    status: WalkStatus,
    elapsed_seconds: float,
    pain_after: int | None,
    stop_reason: str | None,
) -> None:
    """Give the walk its final status and figures."""
    walk.status = status.value
    walk.ended_at = at
    walk.elapsed_seconds = elapsed_seconds
    walk.pain_after = pain_after
    walk.stop_reason = stop_reason
    walk.last_seen_at = max(walk.last_seen_at, at)


def mark_interrupted(walk: WalkRow) -> None:
    """End a walk that stopped reporting, at the last moment it was known to be going."""
    walk.status = WalkStatus.INTERRUPTED.value
    walk.ended_at = walk.last_seen_at
    walk.stop_reason = walk.stop_reason or RECOVERED_STOP_REASON


def in_progress_id(session: Session) -> int | None:
    """The id of the walk in progress, if any (there is at most one)."""
    query = select(WalkRow.id).where(WalkRow.status == WalkStatus.IN_PROGRESS.value).limit(1)
    return session.scalars(query).first()


def checkin_by_client_id(
    session: Session, walk_id: int, client_id: str | None
) -> CheckinRow | None:
    """The check-in already stored under ``client_id`` for this walk, if any."""
    if client_id is None:
        return None
    query = select(CheckinRow).where(
        CheckinRow.walk_id == walk_id, CheckinRow.client_id == client_id
    )
    return session.scalars(query).one_or_none()


_LATEST_CHECK = owners_rows(
    select(
        CheckRow.id,
        CheckRow.at,
        CheckRow.answers,
        CheckRow.assessment,
        CheckRow.disposition,
        CheckRow.urgency,
        CheckRow.pain_score,
        CheckRow.red_flags,
        CheckRow.text,
    )
    .order_by(CheckRow.at.desc(), CheckRow.id.desc())
    .limit(1)
)


def latest_check(session: Session) -> CheckRecord | None:
    """The most recent check, whole (every page's standing decides from it), read as columns."""
    r = session.execute(_LATEST_CHECK).first()
    if r is None:
        return None
    return CheckRecord(
        id=r[0],
        at=r[1],
        answers=r[2],
        assessment=r[3],
        disposition=r[4],
        urgency=r[5],
        pain_score=r[6],
        red_flags=list(r[7]),
        text=r[8],
    )


_PEAK = (
    select(func.max(CheckinRow.current_pain))
    .where(CheckinRow.walk_id == WalkRow.id)
    .correlate(WalkRow)
    .scalar_subquery()
)
_SUMMARY = select(
    WalkRow.id,
    WalkRow.started_at,
    WalkRow.planned_minutes,
    WalkRow.pain_before,
    WalkRow.pain_after,
    WalkRow.status,
    WalkRow.elapsed_seconds,
    WalkRow.last_seen_at,
    _PEAK,
).order_by(WalkRow.started_at.desc(), WalkRow.id.desc())


_LATEST_SUMMARIES = owners_rows(_SUMMARY.limit(bindparam("limit", type_=Integer)))


def recent_summaries(session: Session, limit: int) -> list[WalkSummary]:
    """The most recent walks without their check-ins (only each walk's peak pain), oldest first."""
    rows = session.execute(_LATEST_SUMMARIES, {"limit": limit}).all()
    return [_summary(r) for r in reversed(rows)]


_RECORDS = select(
    WalkRow.id,
    WalkRow.check_id,
    WalkRow.started_at,
    WalkRow.ended_at,
    WalkRow.planned_minutes,
    WalkRow.pain_before,
    WalkRow.pain_after,
    WalkRow.status,
    WalkRow.stop_reason,
    WalkRow.elapsed_seconds,
    WalkRow.last_seen_at,
).order_by(WalkRow.started_at.desc(), WalkRow.id.desc())
_CHECKINS = select(
    CheckinRow.walk_id,
    CheckinRow.id,
    CheckinRow.at,
    CheckinRow.elapsed_seconds,
    CheckinRow.current_pain,
    CheckinRow.sharp_or_shooting,
    CheckinRow.red_flags,
    CheckinRow.action,
    CheckinRow.client_id,
).order_by(CheckinRow.at, CheckinRow.id)


_LIMIT = bindparam("limit", type_=Integer)
_LATEST_IDS = (
    select(WalkRow.id)
    .order_by(WalkRow.started_at.desc(), WalkRow.id.desc())
    .limit(_LIMIT)
    .scalar_subquery()
)
_LATEST_RECORDS = owners_rows(_RECORDS.limit(_LIMIT))
_LATEST_CHECKINS = owners_rows(_CHECKINS.where(CheckinRow.walk_id.in_(_LATEST_IDS)))
_ALL_RECORDS, _ALL_CHECKINS = owners_rows(_RECORDS), owners_rows(_CHECKINS)
_SEEK_CARE_AT = owners_rows(
    select(CheckinRow.at)
    .where(CheckinRow.action == STOP_SEEK_CARE, CheckinRow.walk_id.in_(_LATEST_IDS))
    .order_by(CheckinRow.at, CheckinRow.id)
)


def seek_care_at(session: Session, limit: int) -> list[datetime]:
    """When a check-in stopped one of the latest `limit` walks to seek care, oldest first: a
    warning sign that stands for a while after (`remembered.under_warning`). Usually none."""
    return list(session.scalars(_SEEK_CARE_AT, {"limit": limit}))


def records(session: Session, limit: int | None) -> list[WalkRecord]:
    """The latest walks (all with no limit) with their check-ins, oldest first: two queries,
    as a relationship's select-in load makes, but plain columns into records, with no ORM
    object made, tracked and converted for every walk and check-in; and both built once (the
    check-ins by the same limit, not by a list of ids)."""
    if limit is None:
        rows = session.execute(_ALL_RECORDS).all()
    else:
        rows = session.execute(_LATEST_RECORDS, {"limit": limit}).all()
    if not rows:
        return []
    if limit is None:
        checkins = session.execute(_ALL_CHECKINS)
    else:
        checkins = session.execute(_LATEST_CHECKINS, {"limit": limit})
    found: dict[int, list[CheckinRecord]] = {r[0]: [] for r in rows}
    for c in checkins:
        # A walk started between the two reads has check-ins here but is not among the rows
        # (its start pushed out the oldest row, which loses its check-ins: it is the one row
        # read only to know that there are more).
        of_walk = found.get(c[0])
        if of_walk is not None:
            of_walk.append(
                CheckinRecord(c[1], c[0], c[2], c[3], c[4], c[5], list(c[6]), c[7], c[8])
            )
    return [
        WalkRecord(
            id=r[0],
            check_id=r[1],
            started_at=r[2],
            ended_at=r[3],
            planned_minutes=r[4],
            pain_before=r[5],
            pain_after=r[6],
            status=WalkStatus(r[7]),
            stop_reason=r[8],
            elapsed_seconds=r[9],
            last_seen_at=r[10],
            checkins=tuple(found[r[0]]),
        )
        for r in reversed(rows)
    ]


def _summary(r: Any) -> WalkSummary:
    return WalkSummary(
        id=r[0],
        started_at=r[1],
        planned_minutes=r[2],
        pain_before=r[3],
        pain_after=r[4],
        status=WalkStatus(r[5]),
        elapsed_seconds=r[6],
        last_seen_at=r[7],
        peak_checkin_pain=r[8],
    )


def insert_checkin(session: Session, values: dict[str, object]) -> int | None:
    """Insert a check-in; None when its ``client_id`` is already stored for the walk.

    INSERT ... ON CONFLICT DO NOTHING lets the database's unique constraint decide, so two
    copies arriving together can never both be stored, nor both be told they were first.
    """
    dialect = session.get_bind().dialect.name
    insert = sqlite_insert if dialect == "sqlite" else postgresql_insert
    statement = (
        insert(CheckinRow)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["walk_id", "client_id"])
        .returning(CheckinRow.id)
    )
    return session.scalar(statement)


def any_stale(session: Session, cutoff: datetime) -> bool:
    """Whether any walk in progress was last heard from before ``cutoff`` (a plain read)."""
    query = select(WalkRow.id).where(
        WalkRow.status == WalkStatus.IN_PROGRESS.value, WalkRow.last_seen_at < cutoff
    )
    return session.scalars(query.limit(1)).first() is not None


def stale_walks(session: Session, cutoff: datetime) -> list[WalkRow]:
    """In-progress walks last heard from before ``cutoff``, oldest first, locked."""
    query = (
        select(WalkRow)
        .where(WalkRow.status == WalkStatus.IN_PROGRESS.value, WalkRow.last_seen_at < cutoff)
        .options(selectinload(WalkRow.checkins))
        .order_by(WalkRow.started_at, WalkRow.id)
        .with_for_update(of=WalkRow)
    )
    return list(session.scalars(query))


# A walk stopped, by pain or by a warning sign, is a setback in the walking programme's week.
SETBACK_WALKS = (WalkStatus.STOPPED, WalkStatus.STOPPED_SEEK_CARE)

# Minutes walked per day, added up by the database: a page shows weeks of them, and reading
# every walk of those weeks into Python to add them up was a read that grew with the diary.
# The day is the person's (the machine's time zone, as `programme.local_day` decides it):
# PostgreSQL adds to each walk's time the offset in force then (`localdays.offsets`: a short
# list, the offset changing only at clock changes) and takes the day; SQLite's `localtime` is
# the machine's zone itself.
_ENDED = func.sum(WalkRow.elapsed_seconds).filter(WalkRow.status != WalkStatus.IN_PROGRESS.value)
_STOPPED = func.count().filter(WalkRow.status.in_([s.value for s in SETBACK_WALKS]))
_IN_RANGE = (
    WalkRow.started_at >= bindparam("low", type_=UTCDateTime()),
    WalkRow.started_at < bindparam("high", type_=UTCDateTime()),
)
_EPOCH = func.date_part("epoch", WalkRow.started_at)  # float8 (EXTRACT gives numeric)
_OFFSET = Grouping(bindparam("offsets", type_=ARRAY(Integer)))[
    func.width_bucket(_EPOCH, bindparam("changes", type_=ARRAY(Float)))
]
_DAY_NUMBER = func.floor((_EPOCH + _OFFSET) / DAY_SECONDS)  # days since 1970
_LOCAL_DATE = func.date(WalkRow.started_at, "localtime")


def _walked_per(day: Any) -> Any:
    return select(day, _ENDED, _STOPPED).where(*_IN_RANGE).group_by(day)


_DAYS_POSTGRESQL = owners_rows(localdays.as_arrays(_walked_per(_DAY_NUMBER)))
_DAYS_SQLITE = owners_rows(_walked_per(_LOCAL_DATE))
_1970 = date(1970, 1, 1)


def walked_days(session: Session, first: date, last: date) -> dict[date, WalkedDay]:
    """Each day from `first` to `last` (the person's days) that a walk started on: one grouped
    read on the (owner, start) index, whatever the number of walks."""
    low = localdays.local_midnight(first)
    high = localdays.local_midnight(last + timedelta(days=1))
    bounds = {"low": low, "high": high}
    if session.get_bind().dialect.name == "postgresql":
        changes, offsets = localdays.offsets(low, high)
        params = {**bounds, "changes": changes, "offsets": offsets}
        days = localdays.transposed(session.execute(_DAYS_POSTGRESQL, params).one())
        return {_1970 + timedelta(days=int(d)): WalkedDay(s, n) for d, s, n in days}
    rows = session.execute(_DAYS_SQLITE, bounds)
    return {date.fromisoformat(r[0]): WalkedDay(r[1], r[2]) for r in rows}
