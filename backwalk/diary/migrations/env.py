"""Alembic environment for the diary.

backwalk runs this through ``backwalk.diary.migrate`` with a live connection in
``config.attributes["connection"]``. Developers can also use the alembic CLI:
``alembic -c backwalk/diary/alembic.ini revision --autogenerate -m "..."``, which connects to
``sqlalchemy.url`` from the ini file, else ``BACKWALK_DB``, else the default diary.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from backwalk.diary.engine import create_diary_engine, parse_url, resolve_url
from backwalk.diary.models import Base

config = context.config
target_metadata = Base.metadata


def _url() -> str:
    return config.get_main_option("sqlalchemy.url") or resolve_url()


def _run_with(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things; batch mode rebuilds the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_offline() -> None:
    """Emit SQL to stdout instead of running it (``alembic upgrade --sql``)."""
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run against the connection backwalk passed in, or one opened from the URL."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run_with(connection)
        return
    engine = create_diary_engine(parse_url(_url()))
    try:
        with engine.connect() as new_connection:
            _run_with(new_connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
