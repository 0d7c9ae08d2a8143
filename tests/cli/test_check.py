"""`backwalk check` driven by scripted answers, as a script or a test would pipe them."""

from __future__ import annotations

import importlib.util
import io

import pytest

from backwalk import checkflow, coach
from backwalk.cli.check import TEXT_QUESTION
from backwalk.rules import default_rulebook
from tests.cli.conftest import NO_RED_FLAGS, check_answers, lines, run_env

RB = default_rulebook()


def skip_without_language_module() -> None:
    try:
        from backwalk.nlp import extract  # type: ignore[attr-defined]  # noqa: F401
    except ImportError as err:
        pytest.skip(f"backwalk.nlp is not ready yet: {err}")


def prompt(question_id: str) -> str:
    return RB.question_by_id[question_id].prompt


def other_sign_ids() -> list[str]:
    """The second checklist's questions, in the order they are asked one by one."""
    return [q.id for q in checkflow.screens(RB)[1].questions]


def one_line(text: str) -> str:
    """Undo the plain renderer's wrapping so phrases can be searched for."""
    return " ".join(text.split())


def test_bladder_yes_stops_the_questions_and_says_call_emergency_services(run_cli, diary):
    result = run_cli("check", "--no-text", stdin=lines("y", "y"))
    assert result.code == 4
    out = one_line(result.stdout)
    assert prompt("saddle_numbness") not in out  # the questions stopped at the first yes
    assert prompt("pain_score") not in out
    assert RB.urgency("emergency").label in out
    assert one_line(RB.urgency("emergency").action) in out
    assert RB.red_flag("bladder_or_bowel_loss").tell_clinician in out
    [check] = diary.checks()
    assert check.disposition == "seek_care_now"
    assert check.urgency == "emergency"
    assert check.answers == {"bladder_or_bowel_loss": True}


def test_fever_is_a_same_day_appointment(run_cli, diary):
    fever_at = other_sign_ids().index("fever_or_chills")
    # After the fever, only the sign that would make it an emergency with it is still asked.
    result = run_cli("check", "--no-text", stdin=lines("n", "y", *["n"] * fever_at, "y", "n"))
    assert result.code == 4, result.stderr
    out = one_line(result.stdout)
    assert prompt("immunosuppressed_or_injects_drugs") in out
    assert RB.urgency("same_day").label in out
    assert RB.urgency("emergency").label not in out
    assert prompt("unexplained_weight_loss") not in out
    assert RB.red_flag("fever_or_chills").tell_clinician in out
    assert diary.latest_check().urgency == "same_day"


def test_not_sure_on_a_red_flag_counts_as_yes_and_says_why(run_cli, diary):
    result = run_cli("check", "--no-text", stdin=lines("?", "n", "?"))
    assert result.code == 4
    out = one_line(result.stdout)
    label = RB.question_by_id["saddle_numbness"].label
    assert "'Not sure' counted as yes" in out
    assert f"You were not sure about: {label}" in out
    assert f"You weren't sure about {label}, so backwalk treats it as a warning sign" in out
    assert f"You reported {label}" not in out
    assert RB.notes.tell_clinician_unsure.format(label=label) in out
    assert RB.red_flag("saddle_numbness").tell_clinician not in out
    assert diary.latest_check().answers == {"bladder_or_bowel_loss": False, "saddle_numbness": True}


def test_both_legs_is_an_emergency_on_the_first_screen(run_cli, diary):
    result = run_cli("check", "--no-text", stdin=lines("y", "n", "n", "y"))
    assert result.code == 4
    assert RB.urgency("emergency").label in result.stdout
    assert prompt("new_numbness_or_weakness") not in result.stdout
    assert diary.latest_check().red_flags == ["both_legs"]


