"""Hosted mode under load: 1,000 people on one PostgreSQL, through two workers.

`backwalk serve --hosted --workers 2` on a database of its own (made by scripts/hosted-db.sh
as an operator would, migrated, dropped after) with sessions and counters in Redis
(database 15, emptied first). `benchmarks.crowd`, a process of its own, plays the people
(see its docstring), and this part reads the CPU the workers and the database's backends use
from /proc while it does (`benchmarks.cpu`). What it reports:

- the sign-up storm: 200 people sign up through POST /api/accounts, 8 at a time (argon2id and
  the password checks make this the costliest thing a person does, so it is timed apart; the
  other 800 accounts are made in bulk in the database, with the app's own password hash), and
  the sign-in storm: all 1,000 sign in through POST /api/login from new browsers;
- what one request of each route costs: the workers' and the database's CPU milliseconds per
  request, measured on the requests that also put each person somewhere in their round (a
  check before a walk, a walk before its check-ins), so the steps begin with a crowd that has
  been going for a while rather than 1,000 people opening the app at once;
- the steps: all 1,000 signed-in people at once, each opening the app, doing a check, walking
  with a check-in every 30-60 s, finishing and now and then opening the history, with 30-60 s
  of thinking between requests. Thinking is compressed by each step's factor (1, 1.5, 2, ...):
  1,000 people thinking f times faster send what f x 1,000 people would at real speed. The
  steps stop at the first in which a route's p99 passes 100 ms or a request fails; the last
  step before it is what two workers hold: its request rate, its per-route table, and the
  CPU per request.

The machine's 2 cores are shared by the workers, PostgreSQL, Redis and the crowd, so these are
this machine's figures, not those of 2 dedicated cores. BACKWALK_BENCH_PEOPLE,
BACKWALK_BENCH_FACTORS (e.g. "1,2,4") and BACKWALK_BENCH_STEP_SECONDS make a smaller run.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, replace
from typing import Any

from benchmarks.cpu import Sampler
from benchmarks.hostedsetup import (
    REPO,
    BenchFailed,
    Server,
    database,
    hosted_missing,
    load_average,
    postgres_missing,
    redis_bytes,
    redis_url,
    server,
    server_env,
)
from benchmarks.report import Figure, skipped
from benchmarks.web import ServerFailed

PART = "hosted"
TITLE = "hosted mode under load"
# The logs and the crowd's JSON, kept after the run: an error figure is only as good as its why.
KEPT = REPO / "test-artifacts" / "bench-hosted"
PEOPLE = int(os.environ.get("BACKWALK_BENCH_PEOPLE", "1000"))
FACTORS = os.environ.get("BACKWALK_BENCH_FACTORS", "1,1.5,2,2.5,3,4,5,6,8")
STEP_SECONDS = float(os.environ.get("BACKWALK_BENCH_STEP_SECONDS", "20"))
WORKERS = 2
STORM_CONNECTIONS = 8
COST_PEOPLE = min(200, PEOPLE)
SIGNUPS = min(200, PEOPLE)  # the sign-up storm; the others' accounts are made in bulk
P99_LIMIT_MS = 100.0
ERRORS_TARGET = 0
ROUTES = (  # in the order of a person's round
    "GET /",
    "POST /api/checks",
    "POST /api/walks",
    "POST /api/walks/{id}/checkins",
    "POST /api/walks/{id}/finish",
    "GET /history",
)
CROWD_TIMEOUT = 600  # seconds, for the whole crowd process


@dataclass(frozen=True)
class Cost:
    """CPU seconds the workers and the database's backends used over a phase."""

    workers: float
    database: float


