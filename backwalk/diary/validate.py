"""Argument checks for the diary's public methods: bad values become a clear DiaryError."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime
from typing import Any

from backwalk.diary.errors import DiaryError, NotFound
from backwalk.diary.records import WalkStatus
from backwalk.errors import InputError
from backwalk.validation import PAIN_MAX

MAX_PAIN = PAIN_MAX
# Ids are the database's 32-bit integers: a bigger number in a URL names no record, and sent to
# PostgreSQL as it is, it would make the query fail (an outage, 503) instead of "not found".
MAX_RECORD_ID = 2_147_483_647
UNSTORABLE = "contains a character that cannot be stored (a NUL byte or broken text); remove it"


def aware_utc(name: str, value: object) -> datetime:
    """``value`` converted to UTC; naive datetimes are refused rather than guessed at."""
    if not isinstance(value, datetime) or value.utcoffset() is None:
        raise DiaryError(f"{name} must be a timezone-aware datetime, got {value!r}")
    return value.astimezone(UTC)


def pain(name: str, value: object) -> int:
    """A pain score: a whole number from 0 to 10."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_PAIN:
        raise DiaryError(f"{name} must be a whole number from 0 to {MAX_PAIN}, got {value!r}")
    return value


def optional_pain(name: str, value: object) -> int | None:
    """A pain score, or None when it was not given."""
    return None if value is None else pain(name, value)


def seconds(name: str, value: object) -> float:
    """A finite, non-negative number of seconds."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise DiaryError(f"{name} must be a number of seconds, got {value!r}")
    if not math.isfinite(value) or value < 0:
        raise DiaryError(f"{name} must be zero or more seconds, got {value!r}")
    return float(value)


def positive_int(name: str, value: object) -> int:
    """A whole number above zero."""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise DiaryError(f"{name} must be a whole number above zero, got {value!r}")
    return value


def optional_limit(value: object) -> int | None:
    """A row limit: None for all rows, else a whole number of zero or more."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise DiaryError(f"limit must be a whole number of zero or more, got {value!r}")
    return value


def optional_text(name: str, value: object) -> str | None:
    """A string the database can keep, or None."""
    if value is not None and not isinstance(value, str):
        raise DiaryError(f"{name} must be text, got {value!r}")
    return None if value is None else storable_text(name, value)


def storable_text(name: str, value: str) -> str:
    """``value``, or InputError naming the field when a text column would refuse it: PostgreSQL
    keeps no NUL character, and a lone surrogate (from invalid UTF-8) is not text at all. The
    person can fix that, so it is bad input (422), never a database outage."""
    if "\x00" in value or any(0xD800 <= ord(c) < 0xE000 for c in value):
        raise InputError(name, UNSTORABLE)
    return value


def record_id(kind: str, value: int) -> int:
    """An id that can name a row; NotFound for one no row can have (zero, negative, too big)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_RECORD_ID:
        raise NotFound(kind, value)
    return value


def json_object(name: str, value: object) -> dict[str, Any]:
    """A private copy of a JSON object, so later changes by the caller cannot leak in."""
    if not isinstance(value, dict):
        raise DiaryError(f"{name} must be a JSON object (dict), got {type(value).__name__}")
    copied: dict[str, Any] = _json_copy(name, value)
    return copied


def string_list(name: str, value: object) -> list[str]:
    """A list of strings (red-flag ids)."""
    if not isinstance(value, list | tuple) or not all(isinstance(item, str) for item in value):
        raise DiaryError(f"{name} must be a list of strings, got {value!r}")
    return [storable_text(name, item) for item in value]


def walk_status(value: object) -> WalkStatus:
    """``value`` as a WalkStatus, naming the valid choices if it is not one."""
    try:
        return WalkStatus(value if isinstance(value, str) else repr(value))
    except ValueError:
        choices = ", ".join(status.value for status in WalkStatus)
        raise DiaryError(f"unknown walk status {value!r}; expected one of: {choices}") from None


def _json_copy(name: str, value: object) -> Any:
    # allow_nan=False: PostgreSQL's JSON type rejects NaN, so refuse it on every backend.
    try:
        return json.loads(json.dumps(value, allow_nan=False))
    except (TypeError, ValueError) as err:
        raise DiaryError(f"{name} cannot be stored as JSON: {err}") from err
