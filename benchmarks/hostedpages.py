"""One person's pages in hosted mode under load, for the `pages` and `bigdb` parts.

A database made as an operator would (benchmarks.hostedsetup), filled by COPY
(benchmarks.bigrows: the measured person has 1,000 checks and 300 walks, with or without
everybody else), `backwalk serve --hosted --workers 1` on it (one process, like local mode's,
so the two compare like for like), the person signed in through POST /api/login, and 16
connections kept busy on `/`, `/history` and `/walk` in turn and then on `/api/health`.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.bigrows import PERSON_ID, PERSON_NAME, TABLES, Loaded, Scale, load
from benchmarks.hostedsetup import (
    PASSWORD,
    database,
    redis_url,
    server,
    server_env,
    sign_in,
    superuser_url,
)
from benchmarks.report import Figure
from benchmarks.web import loadgen

PAGES = ("/", "/history", "/walk")
CONNECTIONS = 16
SECONDS = 5.0
P99_TARGET_MS = 50.0
RATIO_TARGET = 0.25
WORKERS = 1


@dataclass(frozen=True)
class Built:
    """The database as loaded: what went in, how long it took, and its sizes."""

    loaded: Loaded
    vacuum_seconds: float
    sizes: dict[str, int]  # bytes: each table with its indexes and TOAST, and "database"
    row_bytes: dict[str, float]  # average stored bytes of a check's JSON, by kind


@dataclass(frozen=True)
class Measured:
    built: Built
    pages: dict[str, dict[str, Any]]  # loadgen's summary for each page and /api/health
    setup: str


def build(name: str, scale: Scale) -> Built:
    """Fill the (migrated, empty) database `name` as the superuser, then VACUUM and ANALYZE it
    as a long-running database would have been by autovacuum (which would otherwise start on
    these tables in the middle of the measurements)."""
    import psycopg

    from backwalk.hosted.passwords import hash_password

    with psycopg.connect(superuser_url(name), autocommit=True) as conn:
        loaded = load(conn, scale, datetime.now(UTC), hash_password(PASSWORD), fast=True)
        started = time.perf_counter()
        conn.execute(f"VACUUM (ANALYZE) {', '.join(TABLES)}")
        vacuumed = time.perf_counter() - started
        sizes = {table: _one(conn, "SELECT pg_total_relation_size(%s)", table) for table in TABLES}
        sizes["database"] = _one(conn, "SELECT pg_database_size(current_database())")
        row_bytes = _json_bytes(conn)
    return Built(loaded, vacuumed, sizes, row_bytes)


def _one(conn: Any, sql: str, *params: Any) -> int:
    return int(conn.execute(sql, params or None).fetchone()[0])


def _json_bytes(conn: Any) -> dict[str, float]:
    """Stored bytes (after PostgreSQL's compression) of a check's answers and assessment: the
    measured person's full ones, and everybody else's cut ones."""
    found = {}
    for kind, where in (("full", f"owner_id = {PERSON_ID}"), ("cut", f"owner_id <> {PERSON_ID}")):
        value = conn.execute(
            "SELECT avg(pg_column_size(answers) + pg_column_size(assessment)) FROM "
            f"(SELECT answers, assessment FROM checks WHERE {where} LIMIT 1000) AS sample"
        ).fetchone()[0]
        found[kind] = float(value or 0.0)
    return found


def measure(
    name: str, scale: Scale, log_dir: Path, on_built: Callable[[Built], None] | None = None
) -> Measured:
    """A database made, filled, served and loaded; dropped after."""
    redis, setup = redis_url()
    with database(name, log_dir / f"{name}-db.log") as db_url:
        built = build(name, scale)
        if on_built:
            on_built(built)
        env = server_env(db_url, redis)
        with server(WORKERS, env, log_dir / f"{name}-serve.log") as srv:
            cookie = sign_in(srv.base, PERSON_NAME, PASSWORD)
            pages = _load_pages(srv.base, cookie)
    return Measured(built, pages, setup)


def _load_pages(base: str, cookie: str) -> dict[str, dict[str, Any]]:
    common = ("--connections", str(CONNECTIONS), "--duration", f"{SECONDS:g}")
    found = {
        path: loadgen(
            base, "closed", "--path", path, "--method", "GET", "--cookie", cookie, *common
        )
        for path in PAGES
    }
    found["/api/health"] = loadgen(base, "closed", "--path", "/api/health", *common)
    return found


def page_figures(part: str, pages: dict[str, dict[str, Any]], who: str) -> list[Figure]:
    """p50, p99 (target) and throughput against /api/health (target) for each page."""
    health = pages["/api/health"]["ok_per_s"]
    figures = []
    for path in PAGES:
        r = pages[path]
        ratio = r["ok_per_s"] / health if health else 0.0
        print(
            f"  GET {path}: p50 {r['p50_ms']:.1f} ms, p99 {r['p99_ms']:.1f} ms, "
            f"{r['ok_per_s']:,.0f}/s = {ratio:.2f}x health, {r['errors']} errors",
            flush=True,
        )
        what = f"GET {path}, {who}, {CONNECTIONS} connections"
        errors = f"{r['errors']} errors" + (f" ({r['statuses']})" if r["errors"] else "")
        figures += [
            Figure(part, f"{what}, p50", r["p50_ms"], "ms", note=errors),
            Figure(
                part,
                f"{what}, p99",
                r["p99_ms"],
                "ms",
                target=P99_TARGET_MS,
                higher_is_better=False,
            ),
            Figure(
                part,
                f"GET {path} throughput / health, {who}",
                ratio,
                "x",
                target=RATIO_TARGET,
                note=f"{r['ok_per_s']:,.0f}/s vs {health:,.0f}/s",
            ),
        ]
    print(f"  GET /api/health: {health:,.0f}/s", flush=True)
    return figures


def bench_name(part: str) -> str:
    return f"backwalk_bench_{part}_{os.getpid()}"