@pytest.mark.parametrize(
    ("cancer", "urgency"), [("y", "emergency"), ("n", "same_day"), ("?", "emergency")]
)
def test_numbness_asks_about_cancer_before_deciding_how_urgent(run_cli, diary, cancer, urgency):
    # numbness is the first sign of the second list; then only its combination partners follow
    result = run_cli("check", "--no-text", stdin=lines("n", "y", "y", "n", cancer))
    assert result.code == 4, result.stderr
    assert prompt("fever_or_chills") in result.stdout
    assert prompt("leg_pain_below_knee") not in result.stdout
    assert prompt("unexplained_weight_loss") not in result.stdout
    assert diary.latest_check().urgency == urgency


def test_a_yes_to_the_list_then_no_to_each_sign_goes_on_to_the_pain(run_cli, diary):
    answers = lines("y", *["n"] * len(checkflow.screens(RB)[0].questions), "n", 3, "n", "n", "n")
    result = run_cli("check", "--no-text", stdin=answers)
    assert result.code == 0, result.stderr
    assert diary.latest_check().disposition == "walk_gently"


def test_a_gp_soon_reason_shows_beside_the_walk_plan(run_cli, diary):
    result = run_cli("check", "--no-text", stdin=check_answers(pain=4, age="55", first="y"))
    assert result.code == 0, result.stderr
    out = one_line(result.stdout)
    assert RB.disposition("walk_gently").headline in out
    assert RB.urgency_headline("gp_soon") in out  # as the pages say it
    assert "Your walk: 5 minutes" in out
    check = diary.latest_check()
    assert check.urgency == "gp_soon"
    assert check.assessment["see_gp_soon"] == ["first_episode_over_50"]


def test_every_rest_and_walk_result_carries_the_safety_net(run_cli):
    for pain in (3, 8):
        result = run_cli("check", "--no-text", stdin=check_answers(pain=pain))
        assert one_line(RB.safety_net.text) in one_line(result.stdout)


def test_walk_gently_shows_plan_tips_measures_and_disclaimer(run_cli, diary):
    result = run_cli("check", "--no-text", stdin=check_answers(pain=3))
    assert result.code == 0, result.stderr
    out = one_line(result.stdout)
    assert RB.disposition("walk_gently").headline in out
    assert "Your walk: 5 minutes" in out
    for tip in RB.tips:
        assert tip.title in out and one_line(tip.text) in out
    for stop in RB.stop_rules:
        assert stop.text in out
    for measure_id in ("heat_before_walk", "knee_to_chest", "pelvic_tilt"):
        measure = RB.supportive_measure(measure_id)
        assert measure.title in out
        assert all(one_line(step) in out for step in measure.steps)
        assert one_line(measure.caution) in out
    assert "Source: Does Walking Help Back Spasms?" in out
    assert one_line(RB.disclaimer) in out
    check = diary.latest_check()
    assert check.disposition == "walk_gently"
    assert check.pain_score == 3
    asked = [q.id for q in RB.questions if q.type == "bool" and q.group != "context"]
    assert check.answers == {**dict.fromkeys(asked, False), "pain_score": 3}
    assert "onset_hours" not in check.answers


def test_severe_pain_means_rest_first_with_rest_positions(run_cli, diary):
    result = run_cli("check", "--no-text", stdin=check_answers(pain=8))
    assert result.code == 0
    out = one_line(result.stdout)
    assert RB.disposition("rest_first").headline in out
    assert "Your pain is 8 out of 10, which is severe" in out
    assert RB.supportive_measure("rest_knees_bent").title in out
    assert RB.supportive_measure("fetal_position").title in out
    assert "Your walk" not in out
    assert diary.latest_check().disposition == "rest_first"


def test_not_sure_about_sharp_pain_is_the_cautious_answer(run_cli, diary):
    result = run_cli("check", "--no-text", stdin=check_answers(pain=3, sharp="?"))
    assert result.code == 0
    assert RB.disposition("rest_first").headline in one_line(result.stdout)
    assert "'Not sure' counted as yes" in result.stdout
    assert diary.latest_check().answers["sharp_pain"] is True


