"""The one exception the diary raises: its message is meant to be shown to the person as is."""

from __future__ import annotations

from backwalk.errors import BackwalkError


class DiaryError(BackwalkError):
    """Something went wrong with the diary; ``str(err)`` is a complete, user-facing message."""
