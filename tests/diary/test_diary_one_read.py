"""`Diary.one_read`: a page's reads share one transaction, a write inside it is seen by the
reads after it, and a failed read does not spoil the reads after it."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event, text

from backwalk.diary import Diary
from backwalk.errors import DiaryUnavailable
from tests.diary.conftest import T0


@contextmanager
def counting_begins(engine: Engine) -> Iterator[list[int]]:
    """How many transactions begin, by thread (SQLAlchemy's `begin` event)."""
    begun: list[int] = []

    def began(_conn: Any) -> None:
        begun.append(threading.get_ident())

    event.listen(engine, "begin", began)
    try:
        yield begun
    finally:
        event.remove(engine, "begin", began)


def test_reads_inside_share_one_transaction(
    diary: Diary, sample_check: Callable[..., dict[str, Any]]
) -> None:
    diary.record_check(**sample_check(pain=3))
    with counting_begins(diary.engine) as begun:
        diary.checks()
        diary.walks()
        assert len(begun) == 2
        with diary.one_read():
            for _ in range(3):
                assert [c.pain_score for c in diary.checks()] == [3]
                diary.walks()
                diary.snapshot(5)
            with diary.one_read():  # reentrant
                diary.recent_history(5)
        assert len(begun) == 3


def test_a_write_inside_is_seen_by_the_reads_after_it(
    diary: Diary, sample_check: Callable[..., dict[str, Any]]
) -> None:
    with diary.one_read():
        assert diary.checks() == []
        diary.record_check(**sample_check(pain=5))
        assert [c.pain_score for c in diary.checks()] == [5]
        walk = diary.start_walk(at=T0, planned_minutes=5, pain_before=5, check_id=None)
        assert diary.snapshot(5).active_walk is not None
        diary.finish_walk(
            walk.id,
            at=T0 + timedelta(minutes=5),
            status=walk.status.COMPLETED,
            elapsed_seconds=300,
            pain_after=4,
            stop_reason=None,
        )
        assert diary.snapshot(5).active_walk is None
    assert [w.pain_after for w in diary.walks()] == [4]


def test_a_failed_read_leaves_the_next_read_a_good_transaction(
    diary: Diary, sample_check: Callable[..., dict[str, Any]]
) -> None:
    diary.record_check(**sample_check(pain=2))
    with diary.one_read():
        with pytest.raises(DiaryUnavailable), diary._reading() as session:
            session.execute(text("SELECT * FROM no_such_table"))
        assert [c.pain_score for c in diary.checks()] == [2]


def test_another_thread_reads_on_its_own(
    diary: Diary, sample_check: Callable[..., dict[str, Any]]
) -> None:
    """A diary shared by threads (local mode's): one thread's shared read is its own."""
    diary.record_check(**sample_check(pain=6))
    found: list[int | None] = []
    with diary.one_read():
        diary.checks()
        other = threading.Thread(target=lambda: found.append(diary.checks()[0].pain_score))
        other.start()
        other.join()
        assert diary.checks()[0].pain_score == 6
    assert found == [6]


def test_an_error_inside_rolls_the_shared_read_back_and_goes_on_its_way(
    diary: Diary, sample_check: Callable[..., dict[str, Any]]
) -> None:
    diary.record_check(**sample_check(pain=7))
    with pytest.raises(KeyError), diary.one_read():
        assert diary.checks()[0].pain_score == 7
        raise KeyError("a page failed after its reads")
    assert diary.checks()[0].pain_score == 7  # the diary is not left in a shared read
    with counting_begins(diary.engine) as begun:
        diary.checks()
        diary.checks()
    assert len(begun) == 2
