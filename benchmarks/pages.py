"""The pages a person opens most, on a long diary, under concurrent load, in both modes.

Local mode: a SQLite diary with 1,000 checks and 300 walks, `backwalk serve` on it, and 16
connections kept busy back to back on `/`, `/history` and `/walk` in turn, then on `/api/health`
in the same run: p50 and p99 per page, and each page's throughput against health's (how much
of the cost is the page rather than the HTTP stack).

Hosted mode: the same diary for one signed-in person on PostgreSQL (benchmarks.hostedpages:
written by COPY, `backwalk serve --hosted --workers 1`), the same load; and hosted mode's
`/api/health` against local mode's (the cost of the hosted middleware on a route that needs
no person).
"""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchmarks.bigrows import Scale
from benchmarks.hostedpages import bench_name, measure, page_figures
from benchmarks.hostedsetup import REPO, BenchFailed, hosted_missing, postgres_missing
from benchmarks.report import Figure, skipped
from benchmarks.web import ServerFailed, loadgen, server

PART = "pages"
CHECKS, WALKS = 1000, 300
CONNECTIONS = 16
SECONDS = 5.0
PAGES = ("/", "/history", "/walk")
P99_TARGET_MS = 50.0
RATIO_TARGET = 0.25
HOSTED_HEALTH_TARGET = 0.4  # hosted /api/health / local /api/health
KEPT = REPO / "test-artifacts" / "bench-pages"


def seed(path: Path) -> None:
    """A long diary: a check every few hours for months, and walks between them."""
    from backwalk.coach import run_check
    from backwalk.diary import WalkStatus, open_diary

    start = datetime.now(UTC) - timedelta(days=200)
    with open_diary(f"sqlite:///{path}") as diary:
        for n in range(CHECKS):
            at = start + timedelta(hours=4.8 * n)
            run_check(diary, {"pain_score": 2 + n % 6, "onset_hours": 24}, at)
            if n % 3 == 0 and n // 3 < WALKS:
                walk = diary.start_walk(at=at, planned_minutes=5, pain_before=3, check_id=None)
                diary.add_checkin(
                    walk.id,
                    at=at + timedelta(minutes=2),
                    elapsed_seconds=120,
                    current_pain=3,
                    sharp_or_shooting=False,
                    red_flags=[],
                    action="continue",
                )
                diary.finish_walk(
                    walk.id,
                    at=at + timedelta(minutes=5),
                    status=WalkStatus.COMPLETED,
                    elapsed_seconds=300,
                    pain_after=2,
                    stop_reason=None,
                )


def run() -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="backwalk-bench-pages-") as name:
        tmp = Path(name)
        seed(tmp / "bench.db")
        print(f"  seeded {CHECKS:,} checks and {WALKS} walks", flush=True)
        try:
            with server(tmp) as base:
                local, health = _measure(base)
        except ServerFailed as err:
            return [skipped(PART, "pages", str(err))]
    return [*local, *hosted_figures(health)]


def hosted_figures(local_health: float) -> list[Figure]:
    """The same diary for one person in hosted mode, and its /api/health against local's."""
    why = hosted_missing() or postgres_missing()
    if why:
        return [skipped(PART, "hosted mode's pages", why)]
    KEPT.mkdir(parents=True, exist_ok=True)
    print("  hosted mode (PostgreSQL, 1 worker), the same diary for one person:", flush=True)
    scale = Scale(people=1, checks=CHECKS, person_checks=CHECKS, person_walks=WALKS)
    try:
        measured = measure(bench_name(PART), scale, KEPT)
    except (BenchFailed, ServerFailed) as err:
        return [skipped(PART, "hosted mode's pages", str(err))]
    who = f"hosted, {CHECKS:,} checks and {WALKS} walks"
    figures = page_figures(PART, measured.pages, who)
    hosted = measured.pages["/api/health"]["ok_per_s"]
    ratio = hosted / local_health if local_health else 0.0
    print(f"  hosted /api/health / local: {ratio:.2f}x", flush=True)
    note = f"{hosted:,.0f}/s vs {local_health:,.0f}/s, 1 worker each; {measured.setup}"
    return [
        *figures,
        Figure(PART, "hosted GET /api/health / local", ratio, "x", HOSTED_HEALTH_TARGET, note=note),
    ]


def _measure(base: str) -> tuple[list[Figure], float]:
    common = ("--connections", str(CONNECTIONS), "--duration", f"{SECONDS:g}")
    results = {
        path: loadgen(base, "closed", "--path", path, "--method", "GET", *common)
        for path in (*PAGES, "/api/health")
    }
    health = results["/api/health"]["ok_per_s"]
    figures = []
    for path in PAGES:
        r = results[path]
        ratio = r["ok_per_s"] / health if health else 0.0
        print(
            f"  GET {path}: p50 {r['p50_ms']:.1f} ms, p99 {r['p99_ms']:.1f} ms, "
            f"{r['ok_per_s']:,.0f}/s = {ratio:.2f}x health, {r['errors']} errors",
            flush=True,
        )
        what = f"GET {path}, {CHECKS:,} checks and {WALKS} walks, {CONNECTIONS} connections"
        figures += [
            Figure(PART, f"{what}, p50", r["p50_ms"], "ms", note=f"{r['errors']} errors"),
            Figure(
                PART,
                f"{what}, p99",
                r["p99_ms"],
                "ms",
                target=P99_TARGET_MS,
                higher_is_better=False,
            ),
            Figure(
                PART,
                f"GET {path} throughput / health",
                ratio,
                "x",
                target=RATIO_TARGET,
                note=f"{r['ok_per_s']:,.0f}/s vs {health:,.0f}/s",
            ),
        ]
    print(f"  GET /api/health: {health:,.0f}/s", flush=True)
    return figures, health
