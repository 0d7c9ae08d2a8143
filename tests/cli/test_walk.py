"""`backwalk walk` with a ManualClock: whole walks in milliseconds, every ending recorded."""

from __future__ import annotations

import io
import time
from datetime import timedelta

import pytest

from backwalk import checkflow, coach
from backwalk.clock import ManualClock
from backwalk.exitcodes import ExitCode
from backwalk.rules import default_rulebook
from tests.cli.conftest import (
    check_answers,
    checkin_answers,
    lines,
    run_env,
    seed_completed_walk,
)

RB = default_rulebook()
FLAG_IDS = [q.id for q in checkflow.walk_signs(RB)]


def choice(flag_id: str) -> str:
    """The number of a red flag in the check-in's numbered list."""
    return str(FLAG_IDS.index(flag_id) + 1)


def one_line(text: str) -> str:
    return " ".join(text.split())


# -- completing a walk ---------------------------------------------------------------------------


@pytest.mark.usefixtures("walk_ready")
def test_a_first_walk_runs_to_the_end_with_checkins_cues_and_progress(run_cli, diary):
    result = run_cli("walk", stdin=lines(*checkin_answers(3), *checkin_answers(2), "2"))
    assert result.code == 0, result.stderr
    out = result.stdout
    assert "Pain before the walk: 3/10, from your check." in out
    assert "Your walk: 5 minutes" in out
    assert "Check-in at 2:00" in out and "Check-in at 4:00" in out
    assert out.count(RB.checkin_action("continue").headline) == 2
    assert "1:00 walked, 4:00 left" in out
    assert f"> {RB.walk_cues[0].text}" in out and f"> {RB.walk_cues[1].text}" in out
    assert "Walk complete" in out
    # the phone's words: time is up, then the walk against its plan with the pain before and after
    assert out.index("Time is up. Well done.") < out.index("Walk complete")
    assert "You walked 5:00 of 5:00. Pain before: 3/10. Pain after: 2/10." in one_line(out)
    assert "Next walk: 5 minutes." in one_line(out)  # walks grow one step a day
    assert "tomorrow's can be 2 minutes longer" in one_line(out)
    [walk] = diary.walks()
    assert walk.status == "completed"
    assert (walk.planned_minutes, walk.pain_before, walk.pain_after) == (5, 3, 2)
    assert walk.elapsed_seconds == 300
    assert [(c.elapsed_seconds, c.current_pain, c.action) for c in walk.checkins] == [
        (120, 3, "continue"),
        (240, 2, "continue"),
    ]
    assert walk.check_id == diary.latest_check().id


def test_a_full_thirty_minute_walk_runs_on_the_injected_clock(run_cli, diary, clock, monkeypatch):
    seed_completed_walk(diary, clock, minutes=28)
    assert run_cli("check", "--no-text", stdin=check_answers(pain=3)).code == 0
    answers = [a for _ in range(14) for a in checkin_answers(3)]  # every 2 minutes, 2..28

    def no_real_sleep(seconds: float) -> None:
        raise AssertionError("the walk slept on the real clock")

    monkeypatch.setattr(time, "sleep", no_real_sleep)
    result = run_cli("walk", stdin=lines(*answers, "3"))
    assert result.code == 0, result.stderr
    walk = diary.walks()[-1]
    assert (walk.status, walk.planned_minutes, walk.elapsed_seconds) == ("completed", 30, 1800)
    assert len(walk.checkins) == 14
    assert "Next walk: 30 minutes." in one_line(result.stdout)  # the 30-minute ceiling


@pytest.mark.usefixtures("walk_ready")
def test_checkin_every_sets_the_interval(run_cli, diary):
    result = run_cli(
        "walk",
        "--checkin-every",
        "1.5",
        stdin=lines(*checkin_answers(3), *checkin_answers(3), *checkin_answers(3), ""),
    )
    assert result.code == 0, result.stderr
    assert "Check-ins every 1.5 minutes." in result.stdout
    walk = diary.walks()[-1]
    assert [c.elapsed_seconds for c in walk.checkins] == [90, 180, 270]
    assert walk.pain_after is None  # a blank answer skips the pain afterwards


