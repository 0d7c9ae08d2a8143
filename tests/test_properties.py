"""Safety invariants, checked over generated input (hypothesis).

- any red flag gives seek_care_now;
- turning any yes/no answer from false to true never lowers urgency;
- a higher pain score never lowers urgency, at assessment and at check-in;
- random valid input never raises; random invalid input always gives the contract's error;
- (contract v2) urgency never drops when an answer turns from false to true; an emergency sign
  always gives emergency; on input with only version-1 keys every version-1 field is as before.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from backwalk import InputError, assess, checkin
from backwalk.errors import shown
from backwalk.rules import default_rulebook

RB = default_rulebook()
BOOLS = [q.id for q in RB.questions if q.type == "bool"]
RED_FLAGS = [f.id for f in RB.red_flags]
DISPOSITION_RANK = {"walk_gently": 0, "rest_first": 1, "seek_care_now": 2}
URGENCY_RANK = {None: 0, **{u.id: len(RB.urgencies) - i for i, u in enumerate(RB.urgencies)}}
ACTION_RANK = {"continue": 0, "stop": 1, "stop_seek_care": 2}

pain = st.integers(min_value=0, max_value=10)
onset = st.one_of(st.integers(0, 10_000), st.floats(0, 10_000, allow_nan=False))
bool_answers = st.dictionaries(st.sampled_from(BOOLS), st.booleans())


EMERGENCY_SIGNS = [f.id for f in RB.red_flags if f.urgency == "emergency"]
V1_RED_FLAGS = RED_FLAGS[:8]  # the contract's version-1 red flags, in its order
V1_REST_SIGNS = ["sharp_pain", "unrelenting_pain", "hard_to_stand"]
age = st.integers(min_value=0, max_value=120)


@st.composite
def valid_answers(draw: Any) -> dict[str, Any]:
    answers: dict[str, Any] = draw(bool_answers)
    answers["pain_score"] = draw(pain)
    if draw(st.booleans()):
        answers["onset_hours"] = draw(onset)
    if draw(st.booleans()):
        answers["age"] = draw(age)
    return answers


@st.composite
def v1_answers(draw: Any) -> dict[str, Any]:
    keys = st.sampled_from(V1_RED_FLAGS + V1_REST_SIGNS)
    answers: dict[str, Any] = draw(st.dictionaries(keys, st.booleans()))
    answers["pain_score"] = draw(pain)
    if draw(st.booleans()):
        answers["onset_hours"] = draw(onset)
    return answers


def v1_expected(answers: dict[str, Any]) -> dict[str, Any]:
    """Contract version 1's rules, written out independently of the rulebook."""
    flags = [f for f in V1_RED_FLAGS if answers.get(f) is True]
    early = answers.get("onset_hours") is not None and answers["onset_hours"] <= 48
    if flags:
        return {
            "disposition": "seek_care_now",
            "red_flags": flags,
            "supportive": [],
            "walk_plan": None,
        }
    if any(answers.get(k) is True for k in V1_REST_SIGNS) or answers["pain_score"] >= 7:
        rest = ["rest_knees_bent", "fetal_position"]
        return {
            "disposition": "rest_first",
            "red_flags": [],
            "walk_plan": None,
            "supportive": ["ice_after_onset", *rest] if early else rest,
        }
    walk = ["heat_before_walk", "knee_to_chest", "pelvic_tilt"]
    return {
        "disposition": "walk_gently",
        "red_flags": [],
        "supportive": ["ice_after_onset", *walk] if early else walk,
        "walk_plan": {
            "minutes": 5,
            "tips": [t.id for t in RB.tips],
            "stop_if": ["pain_increases", "sharp_or_shooting"],
        },
    }


@given(v1_answers())
def test_version_1_input_gives_the_version_1_fields_as_before(answers: dict[str, Any]) -> None:
    result = assess(answers)
    for key, value in v1_expected(answers).items():
        assert result[key] == value, key


@given(valid_answers(), st.sampled_from(BOOLS))
def test_urgency_never_drops_when_an_answer_turns_true(answers: dict[str, Any], field: str) -> None:
    before = assess({**answers, field: False})
    after = assess({**answers, field: True})
    assert URGENCY_RANK[after["urgency"]] >= URGENCY_RANK[before["urgency"]]


@given(valid_answers(), st.sampled_from(EMERGENCY_SIGNS))
def test_an_emergency_sign_always_gives_emergency(answers: dict[str, Any], sign: str) -> None:
    result = assess({**answers, sign: True})
    assert result["urgency"] == "emergency"
    assert result["headline"] == RB.urgency_headline("emergency")


@given(pain, pain, st.sampled_from(EMERGENCY_SIGNS))
def test_an_emergency_sign_mid_walk_is_an_emergency(baseline: int, now: int, sign: str) -> None:
    result = checkin({"baseline_pain": baseline, "current_pain": now, sign: True})
    assert (result["action"], result["urgency"]) == ("stop_seek_care", "emergency")


@given(valid_answers())
def test_every_result_but_an_emergency_carries_the_safety_net(answers: dict[str, Any]) -> None:
    result = assess(answers)
    has_net = any(r["rule"] == "safety_net" for r in result["reasons"])
    assert has_net == (result["urgency"] != "emergency")


def severity(result: dict[str, Any]) -> tuple[int, int]:
    return DISPOSITION_RANK[result["disposition"]], URGENCY_RANK[result["urgency"]]


@given(valid_answers(), st.sampled_from(RED_FLAGS))
def test_any_red_flag_means_seek_care(answers: dict[str, Any], flag: str) -> None:
    result = assess({**answers, flag: True})
    assert result["disposition"] == "seek_care_now"
    assert flag in result["red_flags"]
    assert result["walk_plan"] is None and result["supportive"] == []
    assert result["urgency"] is not None


