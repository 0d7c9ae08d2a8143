"""Weekly outcome measures: activities rated 0 to 10 and a global rating of change.

Revision ID: 0003_outcome_measures
Revises: 0002_one_walk_in_progress
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_outcome_measures"
down_revision: str | None = "0002_one_walk_in_progress"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Plain types here on purpose: a migration must keep working if models.py changes later.
UTC_TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create the outcome_measures table."""
    op.create_table(
        "outcome_measures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", UTC_TIMESTAMP, nullable=False),
        sa.Column("check_id", sa.Integer(), nullable=True),
        sa.Column("activities", sa.JSON(), nullable=False),
        sa.Column("global_change", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["check_id"],
            ["checks.id"],
            name="fk_outcome_measures_check_id_checks",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_outcome_measures"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_outcome_measures_at", "outcome_measures", ["at"])
    op.create_index("ix_outcome_measures_check_id", "outcome_measures", ["check_id"])


def downgrade() -> None:
    """Drop the outcome_measures table."""
    op.drop_index("ix_outcome_measures_check_id", table_name="outcome_measures")
    op.drop_index("ix_outcome_measures_at", table_name="outcome_measures")
    op.drop_table("outcome_measures")