@pytest.mark.usefixtures("walk_ready")
def test_pain_higher_at_the_end_is_noted_and_keeps_the_next_walk_the_same(run_cli, diary):
    result = run_cli("walk", "--checkin-every", "10", stdin=lines("5"))
    assert result.code == 0
    out = one_line(result.stdout)
    assert "Your pain is 5/10, up from 3/10 when you started." in out
    assert "Next walk: 5 minutes. Your pain rose during your last walk" in out


# -- stop rules ----------------------------------------------------------------------------------


@pytest.mark.usefixtures("walk_ready")
def test_pain_rising_at_a_checkin_stops_the_walk(run_cli, diary):
    result = run_cli("walk", stdin=lines(*checkin_answers(3), *checkin_answers(5)))
    assert result.code == 3
    out = one_line(result.stdout)
    assert RB.checkin_action("stop").headline in out
    assert "Your pain is 5/10, up from 3/10 when you started." in out
    for measure_id in ("rest_knees_bent", "fetal_position"):
        measure = RB.supportive_measure(measure_id)
        assert measure.title in out and one_line(measure.steps[0]) in out
    walk = diary.walks()[-1]
    assert walk.status == "stopped"
    assert walk.pain_after == 5 and walk.elapsed_seconds == 240
    assert [c.action for c in walk.checkins] == ["continue", "stop"]
    assert "up from 3/10" in walk.stop_reason


@pytest.mark.parametrize("sharp", ["y", "?"])
@pytest.mark.usefixtures("walk_ready")
def test_sharp_or_shooting_pain_stops_the_walk(run_cli, diary, sharp):
    result = run_cli("walk", stdin=lines(*checkin_answers(3, sharp)))
    assert result.code == 3
    assert RB.checkin_reasons.sharp in result.stdout
    walk = diary.walks()[-1]
    assert walk.status == "stopped"
    assert walk.checkins[0].sharp_or_shooting is True


@pytest.mark.usefixtures("walk_ready")
def test_a_red_flag_stops_the_walk_to_get_care(run_cli, diary):
    picked = choice("leg_pain_below_knee")
    result = run_cli("walk", stdin=lines(*checkin_answers(3, "n", "y", picked)))
    assert result.code == 4
    out = one_line(result.stdout)
    assert RB.checkin_action("stop_seek_care").headline in out
    assert RB.urgency("same_day").label in out
    assert RB.red_flag("leg_pain_below_knee").tell_clinician in out
    walk = diary.walks()[-1]
    assert walk.status == "stopped_seek_care"
    assert walk.checkins[0].red_flags == ["leg_pain_below_knee"]
    assert walk.checkins[0].action == "stop_seek_care"


@pytest.mark.usefixtures("walk_ready")
def test_numbness_in_both_legs_during_a_walk_is_an_emergency(run_cli, diary):
    picks = f"{choice('both_legs')}, {choice('leg_pain_below_knee')}"
    result = run_cli("walk", stdin=lines(*checkin_answers(3, "n", "y", picks)))
    assert result.code == 4
    assert RB.urgency("emergency").label in result.stdout
    assert diary.walks()[-1].checkins[0].red_flags == ["leg_pain_below_knee", "both_legs"]


def test_a_walk_check_in_never_asks_about_history():
    asked = set(FLAG_IDS)
    assert {"both_legs", "bladder_or_bowel_loss", "leg_pain_below_knee"} <= asked
    assert not asked & {
        "history_of_cancer",
        "osteoporosis_or_steroids",
        "major_trauma",
        "unexplained_weight_loss",
        "immunosuppressed_or_injects_drugs",
    }


@pytest.mark.usefixtures("walk_ready")
def test_a_bad_red_flag_choice_on_piped_input_interrupts_the_walk(run_cli, diary):
    result = run_cli("walk", stdin=lines(*checkin_answers(3, "n", "y", "42")))
    assert result.code == 2
    assert result.stderr.count("\n") == 1
    assert "red_flag_which" in result.stderr and "saved as 'Ended early'" in result.stderr
    assert diary.walks()[-1].status == "interrupted"


