"""Simulated people using hosted mode, for `benchmarks.hosted`: run as a process of its own.

    python -m benchmarks.crowd --port 8000 --database NAME --people 1000 --run r1 \\
        --out crowd.json --factors 1,2,4,8 --step-seconds 20 --p99-limit-ms 100

HTTP/1.1 over raw asyncio streams (benchmarks.httpclient), on a shared pool of keep-alive
connections as a reverse proxy keeps to its upstream. The phases, each timed on its own with a
pause between them so that the caller's CPU samples fall between phases:

1. sign-ups: the first `--signups` people POST /api/accounts, `--storm-connections` at a time;
   the others' accounts are made in bulk in the database NAME (as the superuser, with the
   app's own password hash);
2. sign-ins: every person POST /api/login from a new browser; their session cookies are kept;
3. route costs: one route at a time (GET /api/health, GET /, GET /history, POST /api/checks,
   POST /api/walks, a check-in, finishing), on the requests that also put each person at a
   place of their round drawn by how long each place lasts (a check before a walk, a walk
   before its check-ins); `--cost-people` people at the start of a round walk once through;
4. steps: every person lives their round at once, from where they are: open the app
   (GET /), do a check, start a walk, check in every 30-60 s until the walk's planned minutes
   are up, finish it, open the history one time in three, and start over; between any two
   requests they think 30-60 s. Each step compresses that thinking by its factor (4: 7.5-15 s),
   so 1,000 people at factor f send what f x 1,000 people would at real speed. Stepping stops
   after the first step in which a route's p99 passes `--p99-limit-ms` or a request fails.

In the steps a request's latency counts from when it was due, so a generator that falls
behind shows as latency rather than as a lower rate. The result is one JSON object: each
phase with its start and end (wall clock), per route the requests, errors and latencies, the
first error messages, and the generator's own CPU seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import heapq
import itertools
import json
import random
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.hostedsetup import PASSWORD
from benchmarks.httpclient import Http, Reply
from benchmarks.loadgen import percentile

THINK = (30.0, 60.0)  # seconds between two requests of one person, at real speed
HISTORY_EVERY = 3  # one walk in three ends with a look at the history
PAIN, PAIN_AFTER = 4, 3
PAUSE_SECONDS = 0.6  # between phases: the CPU samples fall here
MESSAGES_KEPT = 5
ROUTE = {  # what a route answers when all is well
    "POST /api/accounts": 201,
    "POST /api/login": 200,
    "GET /api/health": 200,
    "GET /": 200,
    "POST /api/checks": 201,
    "POST /api/walks": 201,
    "POST /api/walks/{id}/checkins": 201,
    "POST /api/walks/{id}/finish": 200,
    "GET /history": 200,
}


def check_answers() -> dict[str, Any]:
    """No warning sign, no reason to rest, pain 4: the rulebook's walk gently."""
    from backwalk.rules import default_rulebook

    answers: dict[str, Any] = {flag.id: False for flag in default_rulebook().red_flags}
    answers.update(sharp_pain=False, unrelenting_pain=False, hard_to_stand=False)
    answers["pain_score"] = PAIN
    return answers


# ------------------------------------------------------------------------------------------
# What was measured
# ------------------------------------------------------------------------------------------


@dataclass
class Phase:
    """One phase's requests per route: latencies (s) of those answered as promised, errors."""

    name: str
    kind: str  # "storm", "cost" or "step"
    factor: float | None = None
    started: float = 0.0
    ended: float = 0.0
    load_seconds: float = 0.0  # steps: how long requests were being sent
    driver_cpu: float = 0.0
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)

    def add(self, route: str, seconds: float, error: str | None) -> None:
        self.latencies.setdefault(route, [])
        self.errors.setdefault(route, 0)
        if error is None:
            self.latencies[route].append(seconds)
            return
        self.errors[route] += 1
        if len(self.messages) < MESSAGES_KEPT:
            self.messages.append(f"{route}: {error}")

    def worst_p99(self) -> tuple[float, str]:
        return max(
            ((percentile(sorted(v), 99) * 1000, r) for r, v in self.latencies.items() if v),
            default=(0.0, ""),
        )

    def held(self, p99_limit_ms: float) -> bool:
        return sum(self.errors.values()) == 0 and self.worst_p99()[0] <= p99_limit_ms

    def to_dict(self) -> dict[str, Any]:
        routes = {}
        for route, values in self.latencies.items():
            ordered = sorted(values)
            routes[route] = {
                "requests": len(ordered) + self.errors[route],
                "errors": self.errors[route],
                "p50_ms": percentile(ordered, 50) * 1000 if ordered else None,
                "p99_ms": percentile(ordered, 99) * 1000 if ordered else None,
                "max_ms": ordered[-1] * 1000 if ordered else None,
            }
        return {
            "name": self.name,
            "kind": self.kind,
            "factor": self.factor,
            "started": self.started,
            "ended": self.ended,
            "load_seconds": self.load_seconds,
            "driver_cpu": self.driver_cpu,
            "routes": routes,
            "messages": self.messages,
        }


