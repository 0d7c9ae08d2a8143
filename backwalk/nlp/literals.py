"""Matches the literal phrases of the lexicon without tokenizing them at every start-up.

medspaCy gives each literal rule to spaCy's PhraseMatcher as a Doc, tokenizing its text
first. For our 2,700 phrases that took about 0.2 s of a fresh process (most of it making
spaCy lexemes for words no text may ever use), more than a fifth of the time to the first
text. The lexicon loader tokenizes every literal once with the same spaCy tokenizer and
the lexicon cache keeps the result (`Lexicon.literal_tokens`), so the pipeline gives
medspaCy `PretokenizedLiterals` in place of its tokenizer and a `LiteralMatcher` in place
of its PhraseMatcher: a phrase matches where the text's lower-case tokens are the
phrase's, exactly what a PhraseMatcher on LOWER finds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.tokenizer import Tokenizer
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

Phrase = tuple[str, ...]  # lower-case tokens
Match = tuple[int, int, int]


class PretokenizedLiterals:
    """Stands in for the tokenizer medspaCy turns literal rules into Docs with.

    Gives a literal's lower-case tokens from the lexicon; one it has not seen (not ours)
    is tokenized by spaCy's tokenizer as before.
    """

    def __init__(self, tokens: Mapping[str, Phrase], tokenizer: Tokenizer) -> None:
        self.tokens = tokens
        self.tokenizer = tokenizer

    def __call__(self, text: str) -> Phrase:
        known = self.tokens.get(text)
        if known is not None:
            return known
        return tuple(t.lower_ for t in self.tokenizer(text))


class LiteralMatcher:
    """Stands in for spaCy's PhraseMatcher on LOWER inside a medspaCy matcher.

    Takes the phrases as lower-case token tuples (from `PretokenizedLiterals`) or Docs,
    and returns every (key, start, end) where a phrase's tokens occur, as the
    PhraseMatcher does (overlapping matches included).
    """

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab
        self._keys: dict[Phrase, list[int]] = {}
        # The lengths of the phrases starting with each word, longest first.
        self._lengths: dict[str, list[int]] = {}

    def add(
        self,
        key: str,
        phrases: Iterable[Phrase | Doc],
        on_match: Callable[..., Any] | None = None,
    ) -> None:
        """Add phrases under one key, as `PhraseMatcher.add` does (no callbacks)."""
        if on_match is not None:
            raise ValueError("LiteralMatcher does not run on_match callbacks")
        key_hash = self.vocab.strings.add(key)
        for phrase in phrases:
            words = phrase if isinstance(phrase, tuple) else tuple(t.lower_ for t in phrase)
            if not words:
                continue
            self._keys.setdefault(words, []).append(key_hash)
            lengths = self._lengths.setdefault(words[0], [])
            if len(words) not in lengths:
                lengths.append(len(words))
                lengths.sort(reverse=True)

    def __len__(self) -> int:
        return len({key for keys in self._keys.values() for key in keys})

    def __call__(self, doc: Doc) -> list[Match]:
        words = [t.lower_ for t in doc]
        matches: list[Match] = []
        for start, word in enumerate(words):
            for length in self._lengths.get(word, ()):
                end = start + length
                keys = self._keys.get(tuple(words[start:end])) if end <= len(words) else None
                if keys:
                    matches.extend((key, start, end) for key in keys)
        return matches
