"""Everything the CLI takes from the outside world, in one object (like httpie's Environment).

Tests build an Environment with string streams and a ManualClock; production uses `from_system`.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import IO

from backwalk.clock import Clock, SystemClock


@dataclass
class Environment:
    stdin: IO[str] = field(default_factory=lambda: sys.stdin)
    stdout: IO[str] = field(default_factory=lambda: sys.stdout)
    stderr: IO[str] = field(default_factory=lambda: sys.stderr)
    clock: Clock = field(default_factory=SystemClock)
    stdin_isatty: bool = False
    stdout_isatty: bool = False
    no_color: bool = False
    db_url: str | None = None

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
        return cls(
            stdin_isatty=_isatty(sys.stdin),
            stdout_isatty=_isatty(sys.stdout),
            no_color=bool(os.environ.get("NO_COLOR")),  # https://no-color.org: any non-empty value
            db_url=os.environ.get("BACKWALK_DB") or None,
        )


def _isatty(stream: IO[str] | None) -> bool:
    try:
        return bool(stream and stream.isatty())
    except (ValueError, OSError):
        return False
