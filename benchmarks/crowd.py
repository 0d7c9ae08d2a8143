"""Simulated people using hosted mode, for `benchmarks.hosted`: run as a process of its own.

    python -m benchmarks.crowd --port 8000 --people 1000 --run r1 --out crowd.json \\
        --factors 1,2,4,8 --step-seconds 20 --p99-limit-ms 100

HTTP/1.1 over raw asyncio streams, on a shared pool of keep-alive connections (as a reverse
proxy keeps to its upstream). The phases, each timed on its own with a pause between them, so
that the caller's CPU samples fall between phases:

1. sign-ups: every person POST /api/accounts, `--storm-connections` at a time;
2. sign-ins: every person POST /api/login from a new browser; their session cookies are kept;
3. route costs: `--cost-people` people take one route at a time, so the caller can say what
   one request of each route costs (GET /api/health, GET /, POST /api/checks, POST /api/walks,
   a check-in, finishing, GET /history);
4. steps: every person lives their day at once. Each opens the app (GET /), does a check,
   starts a walk, checks in every 30-60 s until the walk's planned minutes are up, finishes it,
   opens their history one time in three, and starts over; between any two requests they
   think 30-60 s. Each step compresses that thinking by its factor (a factor of 4: 7.5-15 s),
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
from benchmarks.loadgen import percentile

THINK = (30.0, 60.0)  # seconds between two requests of one person, at real speed
HISTORY_EVERY = 3  # one walk in three ends with a look at the history
PAIN, PAIN_AFTER = 4, 3
PAUSE_SECONDS = 0.6  # between phases: the CPU samples fall here
REQUEST_TIMEOUT = 30.0
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
# HTTP
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reply:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def cookies(self) -> list[str]:
        """The name=value of each Set-Cookie."""
        return [v.split(";", 1)[0].strip() for k, v in self.headers if k == "set-cookie"]

    @property
    def keep_alive(self) -> bool:
        return all(not (k == "connection" and v.lower() == "close") for k, v in self.headers)


class Conn:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    async def exchange(self, raw: bytes) -> Reply:
        self.writer.write(raw)
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = []
        for line in lines[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                headers.append((name.strip().lower(), value.strip()))
        found = dict(headers)
        if found.get("transfer-encoding", "").lower() == "chunked":
            body = await self._chunked()
        else:
            body = await self.reader.readexactly(int(found.get("content-length", "0")))
        return Reply(status, headers, body)

    async def _chunked(self) -> bytes:
        parts = []
        while True:
            size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
            parts.append((await self.reader.readexactly(size + 2))[:-2])
            if size == 0:
                return b"".join(parts)

    def close(self) -> None:
        self.writer.close()


class Http:
    """Requests over a pool of keep-alive connections; one the server closed while it was idle
    is replaced and the request sent again, as a proxy would (nothing was read from it)."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.idle: list[Conn] = []

    async def request(
        self, method: str, path: str, cookie: str = "", body: dict[str, Any] | None = None
    ) -> Reply:
        raw = self._build(method, path, cookie, body)
        for attempt in range(2):
            reused = bool(self.idle) and attempt == 0
            conn = self.idle.pop() if reused else Conn(*await self._open())
            try:
                reply = await asyncio.wait_for(conn.exchange(raw), REQUEST_TIMEOUT)
            except (asyncio.IncompleteReadError, ConnectionError) as err:
                conn.close()
                if reused and not getattr(err, "partial", b""):
                    continue
                raise
            except (OSError, TimeoutError):
                conn.close()
                raise
            if reply.keep_alive:
                self.idle.append(conn)
            else:
                conn.close()
            return reply
        raise ConnectionError("unreachable")

    async def _open(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        return await asyncio.open_connection(self.host, self.port)

    def _build(self, method: str, path: str, cookie: str, body: dict[str, Any] | None) -> bytes:
        accept = (
            "text/html" if method == "GET" and not path.startswith("/api/") else "application/json"
        )
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}", f"Accept: {accept}"]
        if cookie:
            lines.append(f"Cookie: {cookie}")
        data = b""
        if body is not None:
            data = json.dumps(body).encode()
            lines += ["Content-Type: application/json", f"Content-Length: {len(data)}"]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + data

    def close(self) -> None:
        for conn in self.idle:
            conn.close()
        self.idle.clear()


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


