"""Two weeks of a diary kept in Spanish, with everything the history, keeping well, the weekly
questions and the report can show: a warning sign and the visit after it, walks of every ending
(one stopped at 3.5 minutes, one interrupted, one of 5.2 minutes), the weekly measures twice,
then back to normal with a walking plan, a walk logged by hand and a medicine. The person's own
words (the activities, the medicine) are Spanish, so what reads English on a page is backwalk's.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from backwalk import coach, i18n, keepwell
from backwalk.diary import Diary, WalkStatus
from backwalk.engine import assess

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)  # the tests' ManualClock starts here
CALM = {"sharp_pain": False, "unrelenting_pain": False, "hard_to_stand": False}
# day (days before NOW), pain, the walk: (minutes walked, pain after, how it ended) or None
DAYS = [
    (13, 6, None),
    (12, 6, (5, 5, WalkStatus.COMPLETED)),
    (11, 5, (3.5, 6, WalkStatus.STOPPED)),
    (10, 5, (5.2, 4, WalkStatus.COMPLETED)),
    (9, 4, (2, None, WalkStatus.INTERRUPTED)),
    (8, 4, (7, 3, WalkStatus.COMPLETED)),
    (6, 3, (9, 3, WalkStatus.COMPLETED)),
    (4, 3, (11, 2, WalkStatus.COMPLETED)),
    (3, 2, (13, 2, WalkStatus.COMPLETED)),
]
ACTIVITIES = ("ponerme los calcetines", "estar sentado en una reunión")


def fill(diary: Diary, now: datetime = NOW) -> None:
    """Write the two weeks into `diary`, everything said in Spanish as it happened."""
    with i18n.using("es"):
        warning = {"night_pain": True, "pain_score": 6}
        diary.record_check(at=now - timedelta(days=14), answers=warning, assessment=assess(warning))
        diary.record_visit(at=now - timedelta(days=13, hours=12))
        for days, pain, walk in DAYS:
            at = now - timedelta(days=days)
            answers = {"pain_score": pain, **CALM}
            check = diary.record_check(at=at, answers=answers, assessment=assess(answers))
            if walk is not None:
                _walk(diary, at + timedelta(minutes=20), check.id, pain, walk)
        first, later = now - timedelta(days=12, hours=-1), now - timedelta(days=4, hours=-1)
        diary.record_outcome(at=first, activities=[(ACTIVITIES[0], 3), (ACTIVITIES[1], 4)])
        diary.record_outcome(
            at=later, activities=[(ACTIVITIES[0], 6), (ACTIVITIES[1], 7)], global_change=2
        )
        moment = now - timedelta(hours=2)
        keepwell.confirm_recovery(diary, moment)
        keepwell.set_programme(diary, moment, ["mon", "wed", "fri"], 10)
        keepwell.log_walk(diary, moment, 7)
        keepwell.log_medicine(diary, moment, "ibuprofeno", "400 mg")


def _walk(
    diary: Diary, at: datetime, check_id: int, pain: int, walk: tuple[float, int | None, str]
) -> None:
    minutes, after, status = walk
    started = diary.start_walk(at=at, planned_minutes=5, pain_before=pain, check_id=check_id)
    end = at + timedelta(minutes=minutes)
    if status == WalkStatus.INTERRUPTED:
        coach.finish_walk(diary, started.id, end, status, minutes * 60, None)
        return
    if status == WalkStatus.STOPPED:  # the pain rose at a check-in: the walk stops there
        report = {"current_pain": after, "sharp_or_shooting": False}
        coach.record_checkin(diary, started.id, end, minutes * 60, report)
        return
    diary.finish_walk(
        started.id,
        at=end,
        status=WalkStatus(status),
        elapsed_seconds=minutes * 60,
        pain_after=after,
        stop_reason=None,
    )
