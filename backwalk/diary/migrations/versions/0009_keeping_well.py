"""Keeping well after a spasm: walks logged by hand, medicines taken for the pain, "back to
normal", the monthly recurrence answers and the walking programme's settings. Owned like every
diary row, and under the same row-level security on PostgreSQL (the pattern of 0008, copied:
a migration must not import later code).

Revision ID: 0009_keeping_well
Revises: 0008_clinician_visits
Create Date: 2027-01-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_keeping_well"
down_revision: str | None = "0008_clinician_visits"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

READ = "owner_id = backwalk_owner() AND backwalk_may_read()"
WRITE = "owner_id = backwalk_owner() AND backwalk_viewer() IS NULL"
POLICIES = ("owner_reads", "owner_inserts", "owner_updates", "owner_deletes")


def _owned(table: str, *columns: sa.Column, checks: Sequence[tuple[str, str]] = ()) -> None:
    op.create_table(
        table,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        *columns,
        *(sa.CheckConstraint(sql, name=f"ck_{table}_{name}") for name, sql in checks),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["people.id"], name=f"fk_{table}_owner_id_people", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=f"pk_{table}"),
        sqlite_autoincrement=True,
    )
    op.create_index(f"ix_{table}_owner_id", table, ["owner_id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY owner_reads ON {table} FOR SELECT USING ({READ})")
        op.execute(f"CREATE POLICY owner_inserts ON {table} FOR INSERT WITH CHECK ({WRITE})")
        op.execute(
            f"CREATE POLICY owner_updates ON {table} FOR UPDATE"
            f" USING ({WRITE}) WITH CHECK ({WRITE})"
        )
        op.execute(f"CREATE POLICY owner_deletes ON {table} FOR DELETE USING ({WRITE})")


TABLES = ("walk_logs", "medicines", "recoveries", "recurrence_checks", "programme_settings")


def upgrade() -> None:
    _owned(
        "walk_logs",
        sa.Column("walked_on", sa.Date(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        checks=[("minutes_range", "minutes > 0 AND minutes <= 600")],
    )
    op.create_index("ix_walk_logs_owner_id_walked_on", "walk_logs", ["owner_id", "walked_on"])
    _owned(
        "medicines",
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("dose", sa.String(length=100), nullable=False),
        checks=[
            ("name_length", "length(name) BETWEEN 1 AND 100"),
            ("dose_length", "length(dose) <= 100"),
        ],
    )
    op.create_index("ix_medicines_owner_id_taken_at", "medicines", ["owner_id", "taken_at"])
    _owned("recoveries")
    op.create_index("ix_recoveries_owner_id_at", "recoveries", ["owner_id", "at"])
    _owned(
        "recurrence_checks",
        sa.Column("since", sa.DateTime(timezone=True), nullable=False),
        sa.Column("limited_activity", sa.Boolean(), nullable=False),
    )
    op.create_index(
        "uq_recurrence_checks_owner_id_since",
        "recurrence_checks",
        ["owner_id", "since"],
        unique=True,
    )
    op.create_index("ix_recurrence_checks_owner_id_at", "recurrence_checks", ["owner_id", "at"])
    _owned(
        "programme_settings",
        sa.Column("days", sa.String(length=27), nullable=False),
        sa.Column("minutes_per_walk", sa.Integer(), nullable=False),
        checks=[
            ("minutes_range", "minutes_per_walk > 0 AND minutes_per_walk <= 60"),
            ("days_length", "length(days) BETWEEN 3 AND 27"),
        ],
    )
    op.create_index("ix_programme_settings_owner_id_at", "programme_settings", ["owner_id", "at"])


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for table in reversed(TABLES):
        if postgres:
            for policy in POLICIES:
                op.execute(f"DROP POLICY IF EXISTS {policy} ON {table}")
        op.drop_table(table)  # its indexes go with it
