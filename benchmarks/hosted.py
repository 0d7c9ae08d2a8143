"""Hosted mode under load: many people on one PostgreSQL, through `backwalk serve --hosted`.

locust (headless, its own process, over loopback) plays 200 people who each sign up, save a
check, start a walk, check in three times, finish and open their history (benchmarks/
locustfile.py), first against 2 workers, then against 1 worker on a fresh database:

(a) with 2 workers: errors (target 0), journeys completed (target 200), total requests/s, and
    p50, p99 and requests/s per route;
(b) with 1 worker: total requests/s, and the scaling ratio 2 workers / 1 worker.

Each run gets a database of its own, made by scripts/hosted-db.sh as an operator would (owned by
a role that is not a superuser, migrated by `backwalk admin migrate`) and dropped after, and
Redis database 15, emptied first, so no run meets another's people or sessions. The machine's
cores are shared by the workers, PostgreSQL and locust, so the ratio is what this machine gives,
not what 2 dedicated cores would.
"""

from __future__ import annotations

import csv
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.cli import backwalk_command
from benchmarks.report import Figure, skipped
from benchmarks.web import ServerFailed, free_port

PART = "hosted"
TITLE = "hosted mode under load"
REPO = Path(__file__).resolve().parents[1]
LOCUSTFILE = Path(__file__).resolve().with_name("locustfile.py")
# locust's CSVs and every log, kept after the run: an error figure is only as useful as its why.
KEPT = REPO / "test-artifacts" / "bench-hosted"
PEOPLE = 200
SPAWN_RATE = 50  # people started per second
RUN_TIME = 60  # seconds: the upper bound; a run ends when the last journey does
STOP_TIMEOUT = 5
LOCUST_TIMEOUT = RUN_TIME + STOP_TIMEOUT + 30  # seconds, for the whole locust process
WORKERS = (2, 1)
PG_HOST, PG_PORT = "127.0.0.1", 5432
SUPERUSER = "postgres"
APP_ROLE = "backwalk_app"
REDIS_URL = "redis://127.0.0.1:6379/15"  # a database of its own, flushed before each run
START_TIMEOUT = 30.0
JOURNEY_TYPE = "journey"  # the locustfile's row for whole journeys, not a route
JOURNEY = (
    "POST /api/accounts",
    "POST /api/checks",
    "POST /api/walks",
    "POST /api/walks/{id}/checkins",
    "POST /api/walks/{id}/finish",
    "GET /api/walks",
)
ERRORS_TARGET = 0


class BenchFailed(RuntimeError):
    """A step before the load (database, migration, locust itself) failed; the message says why."""


# ------------------------------------------------------------------------------------------
# PostgreSQL: a fresh database per run, migrated as an operator would
# ------------------------------------------------------------------------------------------


def _admin_sql(*statements: Any) -> None:
    """Run statements as the superuser, outside a transaction (CREATE/DROP DATABASE need that)."""
    import psycopg

    with psycopg.connect(
        host=PG_HOST, port=PG_PORT, user=SUPERUSER, dbname="postgres", autocommit=True
    ) as conn:
        for statement in statements:
            conn.execute(statement)


def postgres_missing() -> str:
    """Why PostgreSQL cannot be used, or "" when it answers."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed"
    try:
        _admin_sql("SELECT 1")
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
    _admin_sql(drop)
    try:
        yield make_database(name, log)
    finally:
        _admin_sql(drop)


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
        # 200 sign-ups from 127.0.0.1 in seconds: the per-IP defaults would rightly refuse them.
        "BACKWALK_LIMIT_SIGNUP": "100000 per hour",
        "BACKWALK_LIMIT_LOGIN_IP": "100000 per hour",
        "BACKWALK_LIMIT_ANONYMOUS_WRITES": "100000 per hour",
        "BACKWALK_LIMIT_PERSON_WRITES": "100000 per day",
    }
    env.pop("BACKWALK_REDIS_URL", None)
    if redis:
        env["BACKWALK_REDIS_URL"] = redis
    return env


@contextmanager
def server(workers: int, env: dict[str, str], log_path: Path) -> Iterator[str]:
    """`backwalk serve --hosted` on a free port; yields its base URL once /api/ready says 200.

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
        yield base
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


def _log_tail(log: Path) -> str:
    return log.read_text("utf-8", "replace")[-600:].strip()


