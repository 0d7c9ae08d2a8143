"""Hosted mode scaled out for real: `backwalk serve --hosted` processes on one PostgreSQL.

Two servers share everything a person needs (sessions, the diary), so a request may land on
either; one server with `--workers 2` shares its brute-force counters across its workers, in
Redis or in PostgreSQL. Every server is a real subprocess, killed at the end whatever happens.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, text

from tests.hosted.conftest import PASSWORD, SECRET

pytestmark = pytest.mark.postgres

REPO = Path(__file__).resolve().parents[2]
START_TIMEOUT = 30.0
STOP_TIMEOUT = 15.0
REDIS_URL = "redis://127.0.0.1:6379/13"  # a database of its own, flushed before and after
HIGH = "10000 per hour"
LOGIN_LIMIT = 5
LOGIN_ATTEMPTS = 12


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    base: str
    port: int
    proc: subprocess.Popen[bytes]
    stderr: Path

    def log(self) -> str:
        return self.stderr.read_text("utf-8", "replace")


def _server_environ(app_url: str, **extra: str) -> dict[str, str]:
    """The test's environment without any BACKWALK_* of the caller's, plus hosted settings."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("BACKWALK_")}
    environ.update(
        BACKWALK_DB=app_url,
        BACKWALK_SECRET=SECRET,
        BACKWALK_LIMIT_SIGNUP=HIGH,
        BACKWALK_LIMIT_LOGIN_IP=HIGH,
        BACKWALK_LIMIT_LOGIN_ACCOUNT=HIGH,
        BACKWALK_LIMIT_ANONYMOUS_WRITES=HIGH,
        BACKWALK_LIMIT_PERSON_WRITES=HIGH,
    )
    environ.update(extra)
    return environ


@contextmanager
def hosted_server(
    tmp_path: Path, name: str, environ: dict[str, str], workers: int = 1
) -> Iterator[Server]:
    """`backwalk serve --hosted` on a free port, ready (its /api/ready answers 200); stopped
    and its whole process group killed afterwards, whatever happened."""
    port = free_port()
    stderr = tmp_path / f"{name}.stderr"
    argv = [sys.executable, "-m", "backwalk", "serve", "--hosted", "--port", str(port)]
    if workers > 1:
        argv += ["--workers", str(workers)]
    with stderr.open("wb") as err, (tmp_path / f"{name}.stdout").open("wb") as out:
        proc = subprocess.Popen(
            argv, cwd=REPO, env=environ, stdout=out, stderr=err, start_new_session=True
        )
    server = Server(f"http://127.0.0.1:{port}", port, proc, stderr)
    try:
        _wait_ready(server)
        yield server
    finally:
        _stop(proc)


