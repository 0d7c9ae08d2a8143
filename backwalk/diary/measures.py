"""Weekly outcome measures as the diary stores and hands them out.

An outcome measure holds the activities the person said their back makes hard, each rated from
0 (cannot do it) to 10 (as well as before), following the Patient-Specific Functional Scale
method, and a global rating of change from -3 (a great deal worse) to +3 (a great deal better).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, union_all
from sqlalchemy.orm import Session

from backwalk.diary import validate
from backwalk.diary.errors import DiaryError
from backwalk.diary.models import OutcomeRow
from backwalk.diary.scope import owners_rows

MAX_ACTIVITIES = 5  # the rulebook asks for at most three; the diary allows a little slack
MAX_ACTIVITY_CHARS = 120
SCORE_MAX = 10
CHANGE_MIN, CHANGE_MAX = -3, 3

__all__ = [
    "ActivityScore",
    "OutcomeRecord",
    "activities_set",
    "build_outcome_row",
    "outcome_record",
    "progress_measures",
]


@dataclass(frozen=True)
class ActivityScore:
    """One activity in the person's words and how well they can do it now, 0 to 10."""

    activity: str
    score: int


@dataclass(frozen=True)
class OutcomeRecord:
    """One weekly outcome measure as it was stored."""

    id: int
    at: datetime
    check_id: int | None
    activities: tuple[ActivityScore, ...]
    global_change: int | None

    @property
    def activities_average(self) -> float | None:
        """The mean of the activity scores (the PSFS method's summary score), or None."""
        if not self.activities:
            return None
        return sum(a.score for a in self.activities) / len(self.activities)


def build_outcome_row(
    *,
    at: datetime,
    activities: Iterable[ActivityScore | tuple[str, int]],
    global_change: int | None,
    check_id: int | None,
) -> OutcomeRow:
    """A new row from checked values; DiaryError names the first bad one."""
    scores = _activities(activities)
    change = _global_change(global_change)
    if not scores and change is None:
        raise DiaryError("an outcome measure needs at least one activity score or a global rating")
    stored = [{"activity": a.activity, "score": a.score} for a in scores]
    return OutcomeRow(
        at=validate.aware_utc("at", at),
        check_id=check_id,
        activities=stored,
        activities_set=activities_set(stored),
        global_change=change,
    )


_NEWEST = (OutcomeRow.at.desc(), OutcomeRow.id.desc())
_LATEST_SET = (
    select(OutcomeRow.activities_set)
    .where(OutcomeRow.activities_set.is_not(None))
    .order_by(*_NEWEST)
    .limit(1)
    .scalar_subquery()
)


def _one(where: Any, order: tuple[Any, ...]) -> Any:
    columns = (
        OutcomeRow.id,
        OutcomeRow.at,
        OutcomeRow.check_id,
        OutcomeRow.activities,
        OutcomeRow.global_change,
    )
    return select(select(*columns).where(where).order_by(*order).limit(1).subquery())


# The three indexed lookups of `progress_measures` in one statement, built once: the latest
# measure with activities, the latest with a global rating, and the first of the latest's set.
_PROGRESS = owners_rows(
    union_all(
        _one(OutcomeRow.activities_set.is_not(None), _NEWEST),
        _one(OutcomeRow.global_change.is_not(None), _NEWEST),
        _one(OutcomeRow.activities_set == _LATEST_SET, (OutcomeRow.at, OutcomeRow.id)),
    )
)


def progress_measures(session: Session) -> list[OutcomeRecord]:
    """The measures progress is judged by, oldest first: the latest with activities, the first
    of the same set (its baseline) and the latest with a global rating. Three indexed lookups
    in one statement, however many weeks the diary holds."""
    rows = {r[0]: r for r in session.execute(_PROGRESS)}
    return [
        OutcomeRecord(
            id=r[0],
            at=r[1],
            check_id=r[2],
            activities=tuple(ActivityScore(str(a["activity"]), int(a["score"])) for a in r[3]),
            global_change=r[4],
        )
        for r in sorted(rows.values(), key=lambda r: (r[1], r[0]))
    ]


def activities_set(activities: Sequence[dict[str, Any]]) -> str | None:
    """One value for a set of activities, whatever their order and case (progress compares a
    measure with the first one of the same set); None for no activities. Migration 0010 holds
    a copy of this: change both or neither."""
    names = sorted({str(a["activity"]).casefold() for a in activities})
    if not names:
        return None
    return hashlib.sha256("\x1f".join(names).encode()).hexdigest()


def outcome_record(row: OutcomeRow) -> OutcomeRecord:
    """The stored measure as plain data."""
    return OutcomeRecord(
        id=row.id,
        at=row.at,
        check_id=row.check_id,
        activities=tuple(
            ActivityScore(str(a["activity"]), int(a["score"])) for a in row.activities
        ),
        global_change=row.global_change,
    )


def _activities(items: Iterable[Any]) -> list[ActivityScore]:
    if isinstance(items, str | bytes) or not isinstance(items, Iterable):
        raise DiaryError(f"activities must be a list of (activity, score) pairs, got {items!r}")
    scores = [_activity(item) for item in items]
    if len(scores) > MAX_ACTIVITIES:
        raise DiaryError(f"at most {MAX_ACTIVITIES} activities, got {len(scores)}")
    names = [a.activity.casefold() for a in scores]
    if len(set(names)) != len(names):
        raise DiaryError("each activity may be named only once")
    return scores


def _activity(item: Any) -> ActivityScore:
    if isinstance(item, ActivityScore):
        name, score = item.activity, item.score
    elif isinstance(item, Sequence) and not isinstance(item, str) and len(item) == 2:
        name, score = item
    else:
        raise DiaryError(f"an activity must be an (activity, score) pair, got {item!r}")
    if not isinstance(name, str) or not name.strip():
        raise DiaryError(f"an activity must be named in words, got {name!r}")
    name = validate.storable_text("activities", " ".join(name.split()))
    if len(name) > MAX_ACTIVITY_CHARS:
        raise DiaryError(f"an activity must be at most {MAX_ACTIVITY_CHARS} characters")
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= SCORE_MAX:
        raise DiaryError(f"the score for {name!r} must be a whole number from 0 to {SCORE_MAX}")
    return ActivityScore(name, score)


def _global_change(value: object) -> int | None:
    if value is None:
        return None
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not CHANGE_MIN <= value <= CHANGE_MAX
    ):
        raise DiaryError(
            f"global_change must be a whole number from {CHANGE_MIN} to {CHANGE_MAX}, got {value!r}"
        )
    return value
