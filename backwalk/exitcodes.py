"""Named exit codes for the command line, in one place (like httpie's status.py)."""

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    ERROR = 1  # something outside the user's input went wrong (e.g. the diary is unreachable)
    BAD_INPUT = 2  # CONTRACT section 4: bad answers, unknown key, not JSON
    WALK_STOPPED = 3  # a walk ended early by a stop rule
    SEEK_CARE = 4  # a red flag: the person must get medical care
    REST_FIRST = 5  # a walk refused: the latest check (or the new pain score) says rest first
    CHECK_NEEDED = 6  # a walk refused: no check in the last few hours, or a new check is due
    WALK_IN_PROGRESS = 7  # a walk refused: another walk is still in progress
    CONFIG = 8  # hosted mode cannot start or run with this configuration (the message says why)
    INTERRUPTED = 130  # Ctrl-C, by the shell's convention
    PIPE_CLOSED = 141  # the reader of our output went away (e.g. `| head`), by the same convention