# ------------------------------------------------------------------------------------------
# Thinking time: a clock that runs `factor` times faster than the wall clock
# ------------------------------------------------------------------------------------------


class ThinkingClock:
    """Virtual seconds for the people's waits, running `rate` times faster than real ones
    (0: stopped). A wait resolves to the real time (perf_counter) at which it was due."""

    def __init__(self) -> None:
        self.rate = 0.0
        self.virtual = 0.0
        self.real = time.perf_counter()
        self.waiting: list[tuple[float, int, asyncio.Future[float]]] = []
        self.counter = itertools.count()
        self.changed = asyncio.Event()

    def now(self) -> float:
        return self.virtual + (time.perf_counter() - self.real) * self.rate

    def set_rate(self, rate: float) -> None:
        self.virtual, self.real, self.rate = self.now(), time.perf_counter(), rate
        self.changed.set()

    def sleep(self, seconds: float) -> asyncio.Future[float]:
        future = asyncio.get_running_loop().create_future()
        heapq.heappush(self.waiting, (self.now() + seconds, next(self.counter), future))
        self.changed.set()
        return future

    async def run(self) -> None:
        while True:
            now = self.now()
            while self.rate and self.waiting and self.waiting[0][0] <= now:
                due, _, future = heapq.heappop(self.waiting)
                if not future.done():
                    future.set_result(time.perf_counter() - (now - due) / self.rate)
            delay = (self.waiting[0][0] - now) / self.rate if self.rate and self.waiting else None
            self.changed.clear()
            with suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), delay)


# ------------------------------------------------------------------------------------------
# The people
# ------------------------------------------------------------------------------------------

# Where a person is in their round, and how much of the round's time each place takes (one
# think, or about five of them for the check-ins of a five-minute walk): a person starts the
# steps at a place drawn with these weights, so the steps meet the mix of a crowd that has been
# going for a while, not 1,000 people opening the app at once.
OPEN, CHECK, START, CHECK_IN, FINISH, HISTORY = (
    "open",
    "check",
    "start",
    "check-in",
    "finish",
    "history",
)
WEIGHTS = {
    OPEN: 1.0,
    CHECK: 1.0,
    START: 1.0,
    CHECK_IN: 5.0,
    FINISH: 1.0,
    HISTORY: 1 / HISTORY_EVERY,
}


@dataclass
class Person:
    username: str
    cookie: str = ""
    place: str = OPEN
    walk_id: int | None = None
    planned_seconds: float = 0.0
    elapsed: float = 0.0  # into the walk, in the person's (virtual) seconds


