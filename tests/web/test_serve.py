"""`backwalk serve`: starts the app, says where, and fails in one clear line when it cannot."""

from __future__ import annotations

import io
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from backwalk.cli.env import Environment
from backwalk.cli.main import main
from backwalk.cli.serve import allowed_hosts, is_loopback, url_for
from backwalk.exitcodes import ExitCode

REPO = Path(__file__).resolve().parents[2]


def _env(tmp_path: Path) -> Environment:
    return Environment(
        stdin=io.StringIO(),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
        db_url=f"sqlite:///{tmp_path / 'diary.db'}",
    )


def test_a_port_in_use_is_one_clear_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        env = _env(tmp_path)
        code = main(["serve", "--port", str(port)], env)
    err = env.stderr.getvalue()  # type: ignore[attr-defined]
    assert code == ExitCode.ERROR
    assert err.count("\n") == 1 and "already in use" in err and "Traceback" not in err


def test_a_bad_port_is_bad_input(tmp_path: Path) -> None:
    env = _env(tmp_path)
    assert main(["serve", "--port", "70000"], env) == ExitCode.BAD_INPUT


def test_binding_beyond_this_computer_warns(tmp_path: Path, monkeypatch: Any) -> None:
    import uvicorn

    monkeypatch.setattr(uvicorn.Server, "run", lambda self, sockets=None: None)
    env = _env(tmp_path)
    assert main(["serve", "--host", "0.0.0.0", "--port", "0"], env) == ExitCode.BAD_INPUT
    free = socket.socket()
    free.bind(("127.0.0.1", 0))
    port = free.getsockname()[1]
    free.close()
    assert main(["serve", "--host", "0.0.0.0", "--port", str(port)], env) == ExitCode.OK
    assert "warning: listening on 0.0.0.0" in env.stderr.getvalue()  # type: ignore[attr-defined]
    assert f"http://0.0.0.0:{port}/" in env.stdout.getvalue()  # type: ignore[attr-defined]


def test_loopback_names() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert is_loopback("127.0.0.2")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")
    assert "localhost" in (allowed_hosts("127.0.0.1") or [])
    assert allowed_hosts("0.0.0.0") is None
    assert url_for("::1", 8000) == "http://[::1]:8000/"


def test_serve_for_real(tmp_path: Path) -> None:
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "backwalk",
            "serve",
            "--port",
            str(port),
            "--db",
            f"sqlite:///{tmp_path / 'diary.db'}",
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in line
        deadline = time.monotonic() + 20
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        assert response.json()["status"] == "ok"
        evil = httpx.get(f"http://127.0.0.1:{port}/api/health", headers={"Host": "evil.test"})
        assert evil.status_code == 400  # DNS rebinding guard on loopback
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            pytest.fail("backwalk serve did not stop on Ctrl-C")
        err = proc.stderr.read() if proc.stderr else ""
        for stream in (proc.stdout, proc.stderr):
            if stream:
                stream.close()
    assert proc.returncode == ExitCode.INTERRUPTED  # Ctrl-C, by the shell's convention
    assert "Traceback" not in err