def _wait_ready(server: Server) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            pytest.fail(
                f"backwalk serve --hosted exited {server.proc.returncode}:\n{server.log()}",
                pytrace=False,
            )
        try:
            if httpx.get(f"{server.base}/api/ready", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    pytest.fail(
        f"backwalk serve --hosted was not ready within {START_TIMEOUT:.0f} s:\n{server.log()}",
        pytrace=False,
    )


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Ctrl-C for the server (which stops its workers), then SIGKILL for anything left in
    its process group (it was started in a session of its own, so the group is its)."""
    with suppress(ProcessLookupError):
        proc.send_signal(signal.SIGINT)
    with suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=STOP_TIMEOUT)
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    with suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=STOP_TIMEOUT)


@pytest.fixture
def flushed_redis() -> Iterator[str]:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.flushdb()
        yield REDIS_URL
        client.flushdb()
    finally:
        client.close()


@pytest.fixture(params=["postgres", "redis"])
def storage(request: pytest.FixtureRequest) -> dict[str, str]:
    """Where sessions and rate-limit counters live: PostgreSQL (no BACKWALK_REDIS_URL) or Redis."""
    if request.param == "redis":
        return {"BACKWALK_REDIS_URL": request.getfixturevalue("flushed_redis")}
    return {}


# ------------------------------------------------------------------------------------------
# Two servers, one diary
# ------------------------------------------------------------------------------------------


def _call(
    server: Server, method: str, path: str, token: str | None = None, **kw: Any
) -> httpx.Response:
    """One request on a fresh connection, with the session cookie given (if any)."""
    headers = {**({"Cookie": f"bw_session={token}"} if token else {}), **kw.pop("headers", {})}
    return httpx.request(method, server.base + path, headers=headers, timeout=15, **kw)


def test_two_servers_serve_one_person_whichever_answers(
    tmp_path: Path, app_url: str, storage: dict[str, str]
) -> None:
    environ = _server_environ(app_url, **storage)
    with (
        hosted_server(tmp_path, "a", environ) as a,
        hosted_server(tmp_path, "b", environ) as b,
    ):
        signed_up = _call(
            a, "POST", "/api/accounts", json={"username": "alice", "password": PASSWORD}
        )
        assert signed_up.status_code == 201, signed_up.text
        assert signed_up.cookies.get("bw_session")
        logged_in = _call(
            a,
            "POST",
            "/api/login",
            signed_up.cookies["bw_session"],
            json={"username": "alice", "password": PASSWORD},
        )
        assert logged_in.status_code == 200, logged_in.text
        assert logged_in.json()["username"] == "alice"
        token = logged_in.cookies["bw_session"]
        assert token != signed_up.cookies["bw_session"]  # a new session at every sign-in
        # The sign-up's session ended with the login, on the other server too.
        assert _call(b, "GET", "/api/account", signed_up.cookies["bw_session"]).status_code == 401

        check = _call(
            a,
            "POST",
            "/api/checks",
            token,
            json={"answers": {"pain_score": 4, "sharp_pain": False}},
        )
        assert check.status_code == 201, check.text
        check_id = check.json()["check"]["id"]

        started = _call(b, "POST", "/api/walks", token, json={"pain_before": 4})
        assert started.status_code == 201, started.text
        walk_id = started.json()["id"]
        assert started.json()["check_id"] == check_id

        checkin = _call(
            b,
            "POST",
            f"/api/walks/{walk_id}/checkins",
            token,
            json={"elapsed_seconds": 60, "current_pain": 4, "sharp_or_shooting": False},
        )
        assert checkin.status_code == 201, checkin.text
        assert checkin.json()["result"]["action"] == "continue"

        finished = _call(
            a,
            "POST",
            f"/api/walks/{walk_id}/finish",
            token,
            json={"status": "completed", "elapsed_seconds": 300, "pain_after": 3},
        )
        assert finished.status_code == 200, finished.text

        walks = _call(b, "GET", "/api/walks", token)
        assert walks.status_code == 200, walks.text
        [walk] = walks.json()
        assert walk["id"] == walk_id
        assert walk["status"] == "completed"
        assert walk["pain_after"] == 3
        assert walk["check_id"] == check_id
        [stored] = walk["checkins"]
        assert (stored["elapsed_seconds"], stored["current_pain"]) == (60, 4)
        assert [c["id"] for c in _call(a, "GET", "/api/checks", token).json()] == [check_id]

        # Nobody else sees any of it, on either server.
        for server in (a, b):
            assert _call(server, "GET", "/api/walks").json() == []
            assert _call(server, "GET", f"/api/walks/{walk_id}").status_code == 404

        # Signing out on B ends the session on A at once.
        assert _call(a, "GET", "/api/account", token).status_code == 200
        out = _call(b, "POST", "/api/logout", token, json={})
        assert out.status_code == 200, out.text
        assert out.json() == {"signed_out": True, "everywhere": False}
        for server in (a, b):
            gone = _call(server, "GET", "/api/account", token)
            assert gone.status_code == 401, gone.text
            assert _call(server, "GET", "/api/walks", token).json() == []


def test_an_unknown_username_and_a_wrong_password_get_the_same_answer(
    tmp_path: Path, app_url: str
) -> None:
    with hosted_server(tmp_path, "a", _server_environ(app_url)) as a:
        made = _call(a, "POST", "/api/accounts", json={"username": "alice", "password": PASSWORD})
        assert made.status_code == 201, made.text
        wrong = _call(a, "POST", "/api/login", json={"username": "alice", "password": "x" * 20})
        unknown = _call(a, "POST", "/api/login", json={"username": "nobody", "password": "x" * 20})
        assert wrong.status_code == unknown.status_code == 401
        assert wrong.json() == unknown.json()
        assert wrong.content == unknown.content
        assert "set-cookie" not in wrong.headers
        assert "set-cookie" not in unknown.headers


def test_behind_a_tls_proxy_the_session_cookie_is_secure(tmp_path: Path, app_url: str) -> None:
    """uvicorn trusts X-Forwarded-Proto from the proxy on loopback, so the request counts as
    HTTPS and the cookie gets Secure; a plain HTTP request does not."""
    with hosted_server(tmp_path, "a", _server_environ(app_url)) as a:
        proxied = _call(
            a,
            "POST",
            "/api/accounts",
            json={"username": "viaproxy", "password": PASSWORD},
            headers={"X-Forwarded-Proto": "https"},
        )
        plain = _call(a, "POST", "/api/accounts", json={"username": "plain", "password": PASSWORD})
        assert proxied.status_code == plain.status_code == 201
        assert "; secure" in proxied.headers["set-cookie"].lower()
        assert "secure" not in plain.headers["set-cookie"].lower()


# ------------------------------------------------------------------------------------------
# One server, two workers: the brute-force limit is the same for both
# ------------------------------------------------------------------------------------------


def _descendants(root: int) -> set[int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found: set[int] = set()
    frontier = {root}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _socket_inode(server_port: int, client_port: int) -> str | None:
    """The inode of the server's end of the TCP connection from client_port, from /proc."""
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                local, remote, inode = fields[1], fields[2], fields[9]
                if (
                    int(local.rsplit(":", 1)[1], 16) == server_port
                    and int(remote.rsplit(":", 1)[1], 16) == client_port
                ):
                    return inode
    return None


def _worker_of(server: Server, connection: http.client.HTTPConnection) -> int | None:
    """Which process of the server accepted this connection."""
    assert connection.sock is not None
    inode = _socket_inode(server.port, connection.sock.getsockname()[1])
    if inode is None:
        return None
    target = f"socket:[{inode}]"
    for pid in _descendants(server.proc.pid):
        with suppress(OSError):
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                with suppress(OSError):
                    if os.readlink(fd) == target:
                        return pid
    return None


def _ask(
    connection: http.client.HTTPConnection,
    method: str,
    path: str,
    body: dict[str, Any] | None = None,
) -> tuple[int, dict[str, str], bytes]:
    headers = {"Content-Type": "application/json"} if body is not None else {}
    payload = json.dumps(body).encode() if body is not None else None
    connection.request(method, path, body=payload, headers=headers)
    answer = connection.getresponse()
    content = answer.read()
    return answer.status, {k.lower(): v for k, v in answer.getheaders()}, content


def _one_connection_per_worker(
    server: Server, workers: int
) -> dict[int, http.client.HTTPConnection]:
    """Fresh keep-alive connections until each worker has accepted one of them (by worker
    pid); the others are closed. Each is used now and then so that none idles past the
    keep-alive timeout."""
    held: dict[int, http.client.HTTPConnection] = {}
    deadline = time.monotonic() + START_TIMEOUT
    while len(held) < workers:
        if time.monotonic() > deadline:
            pytest.fail(
                f"only {len(held)} of {workers} workers accepted a connection in "
                f"{START_TIMEOUT:.0f} s:\n{server.log()}",
                pytrace=False,
            )
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=15)
        status, _, _ = _ask(connection, "GET", "/api/health")
        assert status == 200
        pid = _worker_of(server, connection)
        if pid is not None and pid not in held:
            held[pid] = connection
        else:
            connection.close()
        for kept in held.values():
            assert _ask(kept, "GET", "/api/health")[0] == 200
        time.sleep(0.02)
    return held


