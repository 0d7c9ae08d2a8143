"""A small non-blocking key reader for the walk: Enter or 'c' asks for a check-in.

The terminal is put in cbreak mode (keys arrive one by one, Ctrl-C still interrupts) and is
always put back as it was, on the way out and around every question, so a crash or Ctrl-C never
leaves the person's shell without echo. Anything that is not a real terminal (a pipe, a test's
StringIO, Windows) gets a reader that never reports a key.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from types import TracebackType
from typing import IO, Any

CHECKIN_KEYS = (b"\n", b"\r", b"c", b"C")


class KeyReader:
    """Polls the terminal for key presses without blocking."""

    def __init__(self, stream: IO[str], enabled: bool = True) -> None:
        self._fd: int | None = None
        self._saved: Any = None
        self.type_ahead = ""
        if enabled:
            self._fd = _terminal_fd(stream)

    @property
    def active(self) -> bool:
        return self._fd is not None

    def __enter__(self) -> KeyReader:
        self._raw()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._restore()

    def checkin_requested(self) -> bool:
        """True if Enter or 'c' was pressed since the last poll. Keys before it are ignored;
        keys typed after it (the pain score, typed ahead) are kept for the first question."""
        if self._fd is None or self._saved is None:
            return False
        import os
        import select

        ready, _, _ = select.select([self._fd], [], [], 0)
        if not ready:
            return False
        requested, rest = split_at_checkin_key(os.read(self._fd, 256))
        if requested:
            self.type_ahead += rest.decode("utf-8", "replace")
        return requested

    def take_type_ahead(self) -> str:
        """What was typed after the check-in key, once."""
        text, self.type_ahead = self.type_ahead, ""
        return text

    @contextlib.contextmanager
    def line_mode(self) -> Iterator[None]:
        """Normal line input (echo, editing) while a question is being answered."""
        self._restore()
        try:
            yield
        finally:
            self._raw()

    def _raw(self) -> None:
        if self._fd is None or self._saved is not None:
            return
        import termios
        import tty

        self._saved = termios.tcgetattr(self._fd)
        tty.setcbreak(self._fd)

    def _restore(self) -> None:
        if self._fd is None or self._saved is None:
            return
        import termios

        with contextlib.suppress(termios.error, OSError):  # a vanished terminal needs no restoring
            termios.tcsetattr(self._fd, termios.TCSADRAIN, self._saved)
        self._saved = None


def split_at_checkin_key(data: bytes) -> tuple[bool, bytes]:
    """Whether `data` holds a check-in key, and the bytes typed after the first one."""
    found = [data.index(key) for key in CHECKIN_KEYS if key in data]
    if not found:
        return False, b""
    return True, data[min(found) + 1 :]


def _terminal_fd(stream: IO[str]) -> int | None:
    try:
        import termios  # noqa: F401  (POSIX only)

        fd = stream.fileno()
    except (ImportError, AttributeError, OSError, ValueError):
        return None
    import os

    return fd if os.isatty(fd) else None
