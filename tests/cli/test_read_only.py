"""A diary opened read-only (SQLite's `mode=ro`) can still be read and exported; a write to it
is one clear line, never a traceback. Real processes, so the pipe test sees a real pipe."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.conftest import check_answers


def backwalk(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "backwalk", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def read_only_url(tmp_path: Path) -> str:
    path = tmp_path / "diary.db"
    made = backwalk("--db", f"sqlite:///{path}", "check", "--no-text", stdin=check_answers(pain=3))
    assert made.returncode == 0, made.stderr
    return f"sqlite:///file:{path}?mode=ro&uri=true"


@pytest.mark.parametrize(
    "command", [["history"], ["plan"], ["export", "--format", "json"], ["export"]]
)
def test_a_read_only_diary_can_be_read_and_exported(read_only_url: str, command: list[str]) -> None:
    done = backwalk("--db", read_only_url, *command)
    assert done.returncode == 0, done.stderr
    assert done.stdout and not done.stderr


def test_writing_to_a_read_only_diary_is_one_clear_line(read_only_url: str) -> None:
    done = backwalk("--db", read_only_url, "check", "--no-text", stdin=check_answers(pain=3))
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "readonly" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_closed_pipe_ends_quietly() -> None:
    reader = subprocess.Popen(
        [sys.executable, "-m", "backwalk", "learn"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert reader.stdout is not None
    reader.stdout.readline()
    reader.stdout.close()  # like `| head -1`
    _, err = reader.communicate(timeout=60)
    assert reader.returncode == 141
    assert b"Traceback" not in err and b"BrokenPipe" not in err