class Crowd:
    def __init__(self, http: Http, answers: dict[str, Any]) -> None:
        self.http, self.answers = http, answers
        self.clock = ThinkingClock()
        self.phase = Phase("idle", "idle")
        self.in_flight = 0
        self.random = random.Random(19)

    # -- one request -----------------------------------------------------------------------

    async def call(
        self,
        person: Person | None,
        route: str,
        path: str,
        body: dict[str, Any] | None = None,
        due: float | None = None,
    ) -> Reply | None:
        """One request; the reply if the route answered as it promises, else None (counted)."""
        method = route.split(" ", 1)[0]
        phase, started = self.phase, due if due is not None else time.perf_counter()
        self.in_flight += 1
        try:
            reply = await self.http.request(method, path, person.cookie if person else "", body)
        except (OSError, TimeoutError, asyncio.IncompleteReadError, ValueError) as err:
            phase.add(route, 0.0, f"no answer ({type(err).__name__}: {err})")
            return None
        finally:
            self.in_flight -= 1
        if reply.status != ROUTE[route]:
            why = f"{reply.status}, not {ROUTE[route]}: {reply.body[:160]!r}"
            phase.add(route, 0.0, why)
            return None
        phase.add(route, time.perf_counter() - started, None)
        return reply

    # -- phases ----------------------------------------------------------------------------

    async def timed(self, phase: Phase, work: Awaitable[None]) -> Phase:
        self.phase = phase
        cpu, phase.started = time.process_time(), time.time()
        await work
        phase.ended, phase.driver_cpu = time.time(), time.process_time() - cpu
        self.phase = Phase("idle", "idle")
        await asyncio.sleep(PAUSE_SECONDS)
        return phase

    async def each(
        self, people: Sequence[Person], connections: int, act: Callable[[Person], Awaitable[Any]]
    ) -> None:
        """`act` for every person, `connections` at a time (a closed loop)."""
        queue = list(reversed(people))

        async def worker() -> None:
            while queue:
                await act(queue.pop())

        await asyncio.gather(*(worker() for _ in range(connections)))

    async def sign_up(self, person: Person) -> None:
        body = {"username": person.username, "password": PASSWORD}
        await self.call(None, "POST /api/accounts", "/api/accounts", body)

    async def sign_in(self, person: Person) -> None:
        body = {"username": person.username, "password": PASSWORD}
        reply = await self.call(None, "POST /api/login", "/api/login", body)
        if reply is not None:
            person.cookie = "; ".join(reply.cookies())

    # -- each route ------------------------------------------------------------------------

    async def open_app(self, person: Person, due: float | None = None) -> bool:
        return await self.call(person, "GET /", "/", due=due) is not None

    async def history(self, person: Person, due: float | None = None) -> bool:
        return await self.call(person, "GET /history", "/history", due=due) is not None

    async def health(self, _person: Person) -> bool:
        return await self.call(None, "GET /api/health", "/api/health") is not None

    async def check(self, person: Person, due: float | None = None) -> bool:
        body = {"answers": self.answers}
        return await self.call(person, "POST /api/checks", "/api/checks", body, due) is not None

    async def start_walk(self, person: Person, due: float | None = None) -> bool:
        body = {"pain_before": PAIN}
        reply = await self.call(person, "POST /api/walks", "/api/walks", body, due)
        if reply is None:
            return False
        walk = reply.json()
        person.walk_id, person.planned_seconds = walk["id"], walk["planned_minutes"] * 60.0
        person.elapsed = 0.0
        return True

    async def check_in(self, person: Person, due: float | None = None) -> bool:
        """True while the walk goes on (a stop rule would end it: pain 4 never does)."""
        body = {
            "current_pain": PAIN,
            "sharp_or_shooting": False,
            "elapsed_seconds": round(person.elapsed, 1),
            "client_id": f"{person.username}-{person.walk_id}-{person.elapsed:.0f}",
        }
        path = f"/api/walks/{person.walk_id}/checkins"
        reply = await self.call(person, "POST /api/walks/{id}/checkins", path, body, due)
        if reply is not None and reply.json()["result"]["action"] != "continue":
            person.walk_id = None
        return reply is not None

    async def finish(self, person: Person, due: float | None = None) -> bool:
        body = {"status": "completed", "elapsed_seconds": person.planned_seconds}
        body["pain_after"] = PAIN_AFTER
        path = f"/api/walks/{person.walk_id}/finish"
        reply = await self.call(person, "POST /api/walks/{id}/finish", path, body, due)
        person.walk_id = None  # finished, or not to be finished: either way the next is new
        return reply is not None

    # -- a round, at the clock's speed -----------------------------------------------------

    async def live(self, person: Person) -> None:
        """From where the person is: the rest of a think, then their round, over and over."""
        due = await self.clock.sleep(self.rest_of_a_think())
        while True:
            await self.act(person, due)
            due = await self.clock.sleep(self.wait_before_next(person))

    async def act(self, person: Person, due: float) -> None:
        """The request of the person's place; then the next place (a failure starts over, by
        finishing the walk if one was going)."""
        actions = {
            OPEN: (self.open_app, CHECK),
            CHECK: (self.check, START),
            START: (self.start_walk, CHECK_IN),
            CHECK_IN: (self.check_in, CHECK_IN),
            FINISH: (self.finish, HISTORY if self.random.randrange(HISTORY_EVERY) == 0 else OPEN),
            HISTORY: (self.history, OPEN),
        }
        action, then = actions[person.place]
        done = await action(person, due)
        if person.place in (START, CHECK_IN) and done and person.walk_id is None:
            then = OPEN  # a stop rule ended the walk
        elif not done:
            then = FINISH if person.walk_id is not None else OPEN
        person.place = then

    def rest_of_a_think(self) -> float:
        """What is left of a think met at a random moment (the residual of a uniform 30-60 s
        wait: flat to 30 s, then falling to 0 at 60 s), so the steps begin at the rate of a
        crowd that has been going a while, not with a lull while everyone starts thinking."""
        short, long = THINK
        if self.random.random() < short / ((short + long) / 2):
            return self.random.uniform(0, short)
        return short + (long - short) * (1 - self.random.random() ** 0.5)

    def wait_before_next(self, person: Person) -> float:
        """30-60 s; in a walk, the next check-in unless the walk's time is up first."""
        gap = self.random.uniform(*THINK)
        if person.place == CHECK_IN:
            if person.elapsed + gap >= person.planned_seconds:
                person.place, gap = FINISH, max(person.planned_seconds - person.elapsed, 1.0)
            person.elapsed += gap
        return gap

    async def step(self, factor: float, seconds: float) -> None:
        self.clock.set_rate(factor)
        await asyncio.sleep(seconds)
        self.clock.set_rate(0.0)
        self.phase.load_seconds = seconds
        await asyncio.sleep(0.05)  # people woken just before the stop send their request
        while self.in_flight:
            await asyncio.sleep(0.02)


