"""`backwalk admin ...` and the refusals of `backwalk serve --hosted`, driven in-process through
`main(argv, env)` against the real PostgreSQL, as an operator would run them."""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text

from backwalk.cli.env import Environment
from backwalk.cli.main import main
from backwalk.coach import assess_answers
from backwalk.diary import WalkStatus, migrate, open_diary
from backwalk.exitcodes import ExitCode
from backwalk.hosted.database import open_hosted_diary
from tests.hosted.conftest import (
    APP_ROLE,
    OWNER_ROLE,
    PASSWORD,
    SECRET,
    owner_url,
    role_url,
    save_check,
    sign_up,
)

pytestmark = pytest.mark.postgres

REPO = Path(__file__).resolve().parents[2]
DIARY_TABLES = ("checks", "walks", "checkins", "outcome_measures")
LOCAL_T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str


@pytest.fixture(autouse=True)
def clean_environ() -> Iterator[None]:
    """No BACKWALK_* of the caller's reaches these tests, and none of theirs outlives them
    (`serve --hosted` itself writes BACKWALK_DB for its workers)."""
    saved = {k: v for k, v in os.environ.items() if k.startswith("BACKWALK_")}
    for name in saved:
        del os.environ[name]
    yield
    for name in [k for k in os.environ if k.startswith("BACKWALK_")]:
        del os.environ[name]
    os.environ.update(saved)


@pytest.fixture
def cli() -> Callable[..., Result]:
    """`backwalk ARGS` in-process; the databases and the secret come from os.environ."""

    def run(*args: str, stdin: str = "") -> Result:
        stdout, stderr = io.StringIO(), io.StringIO()
        env = Environment(stdin=io.StringIO(stdin), stdout=stdout, stderr=stderr)
        code = main(list(args), env)
        return Result(code, stdout.getvalue(), stderr.getvalue())

    return run


@pytest.fixture
def owner_schema(pg_admin_engine: Engine, hosted_roles: None) -> Iterator[str]:
    """A new, empty schema owned by the owner role, as an operator makes one: not migrated."""
    schema = f"bw_admin_{uuid.uuid4().hex[:12]}"
    with pg_admin_engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}" AUTHORIZATION {OWNER_ROLE}'))
    yield schema
    with pg_admin_engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


