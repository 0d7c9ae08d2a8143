"""A check can carry the id its sender gave it, stored once: a phone that decided a check while
offline sends it when back online, maybe more than once, and the database keeps one.

Revision ID: 0004_check_client_id
Revises: 0003_outcome_measures
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_check_client_id"
down_revision: str | None = "0003_outcome_measures"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "uq_checks_client_id"


def upgrade() -> None:
    with op.batch_alter_table("checks") as batch:
        batch.add_column(sa.Column("client_id", sa.String(128), nullable=True))
    op.create_index(INDEX, "checks", ["client_id"], unique=True)


def downgrade() -> None:
    op.drop_index(INDEX, table_name="checks")
    with op.batch_alter_table("checks") as batch:
        batch.drop_column("client_id")