# ------------------------------------------------------------------------------------------
# The run
# ------------------------------------------------------------------------------------------


async def run(args: argparse.Namespace) -> dict[str, Any]:
    http = Http(args.host, args.port)
    people = [Person(f"crowd{args.run}x{n}") for n in range(1, args.people + 1)]
    crowd = Crowd(http, check_answers())
    phases: list[Phase] = []
    conns = args.storm_connections
    signing_up = people[: args.signups]
    signup = Phase("sign-ups", "storm")
    phases.append(await crowd.timed(signup, crowd.each(signing_up, conns, crowd.sign_up)))
    if len(people) > len(signing_up):
        add_accounts(args.database, [p.username for p in people[len(signing_up) :]])
    signin = Phase("sign-ins", "storm")
    phases.append(await crowd.timed(signin, crowd.each(people, conns, crowd.sign_in)))
    signed_in = [p for p in people if p.cookie]
    await _costs_and_places(crowd, signed_in, args, phases)
    stopped = await _steps(crowd, signed_in, args, phases)
    http.close()
    return {
        "people": len(people),
        "signed_up": len(signing_up),
        "signed_in": len(signed_in),
        "stopped": stopped,
        "phases": [p.to_dict() for p in phases],
    }


def add_accounts(database: str, usernames: list[str]) -> None:
    """Accounts made straight in the database, as an operator's bulk import would: one
    argon2id hash of the shared password, made by the app's own hash_password. They sign in
    through POST /api/login like any other."""
    import secrets
    from datetime import UTC, datetime

    import psycopg

    from backwalk.hosted.passwords import hash_password
    from benchmarks.hostedsetup import superuser_url

    hashed, now = hash_password(PASSWORD), datetime.now(UTC)
    with psycopg.connect(superuser_url(database)) as conn, conn.cursor() as cursor:
        copy_sql = "COPY people (kind, username, password_hash, created_at, session_key) FROM STDIN"
        with cursor.copy(copy_sql) as copy:
            for name in usernames:
                copy.write_row(("person", name, hashed, now, secrets.token_hex(16)))


