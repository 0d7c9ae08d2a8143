"""Warnings are remembered in the terminal too (issue 17): a new check first asks whether a
standing warning is still so, no walk starts, and `backwalk seen` ends it."""

from __future__ import annotations

from backwalk.exitcodes import ExitCode
from backwalk.rules import default_rulebook
from tests.cli.conftest import check_answers, lines

RB = default_rulebook()
BLADDER = RB.question_by_id["bladder_or_bowel_loss"].label


def emergency_check(run_cli) -> None:
    # "Any of these?" yes, then the first emergency sign (bladder) yes.
    assert run_cli("check", "--no-text", stdin=lines("y", "y")).code == ExitCode.SEEK_CARE


def test_a_new_check_asks_first_and_a_yes_decides(run_cli, clock) -> None:
    emergency_check(run_cli)
    clock.advance(600)
    result = run_cli("check", "--no-text", stdin=lines("y"))
    assert result.code == ExitCode.SEEK_CARE
    out = " ".join(result.stdout.split())
    assert RB.notes.still_title in out
    assert BLADDER in out
    assert out.index(RB.notes.still_title) < out.index("Call")


def test_a_no_goes_on_without_asking_twice_and_the_advice_stands(run_cli, clock) -> None:
    emergency_check(run_cli)
    clock.advance(600)
    result = run_cli("check", "--no-text", stdin=lines("n") + check_answers(pain=3))
    assert result.code == ExitCode.OK, result.stderr
    assert f"- {BLADDER}" not in result.stdout  # asked once, not again in the list
    walk = run_cli("walk", "--pain", "2")
    assert walk.code == ExitCode.SEEK_CARE
    assert BLADDER in " ".join(walk.stdout.split())
    plan = run_cli("plan").stdout
    assert "backwalk seen" in plan


def test_seen_ends_the_warning(run_cli, clock) -> None:
    emergency_check(run_cli)
    clock.advance(3600)
    seen = run_cli("seen")
    assert seen.code == ExitCode.OK
    assert " ".join(RB.notes.seen_done.split()) in " ".join(seen.stdout.split())
    clock.advance(60)
    assert run_cli("check", "--no-text", stdin=check_answers(pain=3)).code == ExitCode.OK
    assert run_cli("plan", "--json").json()["standing"]["warning"] is None


def test_a_calm_check_under_a_warning_leads_with_the_warning_and_offers_no_walk(
    run_cli, clock
) -> None:
    emergency_check(run_cli)
    clock.advance(600)
    result = run_cli("check", "--no-text", stdin=lines("n") + check_answers(pain=6))
    out = " ".join(result.stdout.split())
    print(result.stdout)
    assert out.index("Get medical care first") < out.index(RB.notes.remembered_title)
    assert "Decision" not in out  # no walk-gently headline to contradict the warning
    assert "walk plan below" not in out
    assert RB.notes.remembered_check.format(short="Walk gently") in out


def test_history_marks_a_calm_check_made_under_a_warning(run_cli, clock) -> None:
    emergency_check(run_cli)
    clock.advance(600)
    run_cli("check", "--no-text", stdin=lines("n") + check_answers(pain=3))
    out = " ".join(run_cli("history", "--json").stdout.split())
    assert RB.notes.held_back in out
