"""Strict reading of the JSON data files under lexicon/.

Every loader goes through `check_keys`, so a misspelt key or name fails at load time
with a "did you mean" hint instead of being silently ignored.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, cast

LEXICON_DIR = Path(__file__).with_name("lexicon")


class LexiconError(ValueError):
    """A lexicon data file is malformed or names something that does not exist."""


def load_json(name: str, directory: Path = LEXICON_DIR) -> dict[str, Any]:
    """Read one JSON object from the lexicon directory."""
    path = directory / name
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise LexiconError(f"{path}: {exc}") from exc
    if not isinstance(data, dict):
        raise LexiconError(f"{path}: the top level must be a JSON object")
    return data


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """A hint naming the closest known spelling, or an empty string."""
    close = difflib.get_close_matches(name, list(known), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def check_name(name: str, known: Iterable[str], what: str, where: str) -> None:
    """Fail unless `name` is one of `known`."""
    known = list(known)
    if name not in known:
        raise LexiconError(f"{where}: unknown {what} {name!r}{did_you_mean(name, known)}")


def check_keys(entry: Any, required: set[str], optional: set[str], where: str) -> None:
    """Fail on a missing required key or on any key that is not allowed."""
    if not isinstance(entry, Mapping):
        raise LexiconError(f"{where}: expected an object, got {type(entry).__name__}")
    allowed = required | optional
    for key in entry:
        check_name(key, allowed, "key", where)
    missing = required - set(entry)
    if missing:
        raise LexiconError(f"{where}: missing key(s) {sorted(missing)}")


def string_list(value: Any, where: str) -> list[str]:
    """Fail unless `value` is a non-empty list of non-empty strings."""
    if not isinstance(value, list) or not value:
        raise LexiconError(f"{where}: expected a non-empty list of strings")
    for item in value:
        if not isinstance(item, str) or not item:
            raise LexiconError(f"{where}: {item!r} is not a non-empty string")
    return value


def section(data: Mapping[str, Any], key: str, required: set[str], where: str) -> dict[str, Any]:
    """The object under `key`, checked to hold the `required` keys (plus a comment)."""
    value = data.get(key)
    check_keys(value, required, {"comment"}, f"{where} {key}")  # fails unless an object
    return dict(cast(Mapping[str, Any], value))
