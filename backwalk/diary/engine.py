"""Finding the diary (URL resolution) and connecting to it (engine set-up per backend)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.pool import StaticPool

from backwalk import settings as bw_settings
from backwalk.diary.errors import DiaryUnavailable

ENV_VAR = "BACKWALK_DB"
APP_NAME = "backwalk"
DEFAULT_FILENAME = "diary.db"
POSTGRES_CONNECT_TIMEOUT_SECONDS = 10
SQLITE_BUSY_TIMEOUT_MS = 5000

_PASSWORD_IN_URL = re.compile(r"(//[^:/@]*:)[^@/]*@")


def default_db_path() -> Path:
    """The SQLite file used when neither ``url`` nor ``BACKWALK_DB`` names a database."""
    return Path(platformdirs.user_data_dir(APP_NAME)) / DEFAULT_FILENAME


def resolve_url(url: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """Pick the diary URL: the explicit ``url`` wins, then ``BACKWALK_DB``, then the default.

    Resolving to the default creates its folder, so that SQLite can create the file in it.
    """
    if url and url.strip():
        return url.strip()
    from_env = (bw_settings.environ() if environ is None else environ).get(ENV_VAR, "").strip()
    if from_env:
        return from_env
    path = default_db_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def mask_url(raw: str) -> str:
    """The URL with any password replaced by ``***``, safe to print or log."""
    try:
        return make_url(raw).render_as_string(hide_password=True)
    except ArgumentError:
        return _PASSWORD_IN_URL.sub(r"\1***@", raw)


def cannot_open(raw_url: str, reason: object) -> DiaryUnavailable:
    """The error for a diary that cannot be reached or set up, naming the (masked) URL."""
    return DiaryUnavailable(f"cannot open the diary at {mask_url(raw_url)}: {describe(reason)}")


def describe(reason: object) -> str:
    """A one-line reason: the driver's own message when there is one, whitespace collapsed."""
    if isinstance(reason, DBAPIError) and reason.orig is not None:
        reason = reason.orig
    return " ".join(str(reason).split()) or type(reason).__name__


def parse_url(raw: str) -> URL:
    """Parse ``raw`` as an SQLAlchemy URL, or raise ``DiaryError`` saying why not."""
    try:
        return make_url(raw)
    except ArgumentError as err:
        raise cannot_open(raw, f"not a database URL ({err})") from err


def create_diary_engine(url: URL) -> Engine:
    """An engine configured for the diary's backend (pooling, SQLite pragmas)."""
    try:
        engine = create_engine(url, **_engine_options(url))
    except (ArgumentError, NoSuchModuleError, ImportError) as err:
        raise cannot_open(url.render_as_string(hide_password=False), err) from err
    if url.get_backend_name() == "sqlite":
        _install_sqlite_hooks(engine)
    return engine


def is_memory_sqlite(url: URL) -> bool:
    """True for ``sqlite://`` and ``sqlite:///:memory:``."""
    return url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:")


def _engine_options(url: URL) -> dict[str, Any]:
    options: dict[str, Any] = {"json_deserializer": json_loads}
    if is_memory_sqlite(url):
        # One shared connection, or every checkout would see a different empty database.
        options.update(poolclass=StaticPool, connect_args={"check_same_thread": False})
    elif url.get_backend_name() == "postgresql":
        options.update(pool_pre_ping=True, connect_args=_postgres_connect_args(url))
    return options


EMPTY_LIST = ("[]", b"[]")


def json_loads(data: str | bytes) -> Any:
    """`json.loads` for the JSON columns, with the commonest stored value taken as it is read:
    an empty list (the red flags of nearly every check and check-in; a page reads a hundred
    of them, and the parser costs microseconds each even for two characters)."""
    if data in EMPTY_LIST:
        return []
    return json.loads(data)


def _postgres_connect_args(url: URL) -> dict[str, Any]:
    # Without a timeout an unreachable host hangs the CLI for minutes.
    if "connect_timeout" in url.query:
        return {}
    return {"connect_timeout": POSTGRES_CONNECT_TIMEOUT_SECONDS}


READ_ONLY = "backwalk_read_only"  # an execution option: this transaction only reads


def _install_sqlite_hooks(engine: Engine) -> None:
    event.listen(engine, "connect", _configure_sqlite_connection)
    event.listen(engine, "begin", _begin)


def _configure_sqlite_connection(dbapi_connection: Any, _record: Any) -> None:
    # isolation_level=None stops the sqlite3 module from issuing its own (deferred, DML-only)
    # BEGIN; _begin_immediate issues ours, so DDL is transactional and writers queue up.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        # The busy timeout first: switching a new file to WAL needs a moment alone with it, and
        # two processes opening a fresh diary at once should wait for each other, not fail.
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        # FULL: a committed check-in is on disk before the call returns, even on power loss.
        cursor.execute("PRAGMA synchronous=FULL")
    finally:
        cursor.close()


def _begin(connection: Any) -> None:
    # A write takes the write lock up front (IMMEDIATE), so a read-then-write (finishing a walk)
    # can never interleave with another process doing the same. A read takes none: a deferred
    # BEGIN reads a WAL snapshot while writers carry on.
    if connection.get_execution_options().get(READ_ONLY):
        connection.exec_driver_sql("BEGIN")
    else:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
