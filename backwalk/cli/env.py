"""Everything the CLI takes from the outside world, in one object (like httpie's Environment).

Tests build an Environment with string streams and a ManualClock; production uses `from_system`.
A plain class rather than a dataclass: `backwalk assess` must start fast, and importing
dataclasses costs more start-up time than this whole module.
"""

from __future__ import annotations

import sys
from typing import IO, TYPE_CHECKING

from backwalk import settings as bw_settings

if TYPE_CHECKING:
    from backwalk.clock import Clock


class Environment:
    def __init__(
        self,
        stdin: IO[str] | None = None,
        stdout: IO[str] | None = None,
        stderr: IO[str] | None = None,
        clock: Clock | None = None,
        stdin_isatty: bool = False,
        stdout_isatty: bool = False,
        no_color: bool = False,
        db_url: str | None = None,
    ) -> None:
        self.stdin = stdin or sys.stdin
        self.stdout = stdout or sys.stdout
        self.stderr = stderr or sys.stderr
        self._clock = clock
        self.stdin_isatty = stdin_isatty
        self.stdout_isatty = stdout_isatty
        self.no_color = no_color
        self.db_url = db_url

    @property
    def clock(self) -> Clock:
        """The real clock unless a test injected one; created on first use."""
        if self._clock is None:
            from backwalk.clock import SystemClock

            self._clock = SystemClock()
        return self._clock

    @property
    def interactive(self) -> bool:
        """Keyboard-driven: prompts and live updates only make sense on a terminal."""
        return self.stdin_isatty and self.stdout_isatty

    @property
    def color(self) -> bool:
        """Colour and animation only on a terminal, and never when NO_COLOR is set."""
        return self.stdout_isatty and not self.no_color

    @classmethod
    def from_system(cls) -> Environment:
        _tolerate_bad_bytes()
        system = bw_settings.reload()  # the terminal's process: its settings, read now
        return cls(
            stdin_isatty=_isatty(sys.stdin),
            stdout_isatty=_isatty(sys.stdout),
            no_color=system.no_color,
            db_url=system.db_url,
        )


def _tolerate_bad_bytes() -> None:
    """Bytes that are not UTF-8 reach the checks as lone surrogates instead of a traceback at
    read time, and anything echoed back is written escaped rather than crashing the output."""
    for stream, errors in ((sys.stdin, "surrogateescape"), (sys.stdout, "backslashreplace")):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8", errors=errors)


def _isatty(stream: IO[str] | None) -> bool:
    try:
        return bool(stream and stream.isatty())
    except (ValueError, OSError):
        return False
