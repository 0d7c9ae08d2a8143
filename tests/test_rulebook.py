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
    "both_legs",
    "chest_pain",
    "fainted_or_collapsed",
    "tearing_or_tummy_pain",
    "night_pain",
    "upper_back_pain",
    "back_lump_or_shape_change",
    "urinary_symptoms",
    "immunosuppressed_or_injects_drugs",
    "osteoporosis_or_steroids",
    "sexual_dysfunction",
    "known_aortic_aneurysm",
    "pregnancy_warning",
]
CONTRACT_EMERGENCY_SIGNS = {
    "bladder_or_bowel_loss",
    "saddle_numbness",
    "major_trauma",
    "both_legs",
    "chest_pain",
    "fainted_or_collapsed",
    "tearing_or_tummy_pain",
    "sexual_dysfunction",
    "known_aortic_aneurysm",
}
CONTRACT_SUPPORTIVE = [
    "ice_after_onset",
    "heat_before_walk",
    "knee_to_chest",
    "pelvic_tilt",
    "all_fours_back_arch",
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
    assert {f.id for f in rb.red_flags if f.urgency == "emergency"} == CONTRACT_EMERGENCY_SIGNS
    assert [r.id for r in rb.gp_soon_rules] == [
        "over_six_weeks",
        "first_episode_over_50",
        "under_16",
        "pregnant",
    ]
    assert {frozenset(k.all_of) for k in rb.combinations} == {
        frozenset({"fever_or_chills", "immunosuppressed_or_injects_drugs"}),
        frozenset({"fever_or_chills", "new_numbness_or_weakness"}),
        frozenset({"history_of_cancer", "new_numbness_or_weakness"}),
    }
    assert rb.contract_version == 3
    assert rb.aliases == {"numbness_both_legs": "both_legs"}


def test_every_red_flag_has_a_plain_why_and_a_line_for_the_clinician() -> None:
    rb = default_rulebook()
    for item in (*rb.red_flags, *rb.combinations):
        assert item.why.strip() and item.tell_clinician.strip(), item.id
        assert rb.sources[item.source].kind in ("article", "guideline"), item.id


def test_every_rule_cites_a_known_source() -> None:
    rb = default_rulebook()
    items = [
        *rb.questions,
        *rb.red_flags,
        *rb.combinations,
        *rb.gp_soon_rules,
        *rb.rest_rules,
        *rb.tips,
        *rb.supportive,
        *rb.learn,
        *rb.check_screens,
        rb.safety_net,
    ]
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
        "nice_ng235",
        "unknown source 'nice_ng235' (did you mean 'nice_ng234'?)",
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
            "id": "jaw_pain",
            "label": "pain in the jaw",
            "type": "bool",
            "group": "red_flag",
            "prompt": "Does your jaw hurt too?",
            "help": "",
            "source": "nice_cks_lbp",
        }
    )
    data["red_flags"].append(
        {
            "id": "jaw_pain",
            "urgency": "gp_soon",
            "why": "Jaw pain needs a doctor's look.",
            "tell_clinician": "My jaw hurts too.",
            "source": "nice_cks_lbp",
        }
    )
    rb = parse_rulebook(data)
    result = assess({"pain_score": 2, "jaw_pain": True}, rulebook=rb)
    assert result["disposition"] == "seek_care_now"
    assert result["red_flags"] == ["jaw_pain"]
    assert result["urgency"] == "gp_soon"
    both = assess({"jaw_pain": True, "night_pain": True}, rulebook=rb)
    assert both["urgency"] == "same_day"  # the most urgent tier wins
    assert "jaw_pain" in assess({"pain_score": 2}, rulebook=rb)["unanswered"]


def _source_ids(node: Any, where: str = "") -> list[tuple[str, str]]:
    """Every value of a key ending in 'source' anywhere in the raw rulebook, with its place."""
    found: list[tuple[str, str]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key.endswith("source") and isinstance(value, str):
                found.append((f"{where}.{key}", value))
            else:
                found += _source_ids(value, f"{where}.{key}")
    elif isinstance(node, list):
        for i, item in enumerate(node):
            found += _source_ids(item, f"{where}[{i}]")
    return found


def test_every_source_named_in_the_rulebook_is_in_the_sources_table() -> None:
    import tomllib
    from pathlib import Path

    import backwalk

    path = Path(backwalk.__file__).parent / "rulebook" / "rulebook.toml"
    raw = tomllib.loads(path.read_text("utf-8"))
    table = set(raw["sources"])
    named = _source_ids({k: v for k, v in raw.items() if k != "sources"})
    assert len(named) > 50
    assert [(where, sid) for where, sid in named if sid not in table] == []
    assert table - {sid for _, sid in named} == set(), "a source nobody cites"


ACTION_WORDS = ("call", "contact", "go to", "book", "get help", "get seen", "tell")
WHEN_WORDS = ("now", "today", "at once", "straight away", "few days", "next few days", "weeks")


def _safety_texts() -> list[tuple[str, str]]:
    rb = default_rulebook()
    texts = [(f"urgency {u.id}", u.action) for u in rb.urgencies]
    texts += [
        ("safety net", rb.safety_net.text),
        ("safety net (waiting)", rb.safety_net.while_waiting),
    ]
    texts += [(f"red flag {f.id}", f.action) for f in rb.red_flags if f.action]
    return texts


@pytest.mark.parametrize(("name", "text"), _safety_texts())
def test_every_safety_text_says_what_to_do_and_when(name: str, text: str) -> None:
    lower = text.lower()
    assert any(word in lower for word in ACTION_WORDS), f"{name}: no action in {text!r}"
    assert any(word in lower for word in WHEN_WORDS), f"{name}: no time in {text!r}"
