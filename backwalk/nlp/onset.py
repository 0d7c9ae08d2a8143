"""A focused parser for when the spasm began, in hours: "since yesterday" -> 24,
"3 days ago" -> 72, "two hours ago" -> 2, "last night" -> 12, "this morning" -> 6.

Only times that belong to the spasm count: a time in a clause about another person,
cancer, fever, weight or a resolved problem is skipped ("I had cancer three years ago").
A time a month or more back counts only in a clause that names the spasm or its pain, and
never in a text that calls this spasm a new episode ("it's gone again", "this one's a 4").
Among the rest, a clause that names the spasm or its pain wins, then one that only says
"it" or "this" ("it's been quiet for months" is often about something else), then one
about a fall or accident; then the longest ago, because the onset is when the episode began
("pain for 3 days, worse since this morning" -> 72).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .datafile import LexiconError, check_keys, load_json, section
from .numbers import (
    alternation,
    clause_bounds,
    number_value,
    sentence_bounds,
    words_regex,
)

SOURCE = "onset.json"
KEYS = {
    "units",
    "quantities",
    "bare_plural_units",
    "named",
    "spasm_cue_words",
    "weak_cue_words",
    "event_cue_words",
    "other_topic_words",
    "sentence_vetoes",
    "activity_words",
    "new_episode_words",
    "distant_hours",
}
HEDGE = r"(?:about|around|roughly|nearly|almost|over|maybe|approx|approximately|just|only)\s+"
SPASM, WEAK_SPASM, EVENT, NEUTRAL = 3, 2, 1, 0


@dataclass(frozen=True)
class OnsetMatch:
    """An onset found in the text, in hours, and the [start, end) of its phrase."""

    hours: float
    start: int
    end: int


@dataclass(frozen=True)
class _Candidate:
    match: re.Match[str]
    hours: float
    is_duration: bool


class OnsetParser:
    """Finds the spasm's onset in normalised, lower-cased text."""

    def __init__(self, data: dict[str, Any], number_words: dict[str, int]) -> None:
        self.number_words = dict(number_words)
        self.unit_hours = _unit_table(data)
        self.quantities = _number_table(data, "quantities")
        self.bare = _number_table(data, "bare_plural_units")
        self.named = _named_table(data)
        self.spasm_cues = words_regex(data, "spasm_cue_words", SOURCE)
        self.weak_cues = words_regex(data, "weak_cue_words", SOURCE)
        self.event_cues = words_regex(data, "event_cue_words", SOURCE)
        self.other = words_regex(data, "other_topic_words", SOURCE)
        self.vetoes = words_regex(data, "sentence_vetoes", SOURCE)
        self.activity = words_regex(data, "activity_words", SOURCE)
        self.new_episode = words_regex(data, "new_episode_words", SOURCE)
        self.distant_hours = float(section(data, "distant_hours", {"value"}, SOURCE)["value"])
        amount = rf"(?:\d+(?:\.\d+)?|{alternation([*self.quantities, *self.number_words])})"
        quantity = rf"(?:{HEDGE})?(?:(?P<q>{amount})\s*)?(?P<u>{alternation(self.unit_hours)})"
        self.ago = re.compile(rf"\b{quantity}\s+(?:ago|back)\b")
        self.duration = re.compile(
            rf"\b(?:for\s+(?:{HEDGE})?(?:the\s+)?(?:last\s+|past\s+)?"
            rf"|(?:in|over|during)\s+the\s+(?:last|past)\s+"
            # "it's been 2 months now", "been three weeks": how long it has lasted so far
            rf"|(?:it's|it\s+has|it\s+is|has|have|'s|'ve)\s+(?:now\s+)?been\s+(?:{HEDGE})?){quantity}\b"
        )
        self.named_regex = re.compile(rf"\b(?:{alternation(self.named)})\b")

    def find(self, text: str) -> OnsetMatch | None:
        """The onset in `text` (lower-cased), or None."""
        scored = []
        for candidate in self._candidates(text):
            score = self._score(text, candidate)
            if score is not None:
                scored.append((score, candidate.hours, candidate.match))
        if not scored:
            return None
        _, hours, match = max(scored, key=lambda s: (s[0], s[1]))
        return OnsetMatch(round(hours, 2), match.start(), match.end())

    def _candidates(self, text: str) -> list[_Candidate]:
        found = [
            _Candidate(m, self.named[" ".join(m.group(0).split())], False)
            for m in self.named_regex.finditer(text)
        ]
        found += [_Candidate(m, self._hours(m), False) for m in self.ago.finditer(text)]
        # "for a minute" is how long something lasted, not when the spasm began.
        found += [
            _Candidate(m, self._hours(m), True)
            for m in self.duration.finditer(text)
            if self.unit_hours[m.group("u")] >= 1
        ]
        return _drop_contained(found)

    def _hours(self, match: re.Match[str]) -> float:
        unit = match.group("u")
        quantity = match.group("q")
        if quantity is None:
            count = self.bare.get(unit, 1.0) if unit.endswith("s") else 1.0
        else:
            key = " ".join(quantity.split())
            count = self.quantities.get(key) or number_value(key, self.number_words)
        return count * self.unit_hours[unit]

    def _score(self, text: str, candidate: _Candidate) -> int | None:
        """SPASM when the clause names the spasm, EVENT for a fall or accident, NEUTRAL
        otherwise; None when the time belongs to something else."""
        match = candidate.match
        left, right = clause_bounds(text, match.start(), match.end())
        left = _own_clause_start(text, left, match.start())
        clause = text[left : match.start()] + " " + text[match.end() : right]
        sent_left, sent_right = sentence_bounds(text, match.start(), match.end())
        if self.other.search(clause) or self.vetoes.search(text, sent_left, sent_right):
            return None
        if candidate.is_duration and self.activity.search(clause):
            return None
        distant = candidate.hours >= self.distant_hours
        if distant and self.new_episode.search(text):
            return None  # "had these spasms for forty years ... this one's a 4": history
        if self.spasm_cues.search(clause):
            return SPASM
        if distant:
            return None  # a month or more back counts only where the clause names the spasm
        if self.weak_cues.search(clause):
            return WEAK_SPASM
        return EVENT if self.event_cues.search(clause) else NEUTRAL


