"""Reads bounded by what a page shows: each person's rows in time order straight from an index
(checks, walks and check-ins by owner and time), and a weekly measure's set of activities as
one indexed value, so progress finds its baseline (the first measure of the latest set) with one
lookup instead of reading every measure.

Revision ID: 0010_bounded_reads
Revises: 0009_keeping_well
Create Date: 2026-12-07
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_bounded_reads"
down_revision: str | None = "0009_keeping_well"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "outcome_measures"
TIME_INDEXES = (("checks", "at"), ("walks", "started_at"), ("checkins", "at"))


def activities_set(activities: object) -> str | None:
    """A copy of `backwalk.diary.measures.activities_set` as it was when this ran (a migration
    must not change when the code does)."""
    if not isinstance(activities, list):
        return None
    names = sorted(
        {str(a.get("activity", "")).casefold() for a in activities if isinstance(a, dict)}
    )
    if not names:
        return None
    return hashlib.sha256("\x1f".join(names).encode()).hexdigest()


def upgrade() -> None:
    for table, column in TIME_INDEXES:
        op.create_index(f"ix_{table}_owner_id_{column}", table, ["owner_id", column])
    op.add_column(TABLE, sa.Column("activities_set", sa.String(length=64), nullable=True))
    _fill_activities_sets()
    op.create_index(
        f"ix_{TABLE}_owner_id_activities_set_at", TABLE, ["owner_id", "activities_set", "at"]
    )


def _fill_activities_sets() -> None:
    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"
    if postgres:  # the owner runs this, and row-level security is forced on the owner too
        op.execute(f"ALTER TABLE {TABLE} NO FORCE ROW LEVEL SECURITY")
    rows = bind.execute(sa.text(f"SELECT id, activities FROM {TABLE}")).all()
    update = sa.text(f"UPDATE {TABLE} SET activities_set = :key WHERE id = :id")
    for row_id, activities in rows:
        stored = json.loads(activities) if isinstance(activities, str) else activities
        bind.execute(update, {"key": activities_set(stored), "id": row_id})
    if postgres:
        op.execute(f"ALTER TABLE {TABLE} FORCE ROW LEVEL SECURITY")


def downgrade() -> None:
    op.drop_index(f"ix_{TABLE}_owner_id_activities_set_at", table_name=TABLE)
    with op.batch_alter_table(TABLE) as batch:
        batch.drop_column("activities_set")
    for table, column in reversed(TIME_INDEXES):
        op.drop_index(f"ix_{table}_owner_id_{column}", table_name=table)
