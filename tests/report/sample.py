"""A fixed two-week diary for the report's golden tests and the README picture.

.venv/bin/python -m tests.report.sample report.pdf   # writes the sample report
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from backwalk.diary import Diary, WalkStatus, open_diary
from backwalk.engine import assess

START = datetime(2026, 3, 1, 8, 30, tzinfo=UTC)
NOW = datetime(2026, 3, 14, 18, 0, tzinfo=UTC)
CALM = {"sharp_pain": False, "unrelenting_pain": False, "hard_to_stand": False}


@dataclass(frozen=True)
class Day:
    pain: int
    walk: tuple[int, int | None, float] | None = None  # before, after, minutes walked
    extra: dict[str, Any] | None = None
    status: WalkStatus = WalkStatus.COMPLETED


DAYS = [
    Day(7, None, {"sharp_pain": True}),  # rest first
    Day(6, (6, 5, 5)),
    Day(6, (5, 4, 5)),
    Day(5, (5, 5, 7)),
    Day(5, None, {"night_pain": True}),  # a warning sign: get seen today
    Day(5, (5, 6, 3.5), None, WalkStatus.STOPPED),  # pain rose: stopped
    Day(4, (4, 3, 5)),
    Day(4, (4, 4, 7)),
    Day(4, (4, 3, 9)),
    Day(3, (3, 3, 11)),
    Day(3, (3, 2, 13)),
    Day(3, (3, 2, 15)),
    Day(3, None),
    Day(2, (2, 2, 17)),
]


def fill(diary: Diary) -> Diary:
    """Fourteen days from 1 March 2026: checks, walks, a warning sign and two weekly measures."""
    for number, day in enumerate(DAYS):
        at = START + timedelta(days=number)
        answers = {"pain_score": day.pain, **CALM, **(day.extra or {})}
        check = diary.record_check(at=at, answers=answers, assessment=assess(answers))
        if day.walk is not None:
            _walk(diary, day, at + timedelta(minutes=20), check.id)
        if number in (1, 8):
            scores = [("putting on socks", 3), ("sitting through a meeting", 4), ("gardening", 2)]
            if number == 8:
                scores = [
                    ("putting on socks", 6),
                    ("sitting through a meeting", 6),
                    ("gardening", 3),
                ]
            change = None if number == 1 else 2
            diary.record_outcome(
                at=at + timedelta(minutes=5), activities=scores, global_change=change
            )
    return diary


def _walk(diary: Diary, day: Day, at: datetime, check_id: int) -> None:
    assert day.walk is not None
    before, after, minutes = day.walk
    walk = diary.start_walk(
        at=at, planned_minutes=round(minutes), pain_before=before, check_id=check_id
    )
    seconds = minutes * 60
    pain_mid = after if day.status is WalkStatus.STOPPED else before
    action = "stop" if day.status is WalkStatus.STOPPED else "continue"
    diary.add_checkin(
        walk.id,
        at=at + timedelta(seconds=seconds * 0.6),
        elapsed_seconds=seconds * 0.6,
        current_pain=pain_mid if pain_mid is not None else before,
        sharp_or_shooting=False,
        red_flags=[],
        action=action,
    )
    diary.finish_walk(
        walk.id,
        at=at + timedelta(seconds=seconds),
        status=day.status,
        elapsed_seconds=seconds,
        pain_after=after,
        stop_reason="Your pain went up from 5 to 6." if day.status is WalkStatus.STOPPED else None,
    )


def main(argv: list[str]) -> None:
    from backwalk.report import build_report, render_html, render_pdf

    target = argv[0] if argv else "report.pdf"
    with open_diary("sqlite://") as diary:
        report = build_report(fill(diary), NOW, 14, tz=UTC)
    html = render_html(report)
    with open(target, "wb") as out:
        out.write(render_pdf(html) if target.endswith(".pdf") else html.encode())


if __name__ == "__main__":
    main(sys.argv[1:])
