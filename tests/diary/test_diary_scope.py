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


def test_the_combined_reads_keep_to_the_owner_too(tmp_path: Path) -> None:
    """The standing's warnings and keeping-well facts are each one statement over several
    tables (unions of subqueries): the owner filter reaches every part of them."""
    urgent = {"disposition": "emergency", "urgency": "emergency", "red_flags": ["saddle_numbness"]}
    with open_diary(f"sqlite:///{tmp_path / 'diary.db'}") as diary:
        with Session(diary.engine) as session, session.begin():
            session.add(PersonRow(id=2, kind="device", created_at=T0))
        mine, theirs = diary.scoped(1), diary.scoped(2)
        theirs.record_check(at=T0, answers={"pain_score": 9}, assessment=urgent)
        walk = theirs.start_walk(at=T0, planned_minutes=5, pain_before=3, check_id=None)
        theirs.add_checkin(
            walk.id,
            at=T0 + timedelta(minutes=1),
            elapsed_seconds=60,
            current_pain=3,
            sharp_or_shooting=False,
            red_flags=["fever"],
            action="stop_seek_care",
        )
        theirs.record_visit(at=T0 - timedelta(hours=1))
        theirs.record_recovery(at=T0 - timedelta(days=9))
        theirs.record_programme(at=T0 - timedelta(days=8), days=("mon", "thu"), minutes_per_walk=10)
        theirs.record_recurrence(
            at=T0 - timedelta(days=1), since=T0 - timedelta(days=9), limited_activity=False
        )
        since = T0 - timedelta(days=1)
        assert mine.warning_state(since) == (None, None)
        facts = mine.keepwell_facts()
        assert (facts.recoveries, facts.recurrences, facts.programmes) == ([], [], [])
        warning, visit = theirs.warning_state(since)
        assert warning is not None and warning.walk_id == walk.id and warning.red_flags == ["fever"]
        assert visit is not None and visit.at == T0 - timedelta(hours=1)
        facts = theirs.keepwell_facts()
        assert [len(facts.recoveries), len(facts.recurrences), len(facts.programmes)] == [1, 1, 1]
        assert facts.programmes[0].days == ("mon", "thu")
        assert facts.recurrences[0].limited_activity is False
