"""What to tell the clinician: one builder for every face (backwalk.telling)."""

from __future__ import annotations

from backwalk.rules import default_rulebook
from backwalk.telling import what_to_tell

RB = default_rulebook()
FEVER, IMMUNE = "fever_or_chills", "immunosuppressed_or_injects_drugs"


def test_each_sign_then_its_combination_then_the_words() -> None:
    lines = what_to_tell(RB, [FEVER, IMMUNE], words=["hot and shivery"])
    combo = next(k for k in RB.combinations if set(k.all_of) == {FEVER, IMMUNE})
    assert lines == [
        RB.red_flag(FEVER).tell_clinician,
        RB.red_flag(IMMUNE).tell_clinician,
        combo.tell_clinician,
        RB.notes.tell_clinician_words.format(words="hot and shivery"),
    ]


def test_a_sign_not_sure_about_stays_not_sure_and_makes_no_combination() -> None:
    lines = what_to_tell(RB, [FEVER, IMMUNE], unsure=[IMMUNE])
    label = RB.question_by_id[IMMUNE].label
    assert lines == [
        RB.red_flag(FEVER).tell_clinician,
        RB.notes.tell_clinician_unsure.format(label=label),
    ]
