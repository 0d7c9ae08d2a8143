"""The person's word that a clinician has seen them: a warning sign keeps its advice on every
screen for a day, until one of these comes after it. Owned like every diary row, and under the
same row-level security on PostgreSQL.

Revision ID: 0008_clinician_visits
Revises: 0007_owner_makes_clinicians
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_clinician_visits"
down_revision: str | None = "0007_owner_makes_clinicians"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "clinician_visits"
READ = "owner_id = backwalk_owner() AND backwalk_may_read()"
WRITE = "owner_id = backwalk_owner() AND backwalk_viewer() IS NULL"
POLICIES = ("owner_reads", "owner_inserts", "owner_updates", "owner_deletes")


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["people.id"], name=f"fk_{TABLE}_owner_id_people", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=f"pk_{TABLE}"),
        sqlite_autoincrement=True,
    )
    op.create_index(f"ix_{TABLE}_owner_id", TABLE, ["owner_id"])
    op.create_index(f"ix_{TABLE}_owner_id_at", TABLE, ["owner_id", "at"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER TABLE {TABLE} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {TABLE} FORCE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY owner_reads ON {TABLE} FOR SELECT USING ({READ})")
        op.execute(f"CREATE POLICY owner_inserts ON {TABLE} FOR INSERT WITH CHECK ({WRITE})")
        op.execute(
            f"CREATE POLICY owner_updates ON {TABLE} FOR UPDATE"
            f" USING ({WRITE}) WITH CHECK ({WRITE})"
        )
        op.execute(f"CREATE POLICY owner_deletes ON {TABLE} FOR DELETE USING ({WRITE})")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for policy in POLICIES:
            op.execute(f"DROP POLICY IF EXISTS {policy} ON {TABLE}")
    op.drop_index(f"ix_{TABLE}_owner_id_at", table_name=TABLE)
    op.drop_index(f"ix_{TABLE}_owner_id", table_name=TABLE)
    op.drop_table(TABLE)