@pytest.mark.parametrize(
    ("typed", "hours"), [("36", 36), ("2 days", 48), ("1 week", 168), ("12h", 12), ("1.5 days", 36)]
)
def test_onset_accepts_hours_or_days(run_cli, diary, typed, hours):
    result = run_cli("check", "--no-text", stdin=check_answers(onset=typed))
    assert result.code == 0, result.stderr
    assert diary.latest_check().answers["onset_hours"] == hours


def test_ice_is_offered_in_the_first_two_days(run_cli):
    early = run_cli("check", "--no-text", stdin=check_answers(onset="1 day"))
    late = run_cli("check", "--no-text", stdin=check_answers(onset="3 days"))
    title = RB.supportive_measure("ice_after_onset").title
    assert title in early.stdout
    assert title not in late.stdout


def test_answers_are_case_insensitive_words_too(run_cli, diary):
    answers = lines("No", "NO", "4/10", "no", "N", "n", "")
    result = run_cli("check", "--no-text", stdin=answers)
    assert result.code == 0, result.stderr
    assert diary.latest_check().pain_score == 4


@pytest.mark.parametrize("bad", ["maybe", "", "yess"])
def test_a_bad_piped_answer_is_one_line_exit_2_and_nothing_saved(run_cli, diary, bad):
    result = run_cli("check", "--no-text", stdin=lines("y", "n", bad, "n"))
    assert result.code == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("backwalk: saddle_numbness:")
    assert "Traceback" not in result.stderr
    assert diary.checks() == []


def test_a_pain_score_out_of_range_is_bad_input(run_cli, diary):
    result = run_cli("check", "--no-text", stdin=lines(*NO_RED_FLAGS, "11"))
    assert result.code == 2
    assert "pain_score" in result.stderr and "0 to 10" in result.stderr
    assert diary.checks() == []


@pytest.mark.parametrize("answered", [0, 3, len(NO_RED_FLAGS) + 2])
def test_input_ending_before_the_decision_is_exit_2_and_nothing_saved(run_cli, diary, answered):
    result = run_cli("check", "--no-text", stdin=lines(*(NO_RED_FLAGS + ["3", "n"])[:answered]))
    assert result.code == 2
    assert "no answer" in result.stderr
    assert result.stderr.count("\n") == 1
    assert diary.checks() == []


def test_optional_questions_may_be_left_out_at_the_end_of_the_input(run_cli, diary):
    result = run_cli("check", "--no-text", stdin=lines(*NO_RED_FLAGS, 3, "n", "n", "n"))
    assert result.code == 0, result.stderr
    assert "onset_hours" not in diary.latest_check().answers


def test_on_a_terminal_a_bad_answer_is_asked_again_with_a_hint(run_cli, diary):
    answers = lines("perhaps", *NO_RED_FLAGS, "eleven", "3", "n", "n", "n", "soon", "", "", "", "")
    result = run_cli("check", "--no-text", stdin=answers, tty=True)
    assert result.code == 0, result.stderr
    hint = "Sorry, I did not understand that: answer y (yes), n (no) or ? (not sure)"
    assert hint in result.stdout
    assert "answer with a whole number from 0 to 10" in result.stdout
    assert diary.latest_check().pain_score == 3


def test_piped_answers_are_echoed_after_their_prompt(run_cli):
    result = run_cli("check", "--no-text", stdin=check_answers(pain=3))
    assert "  [y/n/?] n\n" in result.stdout
    assert "  [0-10] 3\n" in result.stdout


def test_a_stale_walk_left_by_a_killed_process_is_recovered(run_cli, diary, clock):
    walk = diary.start_walk(at=clock.now(), planned_minutes=5, pain_before=3, check_id=None)
    clock.advance(coach.STALE_WALK_SECONDS + 60)
    result = run_cli("check", "--no-text", stdin=check_answers())
    assert result.code == 0
    assert "saved as 'Ended early'" in result.stderr
    assert diary.get_walk(walk.id).status == "interrupted"


def test_text_option_without_the_language_module_is_a_clear_error(run_cli, diary, monkeypatch):
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None)
    result = run_cli("check", "--text", "I wet myself", stdin=check_answers())
    assert result.code == 1
    assert "backwalk.nlp" in result.stderr
    assert diary.checks() == []


