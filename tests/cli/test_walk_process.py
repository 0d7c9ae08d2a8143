"""Crash safety with a real process and the real clock: SIGKILL loses nothing, SIGTERM saves."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from backwalk.diary import Diary, open_diary
from backwalk.diary.records import WalkRecord
from tests.cli.conftest import check_answers, lines, run_env
from tests.conftest import REPO

CHECKIN = lines("3", "n", "n")
WAIT_SECONDS = 30


def backwalk(*args: str, db_url: str) -> list[str]:
    return [sys.executable, "-m", "backwalk", *args, "--db", db_url]


def env() -> dict[str, str]:
    return {**os.environ, "NO_COLOR": "1", "PYTHONUNBUFFERED": "1"}


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """A diary holding a fresh walk-gently check made by the real command."""
    url = f"sqlite:///{tmp_path / 'diary.db'}"
    done = subprocess.run(
        backwalk("check", "--no-text", db_url=url),
        input=check_answers(),
        text=True,
        capture_output=True,
        cwd=REPO,
        env=env(),
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return url


def start_walk(db_url: str) -> subprocess.Popen[str]:
    # --checkin-every 0.01 minutes: a check-in every 0.6 s of real time.
    return subprocess.Popen(
        backwalk("walk", "--pain", "3", "--checkin-every", "0.01", db_url=db_url),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env=env(),
    )


def wait_for_checkins(diary: Diary, count: int, process: subprocess.Popen[str]) -> WalkRecord:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        walks = diary.walks()
        if walks and len(walks[-1].checkins) >= count:
            return walks[-1]
        assert process.poll() is None, process.communicate()
        time.sleep(0.05)
    raise AssertionError(f"no {count} check-ins within {WAIT_SECONDS} s")


def test_a_killed_walk_keeps_its_checkins_and_is_recovered_as_interrupted(db_url):
    process = start_walk(db_url)
    try:
        assert process.stdin is not None
        process.stdin.write(CHECKIN * 2)  # the pipe stays open: no end of input, just a kill
        process.stdin.flush()
        with open_diary(db_url) as diary:
            walk = wait_for_checkins(diary, 2, process)
            assert walk.status == "in_progress"
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=WAIT_SECONDS)
            killed = diary.get_walk(walk.id)
            assert killed.status == "in_progress"
            assert [c.current_pain for c in killed.checkins] == [3, 3]
            assert all(c.action == "continue" for c in killed.checkins)
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate()

    # A later `backwalk history`, once the walk has been silent too long, recovers it.
    from backwalk.clock import ManualClock
    from backwalk.coach import STALE_WALK_SECONDS

    later = ManualClock(datetime.now(UTC) + timedelta(seconds=STALE_WALK_SECONDS + 60))
    result = run_env(["history"], db_url=db_url, clock=later)
    assert result.code == 0
    assert "saved as 'Ended early'" in result.stderr
    assert "interrupted" in result.stdout
    with open_diary(db_url) as diary:
        recovered = diary.get_walk(walk.id)
    assert recovered.status == "interrupted"
    assert len(recovered.checkins) == 2


def test_sigterm_saves_the_walk_as_interrupted_and_exits_130(db_url):
    process = start_walk(db_url)
    try:
        assert process.stdin is not None
        process.stdin.write(CHECKIN)
        process.stdin.flush()
        with open_diary(db_url) as diary:
            walk = wait_for_checkins(diary, 1, process)
            process.send_signal(signal.SIGTERM)
            out, err = process.communicate(timeout=WAIT_SECONDS)
            assert process.returncode == 130, err
            assert "Traceback" not in err
            assert "saved in your diary as 'Ended early'" in " ".join(out.split())
            ended = diary.get_walk(walk.id)
        assert ended.status == "interrupted"
        assert len(ended.checkins) == 1
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


class Terminal:
    """A pseudo-terminal that is the walk's controlling terminal, as a real one would be."""

    def __init__(self, args: list[str]) -> None:
        import pty

        self.master, slave = pty.openpty()
        colour_env = {k: v for k, v in env().items() if k != "NO_COLOR"}
        self.process = subprocess.Popen(
            args,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            cwd=REPO,
            env={**colour_env, "TERM": "xterm"},
            preexec_fn=self._take_terminal,
        )
        os.close(slave)
        self.seen = b""

    @staticmethod
    def _take_terminal() -> None:
        import fcntl
        import termios

        os.setsid()
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    def wait_for(self, text: str, count: int = 1) -> None:
        import select

        deadline = time.monotonic() + WAIT_SECONDS
        while self.seen.count(text.encode()) < count:
            assert time.monotonic() < deadline, f"never saw {text!r}: {self.seen[-2000:]!r}"
            ready, _, _ = select.select([self.master], [], [], 0.1)
            if ready:
                self.seen += os.read(self.master, 65536)

    def type(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def hang_up(self) -> int:
        os.close(self.master)
        return self.process.wait(timeout=WAIT_SECONDS)


def test_on_a_terminal_c_asks_for_a_checkin_and_closing_the_window_saves_the_walk(db_url):
    terminal = Terminal(backwalk("walk", db_url=db_url))
    try:
        terminal.wait_for("Enter for 3]")
        terminal.type("\n")  # keep the pain score from the check
        terminal.wait_for("Walking")
        terminal.type("c")
        terminal.wait_for("[0-10]")
        terminal.type("3\n")
        terminal.wait_for("[y/n/?]")
        terminal.type("n\n")
        terminal.wait_for("[y/n/?]", count=2)
        terminal.type("n\n")
        terminal.wait_for("Carry on gently.")
        assert terminal.hang_up() == 130  # SIGHUP, as when the terminal window is closed
    finally:
        if terminal.process.poll() is None:
            terminal.process.kill()
            terminal.process.wait()
    with open_diary(db_url) as diary:
        walk = diary.walks()[-1]
    assert walk.status == "interrupted"
    assert [c.current_pain for c in walk.checkins] == [3]
