"""The accuracy report's counting, with a stand-in reader (no pipeline needed)."""

from __future__ import annotations

from typing import Any

from backwalk.nlp.accuracy import differences, report, tally

CASES: list[dict[str, Any]] = [
    {"id": "a", "text": "one", "expect": {"fields": {"fever_or_chills": True, "pain_score": 3}}},
    {"id": "b", "text": "two", "expect": {"fields": {}, "ignore": ["onset_hours"]}},
]
ANSWERS: dict[str, dict[str, Any]] = {
    "one": {"fever_or_chills": True, "pain_score": 4},
    "two": {"onset_hours": 6.0},
}


def test_differences_name_each_wrong_field() -> None:
    assert differences(CASES[0], ANSWERS["one"]) == {"pain_score": (3, 4)}
    assert differences(CASES[1], ANSWERS["two"]) == {}


def test_tally_counts_a_wrong_number_as_both_errors() -> None:
    tallies = tally(CASES, ANSWERS.__getitem__)
    assert (tallies["fever_or_chills"].tp, tallies["fever_or_chills"].fp) == (1, 0)
    assert (tallies["pain_score"].fp, tallies["pain_score"].fn) == (1, 1)
    assert tallies["onset_hours"].fp == 0


def test_report_counts_fully_right_cases() -> None:
    assert "cases fully right: 1/2" in report(CASES, ANSWERS.__getitem__)
