"""Data-driven clean-up of everyday typing before matching, keeping character offsets.

Each pass rewrites parts of the text and records, for every character of the new text,
the index of the original character it came from, so matches on the clean text can be
shown on what the person actually typed.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import resources
from typing import Any

from .datafile import LexiconError, check_keys, load_json, section, string_list

Edit = tuple[int, int, str]


@dataclass(frozen=True)
class NormalisedText:
    """Clean text plus the map back to the original characters."""

    original: str
    text: str
    origin: tuple[int, ...]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) range of the clean text to the original text."""
        if end <= start:
            return self.origin[start], self.origin[start]
        return self.origin[start], self.origin[end - 1] + 1

    def original_phrase(self, start: int, end: int) -> str:
        """The original characters behind a range of the clean text."""
        first, last = self.to_original(start, end)
        return self.original[first:last]


def apply_edits(text: str, origin: list[int], edits: Iterable[Edit]) -> tuple[str, list[int]]:
    """Replace non-overlapping [start, end) ranges, carrying the origin map along."""
    pieces: list[str] = []
    new_origin: list[int] = []
    cursor = 0
    for start, end, replacement in sorted(edits):
        pieces.append(text[cursor:start])
        new_origin.extend(origin[cursor:start])
        pieces.append(replacement)
        new_origin.extend(_origin_for(origin, start, end, len(replacement)))
        cursor = end
    pieces.append(text[cursor:])
    new_origin.extend(origin[cursor:])
    return "".join(pieces), new_origin


def _origin_for(origin: list[int], start: int, end: int, length: int) -> list[int]:
    # A replacement spreads over the characters it replaced; an insertion (start == end)
    # points at the character it precedes, so a highlight never starts mid-word.
    if end == start:
        anchor = origin[start] if start < len(origin) else (origin[-1] + 1 if origin else 0)
        return [anchor] * length
    span = origin[start:end]
    return [span[min(i, len(span) - 1)] for i in range(length)]


# The English word list shipped with symspellpy (word and corpus count per line): a word
# on it is a real word and is never "corrected", whatever keyword it sits next to.
ENGLISH_WORDS = "frequency_dictionary_en_82_765.txt"


@functools.cache
def english_words() -> frozenset[str]:
    """symspellpy's English frequency dictionary as a set (about 83,000 words).

    Read only when a word first looks like a typo of a keyword (most texts have none), so
    the 70 ms it takes stays out of the start-up of a process.
    """
    text = resources.files("symspellpy").joinpath(ENGLISH_WORDS).read_text("utf-8")
    return frozenset(line.split(" ", 1)[0] for line in text.splitlines() if line)


class TypoCorrector:
    """Corrects a word one keystroke away from exactly one lexicon keyword.

    symspellpy's SymSpell (symmetric-delete lookup, Damerau-OSA distance) indexes the
    keywords; a word is corrected only when it is not a known word (lexicon words, stop
    words, a protected list such as "never"/"fever" and "height"/"weight", and every word
    of symspellpy's English dictionary) and exactly one keyword is one edit away. So a
    correction only ever turns a non-word into a keyword.
    """

    def __init__(self, keywords: Iterable[str], known: Iterable[str], min_length: int) -> None:
        from symspellpy import SymSpell

        self.min_length = min_length
        self.keywords = {k for k in keywords if k.isalpha() and len(k) >= min_length}
        self.known = set(known) | self.keywords
        self.speller = SymSpell(max_dictionary_edit_distance=1, prefix_length=7)
        for keyword in sorted(self.keywords):
            self.speller.create_dictionary_entry(keyword, 1)

    def correct(self, word: str) -> str | None:
        """The keyword `word` is a typo of, or None."""
        from symspellpy import Verbosity

        lower = word.lower()
        if len(lower) < self.min_length or not lower.isalpha() or lower in self.known:
            return None
        found = self.speller.lookup(lower, Verbosity.ALL, max_edit_distance=1)
        matches = sorted({s.term for s in found if s.distance == 1})
        if len(matches) != 1 or lower in english_words():
            return None
        return matches[0]


