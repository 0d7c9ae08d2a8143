"""The shipped Alembic migrations: they build the schema the models describe, and undo it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, Engine, MetaData, String, inspect, text

from backwalk.diary import DiaryError, migrate, open_diary
from backwalk.diary.engine import create_diary_engine, parse_url
from backwalk.diary.models import Base

DIARY_TABLES = {
    "clinician_visits",
    "checks",
    "walks",
    "checkins",
    "outcome_measures",
    "people",
    "sessions",
    "shares",
    "rate_limits",
    "walk_logs",
    "medicines",
    "recoveries",
    "recurrence_checks",
    "programme_settings",
}


@pytest.fixture
def engine(diary_url: str) -> Iterator[Engine]:
    """An engine on an empty database, set up exactly as the diary sets up its own."""
    created = create_diary_engine(parse_url(diary_url))
    yield created
    created.dispose()


def table_names(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names())


def test_empty_database_has_no_revision(engine: Engine) -> None:
    assert migrate.current_revision(engine) is None
    assert table_names(engine) == set()


def test_upgrade_from_empty_creates_every_table(engine: Engine) -> None:
    migrate.upgrade(engine)
    assert table_names(engine) == DIARY_TABLES | {"alembic_version"}
    assert migrate.current_revision(engine) == migrate.head_revision() == "0010_bounded_reads"


def test_models_match_the_migrations(engine: Engine) -> None:
    migrate.upgrade(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_the_comparison_would_notice_a_drift(engine: Engine) -> None:
    migrate.upgrade(engine)
    drifted = MetaData(naming_convention=Base.metadata.naming_convention)
    for table in Base.metadata.tables.values():
        table.to_metadata(drifted)
    drifted.tables["walks"].append_column(Column("mood", String(20)))
    with engine.connect() as connection:
        diffs = compare_metadata(MigrationContext.configure(connection), drifted)
    assert [diff[0] for diff in diffs] == ["add_column"]


def test_alembic_check_finds_nothing_to_generate(engine: Engine) -> None:
    migrate.upgrade(engine)
    with engine.connect() as connection:
        command.check(migrate.alembic_config(connection))  # raises if a migration is missing


def test_downgrade_to_base_drops_every_diary_table(engine: Engine) -> None:
    migrate.upgrade(engine)
    migrate.downgrade(engine, "base")
    assert table_names(engine) - {"alembic_version"} == set()
    assert migrate.current_revision(engine) is None


def test_upgrade_after_downgrade_rebuilds_the_schema(engine: Engine) -> None:
    migrate.upgrade(engine)
    migrate.downgrade(engine, "base")
    migrate.upgrade(engine)
    assert table_names(engine) >= DIARY_TABLES


def test_opening_twice_keeps_the_data(diary_url: str) -> None:
    with open_diary(diary_url) as first:
        first.record_check(
            at=datetime.now(UTC),
            answers={"pain_score": 3},
            assessment={"disposition": "walk_gently"},
        )
    with open_diary(diary_url) as second:
        assert len(second.checks()) == 1


def test_migration_scripts_ship_without_an_ini_file() -> None:
    assert (migrate.MIGRATIONS_DIR / "env.py").is_file()
    assert migrate.alembic_config().config_file_name is None


def test_a_diary_from_a_newer_backwalk_is_refused_clearly(diary_url: str, engine: Engine) -> None:
    migrate.upgrade(engine)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0099_future'"))
    with pytest.raises(DiaryError) as caught:
        open_diary(diary_url)
    assert str(caught.value).startswith("cannot open the diary at ")
    assert "written by a newer version of backwalk" in str(caught.value)
    assert "'0099_future'" in str(caught.value)


def test_upgrading_a_diary_with_two_walks_in_progress_keeps_the_newest_running(
    engine: Engine, diary_url: str
) -> None:
    """Before 0002 a race could leave two walks in progress; the upgrade closes the older one."""
    migrate.upgrade(engine, "0001_initial")
    started = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
    insert = text(
        "INSERT INTO walks (started_at, planned_minutes, pain_before, status, elapsed_seconds,"
        " last_seen_at) VALUES (:at, 5, 3, 'in_progress', 0, :at)"
    )
    with engine.begin() as connection:
        for _ in range(2):
            connection.execute(insert, {"at": started})
    with open_diary(diary_url) as diary:
        statuses = [w.status for w in diary.walks()]
        active = diary.active_walk()
    assert statuses == ["interrupted", "in_progress"]
    assert active is not None and active.id == 2


def test_upgrading_to_people_keeps_every_row_and_link_under_the_local_person(
    engine: Engine, diary_url: str
) -> None:
    """0005 rebuilds the tables on SQLite; with foreign keys enforced that would cascade and
    delete the check-ins, so the rows and their links must all come through."""
    migrate.upgrade(engine, "0004_check_client_id")
    at = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO checks (at, answers, assessment, disposition, red_flags)"
                " VALUES (:at, '{}', '{}', 'walk_gently', '[]')"
            ),
            {"at": at},
        )
        connection.execute(
            text(
                "INSERT INTO walks (check_id, started_at, planned_minutes, pain_before, status,"
                " elapsed_seconds, last_seen_at) VALUES (1, :at, 5, 3, 'in_progress', 0, :at)"
            ),
            {"at": at},
        )
        connection.execute(
            text(
                "INSERT INTO checkins (walk_id, at, elapsed_seconds, current_pain,"
                " sharp_or_shooting, red_flags, action) VALUES (1, :at, 60, 3, false, '[]',"
                " 'continue')"
            ),
            {"at": at},
        )
    with open_diary(diary_url) as diary:
        walk = diary.get_walk(1)
        assert diary.counts() == (1, 1)
    assert walk.check_id == 1
    assert [c.current_pain for c in walk.checkins] == [3]
    with engine.connect() as connection:
        owners = {
            table: connection.execute(text(f"SELECT DISTINCT owner_id FROM {table}")).all()
            for table in ("checks", "walks", "checkins")
        }
    assert all(rows == [(1,)] for rows in owners.values())


def test_upgrading_to_bounded_reads_gives_each_stored_measure_its_set_of_activities(
    engine: Engine, diary_url: str
) -> None:
    """0010 fills `activities_set` for the measures already stored, as new ones get it."""
    from backwalk.diary.measures import activities_set

    migrate.upgrade(engine, "0009_keeping_well")
    insert = text(
        "INSERT INTO outcome_measures (owner_id, at, activities, global_change)"
        " VALUES (1, :at, :activities, :change)"
    )
    stored = [{"activity": "Socks", "score": 2}, {"activity": "gardening", "score": 3}]
    with engine.begin() as connection:
        for activities, change in ((stored, 1), ([], 2)):
            at = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
            connection.execute(
                insert, {"at": at, "activities": json.dumps(activities), "change": change}
            )
    migrate.upgrade(engine)
    with engine.connect() as connection:
        sets = connection.execute(text("SELECT activities_set FROM outcome_measures ORDER BY id"))
        assert [row[0] for row in sets] == [activities_set(stored), None]
    with open_diary(diary_url) as diary:
        later = diary.record_outcome(
            at=datetime(2026, 11, 8, 9, 0, tzinfo=UTC), activities=[("socks", 5), ("Gardening", 5)]
        )
        [base, newest] = [m for m in diary.progress_measures() if m.activities]
    assert (base.at.day, newest.id) == (1, later.id)
