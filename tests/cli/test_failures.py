"""The one table from a typed error to the command's exit status."""

from __future__ import annotations

import pytest

from backwalk.cli.failures import exit_code
from backwalk.cli.prompts import AnswerError
from backwalk.errors import (
    BackwalkError,
    DiaryError,
    DiaryUnavailable,
    InputError,
    NotFound,
    TextUnreadable,
    WalkAlreadyEnded,
    WalkInProgress,
    WalkRefused,
    printable,
)
from backwalk.exitcodes import ExitCode


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (InputError("pain_score", "is required"), ExitCode.BAD_INPUT),
        (AnswerError("pain_score: 'x' is not a valid answer"), ExitCode.BAD_INPUT),
        (NotFound("walk", 3), ExitCode.BAD_INPUT),
        (WalkInProgress(3), ExitCode.WALK_IN_PROGRESS),
        (WalkAlreadyEnded(3, "completed", "earlier"), ExitCode.ERROR),
        (WalkRefused("check_needed", "do a check"), ExitCode.CHECK_NEEDED),
        (WalkRefused("walk_stopped", "do a new check"), ExitCode.CHECK_NEEDED),
        (WalkRefused("seek_care", "get care"), ExitCode.SEEK_CARE),
        (WalkRefused("rest_first", "rest"), ExitCode.REST_FIRST),
        (TextUnreadable("cannot read"), ExitCode.ERROR),
        (DiaryUnavailable("the database is down"), ExitCode.ERROR),
        (DiaryError("bad argument"), ExitCode.ERROR),
    ],
)
def test_each_typed_error_has_its_exit_code(error: BackwalkError, code: ExitCode) -> None:
    assert exit_code(error) == code


def test_a_message_quoting_a_newline_stays_on_one_line() -> None:
    assert printable("bad value 'a\nb\u2028c'") == "bad value 'a\\nb\\u2028c'"


def test_an_unreachable_diary_is_exit_1_in_one_line(run_cli) -> None:
    result = run_cli("--db", "postgresql+psycopg://nobody@127.0.0.1:1/x", "history")
    assert result.code == ExitCode.ERROR
    assert result.stderr.startswith("backwalk: cannot open the diary at")
    assert result.stderr.count("\n") == 1
