"""A measured normal temperature explains sweating (measured.py)."""

from __future__ import annotations

import pytest

from backwalk.nlp.measured import all_normal, explained_by_temperature, temperatures


@pytest.mark.parametrize(
    ("text", "normal"),
    [
        ("checked, 36.9", True),
        ("temperature's been 36.8 every time", True),
        ("temp 98.6F", True),
        ("thermometer said 38.4", False),
        ("36.7 this morning but 38.2 tonight, temperature going up", False),
        ("I'm 36 and my back hurts", False),  # an age, not a temperature: none at all
        ("lost 37 kg", False),
    ],
)
def test_all_normal_needs_a_temperature_and_every_one_normal(text: str, normal: bool) -> None:
    assert all_normal(text) is normal


def test_a_number_needs_a_temperature_word_nearby() -> None:
    assert temperatures("I'm 36 years old") == []


@pytest.mark.parametrize(
    ("words", "explained"),
    [
        ("sweating buckets", True),
        ("woke up drenched", True),
        ("shivering", False),
        ("fever", False),
    ],
)
def test_only_sweat_and_heat_are_explained(words: str, explained: bool) -> None:
    assert explained_by_temperature(words) is explained


@pytest.mark.nlp
def test_sweating_with_a_normal_temperature_is_not_a_fever() -> None:
    from backwalk.nlp import extract

    calm = extract("Sweating buckets with the heat pad on (checked, 36.9). Back 5/10")
    assert "fever_or_chills" not in calm.counted()
    raised = extract("Sweating buckets, thermometer says 38.9. Back 5/10")
    assert raised.counted().get("fever_or_chills") is True
    chills = extract("Shivering with chills, temp 36.8, back 3/10")
    assert chills.counted().get("fever_or_chills") is True
