"""`plan`, `history`, `export` and `forget` over a diary filled through the real commands."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from backwalk.cli.diarycmds import sparkline
from backwalk.rules import default_rulebook
from tests.cli.conftest import check_answers, checkin_answers, lines, seed_completed_walk

RB = default_rulebook()
UNREACHABLE = "postgresql+psycopg://nobody@127.0.0.1:1/x"


def one_line(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def filled(run_cli) -> None:
    """A check, a completed walk (pain 3 -> 2), then a second check."""
    assert run_cli("check", "--no-text", stdin=check_answers(pain=4)).code == 0
    answers = lines(*checkin_answers(3), *checkin_answers(2), "2")
    walk = run_cli("walk", "--pain", "3", stdin=answers)
    assert walk.code == 0, walk.stderr
    assert run_cli("check", "--no-text", stdin=check_answers(pain=8)).code == 0


# -- plan ----------------------------------------------------------------------------------------


def test_plan_for_a_first_walk_says_a_check_comes_first(run_cli):
    result = run_cli("plan")
    assert result.code == 0
    out = one_line(result.stdout)
    assert out.startswith(RB.standing("no_check").headline)
    assert "Next walk" not in out
    assert one_line(RB.progression.text) in out


def test_plan_json(run_cli):
    doc = run_cli("plan", "--json").json()
    assert doc == {
        "standing": {
            "kind": "no_check",
            "headline": RB.standing("no_check").headline,
            "text": RB.standing("no_check").text,
            "urgency": None,
            "check_id": None,
            "walk_id": None,
            "next_walk_minutes": None,
            "warning": None,
            "phase": "acute",
            "phase_label": RB.phase("acute").label,
        },
        "minutes": 5,
        "why": "This is your first walk, so it starts short.",
        "rule": RB.progression.text,
        "check_needed": True,
        "phase": "acute",
        "recovery_offered": False,
        "recurrence_question": None,
        "paused_programme": None,
    }


@pytest.mark.parametrize(
    ("answers", "kind"),
    [
        (lines("y", "y"), "seek_care"),
        (check_answers(pain=8), "rest_first"),
        (check_answers(pain=3), "walk_ready"),
    ],
)
def test_plan_and_history_lead_with_the_latest_decision(run_cli, answers, kind):
    run_cli("check", "--no-text", stdin=answers)
    words = RB.standing(kind)
    for command in ("plan", "history"):
        out = one_line(run_cli(command).stdout)
        assert out.startswith(words.headline.format(minutes=5)), command
        assert run_cli(command, "--json").json()["standing"]["kind"] == kind
    if kind != "walk_ready":  # no screen offers a walk after a check that said care or rest
        assert "Next walk" not in one_line(run_cli("plan").stdout)
        assert run_cli("plan", "--json").json()["standing"]["next_walk_minutes"] is None


def test_plan_after_a_good_walk_and_a_fresh_check(run_cli, diary, clock):
    seed_completed_walk(diary, clock, minutes=5)
    run_cli("check", "--no-text", stdin=check_answers())
    doc = run_cli("plan", "--json").json()
    assert doc["minutes"] == 7
    assert doc["check_needed"] is False
    assert one_line(run_cli("plan").stdout).startswith("Your next walk: 7 minutes")


# -- history -------------------------------------------------------------------------------------


def test_history_of_an_empty_diary(run_cli):
    result = run_cli("history")
    assert result.code == 0
    assert "The diary is empty" in result.stdout


@pytest.mark.usefixtures("filled")
def test_history_table_and_sparkline(run_cli):
    result = run_cli("history")
    assert result.code == 0, result.stderr
    assert result.stdout.startswith(RB.standing("rest_first").headline)
    rows = result.stdout[result.stdout.index("When") :].splitlines()
    assert rows[0].split() == [
        "When",
        "What",
        "Pain",
        "before",
        "Pain",
        "after",
        "Minutes",
        "Outcome",
    ]
    assert [r.split()[2] for r in rows[2:5]] == ["check", "walk", "check"]
    assert "Walk gently" in rows[2] and "plan 5" in rows[2]
    assert "5 of 5" in rows[3] and "Completed" in rows[3]
    assert "Rest first" in rows[4]
    # check 4, walk 3 -> check-ins 3, 2 -> after 2, check 8
    assert f"Pain trend (0-10, oldest to newest): {sparkline([4, 3, 3, 2, 2, 8])}" in result.stdout
    assert "latest 8/10" in result.stdout


@pytest.mark.usefixtures("filled")
def test_history_json_and_limit(run_cli):
    doc = run_cli("history", "--json").json()
    assert [e["kind"] for e in doc["entries"]] == ["check", "walk", "check"]
    assert doc["entries"][1]["outcome"] == "completed"
    assert doc["pain_trend"] == [4, 3, 3, 2, 2, 8]
    limited = run_cli("history", "--json", "--limit", "2").json()
    assert [e["kind"] for e in limited["entries"]] == ["walk", "check"]


def test_history_shows_how_urgent_a_seek_care_check_was(run_cli):
    run_cli("check", "--no-text", stdin=lines("y", "y"))
    assert "Get medical care (emergency)" in run_cli("history").stdout


def test_history_limit_must_be_positive(run_cli):
    result = run_cli("history", "--limit", "0")
    assert result.code == 2
    assert "--limit" in result.stderr


@pytest.mark.parametrize(
    ("values", "line"),
    [
        ([0, 10], "▁█"),
        ([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], "▁▂▂▃▄▅▅▆▇▇█"),
        ([], ""),
        ([12, -1], "█▁"),
    ],
)
def test_sparkline(values, line):
    assert sparkline(values) == line


# -- export --------------------------------------------------------------------------------------


@pytest.mark.usefixtures("filled")
def test_export_csv_to_stdout(run_cli):
    result = run_cli("export", "--format", "csv")
    assert result.code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert sorted({r["record"] for r in rows}) == ["check", "checkin", "walk"]
    assert sum(r["record"] == "checkin" for r in rows) == 2


@pytest.mark.usefixtures("filled")
def test_export_json_to_a_file(run_cli, tmp_path: Path):
    target = tmp_path / "diary.json"
    result = run_cli("export", "--format", "json", "-o", str(target))
    assert result.code == 0
    assert result.stdout == ""
    assert str(target) in result.stderr
    doc = json.loads(target.read_text("utf-8"))
    assert len(doc["checks"]) == 2 and len(doc["walks"]) == 1


def test_export_defaults_to_csv(run_cli):
    result = run_cli("export")
    assert result.code == 0
    assert result.stdout.startswith("record,")


def test_export_to_a_file_that_cannot_be_written(run_cli, tmp_path: Path):
    result = run_cli("export", "--output", str(tmp_path / "missing" / "dir" / "x.csv"))
    assert result.code == 1
    assert result.stderr.startswith("backwalk: cannot write")
    assert result.stderr.count("\n") == 1


# -- forget --------------------------------------------------------------------------------------


@pytest.mark.usefixtures("filled")
def test_forget_with_yes_deletes_everything(run_cli, diary):
    result = run_cli("forget", "--yes")
    assert result.code == 0
    assert "Deleted 3 checks and walks." in result.stdout
    assert diary.checks() == [] and diary.walks() == []


@pytest.mark.usefixtures("filled")
def test_forget_asks_and_reads_the_answer_from_stdin(run_cli, diary):
    result = run_cli("forget", stdin="yes\n")
    assert result.code == 0
    assert (
        "Delete all 3 checks and walks? This cannot be undone. Type 'yes' to confirm:"
        in result.stdout
    )
    assert diary.checks() == []


@pytest.mark.parametrize("answer", ["no\n", "y\n", "", "YES please\n"])
@pytest.mark.usefixtures("filled")
def test_forget_without_a_yes_deletes_nothing(run_cli, diary, answer):
    result = run_cli("forget", stdin=answer)
    assert result.code == 1
    assert "nothing was deleted" in result.stderr
    assert len(diary.checks()) == 2 and len(diary.walks()) == 1


def test_forget_an_empty_diary(run_cli):
    result = run_cli("forget")
    assert result.code == 0
    assert "already empty" in result.stdout


# -- a diary that cannot be opened ---------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [["check"], ["walk", "--pain", "3"], ["plan"], ["history"], ["export"], ["forget", "--yes"]],
)
def test_an_unreachable_diary_is_one_line_and_exit_1(run_cli, args):
    result = run_cli(*args, "--db", UNREACHABLE, stdin=check_answers())
    assert result.code == 1
    assert result.stderr.startswith("backwalk: cannot open the diary")
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


OLD_CHECK_ASSESSMENT = {  # as the version-1 rulebook (2026.11.24) stored it
    "disposition": "seek_care_now",
    "red_flags": ["new_numbness_or_weakness"],
    "urgency": "emergency",
    "walk_plan": None,
    "supportive": [],
    "reasons": [
        {
            "rule": "new_numbness_or_weakness",
            "text": "You reported new numbness.",
            "source": "NICE NG59 / NICE CKS Low back pain: red flags for serious causes",
            "source_id": "nice_ng59",
        },
        {
            "rule": "unanswered_numbness_both_legs",
            "text": "If it is in both legs, call now.",
            "source": "NICE NG59",
            "source_id": "nice_ng59",
        },
    ],
    "unanswered": ["numbness_both_legs"],
    "answers": {"new_numbness_or_weakness": True, "numbness_both_legs": True},
    "rulebook_version": "2026.11.24",
    "headline": "Do not walk it off: get medical care now.",
}


def test_checks_saved_by_the_older_rulebook_still_read_and_render(run_cli, diary, clock):
    diary.record_check(
        at=clock.now(), answers=OLD_CHECK_ASSESSMENT["answers"], assessment=OLD_CHECK_ASSESSMENT
    )
    history = run_cli("history")
    assert history.code == 0, history.stderr
    assert "Get medical care (emergency)" in history.stdout
    exported = run_cli("export", "--format", "json")
    assert exported.code == 0 and "numbness_both_legs" in exported.stdout
    exported = run_cli("export", "--format", "csv")  # the CSV for people says it in words
    assert exported.code == 0 and "new numbness, tingling or weakness" in exported.stdout
    walk = run_cli("walk", "--pain", "2")
    assert walk.code == 4  # the old seek-care decision still stands
