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


@pytest.mark.parametrize("line", ["check_walk_gently.txt", "check_seek_care.txt", "learn.txt"])
def test_golden_files_fit_the_fixed_width(line):
    path = GOLDEN / line
    if path.exists():
        assert max(len(row) for row in path.read_text("utf-8").splitlines()) <= 80