def test_without_the_language_module_the_closing_question_is_skipped(run_cli, monkeypatch):
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None)
    result = run_cli("check", stdin=check_answers())
    assert result.code == 0
    assert TEXT_QUESTION not in result.stdout


@pytest.mark.nlp
def test_free_text_can_add_a_red_flag_the_form_missed(run_cli, diary):
    skip_without_language_module()
    result = run_cli("check", stdin=lines("I wet myself this morning", "y"))
    assert TEXT_QUESTION in result.stdout
    assert "You wrote 'I wet myself this morning'." in one_line(result.stdout)
    assert prompt("pain_score") not in result.stdout  # the words acted before any number
    assert result.code == 4
    out = one_line(result.stdout)
    assert RB.question_by_id["bladder_or_bowel_loss"].label in out
    assert RB.urgency("emergency").label in out
    check = diary.latest_check()
    assert check.disposition == "seek_care_now"
    assert check.text == "I wet myself this morning"


@pytest.mark.nlp
def test_a_sign_in_the_words_answered_no_is_settled_by_the_person(run_cli, diary):
    """Ask, don't guess: the person's answer about their words replaces the reading."""
    skip_without_language_module()
    result = run_cli("check", stdin=lines("I nearly wet myself laughing", "n") + check_answers())
    assert result.code == 0, result.stderr
    check = diary.latest_check()
    assert check.disposition == "walk_gently"
    assert check.answers["confirmed"] == {"bladder_or_bowel_loss": False}
    # asked once, about the words: the emergency list does not ask it again
    assert one_line(result.stdout).count(prompt("bladder_or_bowel_loss")) == 1


@pytest.mark.nlp
def test_text_option_is_used_without_the_closing_question(run_cli, diary):
    skip_without_language_module()
    result = run_cli(
        "check", "--text", "I have had a fever since yesterday", stdin=lines("y", *NO_RED_FLAGS)
    )
    assert TEXT_QUESTION not in result.stdout
    assert prompt("pain_score") not in result.stdout  # a warning sign already decides
    assert result.code == 4
    assert "fever_or_chills" in diary.latest_check().red_flags


@pytest.fixture
def fake_language_module(monkeypatch):
    """A stand-in for backwalk.nlp that reads 'I wet myself' as loss of bladder control.

    It lets the CLI's free-text flow (show, confirm, keep) be tested without the NLP stack;
    the tests marked `nlp` above run the same flow against the real module.
    """
    import sys
    import types
    from importlib.machinery import ModuleSpec

    def extract(text: str) -> types.SimpleNamespace:
        phrase = "I wet myself"
        if phrase not in text:
            return types.SimpleNamespace(answers={}, spans=[], evidence={}, readings={})
        start = text.index(phrase)
        return types.SimpleNamespace(
            answers={"bladder_or_bowel_loss": True},
            spans=[(start, start + len(phrase), "bladder_or_bowel_loss")],
            evidence={"bladder_or_bowel_loss": phrase},
            readings={},
        )

    module = types.ModuleType("backwalk.nlp")
    module.__spec__ = ModuleSpec("backwalk.nlp", None, origin="fake")
    module.extract = extract  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "backwalk.nlp", module)


@pytest.mark.usefixtures("fake_language_module")
def test_a_sign_in_the_words_is_asked_about_quoting_them_first(run_cli, diary):
    result = run_cli("check", stdin=lines("I wet myself today", "y"))
    assert result.code == 4
    out = one_line(result.stdout)
    assert TEXT_QUESTION in out
    assert f"You wrote 'I wet myself today'. {prompt('bladder_or_bowel_loss')}" in out
    assert "You reported" not in out  # it was confirmed, but the words are quoted
    check = diary.latest_check()
    assert check.disposition == "seek_care_now" and check.urgency == "emergency"
    assert check.text == "I wet myself today"
    assert check.answers == {"confirmed": {"bladder_or_bowel_loss": True}}


