"""Guided walks: start, heartbeat, check-ins, finishing, resuming and recovering."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import FrozenInstanceError
from datetime import UTC, datetime, timedelta
from threading import Barrier
from typing import Any

import pytest

from backwalk.diary import CheckinRecord, Diary, DiaryError, WalkRecord, WalkStatus, open_diary
from backwalk.errors import WalkAlreadyEnded, WalkInProgress

T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
CheckinArgs = Callable[..., dict[str, Any]]


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def finish(diary: Diary, walk_id: int, seconds: float = 300, **overrides: Any) -> WalkRecord:
    values: dict[str, Any] = {
        "at": at(seconds),
        "status": WalkStatus.COMPLETED,
        "elapsed_seconds": seconds,
        "pain_after": 3,
        "stop_reason": None,
    }
    return diary.finish_walk(walk_id, **{**values, **overrides})


def test_walk_status_values_are_the_documented_strings() -> None:
    assert [status.value for status in WalkStatus] == [
        "in_progress",
        "completed",
        "stopped",
        "stopped_seek_care",
        "interrupted",
    ]
    assert WalkStatus("stopped") == "stopped"


def test_start_walk_is_in_progress_and_linked_to_its_check(diary: Diary) -> None:
    check = diary.record_check(
        at=T0, answers={"pain_score": 4}, assessment={"disposition": "walk_gently"}
    )
    walk = diary.start_walk(at=at(60), planned_minutes=5, pain_before=4, check_id=check.id)
    assert walk.status is WalkStatus.IN_PROGRESS
    assert (walk.check_id, walk.planned_minutes, walk.pain_before) == (check.id, 5, 4)
    assert (walk.started_at, walk.last_seen_at, walk.ended_at) == (at(60), at(60), None)
    assert (walk.elapsed_seconds, walk.pain_after, walk.checkins) == (0.0, None, ())
    assert diary.get_walk(walk.id) == walk


def test_records_are_frozen(started_walk: WalkRecord) -> None:
    with pytest.raises(FrozenInstanceError):
        started_walk.status = WalkStatus.COMPLETED  # type: ignore[misc]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"check_id": 999}, "there is no check 999 in the diary"),
        ({"planned_minutes": 0}, "planned_minutes must be a whole number above zero"),
        ({"pain_before": -1}, "pain_before must be a whole number from 0 to 10"),
        ({"at": datetime(2024, 5, 1)}, "at must be a timezone-aware datetime"),
    ],
)
def test_bad_walks_are_refused(diary: Diary, kwargs: dict[str, Any], message: str) -> None:
    values = {"at": T0, "planned_minutes": 5, "pain_before": 4, "check_id": None}
    with pytest.raises(DiaryError, match=message):
        diary.start_walk(**{**values, **kwargs})
    assert diary.walks() == []


def test_heartbeat_records_progress_and_last_sign_of_life(
    diary: Diary, started_walk: WalkRecord
) -> None:
    diary.heartbeat(started_walk.id, elapsed_seconds=90)
    walk = diary.get_walk(started_walk.id)
    assert (walk.elapsed_seconds, walk.last_seen_at) == (90.0, at(90))


def test_late_heartbeat_never_moves_progress_backwards(
    diary: Diary, started_walk: WalkRecord
) -> None:
    diary.heartbeat(started_walk.id, elapsed_seconds=120)
    diary.heartbeat(started_walk.id, elapsed_seconds=60)
    walk = diary.get_walk(started_walk.id)
    assert (walk.elapsed_seconds, walk.last_seen_at) == (120.0, at(120))


def test_heartbeat_for_a_missing_or_ended_walk_is_refused(
    diary: Diary, started_walk: WalkRecord
) -> None:
    with pytest.raises(DiaryError, match="there is no walk 999"):
        diary.heartbeat(999, elapsed_seconds=10)
    finish(diary, started_walk.id)
    with pytest.raises(DiaryError, match=r"already ended \(completed\)"):
        diary.heartbeat(started_walk.id, elapsed_seconds=400)


def test_add_checkin_stores_it_and_marks_the_walk_alive(
    diary: Diary, started_walk: WalkRecord, checkin_args: CheckinArgs
) -> None:
    checkin = diary.add_checkin(
        started_walk.id, **checkin_args(150, pain=5, action="stop", client_id="c-1")
    )
    assert isinstance(checkin, CheckinRecord)
    assert (checkin.walk_id, checkin.at, checkin.elapsed_seconds) == (
        started_walk.id,
        at(150),
        150.0,
    )
    assert (checkin.current_pain, checkin.action, checkin.client_id) == (5, "stop", "c-1")
    walk = diary.get_walk(started_walk.id)
    assert walk.checkins == (checkin,)
    assert (walk.last_seen_at, walk.elapsed_seconds) == (at(150), 150.0)


def test_checkin_red_flags_and_sharp_pain_round_trip(
    diary: Diary, started_walk: WalkRecord, checkin_args: CheckinArgs
) -> None:
    args = checkin_args(
        60, sharp_or_shooting=True, red_flags=["saddle_numbness"], action="stop_seek_care"
    )
    checkin = diary.add_checkin(started_walk.id, **args)
    assert checkin.sharp_or_shooting is True
    assert diary.get_walk(started_walk.id).checkins[0].red_flags == ["saddle_numbness"]


def test_resent_checkin_with_the_same_client_id_adds_nothing(
    diary: Diary, started_walk: WalkRecord, checkin_args: CheckinArgs
) -> None:
    first = diary.add_checkin(started_walk.id, **checkin_args(60, client_id="queue-7"))
    again = diary.add_checkin(started_walk.id, **checkin_args(61, pain=9, client_id="queue-7"))
    assert again == first
    assert len(diary.get_walk(started_walk.id).checkins) == 1


def test_checkins_without_client_id_are_all_kept(
    diary: Diary, started_walk: WalkRecord, checkin_args: CheckinArgs
) -> None:
    diary.add_checkin(started_walk.id, **checkin_args(60))
    diary.add_checkin(started_walk.id, **checkin_args(60))
    assert len(diary.get_walk(started_walk.id).checkins) == 2


def test_the_same_client_id_on_another_walk_is_a_new_checkin(
    diary: Diary, started_walk: WalkRecord, checkin_args: CheckinArgs
) -> None:
    one = diary.add_checkin(started_walk.id, **checkin_args(60, client_id="same"))
    finish(diary, started_walk.id)
    other = diary.start_walk(at=at(400), planned_minutes=5, pain_before=2, check_id=None)
    two = diary.add_checkin(other.id, **checkin_args(460, client_id="same"))
    assert one.id != two.id


def test_concurrent_resends_store_exactly_one_checkin(
    diary_url: str, started_walk: WalkRecord, checkin_args: CheckinArgs
) -> None:
    with open_diary(diary_url) as shared:

        def send(_: int) -> int:
            return shared.add_checkin(started_walk.id, **checkin_args(60, client_id="dup")).id

        with ThreadPoolExecutor(max_workers=6) as pool:
            ids = set(pool.map(send, range(12)))
        assert len(ids) == 1
        assert len(shared.get_walk(started_walk.id).checkins) == 1


def test_eight_copies_sent_at_once_store_one_row_and_seven_are_duplicates(
    diary_url: str, started_walk: WalkRecord, checkin_args: CheckinArgs
) -> None:
    """Each copy on its own connection, all released together: the insert decides."""
    barrier = Barrier(8, timeout=60)  # a thread that fails early must not hang the others

    def send(_: int) -> bool:
        with open_diary(diary_url) as own:
            barrier.wait()
            _, duplicate = own.record_checkin(started_walk.id, **checkin_args(60, client_id="once"))
            return duplicate

    with ThreadPoolExecutor(max_workers=8) as pool:
        duplicates = list(pool.map(send, range(8)))
    assert sorted(duplicates) == [False] + [True] * 7
    with open_diary(diary_url) as check:
        assert len(check.get_walk(started_walk.id).checkins) == 1


def test_eight_starts_at_once_leave_exactly_one_walk_in_progress(diary_url: str) -> None:
    barrier = Barrier(8, timeout=60)  # a thread that fails early must not hang the others
    open_diary(diary_url).close()  # migrated once, before the race

    def start(n: int) -> str:
        with open_diary(diary_url) as own:
            barrier.wait()
            try:
                own.start_walk(at=at(n), planned_minutes=5, pain_before=3, check_id=None)
            except WalkInProgress as refused:
                return str(refused)
            return "started"

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(start, range(8)))
    assert answers.count("started") == 1
    assert len(set(answers) - {"started"}) == 1  # the other seven get the same refusal
    with open_diary(diary_url) as check:
        assert [w.status for w in check.walks()].count(WalkStatus.IN_PROGRESS) == 1


def test_checkin_on_an_ended_walk_is_refused_but_a_resend_is_still_answered(
    diary: Diary, started_walk: WalkRecord, checkin_args: CheckinArgs
) -> None:
    first = diary.add_checkin(started_walk.id, **checkin_args(60, client_id="a"))
    finish(diary, started_walk.id)
    assert diary.add_checkin(started_walk.id, **checkin_args(60, client_id="a")) == first
    with pytest.raises(WalkAlreadyEnded, match="already ended"):
        diary.add_checkin(started_walk.id, **checkin_args(90, client_id="b"))


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"current_pain": 11}, "current_pain must be a whole number from 0 to 10"),
        ({"elapsed_seconds": -1}, "elapsed_seconds must be zero or more"),
        ({"sharp_or_shooting": "no"}, "sharp_or_shooting must be true or false"),
        ({"action": ""}, "action must be non-empty text"),
        ({"red_flags": "fever_or_chills"}, "red_flags must be a list of strings"),
    ],
)
def test_bad_checkins_are_refused(
    diary: Diary,
    started_walk: WalkRecord,
    checkin_args: CheckinArgs,
    overrides: dict[str, Any],
    message: str,
) -> None:
    with pytest.raises(DiaryError, match=message):
        diary.add_checkin(started_walk.id, **checkin_args(60, **overrides))
    assert diary.get_walk(started_walk.id).checkins == ()


def test_checkin_for_a_missing_walk_is_refused(diary: Diary, checkin_args: CheckinArgs) -> None:
    with pytest.raises(DiaryError, match="there is no walk 42"):
        diary.add_checkin(42, **checkin_args(60))


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (WalkStatus.COMPLETED, None),
        (WalkStatus.STOPPED, "pain went up"),
        (WalkStatus.STOPPED_SEEK_CARE, "new leg numbness"),
        (WalkStatus.INTERRUPTED, "Ctrl-C"),
    ],
)
def test_finish_walk_stores_the_outcome(
    diary: Diary, started_walk: WalkRecord, status: WalkStatus, reason: str | None
) -> None:
    ended = finish(diary, started_walk.id, 200, status=status, pain_after=5, stop_reason=reason)
    assert (ended.status, ended.stop_reason, ended.pain_after) == (status, reason, 5)
    assert (ended.ended_at, ended.elapsed_seconds, ended.last_seen_at) == (at(200), 200.0, at(200))
    assert diary.get_walk(started_walk.id) == ended


def test_finish_walk_accepts_the_status_as_a_string(diary: Diary, started_walk: WalkRecord) -> None:
    assert finish(diary, started_walk.id, status="stopped").status is WalkStatus.STOPPED


def test_finishing_twice_is_refused_and_keeps_the_first_outcome(
    diary: Diary, started_walk: WalkRecord
) -> None:
    first = finish(diary, started_walk.id, status=WalkStatus.COMPLETED)
    with pytest.raises(WalkAlreadyEnded, match=rf"walk {first.id} already ended \(completed\)"):
        finish(diary, started_walk.id, 400, status=WalkStatus.STOPPED)
    assert diary.get_walk(started_walk.id) == first


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"status": WalkStatus.IN_PROGRESS}, "cannot be finished as in_progress"),
        ({"status": "walked"}, "unknown walk status 'walked'; expected one of: in_progress"),
        ({"pain_after": 12}, "pain_after must be a whole number from 0 to 10"),
        ({"at": datetime(2024, 5, 1, 9, 5)}, "at must be a timezone-aware datetime"),
    ],
)
def test_bad_finishes_are_refused(
    diary: Diary, started_walk: WalkRecord, overrides: dict[str, Any], message: str
) -> None:
    with pytest.raises(DiaryError, match=message):
        finish(diary, started_walk.id, **overrides)
    assert diary.get_walk(started_walk.id).status is WalkStatus.IN_PROGRESS


def test_finishing_a_missing_walk_is_refused(diary: Diary) -> None:
    with pytest.raises(DiaryError, match="there is no walk 5 in the diary"):
        finish(diary, 5)


def test_one_walk_at_a_time(diary: Diary) -> None:
    assert diary.active_walk() is None
    first = diary.start_walk(at=at(0), planned_minutes=5, pain_before=3, check_id=None)
    with pytest.raises(WalkInProgress, match="already in progress"):
        diary.start_walk(at=at(10), planned_minutes=5, pain_before=3, check_id=None)
    active = diary.active_walk()
    assert active is not None and active.id == first.id
    finish(diary, first.id)
    assert diary.active_walk() is None
    second = diary.start_walk(at=at(400), planned_minutes=5, pain_before=3, check_id=None)
    assert second.id != first.id


@pytest.mark.parametrize(
    ("sign_of_life", "ended_at"), [("none", at(0)), ("heartbeat", at(100)), ("checkin", None)]
)
def test_recover_interrupted_ends_a_stale_walk_at_its_last_sign_of_life(
    diary: Diary, checkin_args: CheckinArgs, sign_of_life: str, ended_at: datetime | None
) -> None:
    walk = diary.start_walk(at=at(0), planned_minutes=5, pain_before=3, check_id=None)
    if sign_of_life == "heartbeat":
        diary.heartbeat(walk.id, elapsed_seconds=100)
    if sign_of_life == "checkin":
        diary.add_checkin(walk.id, **checkin_args(250))

    recovered = diary.recover_interrupted(now=at(300), stale_after_seconds=120)

    if ended_at is None:  # heard from 50 s ago: still going
        assert recovered == []
        return
    assert [w.id for w in recovered] == [walk.id]
    assert recovered[0].status is WalkStatus.INTERRUPTED
    assert recovered[0].ended_at == ended_at
    assert recovered[0].stop_reason


def test_recover_interrupted_leaves_finished_and_fresh_walks_alone(diary: Diary) -> None:
    done = diary.start_walk(at=at(-100), planned_minutes=5, pain_before=3, check_id=None)
    finish(diary, done.id, -40, elapsed_seconds=60)
    running = diary.start_walk(at=at(0), planned_minutes=5, pain_before=3, check_id=None)
    assert diary.recover_interrupted(now=at(30), stale_after_seconds=60) == []
    assert diary.recover_interrupted(now=at(60), stale_after_seconds=60) == []
    assert [w.id for w in diary.recover_interrupted(now=at(61), stale_after_seconds=60)] == [
        running.id
    ]
    assert diary.get_walk(done.id).status is WalkStatus.COMPLETED
    assert diary.recover_interrupted(now=at(999), stale_after_seconds=60) == []


def test_walks_are_oldest_first_with_checkins_and_limit_keeps_the_newest(
    diary: Diary, checkin_args: CheckinArgs
) -> None:
    ids = []
    for start in (20, 0, 10):
        walk = diary.start_walk(at=at(start), planned_minutes=5, pain_before=3, check_id=None)
        if start == 0:
            diary.add_checkin(walk.id, **checkin_args(70))
            diary.add_checkin(walk.id, **checkin_args(30))
        finish(diary, walk.id, start + 1)
        ids.append(walk.id)
    walks = diary.walks()
    assert [walk.id for walk in walks] == [ids[1], ids[2], ids[0]]
    assert [checkin.at for checkin in walks[0].checkins] == [at(30), at(70)]
    assert [walk.id for walk in diary.walks(limit=2)] == [ids[2], ids[0]]


def test_get_walk_of_a_missing_walk_is_refused(diary: Diary) -> None:
    with pytest.raises(DiaryError, match="there is no walk 7 in the diary"):
        diary.get_walk(7)


def test_pain_rose_looks_at_the_end_and_at_every_checkin(
    diary: Diary, started_walk: WalkRecord, checkin_args: CheckinArgs
) -> None:
    assert started_walk.pain_rose is False
    diary.add_checkin(started_walk.id, **checkin_args(60, pain=4))
    assert diary.get_walk(started_walk.id).pain_rose is False
    diary.add_checkin(started_walk.id, **checkin_args(90, pain=5))
    assert finish(diary, started_walk.id, pain_after=3).pain_rose is True


def test_pain_rose_after_the_walk(diary: Diary, started_walk: WalkRecord) -> None:
    assert finish(diary, started_walk.id, pain_after=6).pain_rose is True


def test_forget_deletes_everything_and_counts_the_rows(
    diary: Diary, started_walk: WalkRecord, checkin_args: CheckinArgs
) -> None:
    diary.record_check(at=T0, answers={}, assessment={"disposition": "rest_first"})
    diary.add_checkin(started_walk.id, **checkin_args(60))
    diary.add_checkin(started_walk.id, **checkin_args(90))
    assert diary.forget() == 4
    assert (diary.checks(), diary.walks(), diary.active_walk()) == ([], [], None)
    assert diary.forget() == 0


def test_ids_are_not_reused_after_forget(diary: Diary, started_walk: WalkRecord) -> None:
    diary.forget()
    again = diary.start_walk(at=T0, planned_minutes=5, pain_before=4, check_id=None)
    assert again.id > started_walk.id


def test_forget_keeps_walks_valid_when_their_check_is_gone(
    diary: Diary, sample_check: Callable[..., dict[str, Any]]
) -> None:
    check = diary.record_check(**sample_check())
    diary.start_walk(at=T0, planned_minutes=5, pain_before=4, check_id=check.id)
    assert diary.forget() == 2
