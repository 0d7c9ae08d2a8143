"""The rulebook loads strictly: every mistake is caught at start-up with a useful message."""

from __future__ import annotations

import copy
import tomllib
from importlib import resources
from typing import Any

import pytest

from backwalk.errors import RulebookError
from backwalk.rules import default_rulebook, load_rulebook, parse_rulebook

CONTRACT_RED_FLAGS = [
    "leg_pain_below_knee",
    "new_numbness_or_weakness",
    "bladder_or_bowel_loss",
    "saddle_numbness",
    "fever_or_chills",
    "unexplained_weight_loss",
    "major_trauma",
    "history_of_cancer",
]
CONTRACT_SUPPORTIVE = [
    "ice_after_onset",
    "heat_before_walk",
    "knee_to_chest",
    "pelvic_tilt",
    "rest_knees_bent",
    "fetal_position",
]


def raw() -> dict[str, Any]:
    text = resources.files("backwalk.rulebook").joinpath("rulebook.toml").read_text("utf-8")
    return tomllib.loads(text)


def test_packaged_rulebook_matches_the_contract_ids() -> None:
    rb = default_rulebook()
    assert [f.id for f in rb.red_flags] == CONTRACT_RED_FLAGS
    assert [m.id for m in rb.supportive] == CONTRACT_SUPPORTIVE
    assert [t.id for t in rb.tips] == [
        "flat_even_surface",
        "neutral_posture",
        "gentle_abdominal_brace",
        "short_slow_steps",
        "supportive_shoes",
    ]
    assert [s.id for s in rb.stop_rules] == ["pain_increases", "sharp_or_shooting"]


def test_every_rule_cites_a_known_source() -> None:
    rb = default_rulebook()
    items = [*rb.questions, *rb.red_flags, *rb.rest_rules, *rb.tips, *rb.supportive, *rb.learn]
    assert all(item.source in rb.sources for item in items)


def _mutate(path: list[Any], value: Any) -> dict[str, Any]:
    data = copy.deepcopy(raw())
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return data


BROKEN = [
    (["red_flags", 0, "urgencyy"], "same_day", "unknown key 'urgencyy' (did you mean 'urgency'?)"),
    (
        ["red_flags", 0, "id"],
        "fever_or_chill",
        "unknown question 'fever_or_chill' (did you mean 'fever_or_chills'?)",
    ),
    (["red_flags", 0, "urgency"], "soonish", "unknown urgency 'soonish'"),
    (["questions", 0, "type"], "boolean", "unknown question type 'boolean' (did you mean 'bool'?)"),
    (
        ["questions", 0, "source"],
        "nice_ng60",
        "unknown source 'nice_ng60' (did you mean 'nice_ng59'?)",
    ),
    (["rest_rules", 0, "question"], "sharp", "unknown question 'sharp'"),
    (["supportive", 0, "for_dispositions"], ["walk_gentle"], "unknown disposition 'walk_gentle'"),
    (["progression", "start_minutes"], "five", "expected int, got str"),
    (["flavour"], "vanilla", "unknown top-level key 'flavour'"),
]


@pytest.mark.parametrize(("path", "value", "message"), BROKEN, ids=[m for *_, m in BROKEN])
def test_mistakes_fail_with_a_clear_message(path: list[Any], value: Any, message: str) -> None:
    with pytest.raises(
        RulebookError, match=message.replace("(", r"\(").replace(")", r"\)").replace("?", r"\?")
    ):
        parse_rulebook(_mutate(path, value))


def test_missing_required_key_is_named() -> None:
    data = raw()
    del data["red_flags"][0]["source"]
    with pytest.raises(RulebookError, match="red_flags\\[0\\]: missing required key 'source'"):
        parse_rulebook(data)


def test_bad_toml_file_names_the_file(tmp_path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text("version = [")
    with pytest.raises(RulebookError, match="rules.toml: not valid TOML"):
        load_rulebook(path)


def test_a_new_red_flag_and_tier_are_a_data_change_not_an_engine_change() -> None:
    """Growth promised by the issue: add a question and a red flag in the data, and the engine,
    the unanswered list and the urgency tiers pick them up with no code change."""
    from backwalk import assess

    data = raw()
    data["questions"].append(
        {
            "id": "night_pain",
            "label": "pain that wakes you at night",
            "type": "bool",
            "group": "red_flag",
            "prompt": "Does the pain wake you at night?",
            "help": "",
            "source": "nice_ng59",
        }
    )
    data["red_flags"].append(
        {
            "id": "night_pain",
            "urgency": "gp_soon",
            "why": "Night pain needs a doctor's look.",
            "tell_clinician": "My back pain wakes me at night.",
            "source": "nice_ng59",
        }
    )
    rb = parse_rulebook(data)
    result = assess({"pain_score": 2, "night_pain": True}, rulebook=rb)
    assert result["disposition"] == "seek_care_now"
    assert result["red_flags"] == ["night_pain"]
    assert result["urgency"] == "gp_soon"
    both = assess({"night_pain": True, "fever_or_chills": True}, rulebook=rb)
    assert both["urgency"] == "same_day"  # the most urgent tier wins
    assert "night_pain" in assess({"pain_score": 2}, rulebook=rb)["unanswered"]
