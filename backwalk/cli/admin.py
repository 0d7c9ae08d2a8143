"""`backwalk admin ...`: running a hosted deployment (docs/hosting.md).

- ``migrate``: as the tables' owner, bring the schema up to date and grant the app role.
- ``create-clinician NAME``: a clinician's account.
- ``import-diary URL --username NAME``: a local single-user diary into an account.
"""

from __future__ import annotations

import argparse
import getpass
from pathlib import Path

from sqlalchemy.exc import IntegrityError, ProgrammingError

from backwalk import settings as bw_settings
from backwalk.cli.env import Environment
from backwalk.errors import DiaryError, HostedConfigError, InputError, NotFound
from backwalk.exitcodes import ExitCode
from backwalk.hosted import require_extra

ADMIN_DB_ENV = "BACKWALK_ADMIN_DB"


def migrate(args: argparse.Namespace, env: Environment) -> int:
    require_extra()
    from backwalk.hosted.database import migrate_and_grant

    revision = migrate_and_grant(_admin_url(env), args.app_role)
    env.stdout.write(f"The database is at schema {revision}; {args.app_role} may use it.\n")
    return ExitCode.OK


def create_clinician(args: argparse.Namespace, env: Environment) -> int:
    """As the tables' owner (BACKWALK_ADMIN_DB, as for migrate): the app role cannot make a
    clinician (migration 0007), so that no mistake of the app can."""
    require_extra()
    from backwalk.hosted.accounts import Accounts
    from backwalk.hosted.database import open_as_owner

    password = _new_password(args, env)
    engine = open_as_owner(_admin_url(env))
    try:
        person = Accounts(engine, env.clock).create_clinician(args.name, password)
    except ProgrammingError as err:  # the trigger: these are not the owner's credentials
        raise HostedConfigError(
            "only the tables' owner can make a clinician: set BACKWALK_ADMIN_DB to the owner's "
            "URL (as for `backwalk admin migrate`)"
        ) from err
    finally:
        engine.dispose()
    env.stdout.write(f"Clinician {person.username} can now sign in at /login.\n")
    return ExitCode.OK


def import_diary(args: argparse.Namespace, env: Environment) -> int:
    require_extra()
    from backwalk.diary import open_diary
    from backwalk.diary.models import LOCAL_PERSON_ID
    from backwalk.diary.scope import NAME_THE_PERSON
    from backwalk.diary.transfer import copy_diary
    from backwalk.hosted.accounts import Accounts
    from backwalk.hosted.database import open_hosted_diary

    _require_existing_file(args.url)
    hosted = open_hosted_diary(_hosted_url(env))
    try:
        person = Accounts(hosted.engine, env.clock).find(args.username)
        if person is None or not person.has_account:
            raise NotFound("account", args.username)
        with (
            open_diary(args.url) as local,
            local.engine.connect() as source,
            hosted.engine.begin() as target,
        ):
            target.execute(NAME_THE_PERSON, {"owner": str(person.id), "viewer": ""})
            copied = copy_diary(source, LOCAL_PERSON_ID, target, person.id)
    except IntegrityError as err:  # the whole copy was rolled back
        raise DiaryError(
            f"nothing was copied: the diary clashes with what {args.username}'s account holds "
            "(was it imported before?)"
        ) from err
    finally:
        hosted.close()
    env.stdout.write(f"Copied {copied} records into {person.username}'s diary.\n")
    return ExitCode.OK


def _require_existing_file(url: str) -> None:
    """A mistyped path must not quietly make (and import) a new, empty diary."""
    from backwalk.diary.engine import is_memory_sqlite, parse_url

    parsed = parse_url(url)
    is_file = parsed.get_backend_name() == "sqlite" and not is_memory_sqlite(parsed)
    if is_file and not Path(str(parsed.database)).expanduser().is_file():
        raise InputError("url", f"there is no diary file at {parsed.database}")


def _admin_url(env: Environment) -> str:
    """The owner's URL: BACKWALK_ADMIN_DB, falling back to --db, then BACKWALK_DB."""
    return bw_settings.current().admin_db or _hosted_url(env)


def _hosted_url(env: Environment) -> str:
    url = (env.db_url or bw_settings.current().db_url or "").strip()
    if not url:
        raise HostedConfigError("set BACKWALK_DB (or --db) to the hosted PostgreSQL database")
    return url


def _new_password(args: argparse.Namespace, env: Environment) -> str:
    if args.password_stdin:
        return env.stdin.readline().rstrip("\r\n")
    if not env.stdin_isatty:
        raise InputError("password", "give it with --password-stdin, or run on a terminal")
    first = getpass.getpass("Password for the clinician: ")
    if getpass.getpass("The same password again: ") != first:
        raise InputError("password", "the two passwords differ")
    return first
