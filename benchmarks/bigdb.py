"""One person's pages in a database of 100,000 people and 5 million checks (hosted mode).

The database is made and migrated as an operator would (scripts/hosted-db.sh), filled with
COPY straight into its tables (benchmarks.bigrows: everybody's checks in time order, a walk
with a check-in after each third, and the measured person's 1,000 checks and 300 walks
spread among them), vacuumed and analysed, served by `backwalk serve --hosted --workers 1`,
and dropped after. The measured person signs in through POST /api/login; then 16 connections
load `/`, `/history` and `/walk` in turn, and `/api/health` (benchmarks.hostedpages): the same
page targets as the `pages` part. It also reports how long the load took and how big the
database is, for docs/scaling.md.

BACKWALK_BENCH_BIGDB_PEOPLE and BACKWALK_BENCH_BIGDB_CHECKS make a smaller run.
"""

from __future__ import annotations

import os

from benchmarks.bigrows import Scale
from benchmarks.hostedpages import Built, bench_name, measure, page_figures
from benchmarks.hostedsetup import REPO, BenchFailed, hosted_missing, load_average, postgres_missing
from benchmarks.report import Figure, skipped
from benchmarks.web import ServerFailed

PART = "bigdb"
TITLE = "one person's pages among 100,000 people"
KEPT = REPO / "test-artifacts" / "bench-bigdb"
SCALE = Scale(
    people=int(os.environ.get("BACKWALK_BENCH_BIGDB_PEOPLE", "100000")),
    checks=int(os.environ.get("BACKWALK_BENCH_BIGDB_CHECKS", "5000000")),
)
MB = 1_000_000


def _print_built(built: Built) -> None:
    rows, seconds = built.loaded.rows, built.loaded.seconds
    for table, count in rows.items():
        print(f"  COPY {table}: {count:,} rows in {seconds[table]:.1f} s", flush=True)
    print(
        f"  indexes made again in {seconds['indexes']:.1f} s; VACUUM ANALYZE "
        f"{built.vacuum_seconds:.1f} s; database {built.sizes['database'] / MB:,.0f} MB",
        flush=True,
    )


def build_figures(built: Built) -> list[Figure]:
    rows, seconds = built.loaded.rows, built.loaded.seconds
    copied = sum(rows.values())
    copy_seconds = sum(seconds[t] for t in rows)
    total = sum(seconds.values()) + built.vacuum_seconds
    counts = ", ".join(f"{n:,} {table}" for table, n in rows.items())
    figures = [
        Figure(
            PART,
            "load by COPY: rows per second",
            copied / copy_seconds if copy_seconds else 0.0,
            "/s",
            note=f"{counts} in {copy_seconds:.0f} s",
        ),
        Figure(
            PART,
            "load, indexes and VACUUM ANALYZE: whole time",
            total,
            "s",
            note=f"indexes {seconds['indexes']:.0f} s, VACUUM ANALYZE {built.vacuum_seconds:.0f} s",
        ),
        Figure(PART, "database size", built.sizes["database"] / MB, "MB"),
    ]
    for table, count in rows.items():
        size = built.sizes[table]
        figures.append(
            Figure(
                PART,
                f"{table}: bytes per row, with indexes",
                size / count if count else 0.0,
                "B",
                note=f"{size / MB:,.0f} MB for {count:,} rows",
            )
        )
    full, cut = built.row_bytes["full"], built.row_bytes["cut"]
    figures.append(
        Figure(
            PART,
            "a check's answers and full assessment, as stored",
            full,
            "B",
            note=f"after PostgreSQL's compression; everybody else's cut ones {cut:.0f} B",
        )
    )
    return figures


def run() -> list[Figure]:
    why = hosted_missing() or postgres_missing()
    if why:
        return [skipped(PART, TITLE, why)]
    KEPT.mkdir(parents=True, exist_ok=True)
    who = (
        f"1 person of {SCALE.people:,} ({SCALE.person_checks:,} checks, {SCALE.person_walks} walks)"
    )
    print(
        f"  {SCALE.people:,} people, {SCALE.checks:,} checks; load average {load_average()} "
        "at the start",
        flush=True,
    )
    try:
        measured = measure(bench_name(PART), SCALE, KEPT, on_built=_print_built)
    except (BenchFailed, ServerFailed) as err:
        return [skipped(PART, TITLE, str(err))]
    figures = build_figures(measured.built)
    pages = page_figures(PART, measured.pages, who)
    return [*figures, *pages]
