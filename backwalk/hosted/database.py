"""Hosted mode's database: opened as the app role (which row-level security binds), migrated
only by the owner role, and checked before the first request.

Row-level security does not bind a superuser, and binds a table's owner only while FORCE is on
(which the owner could switch off). So the app refuses to run as either: the role it connects as
must own none of the diary tables.
"""

from __future__ import annotations

import re

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from backwalk.diary import migrate
from backwalk.diary.engine import create_diary_engine, describe, mask_url, parse_url
from backwalk.diary.scope import Scope
from backwalk.diary.store import Diary
from backwalk.errors import HostedConfigError

OWNED_TABLES = (
    "checks",
    "walks",
    "checkins",
    "outcome_measures",
    "clinician_visits",
    "walk_logs",
    "medicines",
    "recoveries",
    "recurrence_checks",
    "programme_settings",
)
ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
DEFAULT_APP_ROLE = "backwalk_app"

_ROLE_FACTS = text(
    """
    SELECT r.rolsuper, r.rolbypassrls,
           (SELECT count(*) FROM pg_class c
             WHERE c.oid = ANY(CAST(:tables AS regclass[])) AND pg_has_role(c.relowner, 'USAGE')),
           (SELECT count(*) FROM pg_class c
             WHERE c.oid = ANY(CAST(:tables AS regclass[]))
               AND c.relrowsecurity AND c.relforcerowsecurity)
    FROM pg_roles r WHERE r.rolname = current_user
    """
)


def open_hosted_diary(db_url: str) -> Diary:
    """The diary of nobody in particular (every request scopes it to its person), after checking
    that the schema is current and that row-level security binds the role we connect as."""
    engine = create_diary_engine(parse_url(db_url))
    try:
        _require_current_schema(engine)
        _require_bound_role(engine)
    except SQLAlchemyError as err:
        engine.dispose()
        problem = f"cannot use the database at {mask_url(db_url)}: {describe(err)}"
        raise HostedConfigError(problem) from err
    except BaseException:
        engine.dispose()
        raise
    return Diary(engine, url=db_url, scope=Scope(owner=None))


def open_as_owner(admin_url: str) -> Engine:
    """An engine for the tables' owner, for what only the owner may do (making a clinician),
    after checking the schema is current; HostedConfigError otherwise."""
    engine = create_diary_engine(parse_url(admin_url))
    try:
        if engine.dialect.name != "postgresql":
            raise HostedConfigError("`backwalk admin` needs the hosted PostgreSQL database")
        _require_current_schema(engine)
    except SQLAlchemyError as err:
        engine.dispose()
        raise HostedConfigError(f"cannot use {mask_url(admin_url)}: {describe(err)}") from err
    except BaseException:
        engine.dispose()
        raise
    return engine


def _require_current_schema(engine: Engine) -> None:
    current, head = migrate.current_revision(engine), migrate.head_revision()
    if current != head:
        raise HostedConfigError(
            f"the database schema is at {current or 'nothing'}, not {head}: run "
            "`backwalk admin migrate` as the tables' owner (BACKWALK_ADMIN_DB) first"
        )


def _require_bound_role(engine: Engine) -> None:
    with engine.connect() as connection:
        superuser, bypass, owned, forced = connection.execute(
            _ROLE_FACTS, {"tables": list(OWNED_TABLES)}
        ).one()
    if superuser or bypass:
        raise HostedConfigError(
            "BACKWALK_DB connects as a superuser (or a role that bypasses row-level security), "
            "so nothing would keep one person's diary from another: connect as the app role "
            "that `backwalk admin migrate --app-role` set up"
        )
    if owned:
        raise HostedConfigError(
            "BACKWALK_DB connects as the role that owns the diary tables, which could switch "
            "row-level security off: connect as the app role instead"
        )
    if forced != len(OWNED_TABLES):
        raise HostedConfigError(
            "row-level security is not forced on every diary table: run `backwalk admin migrate`"
        )


def migrate_and_grant(admin_url: str, app_role: str = DEFAULT_APP_ROLE) -> str:
    """As the tables' owner: migrate to the newest schema, make the app role if it is missing
    and give it exactly the rights it needs (rows, sequences, the policies' functions)."""
    if not ROLE_NAME.fullmatch(app_role):
        raise HostedConfigError(f"--app-role must be a plain lower-case name, got {app_role!r}")
    engine = create_diary_engine(parse_url(admin_url))
    if engine.dialect.name != "postgresql":
        engine.dispose()
        raise HostedConfigError("`backwalk admin migrate` is for a PostgreSQL database")
    try:
        migrate.upgrade(engine)
        with engine.begin() as connection:
            # Where the tables were made: the first schema on the owner's search_path.
            schema = connection.execute(text("SELECT current_schema()")).scalar_one()
            quoted = connection.dialect.identifier_preparer.quote(schema)
            for statement in _grants(app_role, quoted):
                connection.execute(text(statement))
        return migrate.current_revision(engine) or ""
    except SQLAlchemyError as err:
        raise HostedConfigError(f"cannot migrate {mask_url(admin_url)}: {describe(err)}") from err
    finally:
        engine.dispose()


def _grants(role: str, schema: str) -> list[str]:
    return [
        f"""DO $$ BEGIN
              IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}') THEN
                CREATE ROLE {role} LOGIN NOSUPERUSER NOBYPASSRLS;
              END IF;
            END $$""",
        f"GRANT USAGE ON SCHEMA {schema} TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
        f"GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA {schema} TO {role}",
        # The app reads the schema's revision (to refuse a stale one) but never changes it.
        f"REVOKE INSERT, UPDATE, DELETE ON {schema}.alembic_version FROM {role}",
    ]
