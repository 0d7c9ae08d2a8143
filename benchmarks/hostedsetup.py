"""Hosted mode stood up as an operator would, for the benchmarks that load it.

A fresh PostgreSQL database made by scripts/hosted-db.sh (owner and app roles, migrated by
`backwalk admin migrate`) and dropped after; Redis database 15, emptied first; and
`backwalk serve --hosted --workers N` in a process group of its own. Used by the `hosted`,
`pages` and `bigdb` parts.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.cli import backwalk_command
from benchmarks.web import ServerFailed, free_port

REPO = Path(__file__).resolve().parents[1]
PG_HOST, PG_PORT = "127.0.0.1", 5432
SUPERUSER = "postgres"
APP_ROLE = "backwalk_app"
REDIS_URL = "redis://127.0.0.1:6379/15"  # a database of its own, flushed before each run
START_TIMEOUT = 30.0
# The same password for every simulated person: long enough, and no common one.
PASSWORD = "walk-gently-every-day"


class BenchFailed(RuntimeError):
    """A step before the load (database, migration, sign-in) failed; the message says why."""


# ------------------------------------------------------------------------------------------
# PostgreSQL: a fresh database per run, migrated as an operator would
# ------------------------------------------------------------------------------------------


def superuser_url(dbname: str = "postgres") -> str:
    """libpq's form, for psycopg: the superuser row-level security does not bind."""
    return f"host={PG_HOST} port={PG_PORT} user={SUPERUSER} dbname={dbname}"


