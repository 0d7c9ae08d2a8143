"""A check-in that has been stored must survive the process being killed straight after."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from datetime import UTC, datetime

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
