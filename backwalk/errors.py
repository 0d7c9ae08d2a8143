"""Errors a user can cause, and how every face of backwalk reports them."""

from __future__ import annotations


class BackwalkError(Exception):
    """Base class for errors that are the user's to fix; faces print them without a traceback."""


class InputError(BackwalkError, ValueError):
    """Bad answers or check-in input: names the field, says what was wrong (CONTRACT section 4)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message

    def to_dict(self) -> dict[str, str]:
        """The JSON shape used by `--jsonl` error lines and HTTP 422 bodies."""
        return {"field": self.field, "message": self.message}


class RulebookError(BackwalkError):
    """The rulebook data is malformed; raised at start-up, never mid-session."""