@pytest.mark.usefixtures("walk_ready")
def test_input_ending_mid_walk_keeps_the_checkins_and_marks_it_interrupted(run_cli, diary):
    result = run_cli("walk", stdin=lines(*checkin_answers(3)))
    assert result.code == 2
    assert "current_pain: no answer" in result.stderr
    walk = diary.walks()[-1]
    assert walk.status == "interrupted"
    assert len(walk.checkins) == 1


# -- the gate ------------------------------------------------------------------------------------


def test_no_check_means_no_walk(run_cli, diary):
    result = run_cli("walk", "--pain", "3")
    assert result.code == ExitCode.CHECK_NEEDED
    assert "No check in the last 4 hours" in result.stdout
    assert "backwalk check" in result.stdout
    assert diary.walks() == []


@pytest.mark.usefixtures("walk_ready")
def test_an_old_check_means_no_walk(run_cli, diary, clock):
    clock.advance(5 * 3600)
    result = run_cli("walk")
    assert result.code == ExitCode.CHECK_NEEDED
    assert "No check in the last 4 hours" in result.stdout
    assert diary.walks() == []


def test_a_seek_care_check_refuses_the_walk_with_what_to_do(run_cli, diary):
    run_cli("check", "--no-text", stdin=lines("y", "y"))
    result = run_cli("walk", "--pain", "2")
    assert result.code == 4
    out = one_line(result.stdout)
    assert "offers no walks for 24 hours after a warning sign" in out
    assert RB.urgency("emergency").label in out
    assert diary.walks() == []


def test_a_rest_first_check_refuses_the_walk(run_cli, diary):
    run_cli("check", "--no-text", stdin=check_answers(pain=8))
    result = run_cli("walk", "--pain", "3")
    assert result.code == ExitCode.REST_FIRST
    assert "rest first" in result.stdout
    assert diary.walks() == []


@pytest.mark.usefixtures("walk_ready")
def test_a_new_severe_pain_score_refuses_the_walk(run_cli, diary):
    result = run_cli("walk", "--pain", "8")
    assert result.code == ExitCode.REST_FIRST
    assert "Your pain is 8 out of 10, which is severe" in one_line(result.stdout)
    assert diary.walks() == []


@pytest.mark.usefixtures("walk_ready")
def test_on_a_terminal_the_pain_is_asked_with_the_checks_score_as_default(run_cli, diary):
    result = run_cli("walk", "--checkin-every", "10", stdin=lines("", ""), tty=True)
    assert result.code == 0, result.stderr
    assert "[0-10, Enter for 3]" in result.stdout
    assert diary.walks()[-1].pain_before == 3


@pytest.mark.usefixtures("walk_ready")
def test_a_new_pain_score_typed_on_a_terminal_is_checked_again(run_cli, diary):
    result = run_cli("walk", stdin=lines("9"), tty=True)
    assert result.code == ExitCode.REST_FIRST
    assert diary.walks() == []


@pytest.mark.usefixtures("walk_ready")
def test_pain_option_sets_the_baseline(run_cli, diary):
    result = run_cli("walk", "--pain", "2", stdin=lines(*checkin_answers(3)))
    assert result.code == 3  # 3 is above the baseline of 2
    assert diary.walks()[-1].pain_before == 2


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--pain", "11", "--pain: must be a whole number from 0 to 10"),
        ("--pain", "-1", "--pain: must be a whole number from 0 to 10"),
        ("--checkin-every", "0", "--checkin-every: must be a number of minutes above 0"),
        ("--checkin-every", "nan", "--checkin-every: must be a number of minutes above 0"),
    ],
)
def test_bad_options_are_bad_input(run_cli, option, value, message):
    result = run_cli("walk", option, value)
    assert result.code == 2
    assert message in result.stderr


# -- interruptions -------------------------------------------------------------------------------


class InterruptingStdin(io.StringIO):
    """Piped answers that end in a Ctrl-C after `lines_before` lines have been read."""

    def __init__(self, text: str, lines_before: int) -> None:
        super().__init__(text)
        self.left = lines_before

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        if self.left == 0:
            raise KeyboardInterrupt
        self.left -= 1
        return super().readline()


