"""Plain, frozen records handed out by the diary: no ORM object ever leaves the package."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from backwalk.status import WalkStatus

__all__ = ["CheckRecord", "CheckinRecord", "WalkRecord", "WalkStatus"]


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
