"""Helpers for the interactive commands: scripted answers, a diary to look into, custom runs."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import timedelta
from typing import IO, Any

import pytest

from backwalk.cli.env import Environment
from backwalk.cli.main import main
from backwalk.clock import ManualClock
from backwalk.diary import Diary, WalkStatus, open_diary
from tests.conftest import Result

# The check's two warning-sign checklists, each answered "none of these" with one "n".
NO_RED_FLAGS = ["n", "n"]


def lines(*answers: str | int) -> str:
    """Piped answers, one per line."""
    return "".join(f"{a}\n" for a in answers)


def check_answers(
    pain: int = 3,
    sharp: str = "n",
    unrelenting: str = "n",
    stand: str = "n",
    onset: str = "",
    age: str = "",
    first: str = "",
    pregnant: str = "",
) -> str:
    """A full check with no red flags; the questions about the person skipped unless given."""
    return lines(*NO_RED_FLAGS, pain, sharp, unrelenting, stand, onset, age, first, pregnant)


def checkin_answers(pain: int = 3, sharp: str = "n", flag: str = "n", *which: str) -> list[str]:
    return [str(pain), sharp, flag, *which]


@pytest.fixture
def diary(run_cli) -> Iterator[Diary]:
    """The test's diary, opened beside the CLI's (same SQLite file)."""
    opened = open_diary(run_cli.db_url)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def walk_ready(run_cli) -> None:
    """A recent walk-gently check with pain 3, so `backwalk walk` may start."""
    result = run_cli("check", "--no-text", stdin=check_answers(pain=3))
    assert result.code == 0, result.stderr


def seed_completed_walk(
    diary: Diary, clock: ManualClock, minutes: int, days_ago: float = 1
) -> None:
    """A past walk completed without a rise in pain, so the next one is `minutes` + step."""
    at = clock.now() - timedelta(days=days_ago)
    walk = diary.start_walk(at=at, planned_minutes=minutes, pain_before=3, check_id=None)
    diary.finish_walk(
        walk.id,
        at=at + timedelta(minutes=minutes),
        status=WalkStatus.COMPLETED,
        elapsed_seconds=minutes * 60,
        pain_after=3,
        stop_reason=None,
    )


def run_env(
    args: list[str],
    *,
    db_url: str,
    stdin: IO[str] | str = "",
    clock: Any = None,
    tty: bool = False,
    color: bool = False,
) -> Result:
    """Run the CLI with a custom stdin or clock (e.g. ones that raise KeyboardInterrupt)."""
    stdout, stderr = io.StringIO(), io.StringIO()
    env = Environment(
        stdin=io.StringIO(stdin) if isinstance(stdin, str) else stdin,
        stdout=stdout,
        stderr=stderr,
        clock=clock or ManualClock(),
        stdin_isatty=tty,
        stdout_isatty=tty or color,
        no_color=not color,
        db_url=db_url,
    )
    code = main(args, env)
    return Result(code, stdout.getvalue(), stderr.getvalue())