class InterruptingClock(ManualClock):
    """A clock that raises KeyboardInterrupt when `at_seconds` of walking have gone by."""

    def __init__(self, start, at_seconds: float, db_url: str) -> None:
        super().__init__(start)
        self.at_seconds = at_seconds
        self.armed_at: float | None = None
        self.db_url = db_url
        self.seen_elapsed: float | None = None

    def sleep(self, seconds: float) -> None:
        if self.armed_at is None:
            self.armed_at = self.monotonic()
        super().sleep(seconds)
        if self.monotonic() - self.armed_at >= self.at_seconds:
            self.seen_elapsed = self._walk_elapsed_in_diary()
            raise KeyboardInterrupt

    def _walk_elapsed_in_diary(self) -> float:
        from backwalk.diary import open_diary

        with open_diary(self.db_url) as diary:
            return diary.walks()[-1].elapsed_seconds


@pytest.mark.usefixtures("walk_ready")
def test_ctrl_c_at_a_checkin_saves_the_walk_as_interrupted_with_earlier_checkins(
    run_cli, diary, clock
):
    stdin = InterruptingStdin(lines(*checkin_answers(3), *checkin_answers(3)), lines_before=3)
    result = run_env(["walk"], db_url=run_cli.db_url, stdin=stdin, clock=clock)
    assert result.code == 130
    assert "saved in your diary as 'Ended early', with 1 check-in(s)" in one_line(result.stdout)
    walk = diary.walks()[-1]
    assert walk.status == "interrupted"
    assert [c.current_pain for c in walk.checkins] == [3]
    assert walk.elapsed_seconds == 240


@pytest.mark.usefixtures("walk_ready")
def test_ctrl_c_while_walking_saves_the_walk_and_heartbeats_kept_the_diary_up_to_date(
    run_cli, diary, clock
):
    interrupting = InterruptingClock(clock.now(), at_seconds=100, db_url=run_cli.db_url)
    result = run_env(["walk", "--checkin-every", "10"], db_url=run_cli.db_url, clock=interrupting)
    assert result.code == 130
    assert interrupting.seen_elapsed == 90  # the last heartbeat before the interruption
    walk = diary.walks()[-1]
    assert walk.status == "interrupted"
    assert walk.elapsed_seconds == 100
    assert walk.ended_at == walk.started_at + timedelta(seconds=100)


@pytest.mark.usefixtures("walk_ready")
def test_a_stale_walk_is_recovered_before_a_new_one_starts(run_cli, diary, clock):
    stale = diary.start_walk(at=clock.now(), planned_minutes=5, pain_before=3, check_id=None)
    clock.advance(coach.STALE_WALK_SECONDS + 60)
    run_cli("check", "--no-text", stdin=check_answers())
    result = run_cli("walk", "--checkin-every", "10", stdin=lines(""))
    assert result.code == 0
    assert diary.get_walk(stale.id).status == "interrupted"
    assert diary.walks()[-1].status == "completed"


# -- the colour terminal -------------------------------------------------------------------------


@pytest.mark.usefixtures("walk_ready")
def test_on_a_colour_terminal_the_walk_shows_a_progress_bar(run_cli, diary, clock):
    result = run_env(
        ["walk", "--checkin-every", "2"],
        db_url=run_cli.db_url,
        clock=clock,
        color=True,
        stdin=lines(*checkin_answers(3), *checkin_answers(3), "2"),
    )
    assert result.code == 0, result.stderr
    assert "\x1b[" in result.stdout
    assert "walked" in result.stdout and "left" in result.stdout
    assert "Walk complete" in result.stdout
    assert diary.walks()[-1].status == "completed"


@pytest.mark.usefixtures("walk_ready")
def test_a_second_walk_while_one_is_in_progress_is_refused_before_any_question(run_cli, diary):
    diary.start_walk(at=diary.latest_check().at, planned_minutes=5, pain_before=3, check_id=None)
    result = run_cli("walk", stdin=lines("3"))
    assert result.code == 7
    assert result.stderr == (
        "backwalk: a walk is already in progress: finish it before starting another\n"
    )
    assert result.stdout == ""
    assert len(diary.walks()) == 1
