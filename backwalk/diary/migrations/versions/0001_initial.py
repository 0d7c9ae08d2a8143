"""The first diary schema: checks, walks and their check-ins.

Revision ID: 0001_initial
Revises:
Create Date: 2024-06-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001_initial"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Plain types here on purpose: a migration must keep working if models.py changes later.
# UTCDateTime in the models is a TypeDecorator over this exact type.
UTC_TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create the three diary tables."""
    _create_checks()
    _create_walks()
    _create_checkins()


def downgrade() -> None:
    """Drop the three diary tables, children first."""
    op.drop_table("checkins")
    op.drop_index("ix_walks_started_at", table_name="walks")
    op.drop_index("ix_walks_status", table_name="walks")
    op.drop_index("ix_walks_check_id", table_name="walks")
    op.drop_table("walks")
    op.drop_index("ix_checks_at", table_name="checks")
    op.drop_table("checks")


def _create_checks() -> None:
    op.create_table(
        "checks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", UTC_TIMESTAMP, nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("assessment", sa.JSON(), nullable=False),
        sa.Column("disposition", sa.String(length=32), nullable=False),
        sa.Column("urgency", sa.String(length=32), nullable=True),
        sa.Column("pain_score", sa.Integer(), nullable=True),
        sa.Column("red_flags", sa.JSON(), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_checks"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_checks_at", "checks", ["at"])


def _create_walks() -> None:
    op.create_table(
        "walks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("check_id", sa.Integer(), nullable=True),
        sa.Column("started_at", UTC_TIMESTAMP, nullable=False),
        sa.Column("ended_at", UTC_TIMESTAMP, nullable=True),
        sa.Column("planned_minutes", sa.Integer(), nullable=False),
        sa.Column("pain_before", sa.Integer(), nullable=False),
        sa.Column("pain_after", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("stop_reason", sa.Text(), nullable=True),
        sa.Column("elapsed_seconds", sa.Float(), nullable=False),
        sa.Column("last_seen_at", UTC_TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["check_id"], ["checks.id"], name="fk_walks_check_id_checks", ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_walks"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_walks_check_id", "walks", ["check_id"])
    op.create_index("ix_walks_status", "walks", ["status"])
    op.create_index("ix_walks_started_at", "walks", ["started_at"])


def _create_checkins() -> None:
    op.create_table(
        "checkins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("walk_id", sa.Integer(), nullable=False),
        sa.Column("at", UTC_TIMESTAMP, nullable=False),
        sa.Column("elapsed_seconds", sa.Float(), nullable=False),
        sa.Column("current_pain", sa.Integer(), nullable=False),
        sa.Column("sharp_or_shooting", sa.Boolean(), nullable=False),
        sa.Column("red_flags", sa.JSON(), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("client_id", sa.String(length=128), nullable=True),
        sa.ForeignKeyConstraint(
            ["walk_id"], ["walks.id"], name="fk_checkins_walk_id_walks", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_checkins"),
        sa.UniqueConstraint("walk_id", "client_id", name="uq_checkins_walk_id_client_id"),
        sqlite_autoincrement=True,
    )
