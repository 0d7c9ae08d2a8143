"""Plain, frozen records handed out by the diary: no ORM object ever leaves the package."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from backwalk.status import WalkStatus

if TYPE_CHECKING:
    from backwalk.diary.measures import OutcomeRecord

__all__ = [
    "CheckRecord",
    "CheckSummary",
    "CheckinDecision",
    "CheckinRecord",
    "History",
    "KeepwellFacts",
    "MedicineRecord",
    "ProgrammeRecord",
    "RecoveryRecord",
    "RecurrenceRecord",
    "WalkLogRecord",
    "Snapshot",
    "VisitRecord",
    "WalkEnd",
    "WalkRecord",
    "WalkStatus",
    "WalkSummary",
    "WalkedDay",
    "WarningRecord",
]


@dataclass(frozen=True)
class CheckRecord:
    """One pre-walk assessment as it was stored."""

    id: int
    at: datetime
    answers: dict[str, Any]
    assessment: dict[str, Any]
    disposition: str
    urgency: str | None
    pain_score: int | None
    red_flags: list[str]
    text: str | None


@dataclass(frozen=True)
class CheckSummary:
    """A check without its answers and assessment: what a list of checks shows and the
    programme's rules read. Cheap to read: only the red flags are JSON to decode, where a
    whole check's answers and assessment are kilobytes of it."""

    id: int
    at: datetime
    disposition: str
    urgency: str | None
    pain_score: int | None
    red_flags: list[str]


@dataclass(frozen=True)
class CheckinRecord:
    """One in-walk check-in as it was stored."""

    id: int
    walk_id: int
    at: datetime
    elapsed_seconds: float
    current_pain: int
    sharp_or_shooting: bool
    red_flags: list[str]
    action: str
    client_id: str | None


@dataclass(frozen=True)
class WalkRecord:
    """One guided walk with its check-ins, oldest check-in first."""

    id: int
    check_id: int | None
    started_at: datetime
    ended_at: datetime | None
    planned_minutes: int
    pain_before: int
    pain_after: int | None
    status: WalkStatus
    stop_reason: str | None
    elapsed_seconds: float
    last_seen_at: datetime
    checkins: tuple[CheckinRecord, ...] = ()

    @property
    def pain_rose(self) -> bool:
        """True if pain was ever reported above the pre-walk score, during or after the walk."""
        if self.pain_after is not None and self.pain_after > self.pain_before:
            return True
        return any(checkin.current_pain > self.pain_before for checkin in self.checkins)


@dataclass(frozen=True)
class WalkSummary:
    """A walk without its check-ins: what the progression and the walk gate need, cheap to read."""

    id: int
    started_at: datetime
    planned_minutes: int
    pain_before: int
    pain_after: int | None
    status: WalkStatus
    elapsed_seconds: float
    last_seen_at: datetime
    peak_checkin_pain: int | None  # the highest pain reported at a check-in, if any

    @property
    def pain_rose(self) -> bool:
        """True if pain was ever reported above the pre-walk score, during or after the walk."""
        peaks = (self.pain_after, self.peak_checkin_pain)
        return any(p is not None and p > self.pain_before for p in peaks)


@dataclass(frozen=True)
class WalkedDay:
    """One day's walks, as the database adds them up: the seconds walked by the walks that have
    ended (None: none has), how many of them were stopped (a setback), and the minutes of the
    walks logged by hand for the day."""

    seconds: float | None
    stopped: int
    logged_minutes: int = 0


@dataclass(frozen=True)
class Snapshot:
    """One consistent read of what "where you stand" depends on."""

    latest_check: CheckRecord | None
    recent_walks: list[WalkSummary]  # oldest first
    active_walk: WalkRecord | None  # in full, check-ins included: the page resumes it


@dataclass(frozen=True)
class History:
    """What the history page lists, read in one transaction (`Diary.recent_history`)."""

    walks: list[WalkSummary]  # the latest, oldest first (each with its peak check-in pain)
    checks: list[CheckSummary]  # the latest, oldest first
    more: bool  # the diary holds more walks or checks than these
    visits: list[VisitRecord]  # the latest, oldest first
    first_scored: CheckSummary | None  # where progress on pain is measured from
    measures: list[OutcomeRecord]  # the few progress is judged by, oldest first
    walk_logs: list[WalkLogRecord] = field(default_factory=list)  # the latest, oldest first
    medicines: list[MedicineRecord] = field(default_factory=list)  # the latest, oldest first
    # when a check-in stopped one of the walks listed to seek care: a warning that stood after
    seek_care_at: list[datetime] = field(default_factory=list)


@dataclass(frozen=True)
class WarningRecord:
    """A warning sign the person reported: at a check (one with an emergency or same-day
    urgency) or at a walk check-in that stopped the walk to seek care."""

    at: datetime
    red_flags: list[str]
    urgency: str | None  # a check's stored urgency; None for a check-in (the rulebook's to say)
    check_id: int | None
    walk_id: int | None


@dataclass(frozen=True)
class VisitRecord:
    """The person's word that a clinician has seen them ("I have been seen")."""

    id: int
    at: datetime


@dataclass(frozen=True)
class WalkEnd:
    """How a check-in that fires a stop rule ends its walk, in the check-in's own transaction
    (a crash between the two would leave a walk that later reads "interrupted")."""

    status: WalkStatus
    pain_after: int | None
    stop_reason: str | None


@dataclass(frozen=True)
class CheckinDecision:
    """What a check-in stores, decided from the walk's pain before it (`Diary.check_in`)."""

    current_pain: int
    sharp_or_shooting: bool
    red_flags: list[str]
    action: str
    ends_walk: WalkEnd | None = None


@dataclass(frozen=True)
class WalkLogRecord:
    """A walk logged by hand: the day it was walked and for how many minutes."""

    id: int
    at: datetime
    walked_on: date
    minutes: int


@dataclass(frozen=True)
class MedicineRecord:
    """A medicine taken for the pain, as the person wrote it."""

    id: int
    at: datetime
    taken_at: datetime
    name: str
    dose: str


@dataclass(frozen=True)
class RecoveryRecord:
    """The person's word that their back is back to normal."""

    id: int
    at: datetime


@dataclass(frozen=True)
class RecurrenceRecord:
    """An answer to the monthly question; `limited_activity` true opened a new episode."""

    id: int
    at: datetime
    since: datetime
    limited_activity: bool


@dataclass(frozen=True)
class ProgrammeRecord:
    """The walking programme as set up or changed at `at`."""

    id: int
    at: datetime
    days: tuple[str, ...]
    minutes_per_walk: int


@dataclass(frozen=True)
class KeepwellFacts:
    """Everything the phase and the programme are decided from, read in one transaction,
    each list oldest first (these are a few rows a month)."""

    recoveries: list[RecoveryRecord]
    recurrences: list[RecurrenceRecord]
    programmes: list[ProgrammeRecord]
