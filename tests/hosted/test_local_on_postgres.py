"""Local mode on PostgreSQL as an ordinary owner role: row-level security is forced on the
tables' owner too, and the single-user diary (the local person) works exactly as before."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from backwalk.diary import open_diary
from tests.hosted.conftest import OWNER_ROLE, role_url

pytestmark = pytest.mark.postgres
AT = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def test_a_local_diary_owned_by_a_plain_role_reads_and_writes_as_before(hosted_schema) -> None:
    with open_diary(role_url(OWNER_ROLE, hosted_schema)) as diary:
        assessment = {"disposition": "walk_gently", "red_flags": []}
        check = diary.record_check(at=AT, answers={"pain_score": 3}, assessment=assessment)
        walk = diary.start_walk(at=AT, planned_minutes=5, pain_before=3, check_id=check.id)
        diary.add_checkin(
            walk.id,
            at=AT,
            elapsed_seconds=30,
            current_pain=3,
            sharp_or_shooting=False,
            red_flags=[],
            action="continue",
        )
        assert diary.counts() == (1, 1)
        assert diary.get_walk(walk.id).checkins[0].current_pain == 3
        assert diary.forget() == 3
        assert diary.counts() == (0, 0)
