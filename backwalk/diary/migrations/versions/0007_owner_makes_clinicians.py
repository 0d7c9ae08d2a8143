"""Only the tables' owner can make a clinician: a clinician reads the diaries shared with them,
so an account must never become one by a mistake of the app (a form that sets the kind, a
query that updates too much). On PostgreSQL a trigger refuses, for any role that is not the
owner of `people`, a new row of kind 'clinician' and a change of kind to 'clinician'.
`backwalk admin create-clinician` therefore connects as the owner (BACKWALK_ADMIN_DB).

The app role keeps UPDATE on `people.kind`: signing up on a device turns a 'device' row into a
'person' one, and a column privilege cannot tell one value from another, so a trigger it is.
The app role can neither drop nor disable the trigger: only the table's owner can.

Revision ID: 0007_owner_makes_clinicians
Revises: 0006_person_session_generation
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0007_owner_makes_clinicians"
down_revision: str | None = "0006_person_session_generation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GUARD = """
CREATE FUNCTION backwalk_only_the_owner_makes_clinicians() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.kind = 'clinician'
     AND (TG_OP = 'INSERT' OR OLD.kind IS DISTINCT FROM 'clinician')
     AND NOT pg_has_role(current_user,
                         (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER') THEN
    RAISE EXCEPTION 'only the owner of the tables can make a clinician'
      USING ERRCODE = 'insufficient_privilege',
            HINT = 'run backwalk admin create-clinician with BACKWALK_ADMIN_DB';
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER only_the_owner_makes_clinicians
BEFORE INSERT OR UPDATE OF kind ON people
FOR EACH ROW EXECUTE FUNCTION backwalk_only_the_owner_makes_clinicians();
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(GUARD)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS only_the_owner_makes_clinicians ON people")
        op.execute("DROP FUNCTION IF EXISTS backwalk_only_the_owner_makes_clinicians()")
