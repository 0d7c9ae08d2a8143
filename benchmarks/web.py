"""The web app as a phone would meet it: `backwalk serve` in its own process, load from another.

(a) POST /api/assess at a fixed 200 requests/s: p50 and p99 latency.
(b) Most requests per second of POST /api/assess against GET /api/health (the cheapest route,
    so the ratio says how much of the cost is the assessment rather than the HTTP stack).
(c) Page weight: GET /check and every stylesheet, script and image it references.
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from importlib.util import find_spec
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from benchmarks.cli import backwalk_command
from benchmarks.core import answer_sets
from benchmarks.report import Figure, skipped

PART = "web"
REPO = Path(__file__).resolve().parents[1]
RATE = 200.0
OPEN_SECONDS = 10.0
CLOSED_SECONDS = 5.0
CONNECTIONS = 4
P99_TARGET_MS = 20.0
RATIO_TARGET = 0.5
PAGE_TARGET_KB = 100.0
START_TIMEOUT = 30.0


class ServerFailed(RuntimeError):
    """`backwalk serve` did not come up; the message says why."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def server(tmp: Path) -> Iterator[str]:
    """`backwalk serve` on a free port with a fresh diary; yields its base URL."""
    port = free_port()
    log = (tmp / "serve.log").open("wb")
    db = f"sqlite:///{tmp / 'bench.db'}"
    argv = [*backwalk_command(), "serve", "--port", str(port), "--db", db]
    proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(proc, base, tmp / "serve.log")
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def _wait_healthy(proc: subprocess.Popen[bytes], base: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = log.read_text("utf-8", "replace")[-600:].strip()
            raise ServerFailed(f"backwalk serve exited {proc.returncode}: {tail}")
        try:
            with urllib.request.urlopen(f"{base}/api/health", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    raise ServerFailed(f"/api/health did not answer within {START_TIMEOUT:g} s")


def loadgen(base: str, *args: str) -> dict[str, Any]:
    """Run the load generator as a separate process and return its JSON summary."""
    port = str(urlsplit(base).port)
    argv = [sys.executable, "-m", "benchmarks.loadgen", *args, "--port", port]
    done = subprocess.run(argv, cwd=REPO, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"loadgen {' '.join(args)}: {done.stderr.strip()[-500:]}")
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def write_bodies(path: Path) -> None:
    path.write_text("".join(json.dumps(a) + "\n" for a in answer_sets(60)), "utf-8")


def _describe(result: dict[str, Any]) -> str:
    note = f"{result['requests']:,} requests, {result['errors']} errors"
    if result["errors"]:
        note += f" (statuses {result['statuses']})"
    if result["loadgen_cpu"] > 0.9:
        note += f"; load generator busy {result['loadgen_cpu']:.0%}, may be the limit"
    return note


def latency_figures(base: str, bodies: Path) -> list[Figure]:
    result = loadgen(
        base,
        "open",
        "--path",
        "/api/assess",
        "--body-file",
        str(bodies),
        "--rate",
        f"{RATE:g}",
        "--duration",
        f"{OPEN_SECONDS:g}",
    )
    print(
        f"  POST /api/assess at {RATE:g}/s: p50 {result['p50_ms']:.2f} ms, "
        f"p99 {result['p99_ms']:.2f} ms, {_describe(result)}",
        flush=True,
    )
    what = f"POST /api/assess at {RATE:g}/s open loop"
    return [
        Figure(PART, f"{what}, p50 latency", result["p50_ms"], "ms", note=_describe(result)),
        Figure(
            PART,
            f"{what}, p99 latency",
            result["p99_ms"],
            "ms",
            target=P99_TARGET_MS,
            higher_is_better=False,
            note=f"p90 {result['p90_ms']:.1f}, p99.9 {result['p99.9_ms']:.1f}, "
            f"max {result['max_ms']:.1f} ms; achieved {result['rate_per_s']:.0f}/s",
        ),
    ]


def throughput_figures(base: str, bodies: Path) -> list[Figure]:
    common = ("--connections", str(CONNECTIONS), "--duration", f"{CLOSED_SECONDS:g}")
    assess = loadgen(base, "closed", "--path", "/api/assess", "--body-file", str(bodies), *common)
    health = loadgen(base, "closed", "--path", "/api/health", *common)
    ratio = assess["ok_per_s"] / health["ok_per_s"] if health["ok_per_s"] else 0.0
    print(
        f"  most/s with {CONNECTIONS} connections: assess {assess['ok_per_s']:,.0f}, "
        f"health {health['ok_per_s']:,.0f}, ratio {ratio:.2f}",
        flush=True,
    )
    conns = f"{CONNECTIONS} connections"
    return [
        Figure(
            PART,
            f"POST /api/assess most requests/s, {conns}",
            assess["ok_per_s"],
            "/s",
            note=_describe(assess),
        ),
        Figure(
            PART,
            f"GET /api/health most requests/s, {conns}",
            health["ok_per_s"],
            "/s",
            note=_describe(health),
        ),
        Figure(PART, "throughput ratio assess / health", ratio, "x", target=RATIO_TARGET),
    ]


class _Assets(HTMLParser):
    """Collects the URLs a page loads: stylesheets and other links, scripts, images."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        rel = (found.get("rel") or "").lower().split()
        if tag == "link" and found.get("href") and not {"canonical", "alternate"} & set(rel):
            self.urls.append(str(found["href"]))
        elif tag in ("script", "img", "source", "input") and found.get("src"):
            self.urls.append(str(found["src"]))
        if tag in ("img", "source") and found.get("srcset"):
            candidates = str(found["srcset"]).split(",")
            self.urls.extend(c.split()[0] for c in candidates if c.strip())


_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")


def fetch(url: str) -> tuple[int, bytes, str]:
    """Bytes as sent (gzip when the server offers it, as to a browser), decoded body, type."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=10) as response:
        raw = response.read()
        encoding = response.headers.get("Content-Encoding", "")
        ctype = response.headers.get("Content-Type", "")
    if encoding == "gzip":
        import gzip

        return len(raw), gzip.decompress(raw), ctype
    return len(raw), raw, ctype


@dataclass
class Weight:
    """The page and what it pulls in: bytes as sent, bytes decoded, one line per file."""

    sent: int = 0
    decoded: int = 0
    files: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def page_weight(base: str, path: str = "/check") -> Weight:
    """Fetch the page, then every same-origin asset it (or its CSS) references, once each."""
    start = urljoin(base, path)
    queue, seen, weight = [start], {start}, Weight()
    while queue:
        url = queue.pop(0)
        try:
            size, body, ctype = fetch(url)
        except urllib.error.HTTPError as err:
            if url == start:
                raise
            weight.missing.append(f"{urlsplit(url).path} ({err.code})")
            continue
        weight.sent, weight.decoded = weight.sent + size, weight.decoded + len(body)
        weight.files.append(f"{urlsplit(url).path} {size:,} B")
        for ref in _references(url, body, ctype):
            if ref not in seen and urlsplit(ref).netloc == urlsplit(base).netloc:
                seen.add(ref)
                queue.append(ref)
    return weight


def _references(url: str, body: bytes, ctype: str) -> list[str]:
    text = body.decode("utf-8", "replace")
    if "html" in ctype:
        parser = _Assets()
        parser.feed(text)
        refs = parser.urls
    elif "css" in ctype:
        refs = [a or b for a, b in _CSS_URL.findall(text)]
    else:
        return []
    return [urljoin(url, ref) for ref in refs if not ref.startswith(("data:", "#"))]


def weight_figures(base: str) -> list[Figure]:
    weight = page_weight(base)
    print(
        f"  GET /check and assets: {weight.sent / 1000:.1f} kB sent, "
        f"{weight.decoded / 1000:.1f} kB decoded ({len(weight.files)} files)",
        flush=True,
    )
    for line in weight.files:
        print(f"    {line}", flush=True)
    note = f"{len(weight.files)} files, {weight.decoded / 1000:.1f} kB uncompressed"
    if weight.missing:
        print(f"    missing: {', '.join(weight.missing)}", flush=True)
        note += f"; MISSING {', '.join(weight.missing)}"
    return [
        Figure(
            PART,
            "page weight of /check with its CSS, JS and images",
            weight.sent / 1000,
            "kB",
            target=PAGE_TARGET_KB,
            higher_is_better=False,
            note=note,
        ),
    ]


def run() -> list[Figure]:
    if find_spec("backwalk.web.app") is None:
        return [skipped(PART, "web app", "backwalk.web.app does not exist yet")]
    with tempfile.TemporaryDirectory(prefix="backwalk-bench-web-") as name:
        tmp = Path(name)
        bodies = tmp / "bodies.jsonl"
        write_bodies(bodies)
        try:
            with server(tmp) as base:
                print(f"  server up at {base}", flush=True)
                return [
                    *weight_figures(base),
                    *latency_figures(base, bodies),
                    *throughput_figures(base, bodies),
                ]
        except ServerFailed as err:
            return [skipped(PART, "web app", str(err))]
