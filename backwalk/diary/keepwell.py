"""Keeping well in the diary: walks logged by hand, medicines, "back to normal", the monthly
recurrence answers and the programme's settings. Rows are built and checked here, and read
back as plain records; the Diary opens the transactions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    Integer,
    String,
    bindparam,
    cast,
    func,
    literal,
    null,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from backwalk.diary import localdays, validate
from backwalk.diary.models import (
    MAX_LOGGED_MINUTES,
    MAX_MEDICINE_TEXT,
    MedicineRow,
    ProgrammeRow,
    RecoveryRow,
    RecurrenceRow,
    UTCDateTime,
    WalkLogRow,
)
from backwalk.diary.records import (
    KeepwellFacts,
    MedicineRecord,
    ProgrammeRecord,
    RecoveryRecord,
    RecurrenceRecord,
    WalkLogRecord,
)
from backwalk.diary.scope import owners_rows
from backwalk.errors import InputError
from backwalk.i18n import gettext as _

KEEPWELL_MODELS = (WalkLogRow, MedicineRow, RecoveryRow, RecurrenceRow, ProgrammeRow)


def walk_log_row(at: datetime, walked_on: date, minutes: object) -> WalkLogRow:
    if not isinstance(walked_on, date) or isinstance(walked_on, datetime):
        raise InputError("date", _("must be a day such as 2027-01-20"))
    return WalkLogRow(
        at=validate.aware_utc("at", at), walked_on=walked_on, minutes=logged_minutes(minutes)
    )


def logged_minutes(minutes: object) -> int:
    if not isinstance(minutes, int) or isinstance(minutes, bool):
        raise InputError("minutes", _("must be a whole number of minutes"))
    if not 0 < minutes <= MAX_LOGGED_MINUTES:
        raise InputError("minutes", _("must be from 1 to {most}").format(most=MAX_LOGGED_MINUTES))
    return minutes


def medicine_row(at: datetime, taken_at: datetime, name: object, dose: object) -> MedicineRow:
    return MedicineRow(
        at=validate.aware_utc("at", at),
        taken_at=validate.aware_utc("taken_at", taken_at),
        name=_text("name", name, required=True),
        dose=_text("dose", dose, required=False),
    )


def _text(field: str, value: object, required: bool) -> str:
    if not isinstance(value, str):
        raise InputError(field, _("must be text"))
    text = " ".join(value.split())  # one line, as the person wrote it
    if required and not text:
        raise InputError(field, _("must not be empty"))
    if len(text) > MAX_MEDICINE_TEXT:
        message = _("must be at most {most} characters")
        raise InputError(field, message.format(most=MAX_MEDICINE_TEXT))
    return validate.storable_text(field, text)


def programme_row(at: datetime, days: tuple[str, ...], minutes: int) -> ProgrammeRow:
    return ProgrammeRow(
        at=validate.aware_utc("at", at), days=",".join(days), minutes_per_walk=minutes
    )


def walk_log_record(row: WalkLogRow) -> WalkLogRecord:
    return WalkLogRecord(row.id, row.at, row.walked_on, row.minutes)


def medicine_record(row: MedicineRow) -> MedicineRecord:
    return MedicineRecord(row.id, row.at, row.taken_at, row.name, row.dose)


def recurrence_record(row: RecurrenceRow) -> RecurrenceRecord:
    return RecurrenceRecord(row.id, row.at, row.since, row.limited_activity)


def programme_record(row: ProgrammeRow) -> ProgrammeRecord:
    return ProgrammeRecord(row.id, row.at, tuple(row.days.split(",")), row.minutes_per_walk)


# The three kinds of fact in one read (a union, a row per fact, NULL where a kind has no such
# column): a person's keeping-well facts are a few rows a month, and every page reads them, so
# one statement, not three, and built once.
_FACTS = owners_rows(
    union_all(
        select(
            literal("recurrence").label("kind"),
            RecurrenceRow.id,
            RecurrenceRow.at,
            RecurrenceRow.since,
            RecurrenceRow.limited_activity,
            cast(null(), String).label("days"),
            cast(null(), Integer).label("minutes"),
        ),
        select(
            literal("recovery"),
            RecoveryRow.id,
            RecoveryRow.at,
            cast(null(), UTCDateTime()),
            cast(null(), Boolean),
            cast(null(), String),
            cast(null(), Integer),
        ),
        select(
            literal("programme"),
            ProgrammeRow.id,
            ProgrammeRow.at,
            cast(null(), UTCDateTime()),
            cast(null(), Boolean),
            ProgrammeRow.days,
            ProgrammeRow.minutes_per_walk,
        ),
    )
)


def facts(session: Session) -> KeepwellFacts:
    """Recoveries, recurrence answers and programme settings, each oldest first."""
    rows = sorted(session.execute(_FACTS).all(), key=lambda r: (r[2], r[1]))
    return KeepwellFacts(
        recoveries=[RecoveryRecord(r[1], r[2]) for r in rows if r[0] == "recovery"],
        recurrences=[
            RecurrenceRecord(r[1], r[2], r[3], r[4]) for r in rows if r[0] == "recurrence"
        ],
        programmes=[
            ProgrammeRecord(r[1], r[2], tuple(r[5].split(",")), r[6])
            for r in rows
            if r[0] == "programme"
        ],
    )


def _shapes(columns: Any, since: Any) -> dict[tuple[bool, bool], Any]:
    """`columns`' statement for each way it is asked for (from a day or moment, the latest
    few, both, neither), built once: with the moment and the number as bound values."""
    limited = columns.limit(bindparam("limit", type_=Integer))
    return {
        (False, False): owners_rows(columns),
        (True, False): owners_rows(columns.where(since)),
        (False, True): owners_rows(limited),
        (True, True): owners_rows(limited.where(since)),
    }


_WALK_LOGS = _shapes(
    select(WalkLogRow.id, WalkLogRow.at, WalkLogRow.walked_on, WalkLogRow.minutes).order_by(
        WalkLogRow.walked_on.desc(), WalkLogRow.id.desc()
    ),
    WalkLogRow.walked_on >= bindparam("since", type_=Date),
)
_MEDICINES = _shapes(
    select(
        MedicineRow.id, MedicineRow.at, MedicineRow.taken_at, MedicineRow.name, MedicineRow.dose
    ).order_by(MedicineRow.taken_at.desc(), MedicineRow.id.desc()),
    MedicineRow.taken_at >= bindparam("since", type_=UTCDateTime()),
)


_LOGGED = (
    select(WalkLogRow.walked_on, func.sum(WalkLogRow.minutes).label("minutes"))
    .where(
        WalkLogRow.walked_on >= bindparam("first", type_=Date),
        WalkLogRow.walked_on <= bindparam("last", type_=Date),
    )
    .group_by(WalkLogRow.walked_on)
)
_LOGGED_ROWS = owners_rows(_LOGGED)
_LOGGED_ARRAYS = owners_rows(localdays.as_arrays(_LOGGED))  # one row, on PostgreSQL


def logged_by_day(session: Session, first: date, last: date) -> dict[date, int]:
    """The minutes logged by hand for each day from `first` to `last` that has any."""
    bounds = {"first": first, "last": last}
    if session.get_bind().dialect.name == "postgresql":
        rows = localdays.transposed(session.execute(_LOGGED_ARRAYS, bounds).one())
    else:
        rows = [tuple(r) for r in session.execute(_LOGGED_ROWS, bounds)]
    return {day: int(minutes) for day, minutes in rows}


def walk_logs(
    session: Session, since: date | None, limit: int | None = None
) -> list[WalkLogRecord]:
    """Oldest first; with `limit`, the latest `limit` of them (read newest first, bounded)."""
    query = _WALK_LOGS[since is not None, limit is not None]
    rows = session.execute(query, {"since": since, "limit": limit}).all()
    return [WalkLogRecord(r[0], r[1], r[2], r[3]) for r in reversed(rows)]


def medicines(
    session: Session, since: datetime | None, limit: int | None = None
) -> list[MedicineRecord]:
    """Oldest first; with `limit`, the latest `limit` of them."""
    query = _MEDICINES[since is not None, limit is not None]
    rows = session.execute(query, {"since": since, "limit": limit}).all()
    return [MedicineRecord(r[0], r[1], r[2], r[3], r[4]) for r in reversed(rows)]
