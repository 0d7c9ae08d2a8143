"""Answer parsing, plain and rich rendering, and the key reader's fallbacks."""

from __future__ import annotations

import io
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backwalk.cli.env import Environment
from backwalk.cli.keys import KeyReader
from backwalk.cli.prompts import (
    Answer,
    AnswerError,
    Prompter,
    parse_hours,
    parse_numbers,
    parse_score,
    parse_yes_no_unsure,
)
from backwalk.cli.render import Printer, Section, TableView, plain_section, plain_table


@pytest.mark.parametrize(
    ("raw", "answer"),
    [
        ("y", Answer.YES),
        ("YES", Answer.YES),
        (" Yes \n", Answer.YES),
        ("n", Answer.NO),
        ("No", Answer.NO),
        ("?", Answer.UNSURE),
        ("not sure", Answer.UNSURE),
        ("Not  Sure", Answer.UNSURE),
        ("maybe", None),
        ("", None),
        ("yep", None),
    ],
)
def test_yes_no_not_sure(raw, answer):
    assert parse_yes_no_unsure(raw) is answer


def test_not_sure_is_acted_on_as_yes():
    assert Answer.UNSURE.cautious and Answer.YES.cautious and not Answer.NO.cautious


@pytest.mark.parametrize(
    ("raw", "hours"),
    [
        ("36", 36),
        ("36 hours", 36),
        ("2 days", 48),
        ("2d", 48),
        ("1 week", 168),
        ("0.5", 0.5),
        ("soon", None),
        ("-3", None),
        ("2 fortnights", None),
        ("", None),
    ],
)
def test_hours(raw, hours):
    assert parse_hours(raw) == hours


@given(st.integers(0, 10))
def test_every_pain_score_is_accepted_alone_or_out_of_ten(score):
    assert parse_score(str(score), 0, 10) == score
    assert parse_score(f"{score}/10", 0, 10) == score


@pytest.mark.parametrize("raw", ["11", "-1", "3.5", "three", "", "100"])
def test_bad_pain_scores(raw):
    assert parse_score(raw, 0, 10) is None


@pytest.mark.parametrize(
    ("raw", "picked"),
    [
        ("3", [3]),
        ("1,4", [1, 4]),
        ("4 1 4", [1, 4]),
        ("0", None),
        ("10", None),
        ("a", None),
        ("", None),
    ],
)
def test_numbered_choices(raw, picked):
    assert parse_numbers(raw, 9) == picked


def prompter(stdin: str, tty: bool = False) -> tuple[Prompter, io.StringIO]:
    out = io.StringIO()
    env = Environment(
        stdin=io.StringIO(stdin),
        stdout=out,
        stderr=io.StringIO(),
        stdin_isatty=tty,
        stdout_isatty=tty,
        no_color=True,
    )
    return Prompter(env, Printer(env)), out


def test_a_confirmation_defaults_on_a_blank_line_or_the_end_of_input():
    assert prompter("\n")[0].confirm("c", "Right?") is True
    assert prompter("")[0].confirm("c", "Right?", default=False) is False
    assert prompter("n\n")[0].confirm("c", "Right?") is False


def test_piped_bad_answer_raises_one_line_naming_the_question():
    ask, _ = prompter("perhaps\n")
    with pytest.raises(AnswerError, match=r"^q: 'perhaps' is not a valid answer \(answer y"):
        ask.yes_no_unsure("q", "Is it?")


def test_a_very_long_bad_answer_is_shortened_in_the_error():
    ask, _ = prompter("x" * 500 + "\n")
    with pytest.raises(AnswerError) as caught:
        ask.score("pain", "How bad?")
    assert len(str(caught.value)) < 150


def test_terminal_bad_answers_are_asked_again():
    ask, out = prompter("perhaps\nwhat\ny\n", tty=True)
    assert ask.yes_no_unsure("q", "Is it?") is Answer.YES
    assert out.getvalue().count("Sorry, I did not understand that") == 2


def test_plain_section_wraps_to_80_columns_with_hanging_indents():
    section = Section("Title").text("word " * 40).bullet("item " * 30).steps(["step " * 30])
    section.note("careful " * 20).source("A source " * 12)
    text = plain_section(section)
    assert text.startswith("Title\n-----\n")
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "\n  - item" in text and "\n    item" in text
    assert "\n  1. step" in text and "\n     step" in text
    assert "\n! careful" in text
    assert "\n  (Source: A source" in text


def test_plain_table_aligns_columns():
    table = TableView(("A", "Long header"), [("wide cell", "x"), ("y", "")])
    assert plain_table(table).splitlines() == [
        "A          Long header",
        "---------  -----------",
        "wide cell  x",
        "y",
    ]


def test_rich_output_never_interprets_rulebook_text_as_markup():
    out = io.StringIO()
    env = Environment(stdout=out, stdout_isatty=True, no_color=False)
    printer = Printer(env)
    assert printer.rich
    printer.section(Section("T", "danger").text("[bold]not markup[/bold]").bullet("b", lead="L:"))
    printer.table(TableView(("H",), [("[red]cell",)]))
    printer.line("[link]x", tone="warning", indent="  ")
    assert "[bold]not markup[/bold]" in out.getvalue()
    assert "[red]cell" in out.getvalue()
    assert "[link]x" in out.getvalue()


def test_no_colour_means_plain_even_on_a_terminal():
    env = Environment(stdout=io.StringIO(), stdout_isatty=True, no_color=True)
    assert not Printer(env).rich


def test_the_key_reader_is_inactive_without_a_real_terminal():
    keys = KeyReader(io.StringIO("c\n"))
    assert not keys.active
    with keys, keys.line_mode():
        assert keys.checkin_requested() is False


def pressed(keys: KeyReader) -> bool:
    """Poll for up to a second: the terminal delivers keys asynchronously."""
    deadline = time.monotonic() + 1
    while time.monotonic() < deadline:
        if keys.checkin_requested():
            return True
        time.sleep(0.01)
    return False


def test_the_key_reader_sees_enter_or_c_on_a_terminal_and_restores_it():
    import os
    import termios

    master, slave = os.openpty()
    terminal = os.fdopen(slave, "r")
    try:
        before = termios.tcgetattr(slave)
        with KeyReader(terminal) as keys:
            assert keys.active
            assert keys.checkin_requested() is False
            os.write(master, b"x")
            time.sleep(0.05)
            assert keys.checkin_requested() is False  # other keys are ignored
            os.write(master, b"c")
            assert pressed(keys)
            with keys.line_mode():
                assert termios.tcgetattr(slave) == before  # normal input while answering
            assert termios.tcgetattr(slave) != before
            os.write(master, b"\n")
            assert pressed(keys)
        assert termios.tcgetattr(slave) == before
    finally:
        terminal.close()
        os.close(master)


@pytest.mark.parametrize(
    ("typed", "hours"),
    [("yesterday", 24), ("this morning", 6), ("2 days", 48), ("three days ago", 72), ("36", 36)],
)
def test_the_onset_question_takes_words_as_well_as_hours(typed: str, hours: int) -> None:
    from backwalk.cli.prompts import parse_hours

    assert parse_hours(typed) == hours


def test_words_that_say_no_time_are_not_an_onset() -> None:
    from backwalk.cli.prompts import parse_hours

    assert parse_hours("dunno") is None
