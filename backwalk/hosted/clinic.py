"""What a clinician sees: the people who shared their diary with them, most urgent first, and
each diary read-only. The share is checked here and again by row-level security."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from backwalk.diary import CheckRecord, Diary
from backwalk.errors import NotFound
from backwalk.hosted.accounts import Person
from backwalk.hosted.people import Hosted

URGENCY_ORDER = {"emergency": 0, "same_day": 1, "gp_soon": 2}


@dataclass(frozen=True)
class Patient:
    id: int
    username: str | None
    shared_since: datetime
    latest: CheckRecord | None

    @property
    def has_red_flags(self) -> bool:
        return bool(self.latest and self.latest.red_flags)

    def sort_key(self) -> tuple[int, int, float]:
        """Red flags first (by urgency), then everyone else; the newest check first within."""
        latest = self.latest
        urgency = URGENCY_ORDER.get(latest.urgency or "", 3) if latest else 4
        flagged = 0 if self.has_red_flags else 1
        newest = -latest.at.timestamp() if latest else 0.0
        return flagged, urgency, newest


def shared_diary(hosted: Hosted, base: Diary, clinician: Person, person_id: int) -> Diary:
    """The person's diary, read-only, for a clinician they shared it with; NotFound otherwise
    (the same answer as for nobody at all, so ids cannot be probed)."""
    if hosted.filter_queries and not hosted.shares.may_read(clinician.id, person_id):
        raise NotFound("person", person_id)
    return base.scoped(person_id, viewer=clinician.id, filter_queries=hosted.filter_queries)


def patients(hosted: Hosted, base: Diary, clinician: Person) -> list[Patient]:
    found = [
        Patient(
            id=pid,
            username=name,
            shared_since=since,
            latest=base.scoped(pid, viewer=clinician.id).latest_check(),
        )
        for pid, name, since in hosted.shares.people_of(clinician.id)
    ]
    return sorted(found, key=Patient.sort_key)
