"""Minutes walked per day are added up by the database (`Diary.walked_days`), by the person's
day in the machine's time zone, the same on SQLite and PostgreSQL, across a change of clocks,
and as Python would add them walk by walk."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest

from backwalk.diary import Diary, localdays
from backwalk.diary.records import WalkedDay, WalkStatus
from backwalk.errors import InputError
from backwalk.programme import local_day

# British clocks went forward at 01:00 UTC on 31 March 2024, and back at 01:00 UTC on 27 October.
SPRING = datetime(2024, 3, 31, 1, 0, tzinfo=UTC)
AUTUMN = datetime(2024, 10, 27, 1, 0, tzinfo=UTC)


@pytest.fixture(params=["Europe/London", "Pacific/Auckland", "America/Los_Angeles"])
def zone(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The machine's time zone for the test (the app runs on the person's own)."""
    monkeypatch.setenv("TZ", request.param)
    time.tzset()
    yield request.param
    monkeypatch.undo()
    time.tzset()


def _walk(diary: Diary, at: datetime, seconds: float, status: WalkStatus) -> None:
    walk = diary.start_walk(at=at, planned_minutes=10, pain_before=3, check_id=None)
    if status is not WalkStatus.IN_PROGRESS:
        diary.finish_walk(
            walk.id,
            at=at + timedelta(seconds=seconds),
            status=status,
            elapsed_seconds=seconds,
            pain_after=3,
            stop_reason=None,
        )


def _starts(around: datetime) -> list[datetime]:
    """Walks either side of each local midnight near `around`, and in the hour the clocks
    change: where a day decided in UTC, or by a fixed offset, would be wrong."""
    moments = []
    for days in range(-2, 3):
        midnight = datetime.combine(local_day(around) + timedelta(days=days), datetime.min.time())
        local = midnight.astimezone()
        moments += [local - timedelta(minutes=7), local + timedelta(minutes=7)]
    return [*moments, around - timedelta(minutes=30), around + timedelta(minutes=30)]


@pytest.mark.parametrize("around", [SPRING, AUTUMN], ids=["spring", "autumn"])
def test_each_walk_counts_on_its_local_day(diary: Diary, zone: str, around: datetime) -> None:
    statuses = [WalkStatus.COMPLETED, WalkStatus.STOPPED, WalkStatus.STOPPED_SEEK_CARE]
    seconds_on: dict[date, float] = defaultdict(float)
    stopped_on: dict[date, int] = defaultdict(int)
    for n, start in enumerate(_starts(around)):
        status = statuses[n % len(statuses)]
        seconds = 60.0 * (n + 1) + 0.25
        _walk(diary, start, seconds, status)
        seconds_on[local_day(start)] += seconds
        stopped_on[local_day(start)] += status is not WalkStatus.COMPLETED
    first, last = min(seconds_on), max(seconds_on)
    walked = diary.walked_days(first, last)
    assert set(walked) == set(seconds_on)
    for day, walks in walked.items():
        assert walks.seconds == pytest.approx(seconds_on[day]), day
        assert walks.stopped == stopped_on[day], day
    inner = diary.walked_days(first + timedelta(days=1), last - timedelta(days=1))
    assert set(inner) == {d for d in seconds_on if first < d < last}


def test_a_walk_still_going_counts_no_time_and_days_without_walks_are_left_out(
    diary: Diary,
) -> None:
    start = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
    _walk(diary, start, 0, WalkStatus.IN_PROGRESS)
    day = local_day(start)
    walked = diary.walked_days(day - timedelta(days=3), day + timedelta(days=3))
    assert walked == {day: WalkedDay(None, 0)}


def test_the_days_asked_for_must_run_forwards(diary: Diary) -> None:
    with pytest.raises(InputError):
        diary.walked_days(date(2024, 5, 2), date(2024, 5, 1))


def test_the_offsets_change_at_the_clock_changes_to_the_second(zone: str) -> None:
    low, high = datetime(2024, 1, 1, tzinfo=UTC), datetime(2025, 1, 1, tzinfo=UTC)
    starts, offsets = localdays.offsets(low, high)
    assert starts[0] == low.timestamp() and len(starts) == len(offsets) == 3
    for start, offset in zip(starts, offsets, strict=True):
        moment = datetime.fromtimestamp(start, UTC)
        assert moment.astimezone().utcoffset() == timedelta(seconds=offset)
        before = (moment - timedelta(seconds=1)).astimezone().utcoffset()
        assert start == low.timestamp() or before != timedelta(seconds=offset)
    if zone == "Europe/London":
        assert starts[1:] == [SPRING.timestamp(), AUTUMN.timestamp()]


def test_walks_logged_by_hand_are_added_up_by_their_day(diary: Diary) -> None:
    start = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
    _walk(diary, start, 600, WalkStatus.COMPLETED)
    day = local_day(start)
    for walked_on, minutes in ((day, 20), (day, 5), (day - timedelta(days=1), 30)):
        diary.log_walk(at=start, walked_on=walked_on, minutes=minutes)
    diary.log_walk(at=start, walked_on=day - timedelta(days=9), minutes=40)  # before
    walked = diary.walked_days(day - timedelta(days=3), day)
    assert walked == {
        day: WalkedDay(600.0, 0, 25),
        day - timedelta(days=1): WalkedDay(None, 0, 30),
    }