class Normaliser:
    """Applies the passes described by lexicon/normalise.json."""

    def __init__(self, data: dict[str, Any], corrector: TypoCorrector | None = None) -> None:
        check_keys(data, {"characters", "words", "emoji"}, {"comment", "fuzzy"}, "normalise.json")
        self.emoji_words = _emoji_table(data["emoji"])
        self.characters = _character_table(data["characters"])
        # One regex finds the few characters to replace, instead of a Python loop over all.
        singles = sorted(c for c in self.characters if len(c) == 1)
        self.character_pattern = re.compile("|".join(map(re.escape, singles)) or "(?!)")
        self.words = _word_table(data["words"])
        self.word_pattern = _word_regex(self.words)
        self.corrector = corrector
        self.passes: list[Callable[[str], list[Edit]]] = [
            self._characters,
            self._emoji,
            _quieten_shouting,
            _newlines,
            _squeeze_repeats,
            self._substitute_words,
            _split_glued,
            self._correct_typos,
            _close_last_sentence,
        ]

    def __call__(self, original: str) -> NormalisedText:
        """Normalise `original`; the result maps back to it character by character."""
        text, origin = original, list(range(len(original)))
        for make_edits in self.passes:
            edits = make_edits(text)
            if edits:
                text, origin = apply_edits(text, origin, edits)
        return NormalisedText(original=original, text=text, origin=tuple(origin))

    def _emoji(self, text: str) -> list[Edit]:
        return _emoji_as_stops(text, self.emoji_words)

    def _characters(self, text: str) -> list[Edit]:
        return [
            (m.start(), m.end(), self.characters[m.group(0)])
            for m in self.character_pattern.finditer(text)
        ]

    def _substitute_words(self, text: str) -> list[Edit]:
        if self.word_pattern is None:
            return []
        return [
            (m.start(), m.end(), self.words[m.group(0).lower()])
            for m in self.word_pattern.finditer(text)
        ]

    def _correct_typos(self, text: str) -> list[Edit]:
        if self.corrector is None:
            return []
        edits = []
        for match in re.finditer(r"[A-Za-z]+", text):
            fixed = self.corrector.correct(match.group(0))
            if fixed is not None:
                edits.append((match.start(), match.end(), fixed))
        return edits


# An emoji ends a thought in a message ("not ghosting u I promise 🙏 my legs went weak"):
# read as a full stop, so a denial before it cannot reach a sign after it. The few that name
# a sign (normalise.json "emoji": a pregnant woman, a drop of blood) are read as that word.
# Joiners, variation selectors and skin tones inside an emoji become spaces.
_EMOJI = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf]")
_EMOJI_PARTS = re.compile("[\u200d\ufe0f\U0001f3fb-\U0001f3ff]")


def _emoji_as_stops(text: str, words: dict[str, str]) -> list[Edit]:
    stops = [(m.start(), m.end(), words.get(m.group(0), ".")) for m in _EMOJI.finditer(text)]
    parts = [(m.start(), m.end(), " ") for m in _EMOJI_PARTS.finditer(text)]
    return sorted(stops + parts)


# A text typed in capitals ("I CAN'T FEEL MY BACKSIDE") is read as if typed in lower case:
# spaCy splits "can't" into "ca" + "n't" but leaves "CAN'T" whole, so a denial or an
# inability would be missed. Mostly capitals means at least this share of the letters.
SHOUTING_SHARE = 0.6
SHOUTING_MIN_LETTERS = 12
_CAPITAL_WORD = re.compile(r"[A-Z][A-Z']*")


def _quieten_shouting(text: str) -> list[Edit]:
    letters = sum(c.isalpha() for c in text)
    capitals = sum(c.isupper() for c in text)
    if letters < SHOUTING_MIN_LETTERS or capitals < SHOUTING_SHARE * letters:
        return []
    return [(m.start(), m.end(), m.group(0).lower()) for m in _CAPITAL_WORD.finditer(text)]


