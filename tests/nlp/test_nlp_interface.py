"""The public interface: answers, evidence and spans, laziness and thread safety."""

from __future__ import annotations

import dataclasses
from concurrent.futures import ThreadPoolExecutor

import pytest

from backwalk.nlp import Extraction, extract, warm_up
from backwalk.nlp.fields import ALL_FIELDS

SAMPLE = "the pain shoots down to my foot and I wet myself this morning"


@pytest.mark.nlp
def test_brief_example() -> None:
    ex = extract(SAMPLE)
    assert ex.answers["bladder_or_bowel_loss"] is True
    assert ex.answers["leg_pain_below_knee"] is True
    assert ex.evidence["bladder_or_bowel_loss"] == "wet myself"
    assert "foot" in ex.evidence["leg_pain_below_knee"]


@pytest.mark.nlp
@pytest.mark.parametrize(
    "text",
    [
        SAMPLE,
        "Pain 7/10 since yesterday, can't feel my toes, fever of 38.5",
        "my bak is killin me n i cant stand up",
        "I’ve had   breast cancer\nand my foot is numb",
    ],
)
def test_evidence_and_spans_point_into_the_original_text(text: str) -> None:
    ex = extract(text)
    assert set(ex.answers) <= set(ALL_FIELDS)
    assert set(ex.evidence) == set(ex.answers)
    assert ex.spans == sorted(ex.spans)
    for start, end, name in ex.spans:
        assert name in ex.answers
        assert 0 <= start < end <= len(text)
    for name, phrase in ex.evidence.items():
        assert phrase in text
        assert any(text[s:e] == phrase for s, e, n in ex.spans if n == name)


@pytest.mark.nlp
def test_only_true_booleans_and_valid_numbers() -> None:
    ex = extract("No fever, no numbness, pain about a 6 since 3 days ago")
    assert all(
        value is True
        for key, value in ex.answers.items()
        if key not in ("pain_score", "onset_hours")
    )
    assert ex.answers["pain_score"] == 6 and isinstance(ex.answers["pain_score"], int)
    assert ex.answers["onset_hours"] == 72.0


@pytest.mark.nlp
def test_extraction_is_frozen() -> None:
    ex = extract("pain 3/10")
    assert isinstance(ex, Extraction)
    with pytest.raises(dataclasses.FrozenInstanceError):
        ex.answers = {}  # type: ignore[misc]


def test_empty_text_needs_no_pipeline() -> None:
    assert extract("   ") == Extraction()


def test_non_text_is_rejected() -> None:
    with pytest.raises(TypeError):
        extract(None)  # type: ignore[arg-type]


@pytest.mark.nlp
def test_threads_get_the_same_answers() -> None:
    warm_up()
    texts = [SAMPLE, "no fever, pain 3/10", "my dad had cancer", "I fell off a ladder"] * 25
    expected = [extract(t) for t in texts]
    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(extract, texts)) == expected
