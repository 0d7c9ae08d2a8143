"""CPU of one hosted page request, in process: `python -m benchmarks.pagecpu`.

The diary of `python -m benchmarks pages` (one person, 1,000 checks and 300 walks, written by
COPY into a database made as an operator would: benchmarks.hostedpages), the hosted app built
in this process on it (with the bench's Redis for sessions), the person signed in, and each
page asked for one request at a time: the median CPU time of this process (every thread) per
request. CPU time of single requests is robust to a busy machine where latency under load is
not. `/api/health` is measured too: what the test client and the HTTP stack cost on their own.

    python -m benchmarks.pagecpu                  # a fresh database, dropped after
    python -m benchmarks.pagecpu --keep NAME      # made once as NAME, kept and reused after
    python -m benchmarks.pagecpu --profile /history   # and where that page's CPU goes

The profile samples the request's thread (`Sampler`): read its inclusive shares by function
(which reads and renders cost what); the innermost frames lean towards the calls that let go
of the GIL (the database's round trips), where the sampler gets to run.
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks.bigrows import PERSON_NAME, Scale
from benchmarks.hostedpages import build
from benchmarks.hostedsetup import (
    APP_ROLE,
    PASSWORD,
    PG_HOST,
    PG_PORT,
    REDIS_URL,
    admin_sql,
    database,
    make_database,
)

PAGES = ("/", "/history", "/walk", "/api/health", "/account")
CHECKS, WALKS = 1000, 300
LOGS = Path(__file__).resolve().parents[1] / "test-artifacts" / "bench-pagecpu"


def _exists(name: str) -> bool:
    import psycopg

    from benchmarks.hostedsetup import superuser_url

    with psycopg.connect(superuser_url(), autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
    return found is not None


@contextmanager
def diary_database(keep: str | None) -> Iterator[str]:
    """The app role's URL of a database holding the bench's diary."""
    scale = Scale(people=1, checks=CHECKS, person_checks=CHECKS, person_walks=WALKS)
    LOGS.mkdir(parents=True, exist_ok=True)
    if keep is None:
        name = f"backwalk_pagecpu_{secrets.token_hex(4)}"
        with database(name, LOGS / f"{name}.log") as url:
            build(name, scale)
            yield url
        return
    if not _exists(keep):
        make_database(keep, LOGS / f"{keep}.log")
        build(keep, scale)
    yield f"postgresql+psycopg://{APP_ROLE}@{PG_HOST}:{PG_PORT}/{keep}"


def measure(url: str, runs: int, profile: Sequence[str], top: int) -> dict[str, list[float]]:
    from starlette.testclient import TestClient

    from backwalk.hosted.app import create_hosted_app
    from backwalk.hosted.config import HostedSettings

    settings = HostedSettings(
        db_url=url,
        secret=secrets.token_urlsafe(48),
        redis_url=REDIS_URL,
        allowed_hosts=("testserver",),
        limit_login_ip="100000 per hour",
        limit_login_account="100000 per hour",
    )
    app = create_hosted_app(settings)
    found: dict[str, list[float]] = {}
    with TestClient(app) as client:
        signed = client.post("/api/login", json={"username": PERSON_NAME, "password": PASSWORD})
        if signed.status_code != 200:
            raise SystemExit(f"signing in: {signed.status_code} {signed.text[:200]}")
        for path in PAGES:
            for _ in range(3):  # warm: templates compiled, statements cached, stale walks closed
                assert client.get(path).status_code == 200, path
            times = []
            for _ in range(runs):
                started = time.process_time()
                answer = client.get(path)
                times.append((time.process_time() - started) * 1000)
                assert answer.status_code == 200, path
            found[path] = times
    for path in profile:
        print(f"\n==== samples of {runs} x GET {path} ====\n{profiled(app, path, runs, top)}")
    return found


def profiled(app: Any, path: str, runs: int, top: int) -> str:
    """Where `runs` requests for `path` spend their CPU (`Sampler`): the app driven from this
    thread by httpx's ASGI transport, with the worker-thread calls run in line (so one thread
    does all the work), after signing in and three warming requests."""
    import asyncio

    import anyio.to_thread
    import httpx

    async def in_line(func: Any, *args: Any, **_kw: Any) -> Any:
        return func(*args)

    async def drive() -> str:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            signed = await client.post(
                "/api/login", json={"username": PERSON_NAME, "password": PASSWORD}
            )
            assert signed.status_code == 200, signed.text
            for _ in range(3):
                assert (await client.get(path)).status_code == 200
            sampler = Sampler(threading.get_ident())
            sampler.start()
            for _ in range(runs):
                await client.get(path)
            sampler.stop()
        return sampler.report(top)

    original = anyio.to_thread.run_sync
    anyio.to_thread.run_sync = in_line  # type: ignore[assignment]
    try:
        return asyncio.run(drive())
    finally:
        anyio.to_thread.run_sync = original


class Sampler(threading.Thread):
    """A sampling profiler of one thread: its stack every SAMPLE_SECONDS, weighted by the CPU
    time the thread used since the sample before (waiting on the database counts nothing),
    each function counted once per sample it is on (inclusive), and the innermost (self).
    Unlike cProfile it does not make code with many small calls look dearer than it is."""

    SAMPLE_SECONDS = 0.0002

    def __init__(self, target: int) -> None:
        super().__init__(daemon=True)
        self.target = target
        self.running = True
        self.samples = 0
        self.inclusive: Counter[str] = Counter()
        self.own: Counter[str] = Counter()

    def start(self) -> None:
        # The sampler runs only when the sampled thread lets go of the GIL: by default at
        # blocking calls (the database's round trips) and every 5 ms, which would pin each
        # sample on a round trip. Every 50 us instead, so samples land where the time goes.
        self.interval = sys.getswitchinterval()
        sys.setswitchinterval(0.00005)
        super().start()

    def run(self) -> None:
        clock = time.pthread_getcpuclockid(self.target)
        last = time.clock_gettime(clock)
        while self.running:
            time.sleep(self.SAMPLE_SECONDS)
            used = time.clock_gettime(clock)
            frame = sys._current_frames().get(self.target)
            weight, last = int((used - last) * 1e6), used  # microseconds of CPU since the last
            if frame is None or weight <= 0:
                continue
            self.samples += weight
            seen = set()
            self.own[_where(frame)] += weight
            while frame is not None:
                seen.add(_where(frame))
                frame = frame.f_back
            for name in seen:
                self.inclusive[name] += weight

    def stop(self) -> None:
        self.running = False
        self.join()
        sys.setswitchinterval(self.interval)

    def report(self, top: int) -> str:
        lines = [f"{self.samples / 1000:.0f} ms of CPU sampled"]
        for title, counts in (("inclusive", self.inclusive), ("self", self.own)):
            lines.append(f"-- {title} --")
            for name, count in counts.most_common(top):
                lines.append(f"{100 * count / max(self.samples, 1):5.1f}%  {name}")
        return "\n".join(lines)


def _where(frame: Any) -> str:
    code = frame.f_code
    path = code.co_filename
    for cut in ("site-packages/", "/backwalk/", "python3.11/"):
        if cut in path:
            path = path.split(cut, 1)[1]
            break
    return f"{path}:{code.co_firstlineno}({code.co_name})"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", metavar="NAME", help="make the database once as NAME, keep it")
    parser.add_argument("--drop", action="store_true", help="drop the --keep database and stop")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--profile", action="append", default=[], metavar="PATH")
    parser.add_argument("--top", type=int, default=45)
    args = parser.parse_args(argv)
    if args.drop:
        admin_sql(f'DROP DATABASE IF EXISTS "{args.keep}" WITH (FORCE)')
        return 0
    from benchmarks.hostedsetup import load_average

    with diary_database(args.keep) as url:
        found = measure(url, args.runs, args.profile, args.top)
    print(f"CPU ms per request, {args.runs} requests each, load average {load_average()}:")
    for path, times in found.items():
        print(
            f"  GET {path}: median {statistics.median(times):.1f} ms "
            f"(min {min(times):.1f}, max {max(times):.1f})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
