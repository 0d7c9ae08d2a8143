"""People, and an owner on every diary row: the start of hosted mode (many people, one database).

A single-user diary becomes the diary of one person, the "local" person (id 1), so local mode
reads and writes exactly what it did before. Hosted mode adds accounts, sessions, shares with a
clinician and shared rate-limit counters. On PostgreSQL, row-level security (forced, so that even
the tables' owner is bound by it) lets a transaction see only the rows of the person it names
with ``set_config('backwalk.owner', ...)``, and lets a clinician it names with
``backwalk.viewer`` read them only while that person's share with them stands.

Revision ID: 0005_people_and_owners
Revises: 0004_check_client_id
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_people_and_owners"
down_revision: str | None = "0004_check_client_id"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_TIMESTAMP = sa.DateTime(timezone=True)
OWNED_TABLES = ("checks", "walks", "checkins", "outcome_measures")
IN_PROGRESS = sa.text("status = 'in_progress'")

RLS_FUNCTIONS = """
CREATE FUNCTION backwalk_owner() RETURNS integer LANGUAGE sql STABLE AS
$$ SELECT NULLIF(current_setting('backwalk.owner', true), '')::integer $$;

CREATE FUNCTION backwalk_viewer() RETURNS integer LANGUAGE sql STABLE AS
$$ SELECT NULLIF(current_setting('backwalk.viewer', true), '')::integer $$;

CREATE FUNCTION backwalk_may_read() RETURNS boolean LANGUAGE sql STABLE AS
$$ SELECT backwalk_viewer() IS NULL OR EXISTS (
       SELECT 1 FROM shares
       WHERE person_id = backwalk_owner() AND clinician_id = backwalk_viewer()
         AND revoked_at IS NULL) $$;
