"""Run the diary's Alembic migrations from code; no alembic.ini is needed at run time."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Connection, Engine, text

MIGRATIONS_DIR = Path(__file__).with_name("migrations")

# Any fixed 64-bit number; it only has to be the same in every backwalk process.
_POSTGRES_MIGRATION_LOCK = 0x6261636B77616C6B  # "backwalk"


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config pointing at the packaged migrations, optionally bound to a connection."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate the database up to ``revision``, in one transaction where the backend allows."""
    with _migrating(engine) as connection:
        command.upgrade(alembic_config(connection), revision)


def downgrade(engine: Engine, revision: str = "base") -> None:
    """Migrate the database down to ``revision`` (``base`` drops every diary table)."""
    with _migrating(engine) as connection:
        command.downgrade(alembic_config(connection), revision)


@contextmanager
def _migrating(engine: Engine) -> Iterator[Connection]:
    # SQLite rebuilds a table to change it (copy, drop, rename). With foreign keys enforced,
    # dropping the old walks table would cascade and delete every check-in, so enforcement is off
    # while migrating (SQLite's own recipe) and the keys are checked before the commit instead.
    # The pragma only takes effect outside a transaction, hence the raw connection.
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        raw: Any = connection.connection.driver_connection
        if sqlite:
            raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                _serialise_migrations(connection)
                yield connection
                if sqlite:
                    _require_intact_foreign_keys(connection)
        finally:
            if sqlite:
                raw.execute("PRAGMA foreign_keys=ON")


def _require_intact_foreign_keys(connection: Connection) -> None:
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").first()
    if broken is not None:
        raise CommandError(f"a migration broke a foreign key: {tuple(broken)}")


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for a database never migrated."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def unknown_revision(engine: Engine) -> str | None:
    """The database's revision if these migrations do not know it (a newer backwalk wrote it)."""
    current = current_revision(engine)
    if current is None:
        return None
    try:
        ScriptDirectory.from_config(alembic_config()).get_revision(current)
    except CommandError:
        return current
    return None


def head_revision() -> str | None:
    """The newest revision shipped with this version of backwalk."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def _serialise_migrations(connection: Connection) -> None:
    # Two processes opening a fresh PostgreSQL diary at once would both try to create the
    # tables; the transaction-scoped advisory lock makes the second wait and then find them.
    # SQLite needs nothing: BEGIN IMMEDIATE already holds the write lock.
    if connection.dialect.name == "postgresql":
        connection.execute(
            text("SELECT pg_advisory_xact_lock(:key)"), {"key": _POSTGRES_MIGRATION_LOCK}
        )
