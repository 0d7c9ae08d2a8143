"""`backwalk check` asks the weekly outcome measures only after the decision, only when a week
has passed (never at the very first check, never after a warning sign), each skippable."""

from __future__ import annotations

from backwalk.diary import open_diary
from backwalk.rules import default_rulebook

CALM = "n\nn\n{pain}\nn\nn\nn\n\n\n\n\n"  # no signs, pain, not sharp/constant/hard; skip the rest
WEEKLY = "y\nputting on socks\ngardening\n\n4\n6\n2\n"


def test_the_first_check_never_asks(run_cli) -> None:
    result = run_cli("check", "--no-text", stdin=CALM.format(pain=4))
    assert result.code == 0, result.stderr
    assert "A week has passed" not in result.stdout


RB_OUTCOMES = default_rulebook().outcomes


def test_the_second_check_offers_them_after_the_decision_and_saves_them(run_cli, tmp_path) -> None:
    run_cli("check", "--no-text", stdin=CALM.format(pain=4))
    result = run_cli("check", "--no-text", stdin=CALM.format(pain=3) + WEEKLY)
    assert result.code == 0, result.stderr
    out = result.stdout
    first = RB_OUTCOMES.offer_first.split(":")[0].split(",")[0]
    assert out.index("Decision") < out.index(first) < out.index("Saved your weekly")
    assert "A week has passed" not in out  # minutes after the first check, it has not
    with open_diary(f"sqlite:///{tmp_path / 'diary.db'}") as diary:
        [measure] = diary.outcomes()
        check = diary.latest_check()
    assert [(a.activity, a.score) for a in measure.activities] == [
        ("putting on socks", 4),
        ("gardening", 6),
    ]
    assert (measure.global_change, measure.check_id) == (2, check.id if check else None)
    # a week later the same activities are offered again; within the week nothing is asked
    again = run_cli("check", "--no-text", stdin=CALM.format(pain=3))
    assert first not in again.stdout and "A week has passed" not in again.stdout


def test_piped_input_that_ends_skips_them(run_cli) -> None:
    run_cli("check", "--no-text", stdin=CALM.format(pain=4))
    result = run_cli("check", "--no-text", stdin=CALM.format(pain=3))
    assert result.code == 0 and "Saved your weekly" not in result.stdout


def test_a_bad_answer_skips_them_but_keeps_the_check_and_its_status(run_cli, tmp_path) -> None:
    run_cli("check", "--no-text", stdin=CALM.format(pain=4))
    result = run_cli("check", "--no-text", stdin=CALM.format(pain=3) + "y\nsocks\n\neleven\n")
    assert result.code == 0
    assert "weekly questions were skipped" in result.stderr
    with open_diary(f"sqlite:///{tmp_path / 'diary.db'}") as diary:
        assert len(diary.checks()) == 2 and diary.outcomes() == []


def test_never_after_a_warning_sign(run_cli) -> None:
    run_cli("check", "--no-text", stdin=CALM.format(pain=4))
    result = run_cli("check", "--no-text", stdin="y\ny\n" + WEEKLY)
    assert result.code == 4
    assert "A week has passed" not in result.stdout