async def _costs_and_places(
    crowd: Crowd, people: list[Person], args: argparse.Namespace, phases: list[Phase]
) -> None:
    """What one request of each route costs, with the requests that put each person at a place
    of their round drawn by WEIGHTS (a check before a walk, a walk before its check-ins); a
    few of those at the start of a round walk once through to measure the rest."""
    for person in people:
        person.place = crowd.random.choices(list(WEIGHTS), list(WEIGHTS.values()))[0]
    walking = [p for p in people if p.place in (CHECK_IN, FINISH)]
    once = [p for p in people if p.place in (OPEN, HISTORY)][: args.cost_people]
    some = people[: args.cost_people]
    checking = [p for p in people if p.place == START] + walking + once
    plan: list[tuple[str, list[Person], Callable[[Person], Awaitable[Any]]]] = [
        ("GET /api/health", some, crowd.health),
        ("GET /", some, crowd.open_app),
        ("GET /history", some, crowd.history),
        ("POST /api/checks", checking, crowd.check),
        ("POST /api/walks", walking + once, crowd.start_walk),
        ("POST /api/walks/{id}/checkins", once, _first_check_in(crowd)),
        ("POST /api/walks/{id}/finish", once, crowd.finish),
    ]
    for route, who, act in plan:
        phase = Phase(route, "cost")
        phases.append(await crowd.timed(phase, crowd.each(who, args.cost_connections, act)))
    for person in walking:  # somewhere into the walk, as if it had been going a while
        person.elapsed = crowd.random.uniform(0, max(person.planned_seconds - THINK[1], 0))


def _first_check_in(crowd: Crowd) -> Callable[[Person], Awaitable[bool]]:
    async def act(person: Person) -> bool:
        person.elapsed = THINK[0]
        return await crowd.check_in(person)

    return act


async def _steps(
    crowd: Crowd, people: list[Person], args: argparse.Namespace, phases: list[Phase]
) -> str:
    ticker = asyncio.create_task(crowd.clock.run())
    lives = [asyncio.create_task(crowd.live(p)) for p in people]
    stopped = "every step held"
    try:
        for factor in args.factors:
            name = f"{len(people):,} people, thinking {factor:g}x faster"
            phase = await crowd.timed(
                Phase(name, "step", factor), crowd.step(factor, args.step_seconds)
            )
            phases.append(phase)
            print(_line(phase), file=sys.stderr, flush=True)
            if not phase.held(args.p99_limit_ms):
                p99, route = phase.worst_p99()
                errors = sum(phase.errors.values())
                stopped = f"at {factor:g}x: {errors} errors, worst p99 {p99:.0f} ms ({route})"
                break
    finally:
        for task in (*lives, ticker):
            task.cancel()
        await asyncio.gather(*lives, ticker, return_exceptions=True)
    return stopped


def _line(phase: Phase) -> str:
    count = sum(len(v) for v in phase.latencies.values()) + sum(phase.errors.values())
    p99, route = phase.worst_p99()
    rate = count / phase.load_seconds if phase.load_seconds else 0.0
    return (
        f"    {phase.name}: {count} requests ({rate:.1f}/s), {sum(phase.errors.values())} errors, "
        f"worst p99 {p99:.0f} ms ({route})"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.crowd",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--run", default="0", help="a few letters or digits: unique usernames")
    parser.add_argument("--out", required=True, help="where to write the JSON result")
    parser.add_argument("--database", required=True, help="the bench's PostgreSQL database")
    parser.add_argument("--signups", type=int, default=200, help="people who sign up by HTTP")
    parser.add_argument("--storm-connections", type=int, default=8)
    parser.add_argument("--cost-people", type=int, default=200)
    parser.add_argument("--cost-connections", type=int, default=4)
    parser.add_argument(
        "--factors",
        type=lambda s: [float(x) for x in s.split(",")],
        default=[1.0, 2.0, 3.0, 4.0, 6.0, 8.0],
        help="think-time compression of each step, in order",
    )
    parser.add_argument("--step-seconds", type=float, default=20.0)
    parser.add_argument("--p99-limit-ms", type=float, default=100.0)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    result = asyncio.run(run(args))
    Path(args.out).write_text(json.dumps(result) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
