"""A small HTTP/1.1 keep-alive load generator on raw asyncio streams (no dependencies).

Run it as its own process, so it does not share an interpreter (or a GIL) with the server:

    python -m benchmarks.loadgen open --port 8000 --path /api/assess --body-file bodies.jsonl \
        --rate 200 --duration 10
    python -m benchmarks.loadgen closed --port 8000 --path /api/health --connections 4 --duration 5

It prints one JSON object: requests, errors, achieved rate, latency percentiles in milliseconds,
and the generator's own CPU use (near 1.0 means the generator, not the server, was the limit).

`open` sends at a fixed rate whatever the server does and measures each latency from the time
the request was *due*, so a stalled server shows up as latency instead of quietly lowering the
rate (no coordinated omission). `closed` keeps N connections busy back to back: throughput.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

WARMUP_SECONDS = 1.0


@dataclass(frozen=True)
class Request:
    """A request ready to write, built once."""

    raw: bytes

    @classmethod
    def build(
        cls, method: str, host: str, path: str, body: bytes | None, cookie: str | None = None
    ) -> Request:
        lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", "Accept: application/json"]
        if cookie:  # a signed-in person's pages (hosted mode)
            lines.append(f"Cookie: {cookie}")
        if body is not None:
            lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("ascii")
        return cls(head + (body or b""))


@dataclass
class Tally:
    """What came back: latencies in seconds, non-2xx statuses and failures."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)

    def add(self, status: int, latency: float) -> None:
        self.statuses[status] = self.statuses.get(status, 0) + 1
        if 200 <= status < 300:
            self.latencies.append(latency)
        else:
            self.errors += 1


class Connection:
    """One keep-alive connection; `send` writes a request and reads its whole response."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, host: str, port: int) -> Connection:
        reader, writer = await asyncio.open_connection(host, port)
        return cls(reader, writer)

    async def send(self, request: Request) -> int:
        self.writer.write(request.raw)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status, headers = _parse_head(head)
        if headers.get("transfer-encoding", "").lower() == "chunked":
            await self._read_chunked()
        else:
            await self.reader.readexactly(int(headers.get("content-length", "0")))
        return status

    async def _read_chunked(self) -> None:
        while True:
            size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await self.reader.readexactly(size + 2)
            if size == 0:
                return

    def close(self) -> None:
        self.writer.close()


def _parse_head(head: bytes) -> tuple[int, dict[str, str]]:
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    return status, headers


class Pool:
    """Idle connections to reuse; a new one is opened when all are busy."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.idle: list[Connection] = []
        self.opened = 0

    async def take(self) -> Connection:
        if self.idle:
            return self.idle.pop()
        self.opened += 1
        return await Connection.open(self.host, self.port)

    def give(self, conn: Connection) -> None:
        self.idle.append(conn)

    def close(self) -> None:
        for conn in self.idle:
            conn.close()


@dataclass(frozen=True)
class Run:
    """One measured phase: what came back, its wall time, connections used, our own CPU time."""

    tally: Tally
    seconds: float
    connections: int
    cpu_seconds: float


async def open_loop(
    host: str, port: int, requests: Sequence[Request], rate: float, duration: float
) -> Run:
    """Send at `rate` per second for `duration` seconds after a warm-up at the same rate."""
    pool = Pool(host, port)
    await _schedule(pool, requests, rate, WARMUP_SECONDS, Tally())
    tally = Tally()
    start, cpu = time.perf_counter(), time.process_time()
    await _schedule(pool, requests, rate, duration, tally)
    run = Run(tally, time.perf_counter() - start, pool.opened, time.process_time() - cpu)
    pool.close()
    return run


async def _schedule(
    pool: Pool, requests: Sequence[Request], rate: float, duration: float, tally: Tally
) -> None:
    count = int(rate * duration)
    start = time.perf_counter()
    tasks = []
    for i in range(count):
        due = start + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(_one(pool, requests[i % len(requests)], due, tally)))
    await asyncio.gather(*tasks)


