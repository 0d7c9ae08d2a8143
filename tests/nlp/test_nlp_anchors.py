"""Our matchers find exactly what spaCy's own Matcher and PhraseMatcher find, only faster."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from backwalk.nlp.accuracy import load_cases
from backwalk.nlp.anchors import (
    AnchoredMatcher,
    TokenPattern,
    choose_anchors,
    requirements,
    unfold_long_gaps,
)
from backwalk.nlp.literals import LiteralMatcher
from backwalk.nlp.pipeline import PHRASE_MATCHER, SPACY_MATCHER, get_pipeline

pytestmark = pytest.mark.nlp

CASES_FILE = Path(__file__).with_name("cases_own.jsonl")
GAP: dict[str, Any] = {"LOWER": {"NOT_IN": [".", "but"]}, "OP": "{0,13}"}
PAIN_TO_FOOT: TokenPattern = [{"LOWER": "pain"}, GAP, {"LOWER": {"IN": ["foot", "ankle"]}}]


Matches = Callable[[Any], set[tuple[int, int, int]]]


def _both_matchers(patterns: list[TokenPattern], vocab: Any) -> tuple[Matches, Matches]:
    """spaCy's Matcher and ours, with the same patterns under the same keys."""
    from spacy.matcher import Matcher

    plain = Matcher(vocab, validate=False)
    anchored = AnchoredMatcher(vocab, choose_anchors(patterns))
    for i, pattern in enumerate(patterns):
        plain.add(f"P{i}", [pattern])
        anchored.add(f"P{i}", [pattern])
    return (lambda doc: set(plain(doc))), (lambda doc: set(anchored(doc)))


def test_required_tokens_are_the_anchor_candidates() -> None:
    pattern: TokenPattern = [
        {"LOWER": "sharp", "OP": "?"},
        {"LOWER": {"IN": ["pain", "ache"]}},
        {"LOWER": "very", "OP": "*"},
        {"LOWER": "in", "OP": "{1,2}"},
        {"LOWER": "my", "OP": "{0,2}"},
        {"TEXT": "Foot"},
        {"LIKE_NUM": True},
    ]
    assert requirements(pattern) == [
        ("LOWER", ("ache", "pain")),
        ("LOWER", ("in",)),
        ("LOWER", ("foot",)),
    ]


def test_the_two_rarest_required_word_sets_are_the_anchor() -> None:
    pattern: TokenPattern = [
        {"LOWER": "the"},
        {"LOWER": "pain"},
        {"LOWER": "in"},
        {"LOWER": "calf"},
    ]
    anchors = choose_anchors([pattern])
    assert list(anchors.values()) == [(("LOWER", ("calf",)), ("LOWER", ("pain",)))]
    # Rarest first: the matcher looks a text's words up in the first.


def test_a_long_gap_unfolds_into_one_pattern_per_length() -> None:
    unfolded = unfold_long_gaps(PAIN_TO_FOOT)
    assert [len(p) for p in unfolded] == list(range(2, 16))
    assert all("OP" not in token for p in unfolded for token in p)


def test_unfolding_and_anchoring_keep_every_match() -> None:
    import spacy

    nlp = spacy.blank("en")
    patterns: list[TokenPattern] = [
        PAIN_TO_FOOT,
        [{"LOWER": "pain"}, {"LOWER": "in", "OP": "?"}, {"LOWER": "foot"}],
        [{"SHAPE": {"IN": ["dd.d"]}}],
        [{"LOWER": "numb"}, {"LOWER": {"IN": ["toes", "foot"]}, "OP": "+"}],
    ]
    texts = [
        "pain pain in my foot foot and ankle",
        "pain runs all the way down, through the leg and into the foot",
        "pain a b c d e f g h i j k l m n foot",
        "pain a b c d e f g h i j k l m foot",
        "pain. foot",
        "38.5 and numb toes foot",
        "nothing here at all",
    ]
    plain, anchored = _both_matchers(patterns, nlp.vocab)
    for text in texts:
        doc = nlp.make_doc(text)
        assert anchored(doc) == plain(doc), text


def test_the_lexicon_patterns_match_as_with_spacy_alone() -> None:
    """Every target, suppressor and modifier pattern, over a quarter of our own cases."""
    pipeline = get_pipeline()
    lexicon = pipeline.lexicon
    patterns = [s.pattern for s in lexicon.targets if s.pattern]
    patterns += [s.pattern for s in lexicon.suppressors if s.pattern]
    patterns += [s.pattern for s in lexicon.context if s.pattern]
    plain, anchored = _both_matchers(patterns, pipeline.nlp.vocab)
    for case in load_cases(CASES_FILE)[::4]:
        doc = pipeline.nlp.make_doc(pipeline.normaliser(case["text"]).text)
        assert anchored(doc) == plain(doc), case["text"]


def test_the_lexicon_literals_match_as_with_spacy_alone() -> None:
    """Every literal phrase, tokenized by the lexicon loader, over a quarter of our cases."""
    from spacy.matcher import PhraseMatcher

    pipeline = get_pipeline()
    nlp = pipeline.nlp
    phrases = sorted(pipeline.lexicon.literal_tokens.items())
    plain = PhraseMatcher(nlp.vocab, attr="LOWER")
    ours = LiteralMatcher(nlp.vocab)
    for i, (text, tokens) in enumerate(phrases):
        plain.add(f"L{i}", [nlp.make_doc(text)])
        ours.add(f"L{i}", [tokens])
    for case in load_cases(CASES_FILE)[::4]:
        doc = nlp.make_doc(pipeline.normaliser(case["text"]).text)
        assert sorted(ours(doc)) == sorted(plain(doc)), case["text"]


def test_overlapping_and_repeated_phrases_all_match() -> None:
    import spacy

    nlp = spacy.blank("en")
    matcher = LiteralMatcher(nlp.vocab)
    matcher.add("A", [("numb",), ("numb", "bum")])
    matcher.add("B", [nlp.make_doc("Can't feel")])
    doc = nlp.make_doc("numb bum, can't feel, numb")
    a, b = nlp.vocab.strings["A"], nlp.vocab.strings["B"]
    assert sorted(matcher(doc)) == sorted([(a, 0, 1), (a, 0, 2), (a, 7, 8), (b, 3, 6)])


def test_both_medspacy_components_use_our_matchers() -> None:
    """medspaCy's private names must still be where pipeline.py reaches for them."""
    nlp = get_pipeline().nlp
    owners = {"medspacy_target_matcher": "_TargetMatcher__matcher"}
    owners["medspacy_context"] = "_ConText__matcher"
    for pipe, owner in owners.items():
        medspacy_matcher = getattr(nlp.get_pipe(pipe), owner)
        assert isinstance(getattr(medspacy_matcher, SPACY_MATCHER), AnchoredMatcher), pipe
        assert isinstance(getattr(medspacy_matcher, PHRASE_MATCHER), LiteralMatcher), pipe
