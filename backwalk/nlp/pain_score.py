"""A focused parser for numeric pain scores: "6/10", "six out of ten", "about a 6", "pain 7".

When several scores are given, the current one wins ("was 8 yesterday, now 5" -> 5); among
equally current ones the highest wins, the cautious reading ("5 at rest, 8 walking" -> 8).
Quantities ("6 kg", "3 days", "38.5 degrees") and ages are never read as scores.

Numbers come with their scale: "0-10" or "1 to 10" names the scale, never a score ("4 on a
scale of 0 to 10" -> 4); the answer after a pain question is the score ("Pain 0-10? A: 3",
"Out of ten? Caller: Five."); in a day-by-day log the latest day's score is the current one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .datafile import load_json, section
from .numbers import (
    alternation,
    clause_bounds,
    number_value,
    round_half_up,
    word_list,
    words_regex,
)

SOURCE = "numbers.json"
MAX_EMPHATIC = 20  # "11/10" or "15/10" means "as bad as it gets": read as 10.
CURRENT, NEUTRAL, PAST = 2, 1, 0
# A scale other than 0-10 named in the text ("the 1-5 scale", "3 out of 5"): there only a
# number written with its 10 is read as the score.
OTHER_SCALE = re.compile(
    r"\b(?:0|1)\s*(?:-|to)\s*[3-7]\s+scale\b|\bout\s+of\s+(?:[3-7]|five|four)\b|/\s*5\b"
)


@dataclass(frozen=True)
class ScoreMatch:
    """A pain score found in the text, the [start, end) of its phrase, and how current."""

    score: int
    start: int
    end: int
    rank: int = NEUTRAL
    out_of_ten: bool = False  # written with its scale: "2 out of 10", "6/10"


class PainScoreParser:
    """Finds the current numeric pain score in normalised, lower-cased text."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.number_words: dict[str, int] = dict(
            section(data, "number_words", {"words"}, SOURCE)["words"]
        )
        num = rf"(?:\d+(?:\.\d+)?|{alternation(self.number_words)})"
        pair = rf"(?<![\w.])(?P<a>{num})(?:\s*(?:-|to|or)\s*(?P<b>{num}))?"
        fill = rf"(?:\s*(?:{alternation(word_list(data, 'fillers', SOURCE))})\b|\s*[:=\-,?])*\s*"
        scale = r"\s*(?:/\s*|\bout\s+of\s+|\boutta\s+|\bof\s+)(?:10|ten)\b(?![/\d]|\.\d)"
        anchors = alternation(word_list(data, "anchors", SOURCE))
        weak = alternation(word_list(data, "weak_anchors", SOURCE))
        self.scale = re.compile(rf"(?<!/){pair}{scale}")
        self.anchored = re.compile(rf"\b(?:{anchors}){fill}{pair}(?![\w.]*\d)")
        self.weak_anchored = re.compile(rf"(?<!\w)(?:{weak}){fill}{pair}(?![\w.]*\d)")
        self.article = re.compile(rf"\b(?:a|an)\s+{pair}\b")
        vetoes = alternation(word_list(data, "weak_anchor_vetoes", SOURCE))
        self.weak_veto = re.compile(rf"\b(?:{vetoes})\s*$")
        followers = alternation(word_list(data, "word_score_followers", SOURCE))
        self.word_number = re.compile(alternation(self.number_words))
        self.count_after = re.compile(rf"^\s+(?!(?:{followers})\b)[a-z]")
        units = alternation(word_list(data, "units", SOURCE))
        self.unit_after = re.compile(rf"^\s*(?:-\s*)?(?:{units})\b|^\s*[%°:/]|^[.,]\d")
        self.current = words_regex(data, "current_markers", SOURCE)
        self.past = words_regex(data, "past_markers", SOURCE)
        scale_range = r"(?:0|1|nought|zero|one)\s*(?:-|to)\s*(?:10|ten)\b"
        asks = (
            rf"(?:\b(?:{anchors}|how\s+bad|how\s+much|where\s+are\s+you)\b|{scale_range}"
            r"|\bout\s+of\s+(?:10|ten)\b)"
        )
        # a pain question, an optional speaker ("A:", "Caller:"), then the number answering it
        self.answer = re.compile(
            rf"{asks}[^?\n]{{0,50}}?(?:\?|\)\s*:)\s*(?:[a-z]{{1,12}}\s*:\s*)?(?:{fill})?{pair}"
            r"(?![\w.]*\d)"
        )
        self.scale_after = re.compile(
            rf"{pair}\s+(?:on|in|from)\s+(?:a|the|your|my|their)\s+(?:pain\s+)?scale\b"
            rf"|{pair.replace('<a>', '<a2>').replace('<b>', '<b2>')}\s+from\s+(?:10|ten)\b"
        )
        # a change: "went from a 5 to a 2", "from 8/10 down to 4" (the second is now; "5 to 6"
        # alone stays a range, read at its top)
        out_of = r"(?:\s*(?:/\s*|\bout\s+of\s+)(?:10|ten)\b)?"
        self.change = re.compile(
            rf"\bfrom\s+(?:a\s+|an\s+)?(?P<old>{num}){out_of}\s+(?:down\s+|up\s+|right\s+)?"
            rf"(?:to|->|→)\s+(?:a\s+|an\s+|about\s+)?(?P<new>{num}){out_of}(?![\w.]*\d)"
        )
        # a bare number closing a short report: "constant back pain, nothing eases it, 6"
        self.trailing = re.compile(rf",\s*{pair}\s*[.!]?\s*$")
        self.day = re.compile(
            r"(?:^|[.\n;]\s*)(?:(?:day\s*\d+|mon|tue|tues|wed|thu|thurs|fri|sat|sun|monday|tuesday|"
            r"wednesday|thursday|friday|saturday|sunday)\b[^:.\n]{0,20}:"
            # "Day 3, the top of my back settled. Day 4 (today), 4/10": numbered days need no colon
            r"|day\s*\d+\b(?:\s*\([^)\n]{0,12}\))?\s*,)"
        )
        # "Day 2: 4": in a log of days, a bare number opening a day's entry is its score
        self.day_score = re.compile(rf"{self.day.pattern}\s*{pair}(?![\w.]*\d)")

    def find(self, text: str) -> ScoreMatch | None:
        """The current pain score in `text` (lower-cased), or None."""
        candidates = self._candidates(text)
        if not candidates:
            return None
        if OTHER_SCALE.search(text) and any(c.out_of_ten for c in candidates):
            # "on the 1-5 scale he's a 1, which he reckons is about 2 out of 10"
            candidates = [c for c in candidates if c.out_of_ten]
        best_rank = max(c.rank for c in candidates)
        return max((c for c in candidates if c.rank == best_rank), key=lambda c: c.score)

    def _candidates(self, text: str) -> list[ScoreMatch]:
        found: list[ScoreMatch] = []
        for match in self.change.finditer(text):
            new = number_value(match.group("new"), self.number_words)
            old = number_value(match.group("old"), self.number_words)
            if max(new, old) <= 10 and not self._is_quantity(text, match):
                score = min(10, round_half_up(new))
                found.append(ScoreMatch(score, match.start(), match.end(), CURRENT, True))
        for match in self.scale.finditer(text):
            self._add(found, text, match, MAX_EMPHATIC, out_of_ten=True)
        for regex in (self.answer, self.scale_after, self.trailing, self.day_score):
            for match in regex.finditer(text):
                if not self._is_quantity(text, match):
                    self._add(found, text, match, 10, named=True)
        for regex in (self.anchored, self.article, self.weak_anchored):
            for match in regex.finditer(text):
                if self._is_quantity(text, match) or self._is_vetoed(text, match, regex):
                    continue
                self._add(found, text, match, 10)
        return self._latest_day(text, found)

    def day_starts(self, text: str) -> list[int]:
        """Where each day's entry starts in a log of days, or [] when the text is not one
        (fewer than two day markers)."""
        starts = [m.end() for m in self.day.finditer(text)]
        return starts if len(starts) >= 2 else []

    def latest_day_start(self, text: str) -> int | None:
        """Where the latest day's entry starts in a log of days ("Day 1: ... Day 3: ..."),
        or None when the text is not such a log (fewer than two day markers)."""
        starts = [m.end() for m in self.day.finditer(text)]
        return starts[-1] if len(starts) >= 2 else None

    def _latest_day(self, text: str, found: list[ScoreMatch]) -> list[ScoreMatch]:
        """In a log of days ("Day 1: 6/10. Day 2: 4"), the scores of the latest day that has
        any are the current ones."""
        starts = [m.end() for m in self.day.finditer(text)]
        if len(starts) < 2 or not found:
            return found
        latest = max(
            (sum(1 for s in starts if s <= f.start) for f in found), default=0
        )  # the number of day markers before the last scored day
        return [f for f in found if sum(1 for s in starts if s <= f.start) == latest]

    def _is_quantity(self, text: str, match: re.Match[str]) -> bool:
        return self.unit_after.search(text[match.end() :]) is not None

    def _is_vetoed(self, text: str, match: re.Match[str], regex: re.Pattern[str]) -> bool:
        if regex is self.anchored:
            return False
        if self._counts_something(text, match):
            return True
        # "when I was 8": a weak anchor after a person is an age, not a score.
        return (
            regex is self.weak_anchored
            and self.weak_veto.search(text, 0, match.start()) is not None
        )

    def _counts_something(self, text: str, match: re.Match[str]) -> bool:
        """'about six rungs up', 'now one shoulder blade': a spelt-out number that a noun
        follows counts that noun."""
        last = match.group("b") or match.group("a")
        if not self.word_number.fullmatch(last):
            return False
        return self.count_after.search(text[match.end() :]) is not None

    def _add(
        self,
        found: list[ScoreMatch],
        text: str,
        match: re.Match[str],
        limit: int,
        named: bool = False,
        out_of_ten: bool = False,
    ) -> None:
        a, b = ("a", "b") if not named else _named_groups(match)
        groups = [g for g in (a, b) if match.group(g)]
        values = [number_value(match.group(g), self.number_words) for g in groups]
        overlaps = any(f.start < match.end() and match.start() < f.end for f in found)
        if overlaps or any(v > limit for v in values) or _is_scale(values):
            return
        rank = self._rank(text, match.start(groups[0]), match.end(groups[-1]))
        # the quote starts at the phrase, not at the stop before a day's entry (". Day 3: 3")
        start = match.start() + len(match.group(0)) - len(match.group(0).lstrip(" .;\n"))
        score = min(10, round_half_up(max(values)))
        found.append(ScoreMatch(score, start, match.end(), rank, out_of_ten))

    def _rank(self, text: str, start: int, end: int) -> int:
        """CURRENT or PAST by the nearest time word in the clause, else NEUTRAL."""
        left, right = clause_bounds(text, start, end)
        nearest: tuple[int, int, int] | None = None  # (distance, 0 before / 1 after, rank)
        for regex, rank in ((self.current, CURRENT), (self.past, PAST)):
            for marker in regex.finditer(text, left, right):
                if marker.end() <= start:
                    key = (start - marker.end(), 0, rank)
                elif marker.start() >= end:
                    key = (marker.start() - end, 1, rank)
                else:
                    continue
                nearest = key if nearest is None else min(nearest, key)
        return NEUTRAL if nearest is None else nearest[2]


def _is_scale(values: list[float]) -> bool:
    """'0-10' or '1 to 10' names the scale itself; it is never a score."""
    return len(values) == 2 and values[0] in (0, 1) and values[1] == 10


def _named_groups(match: re.Match[str]) -> tuple[str, str]:
    """A regex made of alternatives, each with its own copy of the number pair: the groups
    of the alternative that matched."""
    for a, b in (("a", "b"), ("a2", "b2")):
        if a in match.re.groupindex and match.group(a):
            return a, b
    return "a", "b"


def load_pain_score_parser() -> PainScoreParser:
    """The parser configured by lexicon/numbers.json."""
    return PainScoreParser(load_json(SOURCE))
