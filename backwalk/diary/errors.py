"""The diary's errors, defined once in `backwalk.errors` and re-exported here for the diary."""

from __future__ import annotations

from backwalk.errors import (
    DiaryError,
    DiaryUnavailable,
    NotFound,
    WalkAlreadyEnded,
    WalkInProgress,
)

__all__ = ["DiaryError", "DiaryUnavailable", "NotFound", "WalkAlreadyEnded", "WalkInProgress"]