@pytest.fixture
def no_port(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """Fails the test if `serve` tries to take a port; the calls are recorded."""
    calls: list[tuple[str, int]] = []

    def bind(host: str, port: int) -> socket.socket:
        calls.append((host, port))
        raise AssertionError(f"serve took port {port} before refusing")

    monkeypatch.setattr("backwalk.cli.serve.bind", bind)
    return calls


def one_line(stderr: str) -> str:
    """The single line of an error message, checked to be just that."""
    assert stderr.startswith("backwalk: "), stderr
    assert stderr.endswith("\n") and stderr.count("\n") == 1, stderr
    assert "Traceback" not in stderr
    return stderr


def row_counts(engine: Engine, schema: str) -> dict[str, int]:
    """Rows per diary table, and accounts (people with a username), seen as the superuser."""
    queries = {table: f'SELECT count(*) FROM "{schema}".{table}' for table in DIARY_TABLES}
    queries["accounts"] = f'SELECT count(*) FROM "{schema}".people WHERE username IS NOT NULL'
    with engine.connect() as connection:
        return {name: int(connection.execute(text(q)).scalar_one()) for name, q in queries.items()}


# ------------------------------------------------------------------------------------------
# admin migrate
# ------------------------------------------------------------------------------------------


def test_migrate_makes_a_fresh_schema_usable_by_the_app_role_and_again_is_harmless(
    cli: Callable[..., Result],
    owner_schema: str,
    pg_admin_engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app_url = role_url(APP_ROLE, owner_schema)
    with pytest.raises(Exception, match="admin migrate"):  # the app cannot use it yet
        open_hosted_diary(app_url)
    monkeypatch.setenv("BACKWALK_ADMIN_DB", role_url(OWNER_ROLE, owner_schema))
    monkeypatch.setenv("BACKWALK_DB", app_url)
    expected = f"The database is at schema {migrate.head_revision()}; {APP_ROLE} may use it.\n"

    first = cli("admin", "migrate", "--app-role", APP_ROLE)
    assert (first.code, first.stdout, first.stderr) == (ExitCode.OK, expected, "")
    open_hosted_diary(app_url).close()  # the checks `serve --hosted` makes now pass
    with pg_admin_engine.connect() as connection:
        owners = connection.execute(
            text("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = :schema"),
            {"schema": owner_schema},
        ).scalars()
        assert list(owners) == [OWNER_ROLE]
    made = cli("admin", "create-clinician", "dr.quinn", "--password-stdin", stdin=PASSWORD + "\n")
    assert made.code == ExitCode.OK, made.stderr

    again = cli("admin", "migrate", "--app-role", APP_ROLE)
    assert (again.code, again.stdout, again.stderr) == (ExitCode.OK, expected, "")
    open_hosted_diary(app_url).close()
    taken = cli("admin", "create-clinician", "dr.quinn", "--password-stdin", stdin=PASSWORD + "\n")
    assert taken.code == ExitCode.BAD_INPUT  # the clinician made in between is still there
    assert row_counts(pg_admin_engine, owner_schema)["accounts"] == 1


def test_migrate_without_an_admin_url_uses_the_database_url(
    cli: Callable[..., Result], owner_schema: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BACKWALK_DB", role_url(OWNER_ROLE, owner_schema))
    done = cli("admin", "migrate", "--app-role", APP_ROLE)
    assert done.code == ExitCode.OK, done.stderr
    open_hosted_diary(role_url(APP_ROLE, owner_schema)).close()


@pytest.mark.parametrize(
    ("args", "url", "said"),
    [
        pytest.param(("--app-role", "Robert'); DROP"), "owner", "--app-role", id="bad-role-name"),
        pytest.param(("--app-role", APP_ROLE), "sqlite", "PostgreSQL", id="sqlite"),
        pytest.param(("--app-role", APP_ROLE), None, "BACKWALK_DB", id="no-url"),
    ],
)
def test_migrate_refuses_with_one_line(
    cli: Callable[..., Result],
    owner_schema: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: tuple[str, ...],
    url: str | None,
    said: str,
) -> None:
    if url == "owner":
        monkeypatch.setenv("BACKWALK_ADMIN_DB", role_url(OWNER_ROLE, owner_schema))
    elif url == "sqlite":
        monkeypatch.setenv("BACKWALK_ADMIN_DB", f"sqlite:///{tmp_path / 'x.db'}")
    refused = cli("admin", "migrate", *args)
    assert refused.code == ExitCode.CONFIG
    assert said in one_line(refused.stderr)
    assert refused.stdout == ""


# ------------------------------------------------------------------------------------------
# admin create-clinician
# ------------------------------------------------------------------------------------------


def test_a_clinician_made_by_the_admin_signs_in_and_sees_their_people(
    cli: Callable[..., Result], app_url: str, make_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BACKWALK_DB", app_url)
    monkeypatch.setenv("BACKWALK_ADMIN_DB", owner_url(app_url))
    made = cli("admin", "create-clinician", "Dr.House", "--password-stdin", stdin=PASSWORD + "\n")
    assert made.code == ExitCode.OK, made.stderr
    assert made.stdout == "Clinician dr.house can now sign in at /login.\n"

    client = make_client()
    login = client.post("/api/login", json={"username": "dr.house", "password": PASSWORD})
    assert login.status_code == 200, login.text
    assert login.json()["kind"] == "clinician"
    people = client.get("/api/clinician/people")
    assert (people.status_code, people.json()) == (200, [])
    # A person's account is not a clinician's.
    alice = make_client()
    sign_up(alice, "alice")
    assert alice.get("/api/clinician/people").status_code == 403


def test_the_app_role_cannot_make_a_clinician(
    cli: Callable[..., Result],
    app_url: str,
    make_client: Any,
    pg_admin_engine: Engine,
    hosted_schema: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Not through `admin create-clinician` with the app's URL, and not with its own SQL: a
    mistake of the app (or SQL it was tricked into) cannot turn an account into a clinician."""
    from sqlalchemy import create_engine
    from sqlalchemy.exc import ProgrammingError

    monkeypatch.setenv("BACKWALK_DB", app_url)
    refused = cli("admin", "create-clinician", "dr.no", "--password-stdin", stdin=PASSWORD)
    assert refused.code == ExitCode.CONFIG
    assert "BACKWALK_ADMIN_DB" in one_line(refused.stderr)
    pid = sign_up(make_client(), "alice")["id"]
    app = create_engine(app_url)
    try:
        for statement in (
            "UPDATE people SET kind = 'clinician' WHERE id = :p",
            "INSERT INTO people (kind, username, password_hash, created_at, session_key)"
            " VALUES ('clinician', 'dr.sql', 'x', now(), 'k')",
        ):
            with pytest.raises(ProgrammingError, match="only the owner"), app.begin() as db:
                db.execute(text(statement), {"p": pid})
        with pytest.raises(ProgrammingError), app.begin() as db:  # nor switch the guard off
            db.execute(text("ALTER TABLE people DISABLE TRIGGER only_the_owner_makes_clinicians"))
    finally:
        app.dispose()
    assert row_counts(pg_admin_engine, hosted_schema)["accounts"] == 1
    assert (
        make_client()
        .post("/api/login", json={"username": "alice", "password": PASSWORD})
        .json()["kind"]
        == "person"
    )


@pytest.mark.parametrize("name", ["dr.house", "DR.HOUSE", "alice"])
def test_a_taken_name_is_one_line_and_exit_2(
    cli: Callable[..., Result],
    app_url: str,
    make_client: Any,
    pg_admin_engine: Engine,
    hosted_schema: str,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
) -> None:
    monkeypatch.setenv("BACKWALK_DB", app_url)
    monkeypatch.setenv("BACKWALK_ADMIN_DB", owner_url(app_url))
    sign_up(make_client(), "alice")
    first = cli("admin", "create-clinician", "dr.house", "--password-stdin", stdin=PASSWORD)
    assert first.code == ExitCode.OK, first.stderr
    before = row_counts(pg_admin_engine, hosted_schema)

    taken = cli("admin", "create-clinician", name, "--password-stdin", stdin="another password\n")
    assert taken.code == ExitCode.BAD_INPUT
    assert one_line(taken.stderr) == "backwalk: that username is taken; please pick another\n"
    assert taken.stdout == ""
    assert row_counts(pg_admin_engine, hosted_schema) == before
    # The first password still works: nothing was overwritten.
    login = make_client().post("/api/login", json={"username": "dr.house", "password": PASSWORD})
    assert login.status_code == 200, login.text


@pytest.mark.parametrize(
    ("args", "stdin", "said"),
    [
        (("no", "--password-stdin"), PASSWORD, "username"),
        (("dr.short", "--password-stdin"), "short\n", "password"),
        (("dr.tty",), "", "--password-stdin"),  # no terminal to ask on
    ],
)
def test_create_clinician_refuses_bad_input(
    cli: Callable[..., Result],
    app_url: str,
    pg_admin_engine: Engine,
    hosted_schema: str,
    monkeypatch: pytest.MonkeyPatch,
    args: tuple[str, ...],
    stdin: str,
    said: str,
) -> None:
    monkeypatch.setenv("BACKWALK_ADMIN_DB", owner_url(app_url))
    refused = cli("admin", "create-clinician", *args, stdin=stdin)
    assert refused.code == ExitCode.BAD_INPUT
    assert said in one_line(refused.stderr)
    assert row_counts(pg_admin_engine, hosted_schema)["accounts"] == 0


# ------------------------------------------------------------------------------------------
# admin import-diary
# ------------------------------------------------------------------------------------------


def _local_diary(path: Path) -> str:
    """A local diary with two checks and a completed walk (two check-ins) after the second."""
    url = f"sqlite:///{path}"
    with open_diary(url) as local:
        for minutes, pain in ((0, 6), (60, 3)):
            answers = {"pain_score": pain, "sharp_pain": False}
            check = local.record_check(
                at=LOCAL_T0 + timedelta(minutes=minutes),
                answers=answers,
                assessment=assess_answers(answers),
            )
        walk = local.start_walk(
            at=LOCAL_T0 + timedelta(minutes=61), planned_minutes=5, pain_before=3, check_id=check.id
        )
        for seconds, pain in ((60, 3), (120, 2)):
            local.add_checkin(
                walk.id,
                at=walk.started_at + timedelta(seconds=seconds),
                elapsed_seconds=seconds,
                current_pain=pain,
                sharp_or_shooting=False,
                red_flags=[],
                action="continue",
            )
        local.finish_walk(
            walk.id,
            at=walk.started_at + timedelta(minutes=5),
            status=WalkStatus.COMPLETED,
            elapsed_seconds=300,
            pain_after=2,
            stop_reason=None,
        )
    return url


@pytest.fixture
def on_hosted(app_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The CLI's BACKWALK_DB is the hosted database (as the app role); its URL."""
    monkeypatch.setenv("BACKWALK_DB", app_url)
    return app_url


def test_import_diary_copies_a_local_diary_into_an_account(
    cli: Callable[..., Result],
    on_hosted: str,
    make_client: Any,
    tmp_path: Path,
) -> None:
    local_url = _local_diary(tmp_path / "diary.db")
    bob = make_client()
    sign_up(bob, "bob")
    save_check(bob)
    alice = make_client()
    sign_up(alice, "alice")
    already = save_check(alice)["check"]  # the account's own check stays, and ids move on

    copied = cli("admin", "import-diary", local_url, "--username", "alice")
    assert copied.code == ExitCode.OK, copied.stderr
    assert copied.stdout == "Copied 5 records into alice's diary.\n"

    checks = alice.get("/api/checks").json()
    assert len(checks) == 3
    assert already["id"] in [c["id"] for c in checks]
    imported = {c["answers"]["pain_score"]: c for c in checks if c["id"] != already["id"]}
    assert sorted(imported) == [3, 6]
    [walk] = alice.get("/api/walks").json()
    assert walk["check_id"] == imported[3]["id"]
    assert walk["status"] == "completed"
    assert (walk["pain_before"], walk["pain_after"]) == (3, 2)
    assert [(c["elapsed_seconds"], c["current_pain"]) for c in walk["checkins"]] == [
        (60, 3),
        (120, 2),
    ]
    assert all(c["walk_id"] == walk["id"] for c in walk["checkins"])
    # Nobody else got any of it.
    assert len(bob.get("/api/checks").json()) == 1
    assert bob.get("/api/walks").json() == []
    # The local diary is untouched.
    with open_diary(local_url) as local:
        assert (len(local.checks()), len(local.walks())) == (2, 1)


@pytest.mark.parametrize(
    ("username", "said"),
    [
        ("nobody", "backwalk: there is no account nobody\n"),
        ("Not A Name!", None),
    ],
)
def test_import_into_an_unknown_account_copies_nothing(
    cli: Callable[..., Result],
    on_hosted: str,
    make_client: Any,
    tmp_path: Path,
    pg_admin_engine: Engine,
    hosted_schema: str,
    username: str,
    said: str | None,
) -> None:
    local_url = _local_diary(tmp_path / "diary.db")
    sign_up(make_client(), "alice")
    before = row_counts(pg_admin_engine, hosted_schema)

    refused = cli("admin", "import-diary", local_url, "--username", username)
    assert refused.code == ExitCode.BAD_INPUT
    line = one_line(refused.stderr)
    if said is not None:
        assert line == said
    assert refused.stdout == ""
    assert row_counts(pg_admin_engine, hosted_schema) == before


def test_import_with_a_walk_in_progress_on_both_sides_closes_the_imported_one(
    cli: Callable[..., Result],
    on_hosted: str,
    make_client: Any,
    tmp_path: Path,
) -> None:
    local_url = f"sqlite:///{tmp_path / 'diary.db'}"
    with open_diary(local_url) as local:
        local.start_walk(at=LOCAL_T0, planned_minutes=5, pain_before=3, check_id=None)
    alice = make_client()
    sign_up(alice, "alice")
    save_check(alice)
    assert alice.post("/api/walks", json={"pain_before": 4}).status_code == 201

    done = cli("admin", "import-diary", local_url, "--username", "alice")
    assert done.code == ExitCode.OK, done.stderr
    statuses = sorted(w["status"] for w in alice.get("/api/walks").json())
    assert statuses == ["in_progress", "interrupted"]


def test_importing_the_same_checks_twice_is_refused_in_one_line(
    cli: Callable[..., Result],
    on_hosted: str,
    make_client: Any,
    tmp_path: Path,
    pg_admin_engine: Engine,
    hosted_schema: str,
) -> None:
    local_url = f"sqlite:///{tmp_path / 'diary.db'}"
    with open_diary(local_url) as local:
        local.record_check_once(
            at=LOCAL_T0,
            answers={"pain_score": 3},
            assessment={"disposition": "walk_gently", "red_flags": []},
            client_id="phone-1",
        )
    sign_up(make_client(), "alice")
    assert cli("admin", "import-diary", local_url, "--username", "alice").code == ExitCode.OK
    before = row_counts(pg_admin_engine, hosted_schema)
    again = cli("admin", "import-diary", local_url, "--username", "alice")
    assert again.code == ExitCode.ERROR
    assert "nothing was copied" in one_line(again.stderr)
    assert row_counts(pg_admin_engine, hosted_schema) == before


def test_import_from_a_missing_file_is_refused(
    cli: Callable[..., Result],
    on_hosted: str,
    make_client: Any,
    tmp_path: Path,
) -> None:
    sign_up(make_client(), "alice")
    missing = tmp_path / "typo.db"
    refused = cli("admin", "import-diary", f"sqlite:///{missing}", "--username", "alice")
    assert not missing.exists()
    assert refused.code != ExitCode.OK
    one_line(refused.stderr)


# ------------------------------------------------------------------------------------------
# serve --hosted: refusals, before any port is taken
# ------------------------------------------------------------------------------------------

REFUSALS = {
    # case: (what BACKWALK_DB is, BACKWALK_SECRET or None, words the one line must hold)
    "no-secret": ("app", None, "BACKWALK_SECRET must be at least 32 characters"),
    "short-secret": ("app", "x" * 31, "BACKWALK_SECRET must be at least 32 characters"),
    "sqlite": ("sqlite", SECRET, "hosted mode needs PostgreSQL"),
    "no-database": (None, SECRET, "set BACKWALK_DB"),
    "superuser": ("postgres", SECRET, "superuser"),
    "owner": ("owner", SECRET, "owns the diary tables"),
    "not-migrated": ("unmigrated", SECRET, "backwalk admin migrate"),
}


def _refusal_db(kind: str | None, schema: str, fresh: Callable[[], str], tmp: Path) -> str | None:
    if kind == "app":
        return role_url(APP_ROLE, schema)
    if kind == "sqlite":
        return f"sqlite:///{tmp / 'diary.db'}"
    if kind == "postgres":
        return role_url("postgres", schema)
    if kind == "owner":
        return role_url(OWNER_ROLE, schema)
    if kind == "unmigrated":
        return role_url(APP_ROLE, fresh())
    return None


@pytest.mark.parametrize("how", ["--hosted", "BACKWALK_MODE=hosted"])
@pytest.mark.parametrize("case", list(REFUSALS))
def test_serve_hosted_refuses_a_bad_configuration(
    cli: Callable[..., Result],
    hosted_schema: str,
    request: pytest.FixtureRequest,
    tmp_path: Path,
    no_port: list[tuple[str, int]],
    monkeypatch: pytest.MonkeyPatch,
    case: str,
    how: str,
) -> None:
    kind, secret, said = REFUSALS[case]

    def fresh() -> str:
        return str(request.getfixturevalue("owner_schema"))

    db = _refusal_db(kind, hosted_schema, fresh, tmp_path)
    if db is not None:
        monkeypatch.setenv("BACKWALK_DB", db)
    if secret is not None:
        monkeypatch.setenv("BACKWALK_SECRET", secret)
    argv = ["serve", "--port", "8123"]
    if how == "--hosted":
        argv.append("--hosted")
    else:
        monkeypatch.setenv("BACKWALK_MODE", "hosted")

    refused = cli(*argv)
    assert refused.code == ExitCode.CONFIG, refused.stderr
    assert said in one_line(refused.stderr)
    assert refused.stdout == ""
    assert no_port == []
    assert not (tmp_path / "diary.db").exists()  # nor was a local diary made instead


@pytest.mark.parametrize("redis_url", ["http://127.0.0.1:6379/0", "redis://127.0.0.1:1/0"])
def test_serve_hosted_refuses_a_bad_redis_url(
    cli: Callable[..., Result],
    app_url: str,
    no_port: list[tuple[str, int]],
    monkeypatch: pytest.MonkeyPatch,
    redis_url: str,
) -> None:
    monkeypatch.setenv("BACKWALK_DB", app_url)
    monkeypatch.setenv("BACKWALK_SECRET", SECRET)
    monkeypatch.setenv("BACKWALK_REDIS_URL", redis_url)
    refused = cli("serve", "--hosted", "--port", "8123")
    assert refused.code == ExitCode.CONFIG
    assert "BACKWALK_REDIS_URL" in one_line(refused.stderr)
    assert no_port == []


def test_serve_hosted_refusal_in_a_real_process_has_no_traceback(
    hosted_schema: str, tmp_path: Path
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    environ = {k: v for k, v in os.environ.items() if not k.startswith("BACKWALK_")}
    environ.update(BACKWALK_DB=role_url("postgres", hosted_schema), BACKWALK_SECRET=SECRET)
    done = subprocess.run(
        [sys.executable, "-m", "backwalk", "serve", "--hosted", "--port", str(port)],
        cwd=REPO,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == ExitCode.CONFIG, done.stderr
    assert "superuser" in one_line(done.stderr)
    assert done.stdout == ""


def test_workers_need_hosted_mode(
    cli: Callable[..., Result], tmp_path: Path, no_port: list[tuple[str, int]]
) -> None:
    refused = cli("serve", "--workers", "2", "--db", f"sqlite:///{tmp_path / 'diary.db'}")
    assert refused.code == ExitCode.BAD_INPUT
    assert "--hosted" in one_line(refused.stderr)
    assert no_port == []
    assert not (tmp_path / "diary.db").exists()


@pytest.mark.parametrize("workers", ["0", "65"])
def test_workers_out_of_range_is_bad_input(
    cli: Callable[..., Result], no_port: list[tuple[str, int]], workers: str
) -> None:
    refused = cli("serve", "--hosted", "--workers", workers)
    assert refused.code == ExitCode.BAD_INPUT
    assert "--workers must be from 1 to 64" in one_line(refused.stderr)
    assert no_port == []


def test_backwalk_mode_hosted_allows_workers(
    cli: Callable[..., Result], no_port: list[tuple[str, int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With BACKWALK_MODE=hosted, --workers 2 is hosted mode's: past that check, the missing
    database is what stops it."""
    monkeypatch.setenv("BACKWALK_MODE", "hosted")
    refused = cli("serve", "--workers", "2")
    assert refused.code == ExitCode.CONFIG
    assert "BACKWALK_DB" in one_line(refused.stderr)
    assert no_port == []


@pytest.mark.parametrize("mode", ["bogus", "HOSTED-ish"])
def test_an_unknown_backwalk_mode_is_a_clear_error(
    cli: Callable[..., Result],
    tmp_path: Path,
    no_port: list[tuple[str, int]],
    monkeypatch: pytest.MonkeyPatch,
    mode: str,
) -> None:
    monkeypatch.setenv("BACKWALK_MODE", mode)
    refused = cli("serve", "--db", f"sqlite:///{tmp_path / 'diary.db'}")
    assert refused.code == ExitCode.CONFIG
    line = one_line(refused.stderr)
    assert "BACKWALK_MODE must be 'local' or 'hosted'" in line
    assert repr(mode.lower()) in line
    assert no_port == []
    assert not (tmp_path / "diary.db").exists()
