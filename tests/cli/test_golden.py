"""Golden files: the plain, fixed-width output people and scripts see.

After an intended change to the wording or layout, regenerate them with
`BACKWALK_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/cli/test_golden.py` and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.cli.conftest import check_answers, lines

GOLDEN = Path(__file__).parent / "golden"


def assert_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("BACKWALK_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{path} is missing: run with BACKWALK_UPDATE_GOLDEN=1 to create it"
    assert text == path.read_text(encoding="utf-8")


def test_walk_gently_check(run_cli):
    result = run_cli("check", "--no-text", stdin=check_answers(pain=3, onset="1 day"))
    assert result.code == 0
    assert_golden("check_walk_gently.txt", result.stdout)


def test_seek_care_check(run_cli):
    result = run_cli("check", "--no-text", stdin=lines("y", "n", "n", "?"))
    assert result.code == 4
    assert_golden("check_seek_care.txt", result.stdout)


def test_learn(run_cli):
    result = run_cli("learn")
    assert result.code == 0
    assert_golden("learn.txt", result.stdout)


@pytest.mark.parametrize("line", sorted(p.name for p in GOLDEN.glob("*.txt")))
def test_golden_files_fit_the_fixed_width(line):
    path = GOLDEN / line
    if path.exists():
        assert max(len(row) for row in path.read_text("utf-8").splitlines()) <= 80


def _other_signs_before(flag: str) -> int:
    from backwalk.checkflow import screens
    from backwalk.rules import default_rulebook

    return [q.id for q in screens(default_rulebook())[1].questions].index(flag)


ON_THE_BACK = ("Knee-to-chest stretch", "Pelvic tilts", "Rest on your back with knees bent")
PREGNANT_CHECKS = {
    "check_pregnant_walk_gently.txt": (check_answers(pain=4, pregnant="y"), 0),
    "check_pregnant_rest_first.txt": (check_answers(pain=8, pregnant="y"), 0),
    "check_pregnancy_warning.txt": (
        lines("n", "y", *["n"] * _other_signs_before("pregnancy_warning"), "y"),
        4,
    ),
}


@pytest.mark.parametrize("name", list(PREGNANT_CHECKS))
def test_pregnant_results_suggest_nothing_lying_on_the_back(run_cli, name):
    answers, code = PREGNANT_CHECKS[name]
    result = run_cli("check", "--no-text", stdin=answers)
    assert result.code == code, result.stderr
    assert not any(title in result.stdout for title in ON_THE_BACK)
    assert_golden(name, result.stdout)


def test_a_pregnancy_warning_says_call_the_maternity_unit_now(run_cli):
    answers, _ = PREGNANT_CHECKS["check_pregnancy_warning.txt"]
    out = " ".join(run_cli("check", "--no-text", stdin=answers).stdout.split())
    assert "Call your midwife or maternity unit now" in out
    assert "Book a GP appointment" not in out.split("What to do now")[1][:200]
