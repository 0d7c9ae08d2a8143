"""A check-in that has been stored must survive the process being killed straight after."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from datetime import UTC, datetime

import pytest

from backwalk.diary import WalkStatus, open_diary

WALK_THEN_SIGKILL = textwrap.dedent(
    """
    import os, signal, sys
    from datetime import UTC, datetime, timedelta
    from backwalk.diary import open_diary

    start = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
    diary = open_diary(sys.argv[1])
    walk = diary.start_walk(at=start, planned_minutes=5, pain_before=4, check_id=None)
    for seconds, pain in ((60, 4), (120, 5)):
        diary.add_checkin(
            walk.id, at=start + timedelta(seconds=seconds), elapsed_seconds=seconds,
            current_pain=pain, sharp_or_shooting=False, red_flags=[], action="continue",
            client_id=f"c{seconds}",
        )
    print(walk.id, flush=True)
    # No close(), no exit handlers: the process dies exactly as after `kill -9`.
    os.kill(os.getpid(), signal.SIGKILL)
    """
)


def test_checkins_survive_sigkill_right_after_the_call(diary_url: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", WALK_THEN_SIGKILL, diary_url],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == -signal.SIGKILL, result.stderr
    walk_id = int(result.stdout)

    with open_diary(diary_url) as diary:
        walk = diary.get_walk(walk_id)
        assert walk.status is WalkStatus.IN_PROGRESS
        assert [checkin.current_pain for checkin in walk.checkins] == [4, 5]
        assert [checkin.client_id for checkin in walk.checkins] == ["c60", "c120"]
        assert walk.elapsed_seconds == 120.0

        recovered = diary.recover_interrupted(
            now=datetime(2024, 5, 1, 10, 0, tzinfo=UTC), stale_after_seconds=300
        )
        assert [(w.id, w.status, w.ended_at) for w in recovered] == [
            (walk_id, WalkStatus.INTERRUPTED, walk.last_seen_at)
        ]


def test_a_check_in_and_the_walk_end_it_causes_are_one_transaction(diary, monkeypatch) -> None:
    """A crash between storing a stopping check-in and ending the walk must not leave a
    walk that later reads 'interrupted' instead of 'stopped: seek care' (issue 17)."""
    from datetime import UTC, datetime, timedelta

    from backwalk import coach
    from backwalk.diary import walks as walk_rows

    start = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    coach.run_check(diary, {"pain_score": 3}, start)
    walk = coach.start_walk(diary, start + timedelta(minutes=1), pain_before=3)
    report = {"current_pain": 3, "chest_pain": True}
    later = start + timedelta(minutes=3)

    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the process died here")

    with monkeypatch.context() as patched:
        patched.setattr(walk_rows, "end_walk", crash)
        with pytest.raises(RuntimeError):
            coach.record_checkin(diary, walk.id, later, 120, report, client_id="c1")
    after_crash = diary.get_walk(walk.id)
    assert after_crash.status == "in_progress" and after_crash.checkins == ()  # nothing half-done
    outcome = coach.record_checkin(diary, walk.id, later, 120, report, client_id="c1")  # resent
    assert outcome.walk.status == "stopped_seek_care"
    assert [c.action for c in outcome.walk.checkins] == ["stop_seek_care"]