@given(valid_answers(), st.sampled_from(BOOLS))
def test_yes_never_lowers_urgency(answers: dict[str, Any], field: str) -> None:
    before = assess({**answers, field: False})
    after = assess({**answers, field: True})
    assert severity(after) >= severity(before)


@given(valid_answers(), pain, pain)
def test_more_pain_never_more_permissive(answers: dict[str, Any], a: int, b: int) -> None:
    low, high = sorted((a, b))
    assert severity(assess({**answers, "pain_score": high})) >= severity(
        assess({**answers, "pain_score": low})
    )


@given(valid_answers())
def test_valid_input_never_raises_and_explains_itself(answers: dict[str, Any]) -> None:
    result = assess(answers)
    assert result["reasons"], "every decision explains itself"
    assert all(r["text"] and r["source"] for r in result["reasons"])


@given(pain, pain, pain, st.booleans(), st.dictionaries(st.sampled_from(RED_FLAGS), st.booleans()))
def test_checkin_more_pain_never_more_permissive(
    baseline: int, a: int, b: int, sharp: bool, flags: dict[str, bool]
) -> None:
    low, high = sorted((a, b))
    base = {"baseline_pain": baseline, "sharp_or_shooting": sharp, **flags}
    lo = checkin({**base, "current_pain": low})["action"]
    hi = checkin({**base, "current_pain": high})["action"]
    assert ACTION_RANK[hi] >= ACTION_RANK[lo]
    if any(flags.values()):
        assert lo == hi == "stop_seek_care"


WRONG_TYPES = st.one_of(
    st.text(max_size=5),
    st.lists(st.integers(), max_size=2),
    st.none(),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=1),
)


@st.composite
def invalid_answers(draw: Any) -> tuple[dict[str, Any], str]:
    """A valid answer set with exactly one thing wrong, and the field the error must name."""
    answers = draw(valid_answers())
    kind = draw(st.sampled_from(["unknown", "bool_type", "pain_range", "pain_type", "onset"]))
    if kind == "unknown":
        key = draw(
            st.text(min_size=1, max_size=20).filter(
                lambda k: k not in RB.question_by_id and k != "text"
            )
        )
        answers[key] = True
        return answers, key
    if kind == "bool_type":
        key = draw(st.sampled_from(BOOLS))
        answers[key] = draw(st.one_of(WRONG_TYPES, st.integers(0, 1)))
        return answers, key
    if kind == "pain_range":
        answers["pain_score"] = draw(
            st.one_of(st.integers(max_value=-1), st.integers(min_value=11))
        )
        return answers, "pain_score"
    if kind == "pain_type":
        answers["pain_score"] = draw(
            st.one_of(
                WRONG_TYPES, st.booleans(), st.floats(0.1, 9.9).filter(lambda f: not f.is_integer())
            )
        )
        return answers, "pain_score"
    answers["onset_hours"] = draw(
        st.one_of(WRONG_TYPES, st.booleans(), st.floats(max_value=-0.001), st.just(float("nan")))
    )
    return answers, "onset_hours"


@settings(max_examples=300)
@given(invalid_answers())
def test_invalid_input_always_gives_the_contract_error(case: tuple[dict[str, Any], str]) -> None:
    answers, field = case
    try:
        assess(answers)
    except InputError as err:
        assert err.field == shown(field)  # named, and kept on one printable line
        assert shown(field) in str(err)
    else:
        raise AssertionError(f"no error for {answers!r}")


@given(st.one_of(st.lists(st.integers()), st.text(), st.integers(), st.none()))
def test_non_object_input_is_an_error(raw: Any) -> None:
    try:
        assess(raw)
    except InputError as err:
        assert err.field == "input"
    else:
        raise AssertionError("no error")


# ------------------------------------------------------------------------------------------
# Contract v3: merging text readings and the person's confirmations
# ------------------------------------------------------------------------------------------

confirmations = st.dictionaries(st.sampled_from(BOOLS), st.booleans())


@given(valid_answers(), confirmations)
def test_confirmed_never_removes_a_true_answer(
    answers: dict[str, Any], confirmed: dict[str, bool]
) -> None:
    result = assess({**answers, "confirmed": confirmed})
    for key, value in answers.items():
        if value is True:
            assert result["answers"][key] is True, key
    assert severity(result) >= severity(assess(answers))


@given(valid_answers(), confirmations)
def test_confirm_is_empty_without_text(answers: dict[str, Any], confirmed: dict[str, bool]) -> None:
    assert assess({**answers, "confirmed": confirmed})["confirm"] == []


def _reading(monkeypatch: Any, field: str, reading: str) -> None:
    """A stand-in reader that reads one field of any text with the given reading."""
    import sys
    import types

    from backwalk.nlp.result import Extraction, Reading

    fake = types.ModuleType("backwalk.nlp")
    fake.extract = lambda text: Extraction(readings={field: Reading(reading, text, 0, len(text))})  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "backwalk.nlp", fake)


@settings(max_examples=60)
@given(valid_answers(), st.sampled_from(BOOLS), st.sampled_from(["unsure", "denied"]))
def test_an_unsure_reading_never_lowers_and_a_denial_never_changes(
    answers: dict[str, Any], field: str, reading: str
) -> None:
    import pytest

    with pytest.MonkeyPatch.context() as monkeypatch:
        _reading(monkeypatch, field, reading)
        read = assess(answers, text="some words")
    plain = assess(answers)
    if reading == "denied":
        assert (read["disposition"], read["urgency"]) == (plain["disposition"], plain["urgency"])
        assert read["confirm"] == []
    else:
        assert severity(read) >= severity(plain)
        assert read["confirm"] == ([] if answers.get(field) is True else [field])
