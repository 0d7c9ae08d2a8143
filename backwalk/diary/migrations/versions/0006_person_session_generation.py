"""Sessions never outlive their person: each person gets a random session key, and each session
keeps the key of the person it was made for. A session counts only while a person with that id
has that key, so a session made before a backup was restored (whose id may now belong to a new
account), or before the person was deleted, leads nowhere.

Sessions made before this revision carry no key and are deleted: everybody signs in once more.

Revision ID: 0006_person_session_generation
Revises: 0005_people_and_owners
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_person_session_generation"
down_revision: str | None = "0005_people_and_owners"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY_CHARS = 32
# 128 random bits as 32 hex digits, made by the database for the people already there.
RANDOM_KEY = {
    "postgresql": "replace(CAST(gen_random_uuid() AS text), '-', '')",
    "sqlite": "lower(hex(randomblob(16)))",
}
_KEEP_IDS = {"sqlite_autoincrement": True}


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    with op.batch_alter_table("people", recreate="auto", table_kwargs=_KEEP_IDS) as batch:
        batch.add_column(sa.Column("session_key", sa.String(KEY_CHARS), nullable=True))
    op.execute(f"UPDATE people SET session_key = {RANDOM_KEY[dialect]}")
    with op.batch_alter_table("people", recreate="auto", table_kwargs=_KEEP_IDS) as batch:
        batch.alter_column("session_key", existing_type=sa.String(KEY_CHARS), nullable=False)
    op.execute("DELETE FROM sessions")
    with op.batch_alter_table("sessions", recreate="auto") as batch:
        batch.add_column(sa.Column("person_key", sa.String(KEY_CHARS), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("sessions", recreate="auto") as batch:
        batch.drop_column("person_key")
    with op.batch_alter_table("people", recreate="auto", table_kwargs=_KEEP_IDS) as batch:
        batch.drop_column("session_key")
