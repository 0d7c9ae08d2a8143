"""Pre-walk checks: what is stored, what comes back, and what is refused."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backwalk.diary import CheckRecord, Diary, DiaryError, open_diary

T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
CheckArgs = Callable[..., dict[str, Any]]


def test_record_check_stores_answers_assessment_and_text(
    diary: Diary, sample_check: CheckArgs
) -> None:
    args = sample_check(pain=4, urgency="routine")
    stored = diary.record_check(**args, text="it's a dull ache, about a 4")
    assert isinstance(stored, CheckRecord)
    assert stored.id > 0
    assert stored.answers == args["answers"]
    assert stored.assessment == args["assessment"]
    assert stored.text == "it's a dull ache, about a 4"
    assert diary.latest_check() == stored


def test_record_check_fills_the_denormalised_columns(diary: Diary) -> None:
    assessment = {
        "disposition": "seek_care_now",
        "urgency": "same_day",
        "red_flags": ["fever_or_chills", "history_of_cancer"],
    }
    stored = diary.record_check(at=T0, answers={"pain_score": 6}, assessment=assessment)
    assert stored.disposition == "seek_care_now"
    assert stored.urgency == "same_day"
    assert stored.pain_score == 6
    assert stored.red_flags == ["fever_or_chills", "history_of_cancer"]


def test_optional_columns_may_be_missing(diary: Diary) -> None:
    stored = diary.record_check(at=T0, answers={}, assessment={"disposition": "rest_first"})
    assert (stored.urgency, stored.pain_score, stored.red_flags, stored.text) == (
        None,
        None,
        [],
        None,
    )


def test_pain_score_found_only_in_free_text_is_kept(diary: Diary) -> None:
    assessment = {"disposition": "walk_gently", "answers": {"pain_score": 5}}
    stored = diary.record_check(at=T0, answers={}, assessment=assessment, text="moderate")
    assert stored.pain_score == 5


def test_stored_check_is_read_back_identically(diary_url: str, sample_check: CheckArgs) -> None:
    with open_diary(diary_url) as writer:
        stored = writer.record_check(**sample_check())
    with open_diary(diary_url) as reader:
        assert reader.checks() == [stored]


def test_later_changes_to_the_callers_dicts_do_not_leak_in(
    diary: Diary, sample_check: CheckArgs
) -> None:
    args = sample_check()
    stored = diary.record_check(**args)
    args["answers"]["pain_score"] = 9
    assert stored.answers["pain_score"] == 4
    assert diary.checks()[0].answers["pain_score"] == 4


def test_checks_are_oldest_first_and_limit_keeps_the_newest(diary: Diary) -> None:
    for hour in (3, 1, 2):
        diary.record_check(
            at=T0 + timedelta(hours=hour),
            answers={"pain_score": hour},
            assessment={"disposition": "walk_gently"},
        )
    assert [check.pain_score for check in diary.checks()] == [1, 2, 3]
    assert [check.pain_score for check in diary.checks(limit=2)] == [2, 3]
    assert diary.checks(limit=0) == []
    latest = diary.latest_check()
    assert latest is not None and latest.pain_score == 3


def test_latest_check_of_an_empty_diary_is_none(diary: Diary) -> None:
    assert diary.latest_check() is None
    assert diary.checks() == []


def test_times_come_back_timezone_aware_in_utc(diary: Diary) -> None:
    paris_summer = timezone(timedelta(hours=2))
    local = datetime(2024, 7, 1, 8, 30, 15, 123456, tzinfo=paris_summer)
    diary.record_check(at=local, answers={}, assessment={"disposition": "rest_first"})
    back = diary.checks()[0].at
    assert back == local
    assert back.utcoffset() == timedelta(0)
    assert back.hour == 6


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"at": datetime(2024, 5, 1, 9, 0)}, "at must be a timezone-aware datetime"),
        ({"assessment": {"red_flags": []}}, "assessment.disposition is missing"),
        ({"answers": {"pain_score": 11}}, "pain_score must be a whole number from 0 to 10"),
        ({"answers": {"when": T0}}, "answers cannot be stored as JSON"),
        ({"answers": {"x": float("nan")}}, "answers cannot be stored as JSON"),
        ({"answers": ["pain_score", 4]}, "answers must be a JSON object"),
        ({"assessment": {"disposition": "x", "red_flags": "fever"}}, "red_flags must be a list"),
    ],
)
def test_bad_checks_are_refused_with_a_clear_message(
    diary: Diary, sample_check: CheckArgs, kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(DiaryError, match=message):
        diary.record_check(**{**sample_check(), **kwargs})
    assert diary.checks() == []


@pytest.mark.parametrize("limit", [-1, 1.5, True])
def test_bad_limits_are_refused(diary: Diary, limit: Any) -> None:
    with pytest.raises(DiaryError, match="limit must be a whole number"):
        diary.checks(limit=limit)


@pytest.fixture(scope="module")
def memory_diary() -> Iterator[Diary]:
    """One in-memory diary for the property test: migrating per example would be slow."""
    with open_diary("sqlite://") as diary:
        yield diary


@settings(deadline=None)
@given(
    moment=st.datetimes(
        min_value=datetime(1990, 1, 1),
        max_value=datetime(2100, 1, 1),
        timezones=st.timezones(),
    )
)
def test_any_aware_time_round_trips_to_the_same_instant(
    memory_diary: Diary, moment: datetime
) -> None:
    memory_diary.forget()
    memory_diary.record_check(at=moment, answers={}, assessment={"disposition": "rest_first"})
    back = memory_diary.checks()[0].at
    # Compare in UTC: Python deems an ambiguous local time (DST fold) unequal to any other zone.
    assert back == moment.astimezone(UTC)
    assert back.tzinfo is UTC


def test_get_check_and_counts(diary: Diary, sample_check: CheckArgs) -> None:
    assert diary.counts() == (0, 0)
    check = diary.record_check(**sample_check(pain=3))
    assert diary.get_check(check.id) == check
    diary.start_walk(at=T0, planned_minutes=5, pain_before=3, check_id=check.id)
    assert diary.counts() == (1, 1)
    with pytest.raises(DiaryError, match="no check 999"):
        diary.get_check(999)


def test_eight_copies_of_one_check_sent_at_once_store_one(diary_url: str) -> None:
    """A phone's offline outbox may send a check twice; the unique client_id decides."""
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    from backwalk.coach import save_check

    barrier = Barrier(8, timeout=60)  # a thread that fails early must not hang the others
    at = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    open_diary(diary_url).close()  # migrated once, before the race

    def send(_: int) -> tuple[int, bool]:
        with open_diary(diary_url) as own:
            barrier.wait()
            _, record, duplicate = save_check(own, {"pain_score": 3}, at, client_id="phone-1")
            return record.id, duplicate

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(send, range(8)))
    assert len({check_id for check_id, _ in answers}) == 1
    assert sorted(duplicate for _, duplicate in answers) == [False] + [True] * 7
    with open_diary(diary_url) as check:
        assert len(check.checks()) == 1


def test_recent_history_lists_the_latest_rows_and_says_whether_there_are_more(
    diary: Diary, sample_check: CheckArgs
) -> None:
    assert diary.recent_history(2).more is False
    for n in range(3):
        diary.record_check(**{**sample_check(pain=3 + n), "at": T0 + timedelta(hours=n)})
    read = diary.recent_history(2)
    assert [c.pain_score for c in read.checks] == [4, 5]
    assert (read.more, read.walks, read.visits, read.measures) == (True, [], [], [])
    assert read.first_scored is not None and read.first_scored.pain_score == 3
    assert diary.recent_history(3).more is False
