"""Runs each token pattern only on texts that hold a word the pattern cannot match without.

spaCy's Matcher starts every one of its patterns at every token of a text, and checks
each `IN` list through a Python call: with about 800 patterns, three quarters of the time
of a text went there, although a typical text can match about ten of them. Every pattern
has tokens it cannot match without (a token that is neither optional nor a gap); when the
text has none of the words such a token accepts, the pattern cannot match anywhere in it.

So each pattern gets an *anchor*: the word set of one of its required tokens, the one
least frequent in English (symspellpy's frequency dictionary), chosen once when the
lexicon is loaded and cached with it. `AnchoredMatcher` keeps one small spaCy Matcher per
anchor and runs only those whose anchor words occur in the text. This is exact: the
patterns skipped could not have matched, and the ones run are matched by spaCy as before.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterable, Mapping
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.matcher import Matcher
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

TokenPattern = list[dict[str, Any]]
# (token attribute, the words or shapes it accepts): ("LOWER", ("ankle", "calf")).
Anchor = tuple[str, tuple[str, ...]]
Match = tuple[int, int, int]

# The attributes an anchor can test; TEXT is read through LOWER (a token whose text is
# "Foot" has the lower form "foot"), which can only let more texts through.
ANCHOR_ATTRS = {"LOWER": "LOWER", "TEXT": "LOWER", "SHAPE": "SHAPE"}
ENGLISH_COUNTS = "frequency_dictionary_en_82_765.txt"
# Words missing from the dictionary: slang and typos are rare; punctuation, numbers and
# clitics ("/", "'s", "n't") are everywhere.
RARE_UNKNOWN = 100_000
COMMON_UNKNOWN = 10**10
_REPEAT = re.compile(r"\{(\d*)(?:,(\d*))?\}")
# A bounded repeat with at least this many more optional tokens is unfolded (below).
UNFOLD_FROM = 8


def pattern_key(pattern: TokenPattern) -> str:
    """A stable text key for a pattern (the anchors of a lexicon are stored under it)."""
    return json.dumps(pattern, sort_keys=True)


def required_anchors(pattern: TokenPattern) -> list[Anchor]:
    """The word sets of the tokens a pattern cannot match without."""
    anchors: list[Anchor] = []
    for token in pattern:
        if not _required(token.get("OP")):
            continue
        for key, attr in ANCHOR_ATTRS.items():
            words = _accepted(token.get(key), lower=key == "TEXT")
            if words:
                anchors.append((attr, words))
    return anchors


def _required(op: str | None) -> bool:
    """Must a token with this OP match at least once?"""
    if op is None or op in ("+", "1"):
        return True
    if op in ("?", "*", "!"):
        return False
    repeat = _REPEAT.fullmatch(op)
    return repeat is not None and int(repeat.group(1) or 0) >= 1


def _accepted(value: Any, lower: bool) -> tuple[str, ...] | None:
    if isinstance(value, str):
        words = [value]
    elif isinstance(value, dict) and "IN" in value:
        words = list(value["IN"])
    else:
        return None
    return tuple(sorted({w.lower() if lower else w for w in words}))


def choose_anchors(patterns: Iterable[TokenPattern]) -> dict[str, Anchor | None]:
    """The rarest required word set of each pattern, by its key (None: no anchor)."""
    count = english_counts()
    chosen: dict[str, Anchor | None] = {}
    for pattern in patterns:
        anchors = required_anchors(pattern)
        chosen[pattern_key(pattern)] = (
            min(anchors, key=lambda a: _frequency(a, count)) if anchors else None
        )
    return chosen


def _frequency(anchor: Anchor, count: Callable[[str], int]) -> int:
    attr, words = anchor
    if attr == "SHAPE":
        return COMMON_UNKNOWN  # a shape ("dd.d") is a class of tokens, not one word
    return sum(count(w) for w in words)


@functools.cache
def english_counts() -> Callable[[str], int]:
    """How often a word occurs in English (symspellpy's dictionary); read once, at load."""
    text = resources.files("symspellpy").joinpath(ENGLISH_COUNTS).read_text("utf-8")
    counts = {}
    for line in text.splitlines():
        word, _, number = line.partition(" ")
        if number:
            counts[word] = int(number)

    def count(word: str) -> int:
        known = counts.get(word)
        if known is not None:
            return known
        return RARE_UNKNOWN if word.isalpha() else COMMON_UNKNOWN

    return count


def unfold_long_gaps(pattern: TokenPattern) -> list[TokenPattern]:
    """The same matches as `pattern`, with each long bounded repeat as fixed-length runs.

    spaCy expands "{0,16}" into 16 optional tokens and keeps every way of filling them
    alive: after a common word such as "pain" that is up to C(16, 8) = 12,870 partial
    matches at once (one text took 1.6 ms on one pattern). One pattern per gap length
    (0, 1, ..., 16 tokens) has a single way to match each: 17 patterns, no explosion.
    Short repeats (fewer than UNFOLD_FROM choices) stay as they are.
    """
    for i, token in enumerate(pattern):
        bounds = _repeat_bounds(token.get("OP"))
        if bounds is None or bounds[1] - bounds[0] < UNFOLD_FROM:
            continue
        plain = {k: v for k, v in token.items() if k != "OP"}
        before, after = pattern[:i], unfold_long_gaps(pattern[i + 1 :])
        return [
            [*before, *([plain] * count), *rest]
            for count in range(bounds[0], bounds[1] + 1)
            for rest in after
        ]
    return [pattern]


def _repeat_bounds(op: str | None) -> tuple[int, int] | None:
    """(min, max) of a bounded repeat "{n,m}" or "{,m}"; None for any other OP."""
    repeat = _REPEAT.fullmatch(op or "")
    if repeat is None or not repeat.group(2):
        return None
    return int(repeat.group(1) or 0), int(repeat.group(2))


class AnchoredMatcher:
    """Stands in for the spaCy Matcher inside a medspaCy matcher (same `add` and call).

    Patterns with the same anchor share one spaCy Matcher; a text runs the Matchers whose
    anchor words it holds, and those of patterns without an anchor. Matches come back
    without repeats, ordered by start, end and the order their keys were added: medspaCy
    keeps the first of two equally long modifiers over the same words, and one spaCy
    Matcher finds those in the order their patterns were added too.
    """

    def __init__(self, vocab: Vocab, anchors: Mapping[str, Anchor | None]) -> None:
        self.vocab = vocab
        self.anchors = anchors
        self._matchers: dict[Anchor | None, Matcher] = {}
        self._order: dict[int, int] = {}  # key hash -> when it was first added
        # (attribute, word hash) -> the Matchers anchored on that word.
        self._index: dict[str, dict[int, list[Matcher]]] = {}

    def add(
        self, key: str, patterns: list[TokenPattern], on_match: Callable[..., Any] | None = None
    ) -> None:
        """Add patterns under one key, as spaCy's `Matcher.add` does."""
        self._order.setdefault(self.vocab.strings.add(key), len(self._order))
        for pattern in patterns:
            anchor = self._anchor(pattern)
            self._matcher_for(anchor).add(key, unfold_long_gaps(pattern), on_match=on_match)

    def _anchor(self, pattern: TokenPattern) -> Anchor | None:
        key = pattern_key(pattern)
        if key in self.anchors:
            return self.anchors[key]
        # A pattern the lexicon did not see (not ours): any required word set will do.
        anchors = required_anchors(pattern)
        return min(anchors, key=lambda a: len(a[1])) if anchors else None

    def _matcher_for(self, anchor: Anchor | None) -> Matcher:
        matcher = self._matchers.get(anchor)
        if matcher is None:
            from spacy.matcher import Matcher

            # tests/nlp validate every expanded pattern; spaCy need not do it at start-up.
            matcher = self._matchers[anchor] = Matcher(self.vocab, validate=False)
            if anchor is not None:
                attr, words = anchor
                index = self._index.setdefault(attr, {})
                for word in words:
                    index.setdefault(self.vocab.strings.add(word), []).append(matcher)
        return matcher

    def __len__(self) -> int:
        return sum(len(m) for m in self._matchers.values())

    def __call__(self, doc: Doc) -> list[Match]:
        found: set[Match] = set()
        for matcher in self._active(doc):
            found.update(matcher(doc))
        order = self._order
        return sorted(found, key=lambda m: (m[1], m[2], order[m[0]]))

    def _active(self, doc: Doc) -> list[Matcher]:
        """The Matchers that can match in this text, each once."""
        active: dict[int, Matcher] = {}
        always = self._matchers.get(None)
        if always is not None:
            active[id(always)] = always
        for attr, index in self._index.items():
            values = {t.lower for t in doc} if attr == "LOWER" else {t.shape for t in doc}
            for value in values:
                for matcher in index.get(value, ()):
                    active[id(matcher)] = matcher
        return list(active.values())