def admin_sql(*statements: Any) -> None:
    """Run statements as the superuser, outside a transaction (CREATE/DROP DATABASE need that)."""
    import psycopg

    with psycopg.connect(superuser_url(), autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def postgres_missing() -> str:
    """Why PostgreSQL cannot be used, or "" when it answers."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed"
    try:
        admin_sql("SELECT 1")
    except Exception as err:
        first = (str(err).strip().splitlines() or [type(err).__name__])[0]
        return f"PostgreSQL at {PG_HOST}:{PG_PORT} does not answer ({first}); run make services"
    return ""


@contextmanager
def database(name: str, log: Path) -> Iterator[str]:
    """A fresh database, made and migrated as an operator would, and dropped after.

    scripts/hosted-db.sh makes the owner and app roles (LOGIN NOSUPERUSER NOBYPASSRLS) and
    runs `backwalk admin migrate --app-role` as the owner. The URL yielded is the app role's,
    which row-level security binds: the owner's or a superuser's would skip it and flatter
    the figures.
    """
    from psycopg import sql

    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    admin_sql(drop)
    try:
        yield make_database(name, log)
    finally:
        admin_sql(drop)


def make_database(name: str, log: Path) -> str:
    script = REPO / "scripts" / "hosted-db.sh"
    if not script.is_file():
        raise BenchFailed("scripts/hosted-db.sh is missing: it makes the hosted database")
    argv = ["bash", str(script), name, APP_ROLE]
    done = subprocess.run(argv, capture_output=True, text=True, check=False, timeout=120)
    log.write_text(done.stderr + done.stdout, "utf-8")
    url = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    if done.returncode != 0 or not url.startswith("postgresql"):
        tail = done.stderr.strip()[-600:]
        raise BenchFailed(f"scripts/hosted-db.sh {name} exited {done.returncode}: {tail}")
    return url


# ------------------------------------------------------------------------------------------
# Redis: sessions and rate-limit counters shared by the workers
# ------------------------------------------------------------------------------------------


def redis_url() -> tuple[str | None, str]:
    """The Redis URL to give the app, or None; and a note on which it is.

    Without Redis the app keeps sessions and counters in PostgreSQL: it still runs, but that is
    a different set-up, so the figures' notes say which one was measured.
    """
    script = REPO / "scripts" / "ensure-redis.sh"
    if not script.is_file():
        return None, "no Redis (scripts/ensure-redis.sh is missing): sessions in PostgreSQL"
    done = subprocess.run(["bash", str(script)], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return None, f"no Redis (ensure-redis.sh: {done.stderr.strip()[-200:]})"
    try:
        flush_redis(REDIS_URL)
    except Exception as err:
        return None, f"no Redis ({type(err).__name__}: {err})"
    return REDIS_URL, f"Redis {REDIS_URL}"


def flush_redis(url: str) -> None:
    """Empty the bench's Redis database: one run's sessions and counters are not the next's."""
    import redis

    client = redis.Redis.from_url(url, socket_timeout=5)
    try:
        client.flushdb()
    finally:
        client.close()


def redis_bytes(url: str) -> tuple[int, int]:
    """The keys in the bench's Redis database and the bytes they take (MEMORY USAGE each)."""
    import redis

    client = redis.Redis.from_url(url, socket_timeout=5)
    try:
        keys = list(client.scan_iter(count=1000))
        used = sum(_int(client.memory_usage(key)) for key in keys)
    finally:
        client.close()
    return len(keys), used


def _int(value: Any) -> int:
    return int(value or 0)


# ------------------------------------------------------------------------------------------
# The server: `backwalk serve --hosted --workers N` in its own process group
# ------------------------------------------------------------------------------------------


def hosted_missing() -> str:
    """Why `backwalk serve --hosted` cannot be run, or "" when it can."""
    argv = [*backwalk_command(), "serve", "--help"]
    done = subprocess.run(argv, capture_output=True, text=True, check=False, timeout=60)
    if done.returncode != 0:
        return f"backwalk serve --help exited {done.returncode}: {done.stderr.strip()[-300:]}"
    for flag in ("--hosted", "--workers"):
        if flag not in done.stdout:
            return f"hosted mode is not built yet (backwalk serve has no {flag})"
    return ""


def server_env(db_url: str, redis: str | None) -> dict[str, str]:
    env = {
        **os.environ,
        "BACKWALK_DB": db_url,
        "BACKWALK_SECRET": secrets.token_urlsafe(48),
        # Every simulated person comes from 127.0.0.1 within seconds: the per-address defaults
        # would rightly refuse them.
        "BACKWALK_LIMIT_SIGNUP": "100000 per hour",
        "BACKWALK_LIMIT_LOGIN_IP": "100000 per hour",
        "BACKWALK_LIMIT_ANONYMOUS_WRITES": "100000 per hour",
        "BACKWALK_LIMIT_PERSON_WRITES": "100000 per day",
    }
    env.pop("BACKWALK_REDIS_URL", None)
    if redis:
        env["BACKWALK_REDIS_URL"] = redis
    return env


@dataclass(frozen=True)
class Server:
    """A running hosted server: its base URL and its process group (the master and workers)."""

    base: str
    group: int

    @property
    def port(self) -> int:
        return int(self.base.rsplit(":", 1)[1])


@contextmanager
def server(workers: int, env: dict[str, str], log_path: Path) -> Iterator[Server]:
    """`backwalk serve --hosted` on a free port; yields it once /api/ready says 200.

    It runs in a process group of its own, so stopping it stops its workers too.
    """
    port = free_port()
    argv = [*backwalk_command(), "serve", "--hosted", "--workers", str(workers)]
    argv += ["--host", "127.0.0.1", "--port", str(port)]
    log = log_path.open("wb")
    proc = subprocess.Popen(
        argv, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(proc, base, log_path)
        yield Server(base, proc.pid)
    finally:
        _stop(proc)
        log.close()


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the server's own process group (the one it was started in), then SIGKILL."""
    for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        with suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        try:
            proc.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue


def log_tail(log: Path) -> str:
    return log.read_text("utf-8", "replace")[-600:].strip()


def _wait_ready(proc: subprocess.Popen[bytes], base: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            why = f"backwalk serve --hosted exited {proc.returncode}"
            raise ServerFailed(f"{why}: {log_tail(log)}")
        try:
            with urllib.request.urlopen(f"{base}/api/ready", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    why = f"/api/ready did not answer 200 within {START_TIMEOUT:g} s"
    raise ServerFailed(f"{why}: {log_tail(log)}")


def sign_in(base: str, username: str, password: str = PASSWORD) -> str:
    """POST /api/login as a browser would; the Cookie header the server set, for loadgen."""
    body = json.dumps({"username": username, "password": password}).encode()
    request = urllib.request.Request(
        f"{base}/api/login",
        data=body,
        headers={"Content-Type": "application/json", "Accept": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            cookies = response.headers.get_all("Set-Cookie") or []
    except urllib.error.HTTPError as err:
        raise BenchFailed(f"signing in as {username}: {err.code} {err.read()[:200]!r}") from err
    pairs = [c.split(";", 1)[0] for c in cookies]
    if not pairs:
        raise BenchFailed(f"signing in as {username} set no cookie")
    return "; ".join(pairs)


def load_average() -> str:
    """Other work on the machine skews every figure: the 1-minute load average, to say so."""
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except OSError:
        return "unknown"