"""
READ = "owner_id = backwalk_owner() AND backwalk_may_read()"
WRITE = "owner_id = backwalk_owner() AND backwalk_viewer() IS NULL"


def upgrade() -> None:
    _create_people()
    _create_account_tables()
    for table in OWNED_TABLES:
        _add_owner(table)
    _scope_unique_indexes_by_owner()
    if op.get_bind().dialect.name == "postgresql":
        _enable_row_level_security()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _disable_row_level_security()
    op.drop_index("uq_walks_one_in_progress", table_name="walks")
    op.drop_index("uq_checks_client_id", table_name="checks")
    for table in OWNED_TABLES:
        op.drop_index(f"ix_{table}_owner_id", table_name=table)
        with op.batch_alter_table(table, recreate="auto", table_kwargs=_KEEP_IDS) as batch:
            batch.drop_constraint(f"fk_{table}_owner_id_people", type_="foreignkey")
            batch.drop_column("owner_id")
    op.create_index("uq_checks_client_id", "checks", ["client_id"], unique=True)
    op.create_index(
        "uq_walks_one_in_progress",
        "walks",
        ["status"],
        unique=True,
        sqlite_where=IN_PROGRESS,
        postgresql_where=IN_PROGRESS,
    )
    for table in ("rate_limits", "shares", "sessions"):
        op.drop_table(table)
    op.drop_table("people")


_KEEP_IDS = {"sqlite_autoincrement": True}


def _create_people() -> None:
    op.create_table(
        "people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("username", sa.String(64), nullable=True),
        sa.Column("password_hash", sa.Text(), nullable=True),
        sa.Column("created_at", UTC_TIMESTAMP, nullable=False),
        sa.CheckConstraint(
            "kind IN ('local', 'device', 'person', 'clinician')",
            name="ck_people_kind_is_known",
        ),
        sa.CheckConstraint(
            "(kind IN ('person', 'clinician')) = "
            "(username IS NOT NULL AND password_hash IS NOT NULL)",
            name="ck_people_accounts_have_credentials",
        ),
        sa.CheckConstraint("length(username) BETWEEN 1 AND 64", name="ck_people_username_length"),
        sa.PrimaryKeyConstraint("id", name="pk_people"),
        sqlite_autoincrement=True,
    )
    op.create_index("uq_people_username", "people", ["username"], unique=True)
    # The first row of a new table: id 1, the person every existing row belongs to.
    op.execute("INSERT INTO people (kind, created_at) VALUES ('local', CURRENT_TIMESTAMP)")


def _create_account_tables() -> None:
    op.create_table(
        "sessions",
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTC_TIMESTAMP, nullable=False),
        sa.Column("expires_at", UTC_TIMESTAMP, nullable=False),
        _person_key("sessions", "person_id"),
        sa.PrimaryKeyConstraint("token_hash", name="pk_sessions"),
    )
    op.create_index("ix_sessions_person_id", "sessions", ["person_id"])
    op.create_index("ix_sessions_expires_at", "sessions", ["expires_at"])
    op.create_table(
        "shares",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("hint", sa.String(8), nullable=False),
        sa.Column("created_at", UTC_TIMESTAMP, nullable=False),
        sa.Column("expires_at", UTC_TIMESTAMP, nullable=False),
        sa.Column("clinician_id", sa.Integer(), nullable=True),
        sa.Column("claimed_at", UTC_TIMESTAMP, nullable=True),
        sa.Column("revoked_at", UTC_TIMESTAMP, nullable=True),
        sa.CheckConstraint(
            "(clinician_id IS NULL) = (claimed_at IS NULL)",
            name="ck_shares_claimed_by_a_clinician",
        ),
        sa.CheckConstraint(
            "clinician_id IS NULL OR clinician_id <> person_id", name="ck_shares_not_self"
        ),
        _person_key("shares", "person_id"),
        _person_key("shares", "clinician_id"),
        sa.PrimaryKeyConstraint("id", name="pk_shares"),
        sqlite_autoincrement=True,
    )
    op.create_index("uq_shares_code_hash", "shares", ["code_hash"], unique=True)
    op.create_index("ix_shares_person_id", "shares", ["person_id"])
    op.create_index("ix_shares_clinician_id", "shares", ["clinician_id"])
    op.create_table(
        "rate_limits",
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("expires_at", UTC_TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_rate_limits"),
    )


def _person_key(table: str, column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], ["people.id"], name=f"fk_{table}_{column}_people", ondelete="CASCADE"
    )


def _add_owner(table: str) -> None:
    # Two steps: the default fills existing rows with the local person, then goes, so that a
    # write that forgets its owner fails instead of landing in the local person's diary.
    with op.batch_alter_table(table, recreate="auto", table_kwargs=_KEEP_IDS) as batch:
        batch.add_column(sa.Column("owner_id", sa.Integer(), nullable=False, server_default="1"))
        batch.create_foreign_key(
            f"fk_{table}_owner_id_people", "people", ["owner_id"], ["id"], ondelete="CASCADE"
        )
    with op.batch_alter_table(table, recreate="auto", table_kwargs=_KEEP_IDS) as batch:
        batch.alter_column("owner_id", server_default=None, existing_type=sa.Integer())
    op.create_index(f"ix_{table}_owner_id", table, ["owner_id"])


def _scope_unique_indexes_by_owner() -> None:
    op.drop_index("uq_checks_client_id", table_name="checks", if_exists=True)
    op.create_index("uq_checks_client_id", "checks", ["owner_id", "client_id"], unique=True)
    op.drop_index("uq_walks_one_in_progress", table_name="walks", if_exists=True)
    op.create_index(
        "uq_walks_one_in_progress",
        "walks",
        ["owner_id", "status"],
        unique=True,
        sqlite_where=IN_PROGRESS,
        postgresql_where=IN_PROGRESS,
    )


def _enable_row_level_security() -> None:
    op.execute(RLS_FUNCTIONS)
    for table in OWNED_TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY owner_reads ON {table} FOR SELECT USING ({READ})")
        op.execute(f"CREATE POLICY owner_inserts ON {table} FOR INSERT WITH CHECK ({WRITE})")
        op.execute(
            f"CREATE POLICY owner_updates ON {table} FOR UPDATE"
            f" USING ({WRITE}) WITH CHECK ({WRITE})"
        )
        op.execute(f"CREATE POLICY owner_deletes ON {table} FOR DELETE USING ({WRITE})")


def _disable_row_level_security() -> None:
    for table in OWNED_TABLES:
        for policy in ("owner_reads", "owner_inserts", "owner_updates", "owner_deletes"):
            op.execute(f"DROP POLICY IF EXISTS {policy} ON {table}")
        op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
    for function in ("backwalk_may_read", "backwalk_viewer", "backwalk_owner"):
        op.execute(f"DROP FUNCTION IF EXISTS {function}()")
