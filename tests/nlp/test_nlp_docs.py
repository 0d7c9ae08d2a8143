"""docs/nlp.md stays true to the lexicon: pain-word table and non-counting categories."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from backwalk.nlp.datafile import LEXICON_DIR
from backwalk.nlp.lexicon import load_lexicon

DOC = Path(__file__).parents[2] / "docs" / "nlp.md"
ROW = re.compile(r"^\| (\d+) \| (intensity|quality) \| (.+) \|$")


def _documented_pain_words() -> list[tuple[str, int, str]]:
    words = []
    for line in DOC.read_text(encoding="utf-8").splitlines():
        match = ROW.match(line)
        if match:
            for word in match.group(3).split(","):
                for variant in word.strip().split("/"):
                    words.append((variant.strip(), int(match.group(1)), match.group(2)))
    return words


@pytest.mark.nlp
def test_pain_word_table_matches_the_lexicon() -> None:
    import spacy

    nlp = spacy.blank("en")

    def tokenize(text: str) -> list[str]:
        return [t.text for t in nlp.tokenizer(text)]

    lexicon = load_lexicon(tokenize)
    documented = _documented_pain_words()
    assert len(documented) > 30
    for word, score, pain_class in documented:
        assert lexicon.pain_words.get(word) == (score, pain_class), word


def test_every_non_counting_category_is_documented() -> None:
    categories = json.loads((LEXICON_DIR / "context_rules.json").read_text())["categories"]
    text = DOC.read_text(encoding="utf-8")
    for name, entry in categories.items():
        if not entry["counts"]:
            assert f"`{name}`" in text, name