async def _one(pool: Pool, request: Request, due: float, tally: Tally) -> None:
    try:
        conn = await pool.take()
        status = await conn.send(request)
    except (OSError, asyncio.IncompleteReadError, ValueError):
        tally.add(0, 0.0)
        return
    tally.add(status, time.perf_counter() - due)
    pool.give(conn)


async def closed_loop(
    host: str, port: int, requests: Sequence[Request], connections: int, duration: float
) -> Run:
    """`connections` workers, each sending back to back on its own connection."""
    conns = [await Connection.open(host, port) for _ in range(connections)]
    warm_until = time.perf_counter() + WARMUP_SECONDS
    await asyncio.gather(
        *(_worker(c, requests, i, warm_until, Tally()) for i, c in enumerate(conns))
    )
    tally = Tally()
    start, cpu = time.perf_counter(), time.process_time()
    stop = start + duration
    await asyncio.gather(*(_worker(c, requests, i, stop, tally) for i, c in enumerate(conns)))
    run = Run(tally, time.perf_counter() - start, connections, time.process_time() - cpu)
    for conn in conns:
        conn.close()
    return run


async def _worker(
    conn: Connection, requests: Sequence[Request], offset: int, stop: float, tally: Tally
) -> None:
    i = offset
    while (now := time.perf_counter()) < stop:
        status = await conn.send(requests[i % len(requests)])
        tally.add(status, time.perf_counter() - now)
        i += 1


def percentile(sorted_values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile of already sorted values."""
    if not sorted_values:
        return float("nan")
    rank = max(1, min(len(sorted_values), round(p / 100 * len(sorted_values) + 0.5)))
    return sorted_values[rank - 1]


def summarise(run: Run) -> dict[str, Any]:
    tally, elapsed = run.tally, run.seconds
    ordered = sorted(tally.latencies)
    done = len(ordered) + tally.errors
    ms = {f"p{p:g}_ms": percentile(ordered, p) * 1000 for p in (50, 90, 99, 99.9)}
    return {
        "requests": done,
        "ok": len(ordered),
        "errors": tally.errors,
        "statuses": {str(k): v for k, v in sorted(tally.statuses.items())},
        "seconds": elapsed,
        "rate_per_s": done / elapsed if elapsed else 0.0,
        "ok_per_s": len(ordered) / elapsed if elapsed else 0.0,
        **ms,
        "max_ms": ordered[-1] * 1000 if ordered else float("nan"),
        "connections": run.connections,
        "loadgen_cpu": run.cpu_seconds / elapsed if elapsed else 0.0,
    }


def load_requests(args: argparse.Namespace) -> list[Request]:
    host = f"{args.host}:{args.port}"
    if not args.body_file:
        return [Request.build(args.method, host, args.path, None, args.cookie)]
    lines = Path(args.body_file).read_text("utf-8").splitlines()
    bodies = [line.encode() for line in lines if line.strip()]
    return [
        Request.build(args.method or "POST", host, args.path, body, args.cookie) for body in bodies
    ]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.loadgen",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("mode", choices=("open", "closed"))
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--path", required=True)
    parser.add_argument("--method", help="default: POST with --body-file, else GET")
    parser.add_argument("--body-file", help="JSON bodies, one per line, sent in turn")
    parser.add_argument("--cookie", help="a Cookie header sent with every request")
    parser.add_argument("--rate", type=float, default=200.0, help="open: requests per second")
    parser.add_argument("--connections", type=int, default=4, help="closed: concurrent connections")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds, after the warm-up")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    args.method = args.method or ("POST" if args.body_file else "GET")
    requests = load_requests(args)
    if args.mode == "open":
        phase = open_loop(args.host, args.port, requests, args.rate, args.duration)
    else:
        phase = closed_loop(args.host, args.port, requests, args.connections, args.duration)
    json.dump(summarise(asyncio.run(phase)), sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