def _wait_ready(proc: subprocess.Popen[bytes], base: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            why = f"backwalk serve --hosted exited {proc.returncode}"
            raise ServerFailed(f"{why}: {_log_tail(log)}")
        try:
            with urllib.request.urlopen(f"{base}/api/ready", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    why = f"/api/ready did not answer 200 within {START_TIMEOUT:g} s"
    raise ServerFailed(f"{why}: {_log_tail(log)}")


# ------------------------------------------------------------------------------------------
# locust: the journeys, and its stats CSV
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """One route's row of the stats CSV (times in ms)."""

    method: str
    name: str
    requests: int
    failures: int
    p50_ms: float
    p99_ms: float
    per_s: float


@dataclass
class Run:
    """What one locust run measured: the routes, the journeys, and anything worth a note."""

    workers: int
    routes: list[Route]
    journeys_done: int
    journeys_broken: int
    journey_p50_s: float
    seconds: float
    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return sum(r.requests for r in self.routes)

    @property
    def errors(self) -> int:
        return sum(r.failures for r in self.routes)

    @property
    def per_s(self) -> float:
        """Requests/s over all routes (each route's count over the same span, so they add)."""
        return sum(r.per_s for r in self.routes)


def run_locust(base: str, tmp: Path, workers: int, run_id: str) -> Run:
    """locust as a separate process (its own interpreter and core), headless, one journey each."""
    prefix = tmp / f"locust-{workers}w"
    locust = Path(sys.executable).with_name("locust")
    argv = [str(locust)] if locust.is_file() else [sys.executable, "-m", "locust"]
    argv += ["-f", str(LOCUSTFILE), "--headless", "--only-summary"]
    argv += ["-u", str(PEOPLE), "-r", str(SPAWN_RATE), "--run-time", f"{RUN_TIME}s"]
    argv += ["--stop-timeout", str(STOP_TIMEOUT), "--host", base, "--csv", str(prefix)]
    env = {**os.environ, "BACKWALK_BENCH_RUN": run_id}
    started = time.monotonic()
    try:
        done = subprocess.run(
            argv, cwd=REPO, env=env, capture_output=True, text=True, timeout=LOCUST_TIMEOUT
        )
    except subprocess.TimeoutExpired as err:
        raise BenchFailed(f"locust ran past {LOCUST_TIMEOUT} s and was stopped") from err
    seconds = time.monotonic() - started
    (tmp / f"locust-{workers}w.log").write_text(done.stdout + done.stderr, "utf-8")
    stats = Path(f"{prefix}_stats.csv")
    # Exit code 1 only means some requests failed: the CSV says which, and that is a figure.
    if done.returncode not in (0, 1) or not stats.is_file():
        tail = (done.stderr or done.stdout).strip()[-600:]
        raise BenchFailed(f"locust exited {done.returncode}: {tail}")
    run = parse_stats(stats, workers, seconds)
    run.failures = parse_failures(Path(f"{prefix}_failures.csv"))
    if "CPU usage above" in done.stderr:
        run.notes.append("locust's CPU was above 90%: the load generator may be the limit")
    if run.journeys_done + run.journeys_broken < PEOPLE:
        run.notes.append(f"stopped by --run-time {RUN_TIME}s before every journey ended")
    return run


def parse_stats(path: Path, workers: int, seconds: float) -> Run:
    """The per-route rows of locust's `_stats.csv`, and its journey row apart from them."""
    routes: list[Route] = []
    done = broken = 0
    journey_p50_ms = 0.0
    with path.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["Name"] == "Aggregated":
                continue
            requests, failures = int(row["Request Count"]), int(row["Failure Count"])
            if row["Type"] == JOURNEY_TYPE:
                done, broken = requests - failures, failures
                journey_p50_ms = _number(row["Median Response Time"])
                continue
            routes.append(
                Route(
                    method=row["Type"],
                    name=row["Name"],
                    requests=requests,
                    failures=failures,
                    p50_ms=_number(row["Median Response Time"]),
                    p99_ms=_number(row["99%"]),
                    per_s=_number(row["Requests/s"]),
                )
            )
    routes.sort(key=_journey_order)
    return Run(workers, routes, done, broken, journey_p50_ms / 1000, seconds)


def _journey_order(route: Route) -> tuple[int, str]:
    """Routes in the order a journey takes them; any others after, by name."""
    key = f"{route.method} {route.name}"
    return (JOURNEY.index(key) if key in JOURNEY else len(JOURNEY), key)


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:  # "N/A" when a route had no successful requests
        return 0.0


def parse_failures(path: Path) -> list[str]:
    """locust's `_failures.csv` as lines: how often, which route, what it answered."""
    if not path.is_file():
        return []
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    rows.sort(key=lambda r: r["Method"] == JOURNEY_TYPE)  # the routes' own errors first
    return [f"{r['Occurrences']}x {r['Method']} {r['Name']}: {_error(r['Error'])}" for r in rows]


def _error(text: str) -> str:
    """`CatchResponseError('409, not 201: ...')` as `409, not 201: ...`, shortened."""
    found = re.fullmatch(r"\w+\((['\"])(.*)\1\)", text, re.DOTALL)
    return (found.group(2) if found else text)[:160]


def measure(workers: int, tmp: Path, redis: str | None) -> Run:
    """One whole run: fresh database and Redis, the server, the journeys; everything torn down."""
    run_id = f"{os.getpid()}w{workers}"
    name = f"backwalk_bench_{os.getpid()}_{workers}w"
    serve_log = tmp / f"serve-{workers}w.log"
    with database(name, tmp / f"db-{workers}w.log") as db_url:
        if redis:
            flush_redis(redis)
        env = server_env(db_url, redis)
        with server(workers, env, serve_log) as base:
            print(f"  {_workers(workers)} up at {base}; {PEOPLE} people, at most {RUN_TIME} s")
            run = run_locust(base, tmp, workers, run_id)
    tracebacks = serve_log.read_text("utf-8", "replace").count("Traceback")
    if tracebacks:
        run.notes.append(f"{tracebacks} tracebacks in {serve_log}")
    _print_run(run)
    return run


def _load_average() -> str:
    """Other work on the machine (a test run, say) skews every figure here: say how much.

    Taken before the first run only: after it, the 1-minute average counts our own threads.
    """
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except OSError:
        return "unknown"


def _print_run(run: Run) -> None:
    print(
        f"  {_workers(run.workers)}: {run.requests:,} requests, {run.errors} errors, "
        f"{run.per_s:,.1f} requests/s; {run.journeys_done}/{PEOPLE} journeys "
        f"(p50 {run.journey_p50_s:.1f} s) in {run.seconds:.1f} s",
        flush=True,
    )
    for r in run.routes:
        print(
            f"    {r.method:<4} {r.name:<26} {r.requests:>5}  p50 {r.p50_ms:>6.0f} ms  "
            f"p99 {r.p99_ms:>6.0f} ms  {r.per_s:>6.1f}/s  {r.failures} failed",
            flush=True,
        )
    for line in run.failures[:5]:
        print(f"    failed: {line}", flush=True)
    for note in run.notes:
        print(f"    note: {note}", flush=True)


# ------------------------------------------------------------------------------------------
# Figures
# ------------------------------------------------------------------------------------------


def two_worker_figures(run: Run, setup: str) -> list[Figure]:
    what = _workers(run.workers)
    notes = "; ".join([f"{run.requests:,} requests in {run.seconds:.0f} s", setup, *run.notes])
    errors_note = "; ".join(run.failures[:3]) or "any status but the route's promised one counts"
    figures = [
        Figure(PART, f"{what}: requests/s, all routes", run.per_s, "/s", note=notes),
        Figure(
            PART,
            f"{what}: errors",
            run.errors,
            "",
            target=ERRORS_TARGET,
            higher_is_better=False,
            note=errors_note,
        ),
        Figure(
            PART,
            f"{what}: journeys completed",
            run.journeys_done,
            "",
            target=PEOPLE,
            note=f"sign up to history; p50 {run.journey_p50_s:.1f} s a journey",
        ),
    ]
    for r in run.routes:
        route = f"{what}: {r.method} {r.name}"
        figures += [
            Figure(PART, f"{route} p50", r.p50_ms, "ms", note=f"{r.requests:,} requests"),
            Figure(PART, f"{route} p99", r.p99_ms, "ms"),
            Figure(PART, f"{route} requests/s", r.per_s, "/s"),
        ]
    return figures


def _workers(n: int) -> str:
    return f"{n} worker" if n == 1 else f"{n} workers"


def one_worker_figures(one: Run, two: Run) -> list[Figure]:
    ratio = two.per_s / one.per_s if one.per_s else 0.0
    print(f"  scaling 2 workers / 1 worker: {ratio:.2f}x", flush=True)
    notes = [
        f"{one.requests:,} requests, {one.errors} errors, {one.journeys_done}/{PEOPLE} journeys "
        f"in {one.seconds:.0f} s",
        *one.notes,
    ]
    ratio_notes = [f"{os.cpu_count()} cores shared by the workers, PostgreSQL and locust"]
    if (one.journeys_done, one.journeys_broken) != (two.journeys_done, two.journeys_broken):
        # Requests/s of different mixes: an unfinished run is mostly sign-ups, the costliest.
        ratio_notes.append(
            f"not like for like: journeys completed {two.journeys_done} with 2 workers, "
            f"{one.journeys_done} with 1, so the routes' mix differs"
        )
    return [
        Figure(PART, "1 worker: requests/s, all routes", one.per_s, "/s", note="; ".join(notes)),
        Figure(
            PART,
            "scaling ratio 2 workers / 1 worker",
            ratio,
            "x",
            note="; ".join(ratio_notes),
        ),
    ]


def run() -> list[Figure]:
    why = hosted_missing() or postgres_missing()
    if why:
        return [skipped(PART, TITLE, why)]
    redis, setup = redis_url()
    setup += f"; load average {_load_average()} at the start"
    print(f"  {setup}", flush=True)
    shutil.rmtree(KEPT, ignore_errors=True)
    KEPT.mkdir(parents=True)
    print(f"  logs and locust's CSVs in {KEPT}", flush=True)
    try:
        two = measure(WORKERS[0], KEPT, redis)
    except (BenchFailed, ServerFailed) as err:
        return [skipped(PART, TITLE, str(err))]
    figures = two_worker_figures(two, setup)
    try:
        one = measure(WORKERS[1], KEPT, redis)
    except (BenchFailed, ServerFailed) as err:  # the 2-worker figures still stand
        return [*figures, skipped(PART, "1 worker and the scaling ratio", str(err))]
    return [*figures, *one_worker_figures(one, two)]
