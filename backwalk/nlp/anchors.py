"""Runs each token pattern only on texts that hold a word the pattern cannot match without.

spaCy's Matcher starts every one of its patterns at every token of a text, and checks
each `IN` list through a Python call: with about 800 patterns, three quarters of the time
of a text went there, although a typical text can match about ten of them. Every pattern
has tokens it cannot match without (a token that is neither optional nor a gap); when the
text has none of the words such a token accepts, the pattern cannot match anywhere in it.

So each pattern gets an *anchor*: the word sets of two of its required tokens (one when
it has only one), those least frequent in English (symspellpy's frequency dictionary),
chosen once when the lexicon is loaded and cached with it. `AnchoredMatcher` keeps one
small spaCy Matcher per anchor and runs only those whose every anchor word set has a word
in the text. This is exact: the patterns skipped could not have matched, and the ones run
are matched by spaCy as before.
"""

from __future__ import annotations

import functools
import json
import re
import threading
from collections.abc import Callable, Iterable, Mapping
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.matcher import Matcher
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

TokenPattern = list[dict[str, Any]]
# What one required token accepts: (attribute, words or shapes), ("LOWER", ("ankle", "calf")).
Requirement = tuple[str, tuple[str, ...]]
# The requirements a text must all meet for a pattern to be run; () runs it on every text.
Anchor = tuple[Requirement, ...]
Match = tuple[int, int, int]
_Hashed = tuple[tuple[str, frozenset[int]], ...]  # requirements with their words hashed
# Two requirements cut the patterns run per text by about 3.5 times over one (a numbness
# word *and* a body part); a third would add little but checks.
ANCHOR_SIZE = 2

# The attributes an anchor can test; TEXT is read through LOWER (a token whose text is
# "Foot" has the lower form "foot"), which can only let more texts through.
ANCHOR_ATTRS = {"LOWER": "LOWER", "TEXT": "LOWER", "SHAPE": "SHAPE"}
ENGLISH_COUNTS = "frequency_dictionary_en_82_765.txt"
# Words missing from the dictionary: slang and typos are rare; punctuation, numbers and
# clitics ("/", "'s", "n't") are everywhere.
RARE_UNKNOWN = 100_000
COMMON_UNKNOWN = 10**10
_REPEAT = re.compile(r"\{(\d*)(?:,(\d*))?\}")
# A bounded repeat with at least this many optional tokens is unfolded (below). Shorter
# ones cost little ("{0,8}" after "pain": 25 microseconds a text) and, unfolded, would
# add hundreds of patterns to build at start-up.
UNFOLD_FROM = 12


def pattern_key(pattern: TokenPattern) -> str:
    """A stable text key for a pattern (the anchors of a lexicon are stored under it)."""
    return json.dumps(pattern, sort_keys=True)


def requirements(pattern: TokenPattern) -> list[Requirement]:
    """The word sets of the tokens a pattern cannot match without, each once."""
    found: list[Requirement] = []
    for token in pattern:
        if not _required(token.get("OP")):
            continue
        for key, attr in ANCHOR_ATTRS.items():
            words = _accepted(token.get(key), lower=key == "TEXT")
            if words and (attr, words) not in found:
                found.append((attr, words))
    return found


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


def choose_anchors(patterns: Iterable[TokenPattern]) -> dict[str, Anchor]:
    """The anchor of each pattern, by its key: its rarest requirements, rarest first (the
    matcher looks a text's words up in the first and checks the others)."""
    count = english_counts()
    chosen: dict[str, Anchor] = {}
    for pattern in patterns:
        rarest = sorted(requirements(pattern), key=lambda r: (_frequency(r, count), r))
        chosen[pattern_key(pattern)] = tuple(rarest[:ANCHOR_SIZE])
    return chosen


def _frequency(requirement: Requirement, count: Callable[[str], int]) -> int:
    attr, words = requirement
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
    Shorter repeats (fewer than UNFOLD_FROM optional tokens) stay as they are.
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


