"""One walk in progress per diary, enforced by the database (a partial unique index).

Before the index, two starts racing each other could both insert a walk in progress. A diary
that already holds more than one keeps the newest running and closes the others as interrupted,
at their last sign of life, exactly as stale-walk recovery would.

Revision ID: 0002_one_walk_in_progress
Revises: 0001_initial
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_one_walk_in_progress"
down_revision: str | None = "0001_initial"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "uq_walks_one_in_progress"
IN_PROGRESS = "in_progress"
CLOSED_REASON = "another walk was started while this one was in progress"


def upgrade() -> None:
    """Close all but the newest walk in progress, then forbid a second one."""
    walks = sa.table(
        "walks",
        sa.column("id", sa.Integer),
        sa.column("status", sa.String),
        sa.column("ended_at", sa.DateTime(timezone=True)),
        sa.column("last_seen_at", sa.DateTime(timezone=True)),
        sa.column("stop_reason", sa.Text),
    )
    newest = sa.select(sa.func.max(walks.c.id)).where(walks.c.status == IN_PROGRESS)
    op.execute(
        walks.update()
        .where(walks.c.status == IN_PROGRESS, walks.c.id != newest.scalar_subquery())
        .values(status="interrupted", ended_at=walks.c.last_seen_at, stop_reason=CLOSED_REASON)
    )
    where = sa.text(f"status = '{IN_PROGRESS}'")
    op.create_index(
        INDEX, "walks", ["status"], unique=True, sqlite_where=where, postgresql_where=where
    )


def downgrade() -> None:
    op.drop_index(INDEX, table_name="walks")
