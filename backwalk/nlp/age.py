"""A focused parser for the writer's age: "I'm 72", "84-year-old", "M 67", "aged 55", "42F".

An age the writer gives for themselves wins over one given for someone else ("my mum is
84, I'm 52" -> 52). With none of their own, another person's age is reported: the writer is
then a carer writing for them ("my 15 year old son hurt his back" -> 15). Quantities ("I'm
30 weeks pregnant", "he is 6 foot") are not ages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .datafile import load_json, section
from .numbers import alternation, word_list

SOURCE = "age.json"
MIN_AGE, MAX_AGE = 0, 120
# A bare number at the start ("84, sudden pain"), a sex letter ("M 67") or brackets
# ("Dad (78)") could be a pain score or a distance when small: below this it is not an age.
MIN_LOOSE_AGE = 11


@dataclass(frozen=True)
class AgeMatch:
    """An age found in the text and the [start, end) of its phrase."""

    age: int
    start: int
    end: int
    own: bool


class AgeParser:
    """Finds the age in normalised, lower-cased text."""

    def __init__(self, data: dict[str, Any], number_words: dict[str, int]) -> None:
        tens: dict[str, int] = dict(section(data, "tens", {"words"}, SOURCE)["words"])
        units = {w: v for w, v in number_words.items() if 0 < v < 10}
        self.values = {**{w: v for w, v in number_words.items() if v <= 19}, **tens}
        self.tens, self.units = tens, units
        words = alternation(self.values)
        num = (
            rf"(?P<n>\d{{1,3}}|(?:{alternation(tens)})(?:[\s-]?(?:{alternation(units)}))?|{words})"
        )
        lists = {
            key: alternation(word_list(data, key, SOURCE))
            for key in (
                "self_before",
                "age_question",
                "answer_label",
                "other_before",
                "person",
                "sex",
                "years_old",
                "years_then",
                "not_age_after",
            )
        }
        tail = rf"(?!\s*(?:{lists['not_age_after']})\b)(?![\d/:%']|\.\d)"
        old = rf"(?:\s*-?\s*(?:{lists['years_old']}))"
        self.patterns: list[tuple[re.Pattern[str], bool, int]] = [
            # (regex, own, smallest age it may give)
            (re.compile(rf"\b(?:{lists['self_before']})\s*:?\s*{num}{old}?\b{tail}"), True, 0),
            (
                # The answer to an age question: "Your age? A: 58", "How old are you? 62".
                re.compile(
                    rf"\b(?:{lists['age_question']})\s*\?\s*(?:(?:{lists['answer_label']})\s*:\s*)?"
                    rf"{num}{old}?\b{tail}"
                ),
                True,
                MIN_LOOSE_AGE,
            ),
            (re.compile(rf"\b(?:{lists['other_before']})\s+{num}{old}?\b{tail}"), False, 0),
            (
                re.compile(
                    rf"\b(?:{lists['person']})(?:\s+(?:is|'s|was|turned)|'s)\s+(?:now\s+)?{num}"
                    rf"{old}?\b{tail}"
                ),
                False,
                0,
            ),
            (re.compile(rf"\bmy\s+{num}{old}\s+(?:{lists['person']})\b"), False, 0),
            (re.compile(rf"(?<![\w/.]){num}{old}(?!\s+ago)"), True, 0),
            (
                re.compile(rf"(?<![\w/.]){num}\s*(?:years?|yrs?)\s+(?:{lists['years_then']})\b"),
                True,
                0,
            ),
            (
                re.compile(rf"\b(?:{lists['person']})\s+of\s+{num}(?:\s*(?:years?|yrs?))?\b{tail}"),
                True,
                MIN_LOOSE_AGE,
            ),
            (
                re.compile(rf"(?<![\w/.])(?:{lists['sex']})\s*,?\s*(?P<n>\d{{2,3}})\b{tail}"),
                True,
                MIN_LOOSE_AGE,
            ),
            (
                re.compile(rf"(?<![\w/.])(?P<n>\d{{2}})\s*,?\s*(?:{lists['sex']})\b"),
                True,
                MIN_LOOSE_AGE,
            ),
            (
                re.compile(rf"\b(?:{lists['person']})\s*[,(]\s*(?P<n>\d{{2,3}})\s*[,)]"),
                False,
                MIN_LOOSE_AGE,
            ),
            (re.compile(r"^\W*(?P<n>\d{2,3})\s*[,.:;](?!\d)"), True, MIN_LOOSE_AGE),
            # "I have 60 years", "she has 78 years": the age in the grammar of many languages
            (
                re.compile(
                    r"\b(?:i|he|she)\s+(?:have|has)\s+(?P<n>\d{2,3})\s+(?:years|yrs)\b(?!\s+ago)"
                ),
                True,
                MIN_LOOSE_AGE,
            ),
            # a name and the age in brackets, in a coach's or carer's report: "Ella (15)"
            (
                re.compile(r"\b[a-z]{2,}\s*\(\s*(?P<n>\d{2})\s*(?:years?|yrs?|y)?\s*\)"),
                False,
                MIN_LOOSE_AGE,
            ),
            # a resident or patient by title and initial: "Mrs L (89)", "Mr Hughes, 82,"
            (
                re.compile(
                    r"\b(?:mr|mrs|ms|miss)\.?\s+[a-z][\w-]*\.?\s*[,(]\s*(?P<n>\d{2,3})\s*[,)]"
                ),
                False,
                MIN_LOOSE_AGE,
            ),
            # a sentence opening with the age: "74 and never had one like it", "52 btw"
            (
                re.compile(r"(?:^|[.!?\n]\s*)(?P<n>\d{2,3})\s+(?:and|btw|so|here)\b"),
                True,
                MIN_LOOSE_AGE,
            ),
            # a school year and then the age: "year 9 so 14", "yr 10, 15"
            (
                re.compile(
                    r"\b(?:year|yr)\s*\d{1,2}\s*(?:so|,|-|=|i\.e\.)\s*(?P<n>\d{2})\b(?![\d/:%]|\.\d)"
                ),
                True,
                MIN_LOOSE_AGE,
            ),
            (
                re.compile(r"(?:^|[.!?\n]\s*)(?P<n>\d{2,3})\s*(?:years?|yrs?)\s*(?:[.!?\n]|$)"),
                True,
                MIN_LOOSE_AGE,
            ),
        ]

    def find(self, text: str) -> AgeMatch | None:
        """The writer's age, else another person's; None when the text gives none."""
        found = self._candidates(text)
        if not found:
            return None
        own = [m for m in found if m.own]
        return min(own or found, key=lambda m: m.start)

    def _candidates(self, text: str) -> list[AgeMatch]:
        found: list[AgeMatch] = []
        for regex, own, smallest in self.patterns:
            for match in regex.finditer(text):
                value = self._value(match.group("n"))
                if value is None or not max(smallest, MIN_AGE) <= value <= MAX_AGE:
                    continue
                own_here = own and not self._someone_elses(text, match.start())
                found.append(AgeMatch(value, match.start(), match.end(), own_here))
        return found

    @staticmethod
    def _someone_elses(text: str, start: int) -> bool:
        # "my 15 year old son", "her 84-year-old mother": a possessive right before the
        # number makes the age another person's.
        return (
            re.search(r"\b(?:my|his|her|our|their)\s+$", text[max(0, start - 8) : start])
            is not None
        )

    def _value(self, token: str) -> int | None:
        token = token.strip()
        if token.isdigit():
            return int(token)
        if token in self.values:
            return self.values[token]
        parts = re.split(r"[\s-]+", token)
        if len(parts) == 2 and parts[0] in self.tens and parts[1] in self.units:
            return self.tens[parts[0]] + self.units[parts[1]]
        return None


def load_age_parser(number_words: dict[str, int]) -> AgeParser:
    """The age parser described by lexicon/age.json."""
    return AgeParser(load_json(SOURCE), number_words)