def _character_table(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise LexiconError("normalise.json: 'characters' must be an object")
    for key, replacement in value.items():
        if key == "comment":
            continue
        if len(key) != 1 or not isinstance(replacement, str) or len(replacement) != 1:
            raise LexiconError(f"normalise.json: character entry {key!r} must map 1 char to 1")
    return {k: v for k, v in value.items() if k != "comment"}


def _emoji_table(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise LexiconError("normalise.json: 'emoji' must be an object")
    table = {k: v for k, v in value.items() if k != "comment"}
    for key, replacement in table.items():
        if not _EMOJI.fullmatch(key) or not isinstance(replacement, str):
            raise LexiconError(f"normalise.json: emoji entry {key!r} must map one emoji to words")
    return table


def _word_table(entries: Any) -> dict[str, str]:
    if not isinstance(entries, list):
        raise LexiconError("normalise.json: 'words' must be a list")
    table: dict[str, str] = {}
    for i, entry in enumerate(entries):
        where = f"normalise.json words[{i}]"
        check_keys(entry, {"from", "to", "comment"}, set(), where)
        for source in string_list(entry["from"], where):
            if source.lower() in table:
                raise LexiconError(f"{where}: {source!r} is listed twice")
            table[source.lower()] = entry["to"]
    return table


def _word_regex(table: dict[str, str]) -> re.Pattern[str] | None:
    if not table:
        return None
    alternatives = "|".join(re.escape(w) for w in sorted(table, key=len, reverse=True))
    return re.compile(rf"(?<![\w'&])(?:{alternatives})(?![\w'&])", re.IGNORECASE)


def _newlines(text: str) -> list[Edit]:
    # One "\n" per line break so the sentence splitter sees a single boundary token.
    return [
        (m.start(), m.end(), "\n")
        for m in re.finditer(r"[ \t]*[\r\n][\s]*", text)
        if m.group(0) != "\n"
    ]


_GLUED = re.compile(
    r"(?<=[;,!?])(?=[A-Za-z])"  # "fever;I" -> "fever; I"
    r"|(?<=[a-z]{2}\.)(?=[A-Za-z]{2})"  # "foot.Then" -> "foot. Then"
    r"|(?<=\d)(?=[A-Za-z])(?!(?:st|nd|rd|th)\b)"  # "3days" -> "3 days", not "2nd"
    r"|(?<=[A-Za-z])(?=\d)",  # "pain7" -> "pain 7"
)


def _split_glued(text: str) -> list[Edit]:
    return [(m.start(), m.start(), " ") for m in _GLUED.finditer(text)]


def _close_last_sentence(text: str) -> list[Edit]:
    # A final "\n" lets rules that need a sentence end ("cancer - none") see the last one.
    return [(len(text), len(text), "\n")]


# "AAA" (an abdominal aortic aneurysm) is a word of three letters running: never squeezed.
_REPEATS = re.compile(r"(?<![A-Za-z])(?:aaa|AAA)(?![A-Za-z])|([A-Za-z])\1{2,}")


def _squeeze_repeats(text: str) -> list[Edit]:
    # "soooo numbbbb" -> "soo numbb": no English word has a letter three times running.
    return [(m.start(), m.end(), m.group(1) * 2) for m in _REPEATS.finditer(text) if m.group(1)]


def load_normaliser(corrector: TypoCorrector | None = None) -> Normaliser:
    """The normaliser described by lexicon/normalise.json."""
    return Normaliser(load_json("normalise.json"), corrector)


@dataclass(frozen=True)
class FuzzySettings:
    """What the typo corrector may correct to, and what it must leave alone."""

    min_length: int
    keywords: list[str]
    protected: list[str]


def fuzzy_settings() -> FuzzySettings:
    """Typo-correction settings from lexicon/normalise.json."""
    where = "normalise.json"
    data = section(load_json(where), "fuzzy", {"min_length", "keywords", "protected"}, where)
    return FuzzySettings(
        int(data["min_length"]),
        string_list(data["keywords"], where),
        string_list(data["protected"], where),
    )
