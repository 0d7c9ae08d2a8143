"""Local mode reads what a page shows too: with the page cache emptied before every request,
each page makes the same queries on a 10-check diary as on a 1,000-check one. (Rows fetched
are checked on PostgreSQL, in tests/hosted/test_query_counts.py: SQLite does not count them.)"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import event

from backwalk.clock import ManualClock
from backwalk.web.app import create_app
from tests.web.conftest import SECRET
from tests.web.longdiary import fill

PAGES = ("/", "/history", "/walk", "/keepwell", "/api/plan")


@pytest.fixture
def make_app(tmp_path: Path, clock: ManualClock) -> Iterator[Callable[[int], FastAPI]]:
    made: list[FastAPI] = []

    def make(checks: int) -> FastAPI:
        app = create_app(
            db_url=f"sqlite:///{tmp_path / f'{checks}.db'}", clock=clock, secret=SECRET
        )
        fill(app.state.web.diary.engine, checks, clock.now())
        made.append(app)
        return app

    yield make
    for app in made:
        app.state.web.diary.close()


def queries_per_page(app: FastAPI) -> dict[str, int]:
    statements: list[str] = []

    def ran(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement)

    counts = {}
    with TestClient(app) as client:
        for path in PAGES:
            assert client.get(path).status_code == 200, path  # once first: stale walks close
            app.state.web.cache.clear()  # no page may need the cache
            event.listen(app.state.web.diary.engine, "after_cursor_execute", ran)
            assert client.get(path).status_code == 200, path
            event.remove(app.state.web.diary.engine, "after_cursor_execute", ran)
            counts[path], statements[:] = len(statements), []
    return counts


def test_each_page_makes_as_many_queries_on_a_long_diary_as_on_a_short_one(
    make_app: Callable[[int], FastAPI],
) -> None:
    short, long = queries_per_page(make_app(10)), queries_per_page(make_app(1000))
    assert long == short
