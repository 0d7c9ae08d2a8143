"""Shared helpers for the small number parsers (pain score, onset)."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

from .datafile import section, string_list

# A full stop inside "38.5" is not a boundary.
CLAUSE_BOUNDARY = re.compile(r"[!?;\n,]|\.(?!\d)|\bbut\b|\bwhereas\b|\bthough\b")
SENTENCE_BOUNDARY = re.compile(r"[!?;\n]|\.(?!\d)")


def word_list(data: Mapping[str, Any], key: str, source: str) -> list[str]:
    """A commented word list {"comment": ..., "words": [...]} from a data file."""
    return string_list(section(data, key, {"words"}, source)["words"], f"{source} {key}")


def words_regex(data: Mapping[str, Any], key: str, source: str) -> re.Pattern[str]:
    """A regex matching any phrase of a word list, on word boundaries."""
    return re.compile(rf"\b(?:{alternation(word_list(data, key, source))})\b")


def alternation(phrases: Iterable[str]) -> str:
    """A regex alternation of phrases, longest first, spaces matching any whitespace."""
    ordered = sorted(set(phrases), key=len, reverse=True)
    return "|".join(r"\s+".join(re.escape(part) for part in p.split()) for p in ordered)


def number_value(token: str, words: Mapping[str, int]) -> float:
    """The value of a digit string or a spelt-out number."""
    return float(words[token]) if token in words else float(token)


def round_half_up(value: float) -> int:
    """4.5 -> 5: when a person says "4.5" the cautious reading is the higher one."""
    return math.floor(value + 0.5)


def clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The [start, end) of the clause around a match: between commas, stops and 'but'."""
    return _bounds(CLAUSE_BOUNDARY, text, start, end)


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The [start, end) of the sentence around a match."""
    return _bounds(SENTENCE_BOUNDARY, text, start, end)


def _bounds(boundary: re.Pattern[str], text: str, start: int, end: int) -> tuple[int, int]:
    left = 0
    for found in boundary.finditer(text, 0, start):
        left = found.end()
    right = boundary.search(text, end)
    return left, right.start() if right else len(text)
