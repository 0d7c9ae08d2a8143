"""The walk's timetable, without a clock or a terminal."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backwalk.cli.walkloop import Due, WalkSession, clock_text


def run_seconds(session: WalkSession, seconds: int) -> list[tuple[int, Due]]:
    """Drive the session one second at a time, doing each check-in as soon as it is due."""
    seen = []
    for t in range(seconds + 1):
        for event in session.due(t):
            seen.append((t, event))
            if event is Due.CHECKIN:
                session.checkin_done(t)
            if event is Due.END:
                return seen
    return seen


def times(seen: list[tuple[int, Due]], event: Due) -> list[int]:
    return [t for t, e in seen if e is event]


def test_a_five_minute_walk_with_two_minute_checkins():
    seen = run_seconds(WalkSession(planned_seconds=300, checkin_every_seconds=120), 400)
    assert times(seen, Due.CHECKIN) == [120, 240]
    assert times(seen, Due.END) == [300]
    assert times(seen, Due.HEARTBEAT) == list(range(15, 300, 15))
    assert times(seen, Due.CUE) == [45, 90, 135, 180, 225, 270]
    assert times(seen, Due.PROGRESS) == [60, 120, 180, 240]


def test_a_checkin_due_at_the_planned_end_gives_way_to_the_end():
    seen = run_seconds(WalkSession(planned_seconds=240, checkin_every_seconds=120), 300)
    assert times(seen, Due.CHECKIN) == [120]
    assert seen[-1] == (240, Due.END)


def test_an_extra_checkin_pushes_the_next_scheduled_one_back():
    session = WalkSession(planned_seconds=600, checkin_every_seconds=120)
    assert Due.CHECKIN not in session.due(50)
    session.checkin_done(50)  # asked for with a key
    assert Due.CHECKIN not in session.due(120)
    assert Due.CHECKIN in session.due(170)


def test_a_long_checkin_does_not_cause_a_burst_of_stale_events():
    session = WalkSession(planned_seconds=1800, checkin_every_seconds=120)
    assert session.due(15) == [Due.HEARTBEAT]
    events = session.due(400)  # the person took minutes to answer
    assert events.count(Due.HEARTBEAT) == 1
    session.checkin_done(400)
    assert session.due(401) == []
    assert session.seconds_to_next(401) > 0


def test_only_the_end_once_the_time_is_up():
    session = WalkSession(planned_seconds=60, checkin_every_seconds=30)
    assert session.due(1000) == [Due.END]


def test_cues_rotate():
    session = WalkSession(planned_seconds=60, checkin_every_seconds=30)
    assert [session.next_cue(3) for _ in range(5)] == [0, 1, 2, 0, 1]


@pytest.mark.parametrize("field", ["planned_seconds", "checkin_every_seconds"])
def test_intervals_must_be_positive(field):
    values = {"planned_seconds": 60.0, "checkin_every_seconds": 30.0, field: 0.0}
    with pytest.raises(ValueError, match=field):
        WalkSession(**values)


@given(planned=st.integers(1, 3600), every=st.integers(1, 900))
def test_the_walk_always_ends_on_time_with_checkins_only_before_the_end(planned, every):
    seen = run_seconds(WalkSession(planned_seconds=planned, checkin_every_seconds=every), planned)
    assert seen[-1] == (planned, Due.END)
    checkins = times(seen, Due.CHECKIN)
    assert checkins == list(range(every, planned, every))


@given(planned=st.floats(1, 3600), every=st.floats(0.5, 900), elapsed=st.floats(0, 4000))
def test_the_sleep_until_the_next_event_is_never_negative(planned, every, elapsed):
    session = WalkSession(planned_seconds=planned, checkin_every_seconds=every)
    session.due(elapsed)
    assert session.seconds_to_next(elapsed) >= 0
    assert 0 <= session.seconds_left(elapsed) <= planned


@pytest.mark.parametrize(
    ("seconds", "text"), [(0, "0:00"), (59.9, "0:59"), (125, "2:05"), (1800, "30:00"), (-3, "0:00")]
)
def test_clock_text(seconds, text):
    assert clock_text(seconds) == text
