"""The walk-length progression: conservative, documented, and never longer after a bad walk."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from backwalk.progression import next_walk
from backwalk.rules import default_rulebook

RULE = default_rulebook().progression
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Walk:
    planned_minutes: int
    status: str = "completed"
    pain_rose: bool = False
    elapsed_seconds: float | None = None
    days_ago: float = 1

    @property
    def started_at(self) -> datetime:
        return NOW - timedelta(days=self.days_ago)

    def __post_init__(self) -> None:
        if self.elapsed_seconds is None:
            object.__setattr__(self, "elapsed_seconds", self.planned_minutes * 60.0)


@pytest.mark.parametrize(
    ("walks", "minutes"),
    [
        ([], 5),
        ([Walk(5)], 7),
        ([Walk(5), Walk(7)], 9),
        ([Walk(29)], 30),
        ([Walk(30)], 30),
        ([Walk(9, status="stopped")], 5),
        ([Walk(9, status="stopped_seek_care")], 5),
        ([Walk(9, status="interrupted")], 9),
        ([Walk(9, pain_rose=True)], 9),
        ([Walk(9, elapsed_seconds=6 * 60)], 6),
        ([Walk(9, elapsed_seconds=60)], 5),
        ([Walk(9, elapsed_seconds=9 * 60 - 5)], 11),
        ([Walk(9, days_ago=8)], 5),
        ([Walk(9), Walk(11, status="in_progress")], 11),
        # One step a calendar day: a good walk earlier today keeps its length until tomorrow.
        ([Walk(5, days_ago=0.1)], 5),
        ([Walk(5, days_ago=1), Walk(7, days_ago=0.1)], 7),
        ([Walk(9, days_ago=0.1, status="stopped")], 5),
    ],
)
def test_next_walk_length(walks: list[Walk], minutes: int) -> None:
    assert next_walk(walks, NOW, RULE).minutes == minutes


def test_every_proposal_explains_itself() -> None:
    for walks in ([], [Walk(5)], [Walk(5, status="stopped")], [Walk(30)]):
        assert next_walk(walks, NOW, RULE).why