def run_crowd(srv: Server, database: str, run_id: str) -> dict[str, Any]:
    out = KEPT / "crowd.json"
    argv = [sys.executable, "-m", "benchmarks.crowd", "--port", str(srv.port)]
    argv += ["--people", str(PEOPLE), "--run", run_id, "--out", str(out)]
    argv += ["--database", database, "--signups", str(SIGNUPS)]
    argv += ["--storm-connections", str(STORM_CONNECTIONS), "--cost-people", str(COST_PEOPLE)]
    argv += ["--factors", FACTORS, "--step-seconds", f"{STEP_SECONDS:g}"]
    argv += ["--p99-limit-ms", f"{P99_LIMIT_MS:g}"]
    try:
        done = subprocess.run(
            argv, cwd=REPO, stderr=subprocess.PIPE, text=True, timeout=CROWD_TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired as err:
        raise BenchFailed(f"the crowd ran past {CROWD_TIMEOUT} s and was stopped") from err
    (KEPT / "crowd.log").write_text(done.stderr, "utf-8")
    if done.returncode != 0 or not out.is_file():
        raise BenchFailed(f"the crowd exited {done.returncode}: {done.stderr.strip()[-600:]}")
    result: dict[str, Any] = json.loads(out.read_text("utf-8"))
    return result


def measure(redis: str | None) -> tuple[dict[str, Any], dict[str, Cost], Figure]:
    """The whole run; the crowd's result, each phase's CPU, and what Redis holds after it."""
    name = f"backwalk_bench_{os.getpid()}"
    with database(name, KEPT / "db.log") as db_url:
        env = server_env(db_url, redis)
        with server(WORKERS, env, KEPT / "serve.log") as srv:
            print(f"  {WORKERS} workers up at {srv.base}; {PEOPLE:,} people", flush=True)
            sampler = Sampler(srv.group, name)
            sampler.start()
            try:
                result = run_crowd(srv, name, str(os.getpid()))
            finally:
                sampler.stop()
            kept = redis_figure(redis, result["signed_in"])
    costs = {p["name"]: Cost(*sampler.between(p["started"], p["ended"])) for p in result["phases"]}
    tracebacks = (KEPT / "serve.log").read_text("utf-8", "replace").count("Traceback")
    if tracebacks:
        result["stopped"] += f"; {tracebacks} tracebacks in {KEPT / 'serve.log'}"
    return result, costs, kept


def redis_figure(redis: str | None, people: int) -> Figure:
    """What Redis holds after the run (every person's sessions and rate-limit counters)."""
    name = "Redis: bytes per person signed in"
    if not redis or not people:
        return Figure(PART, name, None, "", skipped="no Redis: sessions were in PostgreSQL")
    keys, used = redis_bytes(redis)
    note = f"{keys:,} keys, {used / 1000:,.0f} kB after the run (MEMORY USAGE of each key)"
    return Figure(PART, name, used / people, "B", note=note)


# ------------------------------------------------------------------------------------------
# Figures
# ------------------------------------------------------------------------------------------


def _requests(phase: dict[str, Any]) -> int:
    return sum(r["requests"] for r in phase["routes"].values())


def _errors(phase: dict[str, Any]) -> int:
    return sum(r["errors"] for r in phase["routes"].values())


def _ms_each(seconds: float, count: int) -> float:
    return seconds * 1000 / count if count else 0.0


def storm_figures(phase: dict[str, Any], cost: Cost, what: str) -> list[Figure]:
    ((route, r),) = phase["routes"].items()
    seconds = phase["ended"] - phase["started"]
    per_s = r["requests"] / seconds if seconds else 0.0
    note = (
        f"{route}, {STORM_CONNECTIONS} at a time: p50 {r['p50_ms'] or 0:.0f} ms, "
        f"p99 {r['p99_ms'] or 0:.0f} ms; workers' CPU {_ms_each(cost.workers, r['requests']):.0f} "
        f"ms, database's {_ms_each(cost.database, r['requests']):.1f} ms each"
    )
    name = f"{what} storm: {r['requests']:,} people"
    errors_note = "; ".join(phase["messages"][:2]) or "any status but the route's promised one"
    return [
        Figure(PART, f"{name}, {what}s/s", per_s, "/s", note=f"{note}; {seconds:.1f} s in all"),
        Figure(
            PART,
            f"{name}, errors",
            r["errors"],
            "",
            target=ERRORS_TARGET,
            higher_is_better=False,
            note=errors_note,
        ),
    ]


def cost_figures(phases: list[dict[str, Any]], costs: dict[str, Cost]) -> list[Figure]:
    figures = []
    for phase in phases:
        ((route, r),) = phase["routes"].items()
        cost = costs[phase["name"]]
        n = r["requests"]
        note = (
            f"database CPU {_ms_each(cost.database, n):.2f} ms each; p50 {r['p50_ms'] or 0:.1f} "
            f"ms; {n:,} requests, 4 at a time; {r['errors']} errors"
        )
        figures.append(
            Figure(PART, f"one {route}: workers' CPU", _ms_each(cost.workers, n), "ms", note=note)
        )
    return figures


def step_line(phase: dict[str, Any], cost: Cost) -> str:
    n = _requests(phase)
    worst = max((r["p99_ms"] or 0.0 for r in phase["routes"].values()), default=0.0)
    return (
        f"  thinking {phase['factor']:g}x faster: {n / phase['load_seconds']:.1f} requests/s, "
        f"{_errors(phase)} errors, worst p99 {worst:.0f} ms; workers "
        f"{_ms_each(cost.workers, n):.1f} ms CPU, database {_ms_each(cost.database, n):.1f} ms "
        f"CPU per request; the crowd's own CPU {_busy(phase):.0%}"
    )


def _busy(phase: dict[str, Any]) -> float:
    """The crowd's CPU over the phase's time: near 100 %, the crowd, not the server, is late."""
    seconds = phase["ended"] - phase["started"]
    return float(phase["driver_cpu"]) / seconds if seconds else 0.0


def step_figures(steps: list[dict[str, Any]], costs: dict[str, Cost], stopped: str) -> list[Figure]:
    """The first step (real speed, when the factors start at 1) always, with its routes; the
    last step that held, with its routes and CPU, when it is another."""
    if not steps:
        return [Figure(PART, "steps", None, "", skipped=stopped)]
    first, held = steps[0], [s for s in steps if _held(s)]
    figures = [*_step_summary(first), *_per_route(first)]
    if not held:
        why = f"not even the first step held: {stopped}"
        return [*figures, Figure(PART, "highest rate held", None, "", skipped=why)]
    best = held[-1]
    figures += held_figures(best, costs[best["name"]], stopped)
    return figures if best is first else [*figures, *_per_route(best)]


def _step_summary(step: dict[str, Any]) -> list[Figure]:
    worst, route = _worst(step)
    what = f"{PEOPLE:,} people {_speed(step['factor'])}"
    return [
        Figure(
            PART,
            f"{what}: worst route p99",
            worst,
            "ms",
            target=P99_LIMIT_MS,
            higher_is_better=False,
            note=f"{route}; {_requests(step) / step['load_seconds']:.1f} requests/s",
        ),
        Figure(
            PART,
            f"{what}: errors",
            _errors(step),
            "",
            target=ERRORS_TARGET,
            higher_is_better=False,
            note="; ".join(step["messages"][:2]),
        ),
    ]


def _per_route(step: dict[str, Any]) -> list[Figure]:
    what = f"{PEOPLE:,} people {_speed(step['factor'])}"
    seconds = step["load_seconds"]
    return [
        Figure(
            PART,
            f"{what}: {route} p99",
            r["p99_ms"],
            "ms",
            target=P99_LIMIT_MS,
            higher_is_better=False,
            note=f"p50 {r['p50_ms'] or 0:.1f} ms; {r['requests'] / seconds:.1f}/s; "
            f"{r['errors']} errors",
        )
        for route, r in sorted(step["routes"].items(), key=lambda item: ROUTES.index(item[0]))
    ]


def _speed(factor: float) -> str:
    return "at real speed (30-60 s thinking)" if factor == 1 else f"thinking {factor:g}x faster"


def _held(step: dict[str, Any]) -> bool:
    return _requests(step) > 0 and _errors(step) == 0 and _worst(step)[0] <= P99_LIMIT_MS


def _worst(step: dict[str, Any]) -> tuple[float, str]:
    return max(((r["p99_ms"] or 0.0, k) for k, r in step["routes"].items()), default=(0.0, ""))


def held_figures(best: dict[str, Any], cost: Cost, stopped: str) -> list[Figure]:
    n, seconds, factor = _requests(best), best["load_seconds"], best["factor"]
    what = f"{PEOPLE:,} people {_speed(factor)}"
    return [
        Figure(
            PART,
            f"highest rate {WORKERS} workers hold (p99 <= {P99_LIMIT_MS:g} ms, no errors)",
            n / seconds,
            "/s",
            note=f"{what}, {seconds:g} s, the crowd's own CPU {_busy(best):.0%}; the next step: "
            f"{stopped}",
        ),
        Figure(
            PART,
            "people at real speed that rate serves",
            PEOPLE * factor,
            "",
            note=f"{what} = {factor:g} x {PEOPLE:,} at 30-60 s thinking (an equivalence, "
            "not a run of that many)",
        ),
        Figure(
            PART,
            f"{what}: workers' CPU per request",
            _ms_each(cost.workers, n),
            "ms",
            note=f"{cost.workers / seconds:.2f} cores busy in the workers",
        ),
        Figure(
            PART,
            f"{what}: database's CPU per request",
            _ms_each(cost.database, n),
            "ms",
            note=f"{cost.database / seconds:.2f} cores busy in PostgreSQL's backends",
        ),
    ]


def print_steps(steps: list[dict[str, Any]], costs: dict[str, Cost]) -> None:
    for step in steps:
        print(step_line(step, costs[step["name"]]), flush=True)
        for route, r in sorted(step["routes"].items(), key=lambda item: ROUTES.index(item[0])):
            print(
                f"    {route:<30} {r['requests']:>5}  p50 {r['p50_ms'] or 0:>6.1f} ms  "
                f"p99 {r['p99_ms'] or 0:>6.1f} ms  {r['errors']} errors",
                flush=True,
            )
        for message in step["messages"][:3]:
            print(f"    failed: {message}", flush=True)


def figures_from(result: dict[str, Any], costs: dict[str, Cost], setup: str) -> list[Figure]:
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for phase in result["phases"]:
        by_kind.setdefault(phase["kind"], []).append(phase)
    signup, signin = by_kind["storm"]
    steps = by_kind.get("step", [])
    print_steps(steps, costs)
    print(f"  stopped: {result['stopped']}", flush=True)
    first, *others = storm_figures(signup, costs[signup["name"]], "sign-up")
    figures = [
        replace(first, note=f"{setup}; {first.note}"),
        *others,
        *storm_figures(signin, costs[signin["name"]], "sign-in"),
        *cost_figures(by_kind.get("cost", []), costs),
        *step_figures(steps, costs, result["stopped"]),
    ]
    return figures


def run() -> list[Figure]:
    why = hosted_missing() or postgres_missing()
    if why:
        return [skipped(PART, TITLE, why)]
    redis, setup = redis_url()
    setup += f"; load average {load_average()} at the start"
    print(f"  {setup}", flush=True)
    shutil.rmtree(KEPT, ignore_errors=True)
    KEPT.mkdir(parents=True)
    print(f"  logs and the crowd's JSON in {KEPT}", flush=True)
    try:
        result, costs, kept = measure(redis)
    except (BenchFailed, ServerFailed) as err:
        return [skipped(PART, TITLE, str(err))]
    return [*figures_from(result, costs, setup), kept]