class _Group:
    """The patterns of one anchor, compiled into a spaCy Matcher when a text first needs them."""

    def __init__(self) -> None:
        self.rules: list[tuple[str, list[TokenPattern], Callable[..., Any] | None]] = []
        self.matcher: Matcher | None = None
        self.lock = threading.Lock()

    def __len__(self) -> int:
        return sum(len(patterns) for _, patterns, _ in self.rules)

    def compiled(self, vocab: Vocab) -> Matcher:
        """The group's Matcher, built on first use (once, whichever thread gets there)."""
        if self.matcher is None:
            from spacy.matcher import Matcher

            with self.lock:
                if self.matcher is None:
                    # tests/nlp validate every expanded pattern: spaCy need not do it again.
                    matcher = Matcher(vocab, validate=False)
                    for key, patterns, on_match in self.rules:
                        matcher.add(key, patterns, on_match=on_match)
                    self.matcher = matcher
        return self.matcher


class AnchoredMatcher:
    """Stands in for the spaCy Matcher inside a medspaCy matcher (same `add` and call).

    Patterns with the same anchor share one spaCy Matcher; a text runs the Matchers whose
    anchors it meets, and the one of patterns without an anchor. A Matcher is compiled
    the first time a text needs it, so a fresh process compiles the few its first text
    needs instead of all 800 patterns (about 0.12 s). Matches come back without repeats,
    ordered by start, end and the order their keys were added: medspaCy keeps the first
    of two equally long modifiers over the same words, and one spaCy Matcher finds those
    in the order their patterns were added too.
    """

    def __init__(self, vocab: Vocab, anchors: Mapping[str, Anchor]) -> None:
        self.vocab = vocab
        self.anchors = anchors
        self._groups: dict[Anchor, _Group] = {}
        self._order: dict[int, int] = {}  # key hash -> when it was first added
        # (attribute, word hash) of an anchor's first requirement -> (group, the hashed
        # word sets of its other requirements).
        self._index: dict[str, dict[int, list[tuple[_Group, _Hashed]]]] = {}
        self._attrs: set[str] = set()  # the attributes any anchor tests

    def add(
        self, key: str, patterns: list[TokenPattern], on_match: Callable[..., Any] | None = None
    ) -> None:
        """Add patterns under one key, as spaCy's `Matcher.add` does."""
        self._order.setdefault(self.vocab.strings.add(key), len(self._order))
        for pattern in patterns:
            group = self._group_for(self._anchor(pattern))
            group.rules.append((key, unfold_long_gaps(pattern), on_match))

    def _anchor(self, pattern: TokenPattern) -> Anchor:
        key = pattern_key(pattern)
        if key in self.anchors:
            return self.anchors[key]
        # A pattern the lexicon did not see (not ours): its first requirement will do.
        return tuple(requirements(pattern)[:1])

    def _group_for(self, anchor: Anchor) -> _Group:
        group = self._groups.get(anchor)
        if group is None:
            group = self._groups[anchor] = _Group()
            if anchor:
                (attr, words), *others = anchor
                self._attrs.update(a for a, _ in anchor)
                rest = tuple((a, frozenset(map(self.vocab.strings.add, w))) for a, w in others)
                index = self._index.setdefault(attr, {})
                for word in words:
                    index.setdefault(self.vocab.strings.add(word), []).append((group, rest))
        return group

    def __len__(self) -> int:
        return sum(len(group) for group in self._groups.values())

    def __call__(self, doc: Doc) -> list[Match]:
        found: set[Match] = set()
        for group in self._active(doc):
            found.update(group.compiled(self.vocab)(doc))
        order = self._order
        return sorted(found, key=lambda m: (m[1], m[2], order[m[0]]))

    def _active(self, doc: Doc) -> list[_Group]:
        """The groups that can match in this text, each once."""
        values = {attr: _values(doc, attr) for attr in self._attrs}
        active: dict[int, _Group] = {}
        always = self._groups.get(())
        if always is not None:
            active[id(always)] = always
        for attr, index in self._index.items():
            for value in values[attr]:
                for group, rest in index.get(value, ()):
                    if id(group) not in active and all(
                        not values[a].isdisjoint(words) for a, words in rest
                    ):
                        active[id(group)] = group
        return list(active.values())


def _values(doc: Doc, attr: str) -> set[int]:
    """The hashes of one attribute over a text's tokens."""
    if attr == "LOWER":
        return {t.lower for t in doc}
    return {t.shape for t in doc}
