"""The owner filter alone keeps one person's rows from another's (SQLite has no row-level
security to fall back on), however often the same query has run for somebody else."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from backwalk.diary import open_diary
from backwalk.diary.models import PersonRow

T0 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
GENTLE = {"disposition": "walk_gently", "red_flags": []}


def test_each_person_reads_only_their_own_rows_from_warm_query_caches(tmp_path: Path) -> None:
    with open_diary(f"sqlite:///{tmp_path / 'diary.db'}") as diary:
        with Session(diary.engine) as session, session.begin():
            session.add(PersonRow(id=2, kind="device", created_at=T0))
        mine, theirs = diary.scoped(1), diary.scoped(2)
        for n, person in enumerate((mine, theirs, mine, theirs)):
            at = T0 + timedelta(hours=n)
            check = person.record_check(at=at, answers={"pain_score": n}, assessment=GENTLE)
            walk = person.start_walk(at=at, planned_minutes=5, pain_before=n, check_id=check.id)
            person.finish_walk(
                walk.id,
                at=at,
                status=walk.status.COMPLETED,
                elapsed_seconds=60,
                pain_after=n,
                stop_reason=None,
            )
        for person, pains in ((mine, [0, 2]), (theirs, [1, 3]), (mine, [0, 2])):
            assert [c.pain_score for c in person.checks()] == pains
            assert [w.pain_before for w in person.walks()] == pains
            assert [c.pain_score for c in person.recent_history(5).checks] == pains
            assert person.snapshot(5).latest_check.pain_score == pains[-1]  # type: ignore[union-attr]
        assert diary.scoped(3).checks() == []
