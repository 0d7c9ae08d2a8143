"""Fixtures: a fresh diary on SQLite (a temp file) and on PostgreSQL (a throwaway schema)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from backwalk.diary import Diary, WalkRecord, open_diary

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/backwalk_test"
# Every test module uses this same start time; walks start at T0 unless a test says otherwise.
T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)


def pg_base_url() -> str:
    """The PostgreSQL test database: BACKWALK_TEST_PG_URL if set, else the local server."""
    return os.environ.get("BACKWALK_TEST_PG_URL") or DEFAULT_PG_URL


@pytest.fixture(scope="session")
def pg_admin_engine() -> Iterator[Engine]:
    """An engine on the test database; fails (never skips) when PostgreSQL is not there."""
    url = make_url(pg_base_url())
    engine = create_engine(url, connect_args={"connect_timeout": 5})
    problem = _connection_problem(engine)
    if problem is not None:
        engine.dispose()
        # Fail, never skip: CI must really test PostgreSQL.
        pytest.fail(
            f"PostgreSQL at {url.render_as_string(hide_password=True)} is unreachable "
            f"({problem}). Run scripts/ensure-postgres.sh, or set BACKWALK_TEST_PG_URL to a "
            "database these tests may create schemas in.",
            pytrace=False,
        )
    yield engine
    engine.dispose()


def _connection_problem(engine: Engine) -> str | None:
    try:
        with engine.connect():
            return None
    except OperationalError as err:
        return " ".join(str(err.orig).split())


@pytest.fixture
def pg_schema_url(pg_admin_engine: Engine) -> Iterator[str]:
    """A URL whose search_path is a brand-new schema, dropped again after the test."""
    schema = f"bw_test_{uuid.uuid4().hex[:12]}"
    with pg_admin_engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(pg_base_url()).update_query_dict({"options": f"-csearch_path={schema}"})
    yield url.render_as_string(hide_password=False)
    with pg_admin_engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def diary_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty database, once per backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'diary.db'}"
    url: str = request.getfixturevalue("pg_schema_url")
    return url


@pytest.fixture
def diary(diary_url: str) -> Iterator[Diary]:
    """A freshly created, migrated diary, closed after the test."""
    opened = open_diary(diary_url)
    yield opened
    opened.close()


@pytest.fixture
def sample_check() -> Callable[..., dict[str, Any]]:
    """Build record_check() keyword arguments for a walk_gently assessment."""

    def build(pain: int = 4, **assessment: Any) -> dict[str, Any]:
        answers = {"pain_score": pain, "sharp_pain": False}
        full = {"disposition": "walk_gently", "red_flags": [], "answers": answers, **assessment}
        return {"at": T0, "answers": answers, "assessment": full}

    return build


@pytest.fixture
def started_walk(diary: Diary) -> WalkRecord:
    """A walk begun at T0 with pain 4 before it."""
    return diary.start_walk(at=T0, planned_minutes=5, pain_before=4, check_id=None)


@pytest.fixture
def checkin_args() -> Callable[..., dict[str, Any]]:
    """Build add_checkin() keyword arguments for a check-in ``seconds`` after T0."""

    def build(seconds: float, pain: int = 4, **overrides: Any) -> dict[str, Any]:
        values: dict[str, Any] = {
            "at": T0 + timedelta(seconds=seconds),
            "elapsed_seconds": seconds,
            "current_pain": pain,
            "sharp_or_shooting": False,
            "red_flags": [],
            "action": "continue",
        }
        return {**values, **overrides}

    return build