@pytest.mark.usefixtures("fake_language_module")
def test_a_sign_in_the_words_answered_no_is_not_counted(run_cli, diary):
    result = run_cli("check", stdin=lines("I wet myself today", "n") + check_answers())
    assert result.code == 0, result.stderr
    assert diary.latest_check().disposition == "walk_gently"


@pytest.mark.usefixtures("fake_language_module")
def test_text_option_is_shown_back_without_the_closing_question(run_cli, diary):
    result = run_cli("check", "--text", "I wet myself", stdin=lines("?"))
    assert TEXT_QUESTION not in result.stdout
    out = one_line(result.stdout)
    assert "You wrote 'I wet myself'." in out
    assert "You wrote 'I wet myself' and were not sure whether that means loss of bladder" in out
    assert result.code == 4


@pytest.mark.usefixtures("fake_language_module")
def test_text_that_changes_nothing_asks_nothing_more(run_cli, diary):
    result = run_cli("check", stdin=lines("it started when I bent down") + check_answers())
    assert result.code == 0
    assert "You wrote" not in result.stdout
    assert diary.latest_check().text == "it started when I bent down"


@pytest.mark.usefixtures("fake_language_module")
def test_a_blank_closing_answer_means_no_text(run_cli, diary):
    result = run_cli("check", stdin=lines("") + check_answers())
    assert result.code == 0
    assert diary.latest_check().text is None


def test_a_broken_language_module_is_one_line_and_nothing_saved(run_cli, diary, monkeypatch):
    import sys
    import types
    from importlib.machinery import ModuleSpec

    broken = types.ModuleType("backwalk.nlp")  # no `extract`: importing it fails
    broken.__spec__ = ModuleSpec("backwalk.nlp", None, origin="broken")
    monkeypatch.setitem(sys.modules, "backwalk.nlp", broken)
    result = run_cli("check", "--text", "I wet myself", stdin=check_answers())
    assert result.code == 1
    assert result.stderr.startswith("backwalk: your text could not be read, so nothing was saved")
    assert result.stderr.count("\n") == 1
    assert diary.checks() == []


def test_on_a_colour_terminal_the_decision_is_drawn_in_panels(run_cli, diary):
    result = run_env(
        ["check", "--no-text"], db_url=run_cli.db_url, stdin=check_answers(), color=True
    )
    assert result.code == 0
    assert "\x1b[" in result.stdout and "╭" in result.stdout
    assert RB.disposition("walk_gently").headline in result.stdout
    assert diary.latest_check().disposition == "walk_gently"


def test_no_colour_on_a_terminal_is_plain_text(run_cli):
    result = run_cli("check", "--no-text", stdin=check_answers(), tty=True)  # NO_COLOR is set
    assert "\x1b" not in result.stdout and "╭" not in result.stdout


def test_ctrl_c_during_the_questions_saves_nothing(run_cli, diary):
    class CtrlC(io.StringIO):
        def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
            raise KeyboardInterrupt

    result = run_env(["check"], db_url=run_cli.db_url, stdin=CtrlC())
    assert result.code == 130
    assert diary.checks() == []


def test_the_emergency_number_is_a_setting_for_the_terminal_too(run_cli, monkeypatch):
    monkeypatch.setenv("BACKWALK_EMERGENCY_NUMBER", "112")
    result = run_cli("check", "--no-text", stdin=lines("y", "y"))
    assert result.code == 4
    assert "Call 112 now" in result.stdout
    assert result.stdout.rstrip().endswith("Saved to your diary. Call 112 now.")


def test_an_emergency_number_no_phone_can_dial_is_one_clear_line(run_cli, diary, monkeypatch):
    monkeypatch.setenv("BACKWALK_EMERGENCY_NUMBER", "nine-nine-nine")
    result = run_cli("check", "--no-text", stdin=lines("y", "y"))
    assert result.code == 2
    assert result.stderr.startswith("backwalk: BACKWALK_EMERGENCY_NUMBER: 'nine-nine-nine' is not")
    assert result.stdout == "" and diary.checks() == []  # said before any question
