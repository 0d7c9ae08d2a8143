"""The one table from what went wrong to the command's exit status.

Every command lets its errors rise to `main`, which prints the error's own one-line message and
returns the status this table gives. A walk refused by the gate has a status per reason, so a
script can tell "do a check" from "get care" from "rest first".
"""

from __future__ import annotations

from backwalk.cli.prompts import AnswerError
from backwalk.errors import (
    BackwalkError,
    BadCredentials,
    DiaryError,
    DiaryUnavailable,
    HostedConfigError,
    InputError,
    NotFound,
    RulebookError,
    TextUnreadable,
    UsernameTaken,
    WalkAlreadyEnded,
    WalkInProgress,
    WalkRefused,
)
from backwalk.exitcodes import ExitCode

# Most specific first: the first class the error is an instance of decides.
EXIT_CODES: tuple[tuple[type[BackwalkError], ExitCode], ...] = (
    (InputError, ExitCode.BAD_INPUT),
    (UsernameTaken, ExitCode.BAD_INPUT),
    (BadCredentials, ExitCode.BAD_INPUT),
    (HostedConfigError, ExitCode.CONFIG),
    (AnswerError, ExitCode.BAD_INPUT),
    (NotFound, ExitCode.BAD_INPUT),
    (WalkInProgress, ExitCode.WALK_IN_PROGRESS),
    (WalkAlreadyEnded, ExitCode.ERROR),
    (TextUnreadable, ExitCode.ERROR),
    (DiaryUnavailable, ExitCode.ERROR),
    (DiaryError, ExitCode.ERROR),
    (RulebookError, ExitCode.ERROR),
)
REFUSAL_CODES = {
    "check_needed": ExitCode.CHECK_NEEDED,
    "walk_stopped": ExitCode.CHECK_NEEDED,
    "seen": ExitCode.CHECK_NEEDED,
    "seek_care": ExitCode.SEEK_CARE,
    "rest_first": ExitCode.REST_FIRST,
}


def exit_code(err: BackwalkError) -> ExitCode:
    """The exit status for an error that reached the top of a command."""
    if isinstance(err, WalkRefused):
        return REFUSAL_CODES[err.reason]
    return next((code for kind, code in EXIT_CODES if isinstance(err, kind)), ExitCode.ERROR)
