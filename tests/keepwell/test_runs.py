"""The walking plan's runs, from the keeping-well facts alone: a new episode ends a run, the
recovery after it starts the next (picking up, when `confirm_recovery` wrote the plan at that
very moment), and the weeks count on across the pause."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from backwalk.diary.records import (
    KeepwellFacts,
    ProgrammeRecord,
    RecoveryRecord,
    RecurrenceRecord,
)
from backwalk.keepwell import plan_runs

T0 = datetime(2027, 1, 4, 9, tzinfo=UTC)  # a Monday


def at(days: float) -> datetime:
    return T0 + timedelta(days=days)


def facts(
    recoveries: list[float],
    episodes: list[float],
    plans: list[float],
    no: tuple[float, ...] | list[float] = (),
) -> KeepwellFacts:
    answers = [RecurrenceRecord(i, at(d), at(d - 30), True) for i, d in enumerate(episodes)]
    answers += [RecurrenceRecord(100 + i, at(d), at(d - 30), False) for i, d in enumerate(no)]
    return KeepwellFacts(
        recoveries=[RecoveryRecord(i, at(d)) for i, d in enumerate(recoveries)],
        recurrences=sorted(answers, key=lambda a: a.at),
        programmes=[
            ProgrammeRecord(i, at(d), ("mon", "wed", "fri"), 10) for i, d in enumerate(plans)
        ],
    )


RUNS = [
    # recoveries, episodes (yes), plans -> (first plan day, paused day, resumed, weeks before)
    ("no plan yet", [1], [], [], []),
    ("one run, still going", [1], [], [2], [(2, None, False, 0)]),
    ("paused in its week 5", [1], [30], [2], [(2, 30, False, 0)]),
    ("picked up at the recovery", [1, 40], [30], [2, 40], [(2, 30, False, 0), (40, None, True, 5)]),
    (
        "a new plan chosen later is not a pick-up",
        [1, 40],
        [30],
        [2, 45],
        [(2, 30, False, 0), (45, None, False, 5)],
    ),
    (
        "two pauses: the weeks add up",
        [1, 40, 100],
        [30, 80],
        [2, 40, 100],
        [(2, 30, False, 0), (40, 80, True, 5), (100, None, True, 11)],
    ),
    ("paused, not yet recovered", [1], [30], [2], [(2, 30, False, 0)]),
    ("a plan before any recovery never counts", [5], [], [2], []),
]


@pytest.mark.parametrize(("name", "recoveries", "episodes", "plans", "want"), RUNS)
def test_plan_runs(name: str, recoveries, episodes, plans, want) -> None:
    runs = plan_runs(facts(recoveries, episodes, plans))
    got = [
        (
            (r.plans[0].at - T0).days,
            None if r.paused_at is None else (r.paused_at - T0).days,
            r.resumed,
            r.weeks_before,
        )
        for r in runs
    ]
    assert got == want


def test_a_no_answer_ends_nothing() -> None:
    runs = plan_runs(facts([1], [], [2], no=[31, 61]))
    assert [(r.paused_at, r.resumed, r.weeks_before) for r in runs] == [(None, False, 0)]
