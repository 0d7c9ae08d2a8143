"""Progress in words from the diary: messages, thresholds and their sources from the rulebook."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from backwalk.diary import DiaryError, open_diary
from backwalk.outcomes import activities_to_rate, progress, weekly_measures_due

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def diary():
    with open_diary("sqlite://") as opened:
        yield opened


def _check(diary, pain: int | None, days: float = 0):
    answers = {} if pain is None else {"pain_score": pain}
    return diary.record_check(
        at=T0 + timedelta(days=days), answers=answers, assessment={"disposition": "walk_gently"}
    )


def test_an_empty_diary_says_what_is_missing(diary) -> None:
    lines = {line.measure: line for line in progress([], [])}
    assert lines["pain"].message_id == "pain_too_few"
    assert lines["activities"].message_id == "activities_none"
    assert lines["global_change"].message_id == "global_none"
    assert all(line.source and line.threshold_source for line in lines.values())


def test_progress_compares_first_and_latest(diary) -> None:
    for days, pain in enumerate((6, 5, 4)):
        _check(diary, pain, days)
    diary.record_outcome(at=T0, activities=[("socks", 3), ("sitting", 4)])
    diary.record_outcome(
        at=T0 + timedelta(days=7), activities=[("Socks", 6), ("sitting", 5)], global_change=-1
    )
    pain, activities, overall = progress(diary.checks(), diary.outcomes())
    assert pain.text == "Pain is down from 6 to 4 out of 10: a change that matters."
    assert pain.threshold_source == "Ostelo et al. 2008"
    assert activities.message_id == "activities_better"
    assert "3.5 to 5.5" in activities.text
    assert overall.message_id == "global_worse" and "'A little worse'" in overall.text


def test_pain_minutes_apart_is_not_yet_a_change(diary) -> None:
    # two checks a minute apart show how a moment varies, not a change (new-user trial)
    _check(diary, 6)
    _check(diary, 4, days=1 / 1440)
    pain, _, _ = progress(diary.checks(), [])
    assert pain.message_id == "pain_too_few"
    _check(diary, 4, days=1)
    pain, _, _ = progress(diary.checks(), [])
    assert pain.message_id == "pain_better"


def test_new_activities_start_a_new_baseline(diary) -> None:
    diary.record_outcome(at=T0, activities=[("socks", 2)])
    diary.record_outcome(at=T0 + timedelta(days=7), activities=[("gardening", 8)])
    _, activities, _ = progress([], diary.outcomes())
    assert activities.message_id == "activities_first"
    assert activities_to_rate(diary) == ("gardening",)


def test_weekly_questions_wait_for_an_earlier_check_then_a_week(diary) -> None:
    first = _check(diary, 5)
    assert not weekly_measures_due(diary, T0, current_check_id=first.id)
    second = _check(diary, 4, 1)
    assert weekly_measures_due(diary, T0 + timedelta(days=1), current_check_id=second.id)
    diary.record_outcome(at=T0 + timedelta(days=1), activities=[], global_change=0)
    assert not weekly_measures_due(diary, T0 + timedelta(days=7, hours=23))
    assert weekly_measures_due(diary, T0 + timedelta(days=8))


@pytest.mark.parametrize(
    ("activities", "change", "message"),
    [
        ([], None, "at least one activity score or a global rating"),
        ([("socks", 11)], None, "whole number from 0 to 10"),
        ([("  ", 3)], None, "named in words"),
        ([("socks", 3), ("SOCKS", 4)], None, "only once"),
        ([("a", 1), ("b", 1), ("c", 1), ("d", 1), ("e", 1), ("f", 1)], None, "at most 5"),
        ([], 4, "from -3 to 3"),
        ([], True, "from -3 to 3"),
    ],
)
def test_bad_measures_are_refused(diary, activities, change, message) -> None:
    with pytest.raises(DiaryError, match=message):
        diary.record_outcome(at=T0, activities=activities, global_change=change)


WEEKS = [
    ([("Socks", 2), ("gardening", 3)], 1),
    ([("gardening", 4), ("socks", 5)], None),  # the same set, another order and case
    ([("running", 1)], -1),  # a new set: a new baseline
    ([], 2),
    ([("RUNNING", 4)], None),
    ([("socks", 6), ("gardening", 6)], None),  # the first set again: its first week is the base
]


def test_progress_from_the_few_measures_the_diary_picks_is_progress_from_them_all(
    tmp_path,
) -> None:
    """`progress_measures()` reads three rows, however long the diary; progress must say the
    same from them as from every measure, week after week."""
    from datetime import UTC, datetime, timedelta

    from backwalk.diary import open_diary
    from backwalk.outcomes import progress

    start = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)
    with open_diary(f"sqlite:///{tmp_path / 'diary.db'}") as diary:
        assert diary.progress_measures() == []
        for n, (activities, change) in enumerate(WEEKS):
            diary.record_outcome(
                at=start + timedelta(weeks=n), activities=activities, global_change=change
            )
            assert progress([], diary.progress_measures()) == progress([], diary.outcomes())
        assert len(diary.progress_measures()) == 3