def _brute_force_is_limited_across_workers(
    tmp_path: Path, environ: dict[str, str], counters: Callable[[], int]
) -> None:
    environ = {**environ, "BACKWALK_LIMIT_LOGIN_ACCOUNT": f"{LOGIN_LIMIT} per 15 minutes"}
    with hosted_server(tmp_path, "workers", environ, workers=2) as server:
        made = _call(
            server, "POST", "/api/accounts", json={"username": "alice", "password": PASSWORD}
        )
        assert made.status_code == 201, made.text
        held = _one_connection_per_worker(server, 2)
        pids, connections = list(held), list(held.values())
        try:
            answers = [
                _ask(
                    connections[i % 2],
                    "POST",
                    "/api/login",
                    {"username": "alice", "password": f"wrong guess {i}"},
                )
                for i in range(LOGIN_ATTEMPTS)
            ]
            # Each connection stayed on its worker: both workers answered every other attempt.
            assert [_worker_of(server, c) for c in connections] == pids
        finally:
            for connection in connections:
                connection.close()
    statuses = [status for status, _, _ in answers]
    assert statuses == [401] * LOGIN_LIMIT + [429] * (LOGIN_ATTEMPTS - LOGIN_LIMIT), statuses
    for status, headers, content in answers:
        if status == 429:
            assert 0 < int(headers["retry-after"]) <= 15 * 60
            assert json.loads(content)["retry_after"] == int(headers["retry-after"])
        else:
            assert "retry-after" not in headers
    assert counters() > 0  # the counters are where the settings say


def test_the_login_limit_is_shared_by_workers_in_redis(
    tmp_path: Path, app_url: str, flushed_redis: str
) -> None:
    import redis

    def counters() -> int:
        with redis.Redis.from_url(flushed_redis) as client:
            return len(client.keys("*login-account*"))

    environ = _server_environ(app_url, BACKWALK_REDIS_URL=flushed_redis)
    _brute_force_is_limited_across_workers(tmp_path, environ, counters)


def test_the_login_limit_is_shared_by_workers_in_postgres(
    tmp_path: Path, app_url: str, hosted_schema: str, pg_admin_engine: Engine
) -> None:
    def counters() -> int:
        query = f'SELECT count(*) FROM "{hosted_schema}".rate_limits WHERE key LIKE :like'
        with pg_admin_engine.connect() as connection:
            return int(connection.execute(text(query), {"like": "%login-account%"}).scalar_one())

    _brute_force_is_limited_across_workers(tmp_path, _server_environ(app_url), counters)
