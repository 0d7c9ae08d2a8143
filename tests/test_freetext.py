"""Free text through the whole decision (CONTRACT section 3): the shared cases end to end, and
the rule that text adds, never removes."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backwalk import assess
from backwalk.rules import default_rulebook
from tests.conftest import load_cases

pytestmark = pytest.mark.nlp

CASES = load_cases("freetext_dev.jsonl")
V2_CASES = load_cases("freetext_v2_dev.jsonl")
RED_FLAGS = [f.id for f in default_rulebook().red_flags]


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_freetext_case(case: dict[str, Any]) -> None:
    result = assess(case.get("answers", {}), text=case["text"])
    expect = case["expect"]
    assert result["disposition"] == expect["disposition"]
    assert result["red_flags"] == expect["red_flags"]
    if "pain_score" in expect:
        assert result["answers"]["pain_score"] == expect["pain_score"]


@pytest.mark.parametrize("case", V2_CASES, ids=[c["id"] for c in V2_CASES])
def test_freetext_v2_case(case: dict[str, Any]) -> None:
    result = assess({}, text=case["text"])
    expect = case["expect"]
    assert result["disposition"] == expect["disposition"]
    assert result["red_flags"] == expect["red_flags"]
    assert result["urgency"] == expect["urgency"]
    assert result["see_gp_soon"] == expect["see_gp_soon"]
    assert result["answers"].get("pain_score") == expect.get("pain_score")


def test_reasons_name_the_phrase_behind_each_answer_from_text() -> None:
    result = assess({"pain_score": 3}, text="I wet myself this morning")
    finding = next(f for f in result["text_findings"] if f["field"] == "bladder_or_bowel_loss")
    assert "wet myself" in finding["phrase"]
    assert any("'" in r["text"] and "wet myself" in r["text"] for r in result["reasons"])
    start, end = finding["start"], finding["end"]
    assert "I wet myself this morning"[start:end] == finding["phrase"]


def test_overlong_text_is_a_clear_error() -> None:
    from backwalk import InputError
    from backwalk.engine import MAX_TEXT_CHARS

    with pytest.raises(InputError, match="at most"):
        assess({"pain_score": 2}, text="a" * (MAX_TEXT_CHARS + 1))


def test_explicit_number_wins_over_text() -> None:
    result = assess({"pain_score": 2}, text="pain is 8/10")
    assert result["answers"]["pain_score"] == 2


NEGATING = [
    "No {x}.",
    "I don't have {x}.",
    "no {x} at all, none",
    "not {x}",
    "without {x}",
    "neither {x} nor anything else",
    "{x}? no.",
    "if I get {x} I'll call",
    "my dad had {x}",
    "I had {x} last year but it's gone",
    "",
]
WORDS = [
    "fever",
    "cancer",
    "numbness",
    "bladder problems",
    "leg pain",
    "weight loss",
    "a fall",
    "saddle numbness",
    "tingling",
    "incontinence",
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(RED_FLAGS),
    st.lists(st.tuples(st.sampled_from(NEGATING), st.sampled_from(WORDS)), max_size=4),
    st.text(max_size=40),
)
def test_text_never_removes_a_red_flag_the_answers_gave(
    flag: str, parts: list[tuple[str, str]], noise: str
) -> None:
    text = " ".join(template.format(x=word) for template, word in parts) + " " + noise
    result = assess({flag: True, "pain_score": 2}, text=text)
    assert flag in result["red_flags"]
    assert result["disposition"] == "seek_care_now"
    assert result["answers"][flag] is True


@pytest.mark.nlp
def test_the_clinician_hears_the_persons_own_words_behind_a_sign() -> None:
    from backwalk.engine import words_behind_flags

    text = "everything went dark and I woke up on the kitchen floor"
    assert words_behind_flags(assess({}, text=text)) == [text]
    assert words_behind_flags(assess({"pain_score": 3, "chest_pain": True})) == []
