"""The published thresholds, table by table: pain (2 points or 30% less), the activities'
average (2 points) and the global rating of change ('much better' or more)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from backwalk.outcomes import BETTER, SAME, WORSE, activities_change, global_change, measures_due
from backwalk.outcomes import pain_change as pain
from backwalk.rules import default_rulebook

RB = default_rulebook()
PAIN = RB.outcomes.threshold("pain")
ACTIVITIES = RB.outcomes.threshold("activities")
GLOBAL = RB.outcomes.threshold("global_change")

PAIN_TABLE = [
    # first, latest, verdict
    (8, 6, BETTER),  # 2 points
    (10, 8, BETTER),  # 2 points (20%)
    (10, 9, SAME),  # 1 point, 10%
    (5, 4, SAME),  # 1 point, 20%
    (4, 3, SAME),  # 1 point, 25%
    (3, 2, BETTER),  # 1 point, but 33%
    (10, 7, BETTER),  # exactly 30%
    (2, 1, BETTER),  # 50%
    (1, 0, BETTER),
    (0, 0, SAME),
    (5, 5, SAME),
    (3, 4, SAME),  # up 1: not yet worse
    (3, 5, WORSE),  # up 2
    (0, 2, WORSE),
]


@pytest.mark.parametrize(("first", "latest", "verdict"), PAIN_TABLE)
def test_pain_change(first: int, latest: int, verdict: str) -> None:
    assert pain(first, latest, PAIN) == verdict


ACTIVITIES_TABLE = [
    (3.0, 5.0, BETTER),  # exactly 2 points
    (3.3, 5.3, BETTER),  # thirds: no float noise at the threshold
    (3.0, 4.9, SAME),
    (5.0, 5.0, SAME),
    (5.0, 3.1, SAME),
    (5.0, 3.0, WORSE),
    (0.0, 10.0, BETTER),
]


@pytest.mark.parametrize(("first", "latest", "verdict"), ACTIVITIES_TABLE)
def test_activities_change(first: float, latest: float, verdict: str) -> None:
    assert activities_change(first, latest, ACTIVITIES) == verdict


@pytest.mark.parametrize(
    ("value", "verdict"),
    [(3, BETTER), (2, BETTER), (1, SAME), (0, SAME), (-1, WORSE), (-3, WORSE)],
)
def test_global_change(value: int, verdict: str) -> None:
    assert global_change(value, GLOBAL) == verdict


def test_the_thresholds_are_the_published_ones_with_sources() -> None:
    assert (PAIN.points, PAIN.percent, ACTIVITIES.points, GLOBAL.at_least) == (2, 30, 2, 2)
    for threshold in RB.outcomes.thresholds:
        assert RB.sources[threshold.source].kind == "study"


NOW = datetime(2026, 3, 14, 9, 0, tzinfo=UTC)
DUE_TABLE = [
    # earlier checks, days since the last measure (None: never), due?
    (0, None, False),  # the very first check: never asked
    (1, None, True),  # a second check and no measure yet: a baseline
    (1, 6.9, False),
    (3, 7, True),
    (3, 30, True),
    (0, 8, False),
]


@pytest.mark.parametrize(("earlier", "days_ago", "due"), DUE_TABLE)
def test_weekly_questions_are_due(earlier: int, days_ago: float | None, due: bool) -> None:
    last = None if days_ago is None else NOW - timedelta(days=days_ago)
    assert measures_due(earlier_checks=earlier, last_measure_at=last, now=NOW, every_days=7) is due