@dataclass
class Person:
    username: str
    cookie: str = ""
    walk_id: int | None = None
    planned_seconds: float = 0.0


class Crowd:
    def __init__(self, http: Http, people: list[Person], answers: dict[str, Any]) -> None:
        self.http, self.people, self.answers = http, people, answers
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

    # -- what one request of each route costs ----------------------------------------------

    def cost_steps(self) -> list[tuple[str, Callable[[Person], Awaitable[Any]]]]:
        return [
            ("GET /api/health", lambda p: self.call(None, "GET /api/health", "/api/health")),
            ("GET /", lambda p: self.call(p, "GET /", "/")),
            ("POST /api/checks", self.check),
            ("POST /api/walks", self.start_walk),
            ("POST /api/walks/{id}/checkins", lambda p: self.check_in(p, 60.0)),
            ("POST /api/walks/{id}/finish", self.finish),
            ("GET /history", lambda p: self.call(p, "GET /history", "/history")),
        ]

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
        return True

    async def check_in(self, person: Person, elapsed: float, due: float | None = None) -> bool:
        """True while the walk goes on."""
        body = {
            "current_pain": PAIN,
            "sharp_or_shooting": False,
            "elapsed_seconds": round(elapsed, 1),
            "client_id": f"{person.username}-{person.walk_id}-{elapsed:.0f}",
        }
        path = f"/api/walks/{person.walk_id}/checkins"
        reply = await self.call(person, "POST /api/walks/{id}/checkins", path, body, due)
        if reply is None or reply.json()["result"]["action"] != "continue":
            person.walk_id = None if reply is not None else person.walk_id
            return False
        return True

    async def finish(self, person: Person, due: float | None = None) -> None:
        body = {"status": "completed", "elapsed_seconds": person.planned_seconds}
        body["pain_after"] = PAIN_AFTER
        path = f"/api/walks/{person.walk_id}/finish"
        await self.call(person, "POST /api/walks/{id}/finish", path, body, due)
        person.walk_id = None  # finished, or not to be finished: either way the next is new

    # -- a day, at the clock's speed -------------------------------------------------------

    def think(self) -> asyncio.Future[float]:
        return self.clock.sleep(self.random.uniform(*THINK))

    async def live(self, person: Person) -> None:
        due = await self.clock.sleep(self.random.uniform(0, THINK[1]))  # not all at once
        while True:
            await self.one_walk(person, due)
            due = await self.think()

    async def one_walk(self, person: Person, due: float) -> None:
        """Open the app, check, walk with check-ins, finish, sometimes look back; a request
        that fails ends this round (and the walk, if one was started)."""
        if not await self.call(person, "GET /", "/", due=due):
            return
        if not await self.check(person, await self.think()):
            return
        if not await self.start_walk(person, await self.think()):
            return
        elapsed = 0.0
        while True:
            gap = self.random.uniform(*THINK)
            if elapsed + gap >= person.planned_seconds:
                break
            due = await self.clock.sleep(gap)
            elapsed += gap
            if not await self.check_in(person, elapsed, due):
                break
        if person.walk_id is not None:
            rest = max(person.planned_seconds - elapsed, 1.0)
            await self.finish(person, await self.clock.sleep(rest))
        if self.random.randrange(HISTORY_EVERY) == 0:
            await self.call(person, "GET /history", "/history", due=await self.think())

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
    crowd = Crowd(http, people, check_answers())
    phases = []
    conns = args.storm_connections
    signup = Phase("sign-ups", "storm")
    phases.append(await crowd.timed(signup, crowd.each(people, conns, crowd.sign_up)))
    signin = Phase("sign-ins", "storm")
    phases.append(await crowd.timed(signin, crowd.each(people, conns, crowd.sign_in)))
    signed_in = [p for p in people if p.cookie]
    some = signed_in[: args.cost_people]
    for route, act in crowd.cost_steps():
        phase = Phase(route, "cost")
        phases.append(await crowd.timed(phase, crowd.each(some, args.cost_connections, act)))
    stopped = await _steps(crowd, signed_in, args, phases)
    http.close()
    return {
        "people": len(people),
        "signed_in": len(signed_in),
        "stopped": stopped,
        "phases": [p.to_dict() for p in phases],
    }


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
