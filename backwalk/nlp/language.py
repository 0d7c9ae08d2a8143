"""Is a free text English? backwalk's reader (this package) reads English only, so words in another
language must not be read as if they were English: what they say is never guessed from, the
person is told so in their own language, and the checklists must have been answered instead.

A cheap test, offline and without the language model: a text is not English when at least two of
its words belong to another language (a list of common words, lexicon/language.json, and any word
with letters English does not use; a lone letter such as "ß" in noise is not a word) and they
outnumber its English words. It leans towards English
on purpose: English written by people whose first language is another one ("I have 45 years and
since yesterday I have a spasm") is full of English words and must be read as English.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

LEXICON = Path(__file__).resolve().parent / "lexicon" / "language.json"
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)?")
_NOT_ENGLISH_LETTERS = re.compile(r"[ñãõçáéíóúàèìòùâêîôûäöüß¿¡]")
MIN_OTHER_WORDS = 2


@cache
def _words() -> tuple[frozenset[str], frozenset[str]]:
    data = json.loads(LEXICON.read_text("utf-8"))
    english = frozenset(data["english"])
    return english, frozenset(data["other"]) - english


def looks_english(text: str) -> bool:
    """False when the text is plainly in another language; True otherwise (including texts too
    short to tell, and texts with no words at all, such as '6/10')."""
    english, other = _words()
    words = [w.replace("\u2019", "'") for w in _WORD.findall(text.lower())]
    english_count = sum(1 for w in words if w in english)
    other_count = sum(
        1
        for w in words
        if len(w) > 1 and w not in english and (w in other or _NOT_ENGLISH_LETTERS.search(w))
    )
    return not (other_count >= MIN_OTHER_WORDS and other_count > english_count)