# "my wife's pregnant and I did my back in three weeks ago": the writer's own clause starts
# at "and I"/"and my", so the other topic before it does not claim the time.
_OWN_CLAUSE = re.compile(r"\band\s+(?:i|my|i'm|i've|i'd)\b")


def _own_clause_start(text: str, left: int, start: int) -> int:
    for found in _OWN_CLAUSE.finditer(text, left, start):
        left = found.start()
    return left


def _drop_contained(found: list[_Candidate]) -> list[_Candidate]:
    # "the day before yesterday" also contains "yesterday": keep only the longest phrase.
    def inside(a: re.Match[str], b: re.Match[str]) -> bool:
        longer = (b.end() - b.start()) > (a.end() - a.start())
        return longer and b.start() <= a.start() and a.end() <= b.end()

    return [f for f in found if not any(inside(f.match, g.match) for g in found)]


def _unit_table(data: dict[str, Any]) -> dict[str, float]:
    table: dict[str, float] = {}
    for i, entry in enumerate(section(data, "units", {"entries"}, SOURCE)["entries"]):
        check_keys(entry, {"words", "hours"}, {"comment"}, f"{SOURCE} units[{i}]")
        table.update({word: float(entry["hours"]) for word in entry["words"]})
    return table


def _number_table(data: dict[str, Any], key: str) -> dict[str, float]:
    values = section(data, key, {"values"}, SOURCE)["values"]
    return {k: float(v) for k, v in values.items()}


def _named_table(data: dict[str, Any]) -> dict[str, float]:
    table: dict[str, float] = {}
    for i, entry in enumerate(section(data, "named", {"entries"}, SOURCE)["entries"]):
        where = f"{SOURCE} named[{i}]"
        check_keys(entry, {"phrases", "hours"}, {"comment"}, where)
        for phrase in entry["phrases"]:
            if phrase in table:
                raise LexiconError(f"{where}: {phrase!r} is listed twice")
            table[phrase] = float(entry["hours"])
    return table


def load_onset_parser(number_words: dict[str, int]) -> OnsetParser:
    """The parser configured by lexicon/onset.json."""
    data = load_json(SOURCE)
    check_keys(data, KEYS, {"comment"}, SOURCE)
    return OnsetParser(data, number_words)
